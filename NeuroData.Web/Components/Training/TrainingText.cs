using System.Globalization;
using MudBlazor;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training;
using NeuroData.Infrastructure.Training.Runs;

namespace NeuroData.Web.Components.Training;

/// <summary>How the training pages write tasks, statuses, metrics, durations and content ids.</summary>
public static class TrainingText
{
    public static string Task(TrainingTask task) => task switch
    {
        TrainingTask.BinaryClassification => "Binary classification",
        TrainingTask.MulticlassClassification => "Multiclass classification",
        TrainingTask.Regression => "Regression",
        TrainingTask.Clustering => "Clustering",
        TrainingTask.AnomalyDetection => "Anomaly detection",
        _ => task.ToString(),
    };

    /// <summary>What the task does, in one sentence for the form.</summary>
    public static string TaskHelp(TrainingTask task) => task switch
    {
        TrainingTask.BinaryClassification => "Predict one of two values (yes/no, 0/1, churned or not). Measured by AUC.",
        TrainingTask.MulticlassClassification => "Predict one of several classes. Measured by macro accuracy.",
        TrainingTask.Regression => "Predict a number. Measured by R².",
        TrainingTask.Clustering => "Group similar rows without a label. Measured by the Davies-Bouldin index (lower is better).",
        TrainingTask.AnomalyDetection => "Flag rows unlike the rest; an optional true/false label measures how well.",
        _ => string.Empty,
    };

    /// <summary>True when the task needs a label column (clustering never has one, anomaly detection may).</summary>
    public static bool NeedsLabel(TrainingTask task) => task is not (TrainingTask.Clustering or TrainingTask.AnomalyDetection);

    public static bool AllowsLabel(TrainingTask task) => task is not TrainingTask.Clustering;

    public static string Status(TrainingRunStatus status) => status switch
    {
        TrainingRunStatus.Queued => "Queued",
        TrainingRunStatus.Running => "Running",
        TrainingRunStatus.Succeeded => "Succeeded",
        TrainingRunStatus.Failed => "Failed",
        TrainingRunStatus.Cancelled => "Cancelled",
        _ => status.ToString(),
    };

    public static Color StatusColor(TrainingRunStatus status) => status switch
    {
        TrainingRunStatus.Succeeded => Color.Success,
        TrainingRunStatus.Failed => Color.Error,
        TrainingRunStatus.Running => Color.Info,
        TrainingRunStatus.Cancelled => Color.Warning,
        _ => Color.Default,
    };

    public static string Access(TrainingAccess access) => access switch
    {
        TrainingAccess.Owner => "Your dataset",
        TrainingAccess.Download => "Purchased (download)",
        TrainingAccess.TrainingOnly => "Training-only access",
        _ => access.ToString(),
    };

    /// <summary>The trainer's display name from the catalogue (the id when unknown).</summary>
    public static string Trainer(string id) => TrainerCatalog.Find(id)?.Name ?? id;

    /// <summary>"v2 · QmAbCdEf…" — the version and the start of its content id.</summary>
    public static string Version(int number, string cid) => $"v{number} · {ShortCid(cid)}";

    public static string ShortCid(string cid) => cid.Length <= 10 ? cid : cid[..10] + "…";

    /// <summary>A metric value with four significant decimals (invariant culture).</summary>
    public static string Metric(double value) =>
        double.IsNaN(value) ? "—" : double.IsInfinity(value) ? (value > 0 ? "∞" : "−∞") : value.ToString("0.####", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("#,0.####", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>The display name of a headline metric (AUC, MacroAccuracy, RSquared, DaviesBouldinIndex...).</summary>
    public static string MetricName(string name) => name switch
    {
        "Auc" or "AUC" => "AUC",
        "MacroAccuracy" => "Macro accuracy",
        "MicroAccuracy" => "Micro accuracy",
        "RSquared" => "R²",
        "Rmse" or "RMSE" => "RMSE",
        "Mae" or "MAE" => "MAE",
        "DaviesBouldinIndex" => "Davies-Bouldin index",
        "AverageDistance" => "Average distance",
        _ => name,
    };

    /// <summary>"1 h 02 min", "3 min 05 s", "12 s".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
            : span.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min {span.Seconds:00} s")
                : span > TimeSpan.Zero && span < TimeSpan.FromSeconds(0.95)
                    ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s") // a quick run is "0.4 s", not "0 s"
                    : string.Create(CultureInfo.InvariantCulture, $"{span.Seconds} s");
    }

    public static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"trees 100, leaves 31, learningRate 0.1".</summary>
    public static string Parameters(IReadOnlyDictionary<string, double> parameters) =>
        parameters.Count == 0 ? "defaults" : string.Join(", ", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {Number(p.Value)}"));

    public static string Validation(ValidationPlan plan) =>
        plan.IsCrossValidation
            ? $"{plan.Folds}-fold cross-validation"
            : string.Create(CultureInfo.InvariantCulture, $"hold-out {plan.TestFraction * 100:0.#}%");
}
