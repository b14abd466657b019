namespace NeuroData.Infrastructure.Datasets.Publishing;

/// <summary>Where an upload session stands.</summary>
public enum UploadStatus
{
    /// <summary>Chunks are arriving (or the seller paused).</summary>
    Uploading,

    /// <summary>All bytes are in; waiting for the ingest worker.</summary>
    Queued,

    /// <summary>The worker is inspecting, hashing and storing the file.</summary>
    Processing,

    /// <summary>The file became a dataset version (<see cref="UploadSession.VersionId"/>).</summary>
    Ready,

    /// <summary>The file could not become a version (<see cref="UploadSession.Error"/> says why); nothing was kept.</summary>
    Failed,
}

/// <summary>
/// One resumable upload of a file for a dataset: how many bytes the server holds (in the temp file named by
/// <see cref="Id"/>), and, once complete, the state of its ingest. The row is the source of truth for the UI and for
/// recovery after a restart.
/// </summary>
public sealed class UploadSession
{
    public const int FileNameMaxLength = 255;
    public const int ErrorMaxLength = 1000;

    private UploadSession()
    {
        FileName = null!;
    }

    public UploadSession(Guid ownerId, Guid datasetId, string fileName, long sizeBytes, int previewRowsShown, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        OwnerId = ownerId;
        DatasetId = datasetId;
        FileName = fileName;
        SizeBytes = sizeBytes;
        PreviewRowsShown = previewRowsShown;
        Status = UploadStatus.Uploading;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OwnerId { get; private set; }

    public Guid DatasetId { get; private set; }

    /// <summary>The seller's file name (checked at create; used in messages only, never on disk).</summary>
    public string FileName { get; private set; }

    public long SizeBytes { get; private set; }

    /// <summary>Bytes the server holds, from the start of the file.</summary>
    public long Received { get; private set; }

    public UploadStatus Status { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Plaintext bytes ingest has read so far (progress of <see cref="UploadStatus.Processing"/>).</summary>
    public long IngestedBytes { get; private set; }

    /// <summary>How many preview rows visitors see once the version is ready.</summary>
    public int PreviewRowsShown { get; private set; }

    public Guid? VersionId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Last time a chunk arrived or the state changed (abandoned-upload cleanup looks at this).</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    public void Appended(long received, DateTimeOffset now)
    {
        Received = received;
        UpdatedAt = now;
    }

    public void Queue(DateTimeOffset now)
    {
        Status = UploadStatus.Queued;
        UpdatedAt = now;
    }

    public void StartProcessing(DateTimeOffset now)
    {
        Status = UploadStatus.Processing;
        IngestedBytes = 0;
        UpdatedAt = now;
    }

    public void Progress(long ingestedBytes, DateTimeOffset now)
    {
        IngestedBytes = ingestedBytes;
        UpdatedAt = now;
    }

    public void Succeed(Guid versionId, DateTimeOffset now)
    {
        Status = UploadStatus.Ready;
        VersionId = versionId;
        IngestedBytes = SizeBytes;
        Error = null;
        UpdatedAt = now;
    }

    public void Fail(string reason, DateTimeOffset now)
    {
        Status = UploadStatus.Failed;
        Error = reason.Length > ErrorMaxLength ? reason[..(ErrorMaxLength - 1)] + "…" : reason;
        UpdatedAt = now;
    }
}
