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
    public const int ModelNameMaxLength = 120;
    public const int StageMaxLength = 200;
    public const int NoteMaxLength = 500;
    public const int MinFolds = 2;
    public const int MaxFolds = 10;

    /// <summary>How many times a run may be started; a run interrupted by a restart this often fails instead of queueing again.</summary>
    public const int MaxAttempts = 2;

    public const string InterruptedTwiceReason = "The run was interrupted by a restart twice (the server stopped while it was training); start it again.";

    private TrainingRun()
    {
        Trainer = null!;
        FeatureColumns = null!;
        ParametersJson = null!;
        RetypedColumns = null!;
        ModelName = null!;
    }

    /// <summary>A run with everything the training page asks for: features (optionally retyped), validation plan, seed and the name its model gets.</summary>
    public TrainingRun(
        Guid userId,
        Guid datasetVersionId,
        TrainingTask task,
        string trainer,
        string? labelColumn,
        IEnumerable<FeatureColumn> features,
        string? parametersJson,
        ValidationPlan validation,
        int seed,
        string modelName,
        DateTimeOffset now)
        : this(userId, datasetVersionId, task, trainer, labelColumn, (features ?? []).Select(f => f?.Name!), parametersJson, now)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var retyped = new List<string>();
        foreach (var feature in features!.Where(f => f.TreatAs is not null).DistinctBy(f => f.Name, StringComparer.Ordinal))
        {
            if (feature.TreatAs is not (Datasets.ColumnType.Text or Datasets.ColumnType.Number))
            {
                throw new DomainException($"The column '{feature.Name}' can be treated as text (a category) or as a number, not as {feature.TreatAs}.");
            }

            retyped.Add($"{feature.TreatAs}:{feature.Name}");
        }

        if (validation.Folds != 0)
        {
            if (validation.Folds is < MinFolds or > MaxFolds)
            {
                throw new DomainException($"Cross-validation needs between {MinFolds} and {MaxFolds} folds (got {validation.Folds}).");
            }
        }
        else if (double.IsNaN(validation.TestFraction) || validation.TestFraction <= 0 || validation.TestFraction >= 1)
        {
            throw new DomainException($"The test fraction must be between 0 and 1, exclusive (got {validation.TestFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        }

        RetypedColumns = retyped;
        TestFraction = validation.IsCrossValidation ? 0.2 : validation.TestFraction;
        Folds = validation.IsCrossValidation ? validation.Folds : 0;
        Seed = seed;
        ModelName = Guard.Text(modelName, "Model name", ModelNameMaxLength);
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
        RetypedColumns = [];
        TestFraction = 0.2;
        Seed = 1;
        ModelName = Guard.Text($"{Trainer} model", "Model name", ModelNameMaxLength);
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

    /// <summary>Feature columns the user retyped, as "Text:name" or "Number:name" (the others keep their profiled type).</summary>
    public IReadOnlyList<string> RetypedColumns { get; private set; }

    /// <summary>The feature columns with their retyping, as the engine takes them.</summary>
    public IReadOnlyList<FeatureColumn> Features =>
        [.. FeatureColumns.Select(name => new FeatureColumn(name, RetypedColumns
            .Where(r => r.AsSpan(r.IndexOf(':') + 1).SequenceEqual(name))
            .Select(r => (Datasets.ColumnType?)Enum.Parse<Datasets.ColumnType>(r[..r.IndexOf(':')]))
            .FirstOrDefault()))];

    /// <summary>Share of rows kept for testing (hold-out; ignored with folds).</summary>
    public double TestFraction { get; private set; }

    /// <summary>k of k-fold cross-validation, 0 for a hold-out split.</summary>
    public int Folds { get; private set; }

    public ValidationPlan Validation => Folds > 1 ? ValidationPlan.KFold(Folds) : ValidationPlan.HoldOut(TestFraction);

    /// <summary>Seed of the shuffle and the trainers (the same request gives the same metrics).</summary>
    public int Seed { get; private set; }

    /// <summary>The name the run's model gets (versions count per user and name).</summary>
    public string ModelName { get; private set; }

    /// <summary>What the engine was last doing (e.g. "Training"), saved every few seconds while running.</summary>
    public string? Stage { get; private set; }

    /// <summary>The latest progress report as JSON (rows, trainer, iteration, elapsed, estimate), saved with <see cref="Stage"/>.</summary>
    public string? ProgressJson { get; private set; }

    /// <summary>How many times the run was started (a restart re-queues a running run once).</summary>
    public int Attempts { get; private set; }

    /// <summary>Something the user should know about the run's history (e.g. "interrupted by a restart; queued again").</summary>
    public string? Note { get; private set; }

    public DateTimeOffset QueuedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public bool IsFinished => Status is TrainingRunStatus.Succeeded or TrainingRunStatus.Failed or TrainingRunStatus.Cancelled;

    public void Start(DateTimeOffset now)
    {
        Require(TrainingRunStatus.Queued, "started");
        Status = TrainingRunStatus.Running;
        StartedAt = now;
        Attempts++;
        Stage = "Starting";
    }

    /// <summary>A progress summary: percentage (never goes back), the stage and the details as JSON.</summary>
    public void ReportProgress(int percent, string stage, string? progressJson)
    {
        ReportProgress(percent);
        Stage = Guard.Text(stage is { Length: > StageMaxLength } ? stage[..StageMaxLength] : stage, "A stage", StageMaxLength);
        ProgressJson = string.IsNullOrWhiteSpace(progressJson) ? null : progressJson;
    }

    /// <summary>
    /// The process that ran this run stopped while it was running. The first time it goes back to the queue (keeping its
    /// place: <see cref="QueuedAt"/> is unchanged) with a note; after <see cref="MaxAttempts"/> starts it fails.
    /// Returns true when it was queued again.
    /// </summary>
    public bool InterruptedByRestart(DateTimeOffset now)
    {
        Require(TrainingRunStatus.Running, "re-queued");
        if (Attempts >= MaxAttempts)
        {
            Fail(InterruptedTwiceReason, now);
            return false;
        }

        Status = TrainingRunStatus.Queued;
        StartedAt = null;
        ProgressPercent = 0;
        Stage = null;
        ProgressJson = null;
        Note = $"Interrupted by a restart of the server; queued again (attempt {Attempts + 1} of {MaxAttempts}).";
        return true;
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
