using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training.Runs;

namespace NeuroData.Infrastructure.Training.Models;

/// <summary>One row of the user's model list.</summary>
public sealed record ModelListItem(
    Guid Id,
    string Name,
    int VersionNumber,
    TrainingTask Task,
    Guid DatasetId,
    string DatasetTitle,
    int DatasetVersionNumber,
    string DataCid,
    string? PrimaryMetric,
    double? PrimaryValue,
    DateTimeOffset CreatedAt);

/// <summary>
/// One input column of a model as the lineage shows it: the type it had in the data (<see cref="DataType"/>, null when
/// the model file does not say), how the model reads it (<see cref="Kind"/>: number or category) and whether the
/// trainer's user retyped it.
/// </summary>
public sealed record ModelColumn(string Name, string Kind, ColumnType? DataType, bool Retyped);

/// <summary>Whether the user may download the model file, and why not.</summary>
public sealed record ModelDownloadDecision(bool Allowed, string Reason);

/// <summary>A model with its lineage: the data (dataset, version CID, licence, how the user has access), the columns,
/// the trainer, parameters and metrics, and what the user may do with it.</summary>
public sealed record ModelDetails(
    Guid Id,
    Guid UserId,
    string Name,
    int VersionNumber,
    TrainingTask Task,
    DateTimeOffset CreatedAt,
    long SizeBytes,
    string? ModelCid,
    Guid? ParentModelId,
    Guid TrainingRunId,
    Guid DatasetId,
    string DatasetTitle,
    string DatasetSlug,
    Guid DatasetVersionId,
    int DatasetVersionNumber,
    string DataCid,
    string DataLicense,
    TrainingAccess? Access,
    string Trainer,
    string? LabelColumn,
    IReadOnlyList<ModelColumn> Columns,
    IReadOnlyDictionary<string, double> Parameters,
    TrainingMetrics? Metrics,
    ModelDescription Description,
    ModelDownloadDecision Download);

/// <summary>What a model operation decided: found and allowed, not found (404, also for other users' models), or
/// refused (403) with the reason in words.</summary>
public enum ModelAccessDecision
{
    Allowed,
    NotFound,
    Forbidden,
}

/// <summary>The answer of <see cref="ModelService.AuthorizeDownloadAsync"/>: the file to send when allowed.</summary>
public sealed record ModelFileGrant(ModelAccessDecision Decision, string Message, string? FullPath, string? FileName);

/// <summary>Settings of model use (<c>NeuroData:Training:Models</c>).</summary>
public sealed class ModelOptions
{
    public const string SectionName = "NeuroData:Training:Models";

    /// <summary>Largest CSV accepted for batch prediction (bytes).</summary>
    public long MaxBatchBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Batch predictions one user may run at the same time (more answer 429).</summary>
    public int MaxConcurrentBatchesPerUser { get; set; } = 2;

    /// <summary>Slowest accepted upload of a batch file (bytes per second after a 10 s grace; 0 = no minimum).</summary>
    public int MinBodyBytesPerSecond { get; set; } = 1024;

    /// <summary>Where batch results are written while they are produced (deleted when sent or failed); empty = system temp.</summary>
    public string? TempPath { get; set; }

    public string ResolvedTempPath => string.IsNullOrWhiteSpace(TempPath) ? Path.Combine(Path.GetTempPath(), "neurodata-predictions") : TempPath;
}

/// <summary>A request that is refused (403) with the reason in words.</summary>
public sealed class ModelAccessException(string message) : Exception(message);

/// <summary>A model that does not exist or belongs to someone else (404; other users' ids are never confirmed).</summary>
public sealed class ModelNotFoundException() : Exception("No such model.");
