namespace NeuroData.Domain.Datasets;

/// <summary>How a buyer may use a dataset. A listing offers one or both.</summary>
[Flags]
public enum DatasetAccessTypes
{
    None = 0,

    /// <summary>The buyer downloads the files.</summary>
    Download = 1,

    /// <summary>Compute-to-data: the buyer trains models on the platform; raw rows never leave it.</summary>
    TrainingOnly = 2,
}

public enum DatasetStatus
{
    Draft,
    PendingReview,
    Live,
    Rejected,
    Delisted,
}

public enum DatasetFormat
{
    Csv,
    Tsv,
    JsonLines,
    Parquet,
    Zip,
}

public enum DatasetVersionStatus
{
    /// <summary>Uploaded; being hashed, encrypted and profiled.</summary>
    Processing,
    Ready,
    Failed,

    /// <summary>Hidden from new buyers; existing buyers keep access.</summary>
    Withdrawn,
}

public enum DatasetAccessKind
{
    Preview,
    Download,
    Train,
}
