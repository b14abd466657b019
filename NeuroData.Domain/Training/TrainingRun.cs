using NeuroData.Domain.Common;

namespace NeuroData.Domain.Training;

public enum TrainingTask
{
    BinaryClassification,
    MulticlassClassification,
    Regression,
    Clustering,

    /// <summary>Unsupervised: flags rows unlike the rest (an optional true/false label measures how well).</summary>
    AnomalyDetection,
}

public enum TrainingRunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// One training job of a user on a dataset version they may train on.
/// Queued -> Running -> Succeeded | Failed; Queued or Running -> Cancelled. Finished runs never change.
/// </summary>
public sealed class TrainingRun : Entity
{
    public const int TrainerMaxLength = 64;
    public const int ColumnMaxLength = 128;
    public const int MaxFeatureColumns = 500;
    public const int FailureMaxLength = 2000;

    private TrainingRun()
    {
        Trainer = null!;
        FeatureColumns = null!;
        ParametersJson = null!;
    }

    public TrainingRun(
        Guid userId,
        Guid datasetVersionId,
        TrainingTask task,
        string trainer,
        string? labelColumn,
        IEnumerable<string> featureColumns,
        string? parametersJson,
        DateTimeOffset now)
    {
        UserId = Guard.Id(userId, "The user");
        DatasetVersionId = Guard.Id(datasetVersionId, "The dataset version");
        Task = task;
        Trainer = Guard.Text(trainer, "Trainer", TrainerMaxLength);
        LabelColumn = Guard.OptionalText(labelColumn, "Label column", ColumnMaxLength);
        if (task is not (TrainingTask.Clustering or TrainingTask.AnomalyDetection) && LabelColumn is null)
        {
            throw new DomainException($"{task} needs a label column.");
        }

        var features = (featureColumns ?? []).Select(c => Guard.Text(c, "Feature column", ColumnMaxLength)).Distinct(StringComparer.Ordinal).ToArray();
        if (features.Length == 0)
        {
            throw new DomainException("Choose at least one feature column.");
        }

        if (features.Length > MaxFeatureColumns)
        {
            throw new DomainException($"At most {MaxFeatureColumns} feature columns can be used.");
        }

        if (LabelColumn is not null && features.Contains(LabelColumn, StringComparer.Ordinal))
        {
            throw new DomainException($"The label column '{LabelColumn}' cannot also be a feature.");
        }

        FeatureColumns = features;
        ParametersJson = string.IsNullOrWhiteSpace(parametersJson) ? "{}" : parametersJson.Trim();
        Status = TrainingRunStatus.Queued;
        QueuedAt = now;
    }

    public Guid UserId { get; private set; }

    public Guid DatasetVersionId { get; private set; }

    public TrainingTask Task { get; private set; }

    /// <summary>The ML.NET trainer name, e.g. LightGbm, FastTree, Sdca, LbfgsLogisticRegression, KMeans.</summary>
    public string Trainer { get; private set; }

    public string? LabelColumn { get; private set; }

    public IReadOnlyList<string> FeatureColumns { get; private set; }

    /// <summary>Trainer hyper-parameters as a JSON object.</summary>
    public string ParametersJson { get; private set; }

    public TrainingRunStatus Status { get; private set; }

    /// <summary>0–100.</summary>
    public int ProgressPercent { get; private set; }

    public string? FailureReason { get; private set; }

    /// <summary>Evaluation metrics as JSON once succeeded.</summary>
    public string? MetricsJson { get; private set; }

    public DateTimeOffset QueuedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public bool IsFinished => Status is TrainingRunStatus.Succeeded or TrainingRunStatus.Failed or TrainingRunStatus.Cancelled;

    public void Start(DateTimeOffset now)
    {
        Require(TrainingRunStatus.Queued, "started");
        Status = TrainingRunStatus.Running;
        StartedAt = now;
    }

    public void ReportProgress(int percent)
    {
        Require(TrainingRunStatus.Running, "updated");
        if (percent is < 0 or > 100)
        {
            throw new DomainException($"Progress is a percentage between 0 and 100 (got {percent}).");
        }

        ProgressPercent = Math.Max(ProgressPercent, percent);
    }

    public void Succeed(string metricsJson, DateTimeOffset now)
    {
        Require(TrainingRunStatus.Running, "marked succeeded");
        MetricsJson = string.IsNullOrWhiteSpace(metricsJson) ? throw new DomainException("A finished run needs its metrics.") : metricsJson;
        ProgressPercent = 100;
        Finish(TrainingRunStatus.Succeeded, now);
    }

    public void Fail(string reason, DateTimeOffset now)
    {
        RequireNotFinished("marked failed");
        FailureReason = Guard.Text(reason is { Length: > FailureMaxLength } ? reason[..FailureMaxLength] : reason, "A failure reason", FailureMaxLength);
        Finish(TrainingRunStatus.Failed, now);
    }

    public void Cancel(DateTimeOffset now)
    {
        RequireNotFinished("cancelled");
        Finish(TrainingRunStatus.Cancelled, now);
    }

    private void Finish(TrainingRunStatus status, DateTimeOffset now)
    {
        Status = status;
        FinishedAt = now;
    }

    private void Require(TrainingRunStatus expected, string verb)
    {
        RequireNotFinished(verb);
        if (Status != expected)
        {
            throw new DomainException($"A {Status.ToString().ToLowerInvariant()} training run cannot be {verb}.");
        }
    }

    private void RequireNotFinished(string verb)
    {
        if (IsFinished)
        {
            throw new DomainException($"This training run already {Status.ToString().ToLowerInvariant()} and cannot be {verb}; a finished run never changes.");
        }
    }
}
