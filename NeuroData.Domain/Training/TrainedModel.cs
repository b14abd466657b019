using NeuroData.Domain.Common;

namespace NeuroData.Domain.Training;

/// <summary>
/// The model file a successful run produced, versioned per user and model name, with its lineage (run, dataset
/// version, optional parent model it was retrained from).
/// </summary>
public sealed class TrainedModel : Entity
{
    public const int NameMaxLength = 120;
    public const int PathMaxLength = 1024;

    private TrainedModel()
    {
        Name = null!;
        FilePath = null!;
    }

    public TrainedModel(TrainingRun run, string name, int versionNumber, string filePath, long sizeBytes, Cid? cid, Guid? parentModelId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status != TrainingRunStatus.Succeeded)
        {
            throw new DomainException($"Only a succeeded run produces a model; this run is {run.Status.ToString().ToLowerInvariant()}.");
        }

        if (versionNumber < 1)
        {
            throw new DomainException("Model versions start at 1.");
        }

        if (sizeBytes <= 0)
        {
            throw new DomainException("A model file cannot be empty.");
        }

        TrainingRunId = run.Id;
        UserId = run.UserId;
        DatasetVersionId = run.DatasetVersionId;
        Task = run.Task;
        Name = Guard.Text(name, "Model name", NameMaxLength);
        VersionNumber = versionNumber;
        FilePath = Guard.Text(filePath, "Model file path", PathMaxLength);
        SizeBytes = sizeBytes;
        Cid = cid;
        ParentModelId = parentModelId == Guid.Empty ? null : parentModelId;
        CreatedAt = now;
    }

    public Guid TrainingRunId { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>Lineage: the data it learned from.</summary>
    public Guid DatasetVersionId { get; private set; }

    /// <summary>Lineage: the model this one was retrained from, if any.</summary>
    public Guid? ParentModelId { get; private set; }

    public TrainingTask Task { get; private set; }

    public string Name { get; private set; }

    public int VersionNumber { get; private set; }

    /// <summary>Where the model file is stored (relative to the model store).</summary>
    public string FilePath { get; private set; }

    public Cid? Cid { get; private set; }

    public long SizeBytes { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
