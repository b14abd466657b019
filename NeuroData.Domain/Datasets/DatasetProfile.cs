namespace NeuroData.Domain.Datasets;

/// <summary>The type inferred for a column at ingest (from every value, not a sample).</summary>
public enum ColumnType
{
    /// <summary>Whole numbers that fit in 64 bits.</summary>
    WholeNumber,

    /// <summary>Finite decimal numbers (invariant culture, '.' as separator).</summary>
    Number,

    Boolean,

    /// <summary>ISO 8601 dates or date-times.</summary>
    DateTime,

    /// <summary>Anything else; categorical when few distinct values repeat.</summary>
    Text,
}

/// <summary>One column of the schema, as the seller's file declares it and as ingest inferred it.</summary>
public sealed record ColumnSchema(string Name, ColumnType Type);

/// <summary>Statistics of a numeric column over its non-missing values.</summary>
public sealed record NumericStatistics(double Min, double Max, double Mean, double StandardDeviation, double? Median);

/// <summary>A value and how many rows hold it.</summary>
public sealed record ValueCount(string Value, long Count);

/// <summary>A histogram bin: values in [Lower, Upper) (the last bin includes Upper).</summary>
public sealed record HistogramBin(double Lower, double Upper, long Count);

/// <summary>What ingest learned about one column.</summary>
public sealed record ColumnProfile(
    string Name,
    ColumnType Type,
    long Missing,
    long Distinct,
    bool DistinctIsEstimate,
    NumericStatistics? Numeric,
    IReadOnlyList<ValueCount> TopValues,
    IReadOnlyList<HistogramBin> Histogram);

/// <summary>
/// The profile of a dataset version: computed once at ingest from every row, stored as JSON with the version and
/// shown on the dataset page. Preview rows hold raw values; they are neutralised when shown or exported.
/// </summary>
public sealed record DatasetProfile(
    DatasetFormat Format,
    long RowCount,
    IReadOnlyList<ColumnProfile> Columns,
    IReadOnlyList<IReadOnlyList<string?>> PreviewRows,
    IReadOnlyList<string> ArchiveEntries)
{
    public IReadOnlyList<ColumnSchema> Schema => [.. Columns.Select(c => new ColumnSchema(c.Name, c.Type))];
}

/// <summary>An uploaded file that cannot become a dataset, with the reason in words a seller understands.</summary>
public sealed class InvalidDatasetException : Common.DomainException
{
    public InvalidDatasetException(string message)
        : base(message)
    {
    }

    public InvalidDatasetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
