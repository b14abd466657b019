using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>
/// Reads an upload once: sniffs its format, reads it strictly as a stream, profiles every column in one pass
/// (spilling the rows to a temp file), then converts the spill file to the typed Parquet training form.
/// Memory stays flat whatever the file size (see docs/ingest.md); temp files are removed in every case.
/// </summary>
public sealed class DatasetInspector : IDatasetInspector
{
    private readonly IngestOptions options;

    public DatasetInspector(IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        this.options = options;
    }

    public async Task<DatasetProfile> InspectAsync(string filePath, string fileName, Stream trainingForm, int previewRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainingForm);
        ArgumentOutOfRangeException.ThrowIfNegative(previewRows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(previewRows, DatasetVersion.MaxPreviewRows);
        try
        {
            return await InspectCoreAsync(filePath, trainingForm, previewRows, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDatasetException ex) when (ex.Message.Length > 0 && char.IsLower(ex.Message[0]))
        {
            throw new InvalidDatasetException(char.ToUpperInvariant(ex.Message[0]) + ex.Message[1..], ex);
        }
    }

    private async Task<DatasetProfile> InspectCoreAsync(string filePath, Stream trainingForm, int previewRows, CancellationToken cancellationToken)
    {
        using var temp = new TempFiles(options.ResolveTempPath());
        await using var file = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        var head = new byte[FormatSniffer.HeadLength];
        var headLength = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var sniffed = FormatSniffer.Detect(head.AsSpan(0, headLength), string.Empty);
        file.Position = 0;

        IReadOnlyList<string> archiveEntries = [];
        ITableReader table;
        DatasetFormat format;
        switch (sniffed)
        {
            case SniffedFormat.Parquet:
                format = DatasetFormat.Parquet;
                table = await ParquetTableReader.OpenAsync(file, options, string.Empty, cancellationToken).ConfigureAwait(false);
                break;
            case SniffedFormat.Zip:
                format = DatasetFormat.Zip;
                var zip = await ZipTableReader.OpenAsync(file, options, temp, cancellationToken).ConfigureAwait(false);
                archiveEntries = zip.EntryNames;
                table = zip;
                break;
            case SniffedFormat.JsonLines:
                format = DatasetFormat.JsonLines;
                table = JsonLinesReader.Open(file, options, string.Empty);
                break;
            case SniffedFormat.Tsv:
                format = DatasetFormat.Tsv;
                table = DelimitedReader.Open(file, '\t', options, string.Empty);
                break;
            default:
                format = DatasetFormat.Csv;
                table = DelimitedReader.Open(file, sniffed == SniffedFormat.SemicolonCsv ? ';' : ',', options, string.Empty);
                break;
        }

        await using (table.ConfigureAwait(false))
        {
            var columns = table.Columns.Select((name, i) => new ColumnAccumulator(name, seed: i + 1)).ToArray();
            var preview = new List<IReadOnlyList<string?>>();
            using var spill = new SpillFile(temp.NewFile());
            long rows = 0;
            while (await table.ReadRowAsync(cancellationToken).ConfigureAwait(false) is { } row)
            {
                if ((rows & 0x3FF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                rows++;
                for (var c = 0; c < columns.Length; c++)
                {
                    columns[c].Add(row[c]);
                }

                if (preview.Count < previewRows)
                {
                    preview.Add(row);
                }

                spill.Write(row);
            }

            if (rows == 0)
            {
                throw new InvalidDatasetException("the file has a header but no data rows.");
            }

            var histograms = await TrainingFormWriter.WriteAsync(spill, rows, columns, trainingForm, cancellationToken).ConfigureAwait(false);
            var profiles = columns.Select((c, i) =>
            {
                var (distinct, estimate) = c.Distinct;
                return new ColumnProfile(c.Name, c.Type, c.Missing, distinct, estimate, c.Statistics(), c.TopValues(), TrainingFormWriter.Bins(histograms[i], c));
            }).ToList();
            return new DatasetProfile(format, rows, profiles, preview, archiveEntries);
        }
    }
}
