namespace NeuroData.Infrastructure.Ingest;

/// <summary>Limits of the dataset inspector (configuration section <c>NeuroData:Ingest</c>), validated at start.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "NeuroData:Ingest";

    /// <summary>Longest single field (cell or JSON value), in UTF-8 bytes. Default 1 MiB.</summary>
    public int MaxFieldBytes { get; set; } = 1 << 20;

    /// <summary>Longest record (a CSV/TSV row including quoted line breaks, or a JSON line), in bytes. Default 8 MiB.</summary>
    public int MaxLineBytes { get; set; } = 8 << 20;

    /// <summary>Most columns a table may have. Default 2000.</summary>
    public int MaxColumns { get; set; } = 2000;

    /// <summary>Most entries (files and folders) a ZIP archive may hold. Default 1000.</summary>
    public int MaxArchiveEntries { get; set; } = 1000;

    /// <summary>Most bytes all entries of a ZIP archive may decompress to, counted as they are read. Default 20 GiB.</summary>
    public long MaxDecompressedBytes { get; set; } = 20L << 30;

    /// <summary>Most decompressed bytes per byte of the archive file (zip bomb guard). Default 200.</summary>
    public int MaxCompressionRatio { get; set; } = 200;

    /// <summary>Largest Parquet footer (file metadata), in bytes. Default 16 MiB.</summary>
    public int MaxParquetMetadataBytes { get; set; } = 16 << 20;

    /// <summary>Most cells (rows x columns) one Parquet row group may hold; a row group is read into memory. Default 20 million.</summary>
    public long MaxParquetRowGroupCells { get; set; } = 20_000_000;

    /// <summary>Folder for the inspector's temporary files (spill file, Parquet entries of archives). Empty: a
    /// <c>neurodata-ingest</c> folder in the system temp folder.</summary>
    public string TempPath { get; set; } = string.Empty;

    /// <summary>The temp folder to use.</summary>
    public string ResolveTempPath() =>
        string.IsNullOrWhiteSpace(TempPath) ? Path.Combine(Path.GetTempPath(), "neurodata-ingest") : TempPath;

    /// <summary>Problems with the settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxFieldBytes < 1)
        {
            errors.Add($"{SectionName}:MaxFieldBytes must be positive (got {MaxFieldBytes}).");
        }

        if (MaxLineBytes < MaxFieldBytes)
        {
            errors.Add($"{SectionName}:MaxLineBytes ({MaxLineBytes}) must be at least MaxFieldBytes ({MaxFieldBytes}).");
        }

        if (MaxColumns < 1)
        {
            errors.Add($"{SectionName}:MaxColumns must be positive (got {MaxColumns}).");
        }

        if (MaxArchiveEntries < 1)
        {
            errors.Add($"{SectionName}:MaxArchiveEntries must be positive (got {MaxArchiveEntries}).");
        }

        if (MaxDecompressedBytes < 1)
        {
            errors.Add($"{SectionName}:MaxDecompressedBytes must be positive (got {MaxDecompressedBytes}).");
        }

        if (MaxCompressionRatio < 1)
        {
            errors.Add($"{SectionName}:MaxCompressionRatio must be at least 1 (got {MaxCompressionRatio}).");
        }

        if (MaxParquetMetadataBytes < 64)
        {
            errors.Add($"{SectionName}:MaxParquetMetadataBytes must be at least 64 (got {MaxParquetMetadataBytes}).");
        }

        if (MaxParquetRowGroupCells < 1)
        {
            errors.Add($"{SectionName}:MaxParquetRowGroupCells must be positive (got {MaxParquetRowGroupCells}).");
        }

        return errors;
    }
}
