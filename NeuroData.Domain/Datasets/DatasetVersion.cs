using NeuroData.Domain.Common;

namespace NeuroData.Domain.Datasets;

/// <summary>
/// One immutable upload of a dataset: its IPFS CID (of the encrypted content), size, format, content hash, the data
/// key wrapped by the platform key, and what profiling found (schema, profile, row count).
/// </summary>
public sealed class DatasetVersion : Entity
{
    public const int FailureMaxLength = 1000;

    private DatasetVersion()
    {
        Cid = null!;
        ContentSha256 = null!;
        WrappedKey = null!;
    }

    internal DatasetVersion(Dataset owner, int versionNumber, Cid cid, long sizeBytes, DatasetFormat format, string contentSha256Hex, byte[] wrappedKey, DateTimeOffset now)
    {
        if (sizeBytes <= 0)
        {
            throw new DomainException("An empty file cannot be a dataset version.");
        }

        if (contentSha256Hex is null || contentSha256Hex.Length != 64 || !contentSha256Hex.All(char.IsAsciiHexDigit))
        {
            throw new DomainException("The content hash must be a SHA-256 digest (64 hexadecimal digits).");
        }

        if (wrappedKey is null || wrappedKey.Length == 0)
        {
            throw new DomainException("A dataset version needs its wrapped encryption key.");
        }

        Owner = owner;
        DatasetId = owner.Id;
        VersionNumber = versionNumber;
        Cid = cid;
        SizeBytes = sizeBytes;
        Format = format;
        ContentSha256 = contentSha256Hex.ToLowerInvariant();
        WrappedKey = wrappedKey;
        CreatedAt = now;
        Status = DatasetVersionStatus.Processing;
    }

    public Guid DatasetId { get; private set; }

    /// <summary>
    /// The dataset this version belongs to (set on creation, and by EF when both are loaded), so a change of state keeps the
    /// dataset's stored latest format and size right.
    /// </summary>
    private Dataset? Owner { get; set; }

    /// <summary>1, 2, 3 … within the dataset.</summary>
    public int VersionNumber { get; private set; }

    public Cid Cid { get; private set; }

    public long SizeBytes { get; private set; }

    public DatasetFormat Format { get; private set; }

    /// <summary>SHA-256 of the plaintext file, lower-case hex (the on-chain content digest).</summary>
    public string ContentSha256 { get; private set; }

    /// <summary>The per-version AES data key, wrapped (encrypted) by the platform key.</summary>
    public byte[] WrappedKey { get; private set; }

    /// <summary>Column names and types as JSON.</summary>
    public string? SchemaJson { get; private set; }

    /// <summary>Column statistics as JSON.</summary>
    public string? ProfileJson { get; private set; }

    public long? RowCount { get; private set; }

    public DatasetVersionStatus Status { get; private set; }

    public string? FailureReason { get; private set; }

    /// <summary>Where the encrypted file lives in the content store (the CID of the ciphertext, not of the data).</summary>
    public Cid? StorageCid { get; private set; }

    /// <summary>The encrypted training form (typed columnar file written once at ingest), if the format has one.</summary>
    public Cid? TrainingDataCid { get; private set; }

    /// <summary>The training form's own data key, wrapped by the platform key.</summary>
    public byte[]? TrainingDataWrappedKey { get; private set; }

    /// <summary>Up to <see cref="MaxPreviewRows"/> first rows as JSON (raw values; neutralised when shown or exported).</summary>
    public string? PreviewJson { get; private set; }

    /// <summary>How many preview rows the seller shows to visitors (0 hides the preview).</summary>
    public int PreviewRowCount { get; private set; }

    public const int MaxPreviewRows = 100;

    public const int LabelColumnMaxLength = 128;

    /// <summary>The column the seller declares as the one to predict (the baseline's label), if any.</summary>
    public string? LabelColumn { get; private set; }

    /// <summary>Validation metrics of the quick baseline model the platform trained on <see cref="LabelColumn"/> (JSON,
    /// computed by the platform, not claimed by the seller); null until computed.</summary>
    public string? BaselineMetricsJson { get; private set; }

    /// <summary>Where the baseline stands (pending while the job has not computed it yet).</summary>
    public BaselineStatus BaselineStatus { get; private set; }

    /// <summary>Why the baseline could not be computed (plain words), when <see cref="BaselineStatus"/> is Failed.</summary>
    public string? BaselineFailureReason { get; private set; }

    /// <summary>When the baseline was computed (or its computation failed).</summary>
    public DateTimeOffset? BaselineComputedAt { get; private set; }

    /// <summary>
    /// Declares (or clears, with null) the label column. A new label drops the old baseline and makes it pending (none
    /// without a label); declaring the same label again retries a failed baseline and keeps a computed one.
    /// </summary>
    public void DeclareLabelColumn(string? column)
    {
        var label = Guard.OptionalText(column, "Label column", LabelColumnMaxLength);
        var changed = !string.Equals(label, LabelColumn, StringComparison.Ordinal);
        if (changed || BaselineStatus == BaselineStatus.Failed || (label is not null && BaselineStatus == BaselineStatus.NotApplicable))
        {
            BaselineMetricsJson = null;
            BaselineFailureReason = null;
            BaselineComputedAt = null;
            BaselineStatus = label is null ? BaselineStatus.NotApplicable : BaselineStatus.Pending;
        }

        LabelColumn = label;
    }

    /// <summary>Records the baseline's metrics for the declared label column.</summary>
    public void SetBaselineMetrics(string metricsJson, DateTimeOffset computedAt)
    {
        RequireBaselineState();
        BaselineMetricsJson = string.IsNullOrWhiteSpace(metricsJson) ? throw new DomainException("Baseline metrics cannot be empty.") : metricsJson;
        BaselineFailureReason = null;
        BaselineComputedAt = computedAt;
        BaselineStatus = BaselineStatus.Computed;
    }

    /// <summary>Records why the baseline for the declared label column could not be computed.</summary>
    public void MarkBaselineFailed(string reason, DateTimeOffset at)
    {
        RequireBaselineState();
        BaselineFailureReason = Guard.Text(reason, "A baseline failure reason", FailureMaxLength);
        BaselineMetricsJson = null;
        BaselineComputedAt = at;
        BaselineStatus = BaselineStatus.Failed;
    }

    private void RequireBaselineState()
    {
        if (LabelColumn is null)
        {
            throw new DomainException("A baseline needs a declared label column.");
        }

        if (Status is not (DatasetVersionStatus.Processing or DatasetVersionStatus.Ready))
        {
            throw new DomainException($"A baseline is computed for a version being processed or ready; version {VersionNumber} is {Status}.");
        }
    }

    public DateTimeOffset CreatedAt { get; private set; }

    public void MarkReady(string? schemaJson, string? profileJson, long? rowCount)
    {
        RequireProcessing("marked ready");
        if (rowCount is < 0)
        {
            throw new DomainException("A row count cannot be negative.");
        }

        SchemaJson = schemaJson;
        ProfileJson = profileJson;
        RowCount = rowCount;
        Status = DatasetVersionStatus.Ready;
        Owner?.RefreshLatestVersion();
    }

    /// <summary>Records where the encrypted content and its training form were stored (only while processing).</summary>
    public void AttachStorage(Cid storageCid, Cid? trainingDataCid, byte[]? trainingDataWrappedKey)
    {
        ArgumentNullException.ThrowIfNull(storageCid);
        RequireProcessing("given storage");
        if (trainingDataCid is not null && (trainingDataWrappedKey is null || trainingDataWrappedKey.Length == 0))
        {
            throw new DomainException("The training form needs its wrapped encryption key.");
        }

        StorageCid = storageCid;
        TrainingDataCid = trainingDataCid;
        TrainingDataWrappedKey = trainingDataCid is null ? null : trainingDataWrappedKey;
    }

    /// <summary>Keeps the first rows read at ingest (raw) and how many of them visitors see.</summary>
    public void SetPreview(string? previewJson, int rowsShown)
    {
        if (rowsShown < 0 || rowsShown > MaxPreviewRows)
        {
            throw new DomainException($"The preview shows 0 to {MaxPreviewRows} rows (got {rowsShown}).");
        }

        PreviewJson = previewJson;
        PreviewRowCount = previewJson is null ? 0 : rowsShown;
    }

    public void MarkFailed(string reason)
    {
        RequireProcessing("marked failed");
        FailureReason = Guard.Text(reason, "A failure reason", FailureMaxLength);
        Status = DatasetVersionStatus.Failed;
    }

    public void Withdraw()
    {
        if (Status != DatasetVersionStatus.Ready)
        {
            throw new DomainException($"Only a ready version can be withdrawn; version {VersionNumber} is {Status}.");
        }

        Status = DatasetVersionStatus.Withdrawn;
        Owner?.RefreshLatestVersion();
    }

    private void RequireProcessing(string verb)
    {
        if (Status != DatasetVersionStatus.Processing)
        {
            throw new DomainException($"Version {VersionNumber} is {Status} and cannot be {verb}.");
        }
    }
}
