using System.Globalization;
using System.Text.Json;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training;

namespace NeuroData.Web.Operations.Training;

/// <summary>
/// <c>train &lt;file.csv&gt; --label &lt;column&gt; --task binary|multiclass|regression|clustering|anomaly --trainer
/// lightgbm|fasttree|fastforest|sdca|lbfgs|kmeans|pca|auto [--trees N] [--leaves N] [--learning-rate X] [--min-leaf N]
/// [--param name=value]... [--features a,b,c] [--test-fraction F | --folds K] [--seed S] [--out model.zip]</c>:
/// the web page's training pipeline (<see cref="MlNetTrainer"/>) on a local CSV, without database, chain or keys.
/// Progress goes to stderr, a short summary to stdout and, on the LAST line of stdout, the metrics as one JSON object.
/// Exit 0 when trained, 2 for bad arguments or data the run cannot use (with the reason), 1 for anything unexpected.
/// </summary>
public sealed class TrainVerb : ICommandLineVerb
{
    public const int Trained = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    public const string Usage =
        "Usage: train <file.csv> --label <column> --task binary|multiclass|regression|clustering|anomaly " +
        "--trainer lightgbm|fasttree|fastforest|sdca|lbfgs|kmeans|pca|auto [--trees N] [--leaves N] [--learning-rate X] [--min-leaf N] " +
        "[--param name=value] [--features a,b,c] [--test-fraction F | --folds K] [--seed S] [--out model.zip]";

    public string Name => "train";

    public Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        RunAsync(args, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        TrainingRequest request;
        try
        {
            request = Parse(args);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync("train: " + ex.Message);
            await error.WriteLineAsync(Usage);
            return BadInput;
        }

        var lastStage = string.Empty;
        var progress = new SynchronousProgress(p =>
        {
            if (p.Stage != lastStage)
            {
                lastStage = p.Stage;
                error.WriteLine($"[{p.Elapsed:mm\\:ss}] {p.Percent,3}% {p.Stage}{(p.Trainer is null ? string.Empty : $" ({p.Trainer})")}");
            }
        });
        try
        {
            var outcome = await new MlNetTrainer().TrainAsync(request, progress, cancellationToken);
            var m = outcome.Metrics;
            await output.WriteLineAsync($"Trained {m.Trainer} ({PreparedTask(m.Task)}) on {m.TrainingRows:N0} rows, tested on {m.TestRows:N0} ({m.Validation}) in {m.Seconds:F1} s: {m.PrimaryMetric} = {m.PrimaryValue.ToString("F4", CultureInfo.InvariantCulture)}.");
            foreach (var note in m.Notes)
            {
                await output.WriteLineAsync("Note: " + note);
            }

            if (outcome.ModelPath is { } path)
            {
                await output.WriteLineAsync($"Model saved to {path} ({outcome.ModelSizeBytes:N0} bytes).");
            }

            await output.WriteLineAsync(JsonSerializer.Serialize(Summary(outcome), MlNetTrainer.Json));
            return Trained;
        }
        catch (TrainingException ex)
        {
            await error.WriteLineAsync("train: " + ex.Message);
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("train: cancelled.");
            return Failed;
        }
    }

    /// <summary>The last line: the headline and the task's scalar metrics (the charts are left to the web page).</summary>
    internal static Dictionary<string, object?> Summary(TrainingOutcome outcome)
    {
        var m = outcome.Metrics;
        var result = new Dictionary<string, object?>
        {
            ["task"] = m.Task.ToString(),
            ["trainer"] = m.Trainer,
            ["parameters"] = m.Parameters,
            ["validation"] = m.Validation,
            ["seed"] = m.Seed,
            ["trainingRows"] = m.TrainingRows,
            ["testRows"] = m.TestRows,
            ["seconds"] = Math.Round(m.Seconds, 3),
            ["primaryMetric"] = m.PrimaryMetric,
            ["primaryValue"] = m.PrimaryValue,
        };
        if (m.Binary is { } b)
        {
            result["auc"] = b.Auc;
            result["accuracy"] = b.Accuracy;
            result["f1"] = b.F1;
            result["precision"] = b.Precision;
            result["recall"] = b.Recall;
            result["logLoss"] = b.LogLoss;
            result["positiveClass"] = b.PositiveClass;
            result["confusionMatrix"] = b.ConfusionMatrix;
        }

        if (m.Multiclass is { } mc)
        {
            result["microAccuracy"] = mc.MicroAccuracy;
            result["macroAccuracy"] = mc.MacroAccuracy;
            result["logLoss"] = mc.LogLoss;
            result["macroF1"] = mc.MacroF1;
            result["confusionMatrix"] = mc.ConfusionMatrix;
        }

        if (m.Regression is { } r)
        {
            result["rmse"] = r.Rmse;
            result["mae"] = r.Mae;
            result["rSquared"] = r.RSquared;
        }

        if (m.Clustering is { } c)
        {
            result["clusters"] = c.Clusters;
            result["averageDistance"] = c.AverageDistance;
            result["daviesBouldinIndex"] = c.DaviesBouldinIndex;
            result["clusterSizes"] = c.ClusterSizes;
        }

        if (m.Anomaly is { } a)
        {
            result["flaggedRows"] = a.FlaggedRows;
            result["auc"] = a.Auc;
            result["detectionRateAtFalsePositives"] = a.DetectionRateAtFalsePositives;
        }

        if (m.Folds.Count > 0)
        {
            result["folds"] = m.Folds.Select(f => f.PrimaryValue).ToArray();
        }

        result["featureImportance"] = m.FeatureImportance.Take(10).ToDictionary(f => f.Column, f => f.Drop);
        result["model"] = outcome.ModelPath;
        result["processCpuSeconds"] = Math.Round(Environment.CpuUsage.TotalTime.TotalSeconds, 3);
        return result;
    }

    private static string PreparedTask(TrainingTask task) => task.ToString();

    /// <summary>Parses the command line; <see cref="ArgumentException"/> with a plain message for anything wrong.</summary>
    internal static TrainingRequest Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException("give the CSV file to train on first.");
        }

        var file = args[0];
        if (!File.Exists(file))
        {
            throw new ArgumentException($"the file '{file}' does not exist.");
        }

        string? label = null, trainer = null, output = null;
        TrainingTask? task = null;
        double testFraction = 0.2;
        int folds = 0, seed = 1;
        List<string>? features = null;
        var parameters = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < args.Count; i++)
        {
            var option = args[i];
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"option '{option}' needs a value.");
            }

            var value = args[++i];
            switch (option)
            {
                case "--label":
                    label = value;
                    break;
                case "--task":
                    task = value.ToLowerInvariant() switch
                    {
                        "binary" => TrainingTask.BinaryClassification,
                        "multiclass" => TrainingTask.MulticlassClassification,
                        "regression" => TrainingTask.Regression,
                        "clustering" => TrainingTask.Clustering,
                        "anomaly" => TrainingTask.AnomalyDetection,
                        _ => throw new ArgumentException($"unknown task '{value}' (binary, multiclass, regression, clustering or anomaly)."),
                    };
                    break;
                case "--trainer":
                    trainer = TrainerCatalog.Find(value)?.Id ?? throw new ArgumentException($"unknown trainer '{value}' ({string.Join(", ", TrainerCatalog.All.Select(t => t.Id))}).");
                    break;
                case "--trees":
                    parameters["trees"] = Number(option, value, whole: true);
                    break;
                case "--leaves":
                    parameters["leaves"] = Number(option, value, whole: true);
                    break;
                case "--learning-rate":
                    parameters["learningRate"] = Number(option, value, whole: false);
                    break;
                case "--min-leaf":
                    parameters["minLeaf"] = Number(option, value, whole: true);
                    break;
                case "--param":
                    var eq = value.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException($"--param takes name=value (got '{value}').");
                    }

                    parameters[value[..eq]] = Number(option, value[(eq + 1)..], whole: false);
                    break;
                case "--features":
                    features = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                case "--test-fraction":
                    testFraction = Number(option, value, whole: false);
                    if (testFraction is <= 0 or > 0.9)
                    {
                        throw new ArgumentException($"--test-fraction must be above 0 and at most 0.9 (got {value}).");
                    }

                    break;
                case "--folds":
                    folds = (int)Number(option, value, whole: true);
                    if (folds is < 2 or > 20)
                    {
                        throw new ArgumentException($"--folds must be between 2 and 20 (got {value}).");
                    }

                    break;
                case "--seed":
                    seed = (int)Number(option, value, whole: true);
                    break;
                case "--out":
                    output = value;
                    break;
                default:
                    throw new ArgumentException($"unknown option '{option}'.");
            }
        }

        if (task is null)
        {
            throw new ArgumentException("--task is required.");
        }

        if (label is null && task is not (TrainingTask.Clustering or TrainingTask.AnomalyDetection))
        {
            throw new ArgumentException("--label is required for this task.");
        }

        trainer ??= task switch
        {
            TrainingTask.Clustering => TrainerCatalog.KMeans,
            TrainingTask.AnomalyDetection => TrainerCatalog.Pca,
            _ => TrainerCatalog.LightGbm,
        };
        var chosen = features?.Select(f => new FeatureColumn(f)).ToList() ?? HeaderColumns(file).Where(c => c != label).Select(c => new FeatureColumn(c)).ToList();
        return new TrainingRequest(
            file, TrainingDataFormat.Csv, task.Value, trainer, label, chosen, parameters,
            folds > 1 ? ValidationPlan.KFold(folds) : ValidationPlan.HoldOut(testFraction), seed, TrainingLimits.Default, output);
    }

    private static List<string> HeaderColumns(string file)
    {
        using var stream = File.OpenRead(file);
        try
        {
            return [.. MlNetTrainer.CsvColumns(stream)];
        }
        catch (TrainingException ex)
        {
            throw new ArgumentException(ex.Message, ex);
        }
    }

    private static double Number(string option, string value, bool whole)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number) || (whole && number != Math.Floor(number)))
        {
            throw new ArgumentException($"{option} needs {(whole ? "a whole number" : "a number")} (got '{value}').");
        }

        return number;
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
