using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;

namespace NeuroData.Infrastructure.Training.Runs;

/// <summary>Why the user may train on a version: their own dataset, a purchase with downloads, or training-only access.</summary>
public enum TrainingAccess
{
    Owner,
    Download,
    TrainingOnly,
}

/// <summary>A dataset version the user may train on, with what the form needs (columns and types from the ingest profile).</summary>
public sealed record TrainableVersion(
    Guid DatasetId,
    string DatasetTitle,
    Guid VersionId,
    int VersionNumber,
    string Cid,
    long RowCount,
    IReadOnlyList<ColumnSchema> Columns,
    string? DeclaredLabel,
    TrainingAccess Access,
    bool ModelDownloadAllowed);

/// <summary>What the user asks for on the training page (or a script through the same service).</summary>
public sealed record TrainingRunRequest(
    Guid DatasetVersionId,
    TrainingTask Task,
    string Trainer,
    string? LabelColumn,
    IReadOnlyList<FeatureColumn> Features,
    IReadOnlyDictionary<string, double> Parameters,
    ValidationPlan Validation,
    int Seed,
    string ModelName);

/// <summary>A run as the pages show it: its request, where it stands (queue position or live progress) and its results.</summary>
public sealed record TrainingRunSnapshot(
    Guid Id,
    Guid UserId,
    Guid DatasetId,
    string DatasetTitle,
    Guid DatasetVersionId,
    int VersionNumber,
    string DataCid,
    TrainingRunRequest Request,
    TrainingRunStatus Status,
    int? QueuePosition,
    TrainingProgress? Progress,
    string? FailureReason,
    TrainingMetrics? Metrics,
    Guid? ModelId,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>
/// The training run queue. Bad requests throw a <see cref="Domain.Common.DomainException"/> with the reason in plain
/// words and change nothing; runs of other users are not found (never forbidden, so ids are not probed).
/// </summary>
public interface ITrainingRuns
{
    /// <summary>Versions the user may train on (own datasets, purchases with download or training-only access).</summary>
    Task<IReadOnlyList<TrainableVersion>> TrainableAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Checks entitlement, columns, trainer and the per-user limits, then queues the run; returns its id.</summary>
    Task<Guid> QueueAsync(Guid userId, TrainingRunRequest request, CancellationToken cancellationToken = default);

    Task<TrainingRunSnapshot?> GetAsync(Guid userId, bool isAdmin, Guid runId, CancellationToken cancellationToken = default);

    /// <summary>The user's runs, newest first.</summary>
    Task<IReadOnlyList<TrainingRunSnapshot>> ListAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued or running run of the user (a finished run cannot be cancelled: DomainException).</summary>
    Task CancelAsync(Guid userId, Guid runId, CancellationToken cancellationToken = default);
}

/// <summary>
/// In-process push of run changes (status, progress, queue moves) to the pages of the same server. Handlers must be
/// quick and must not throw; a page re-reads the run through <see cref="ITrainingRuns.GetAsync"/> when told.
/// </summary>
public interface ITrainingRunUpdates
{
    /// <summary>Called with the run id whenever a run of <paramref name="userId"/> changes.</summary>
    IDisposable Subscribe(Guid userId, Action<Guid> changed);
}
