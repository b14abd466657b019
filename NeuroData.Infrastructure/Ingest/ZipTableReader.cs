using System.IO.Compression;
using NeuroData.Domain.Datasets;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>
/// The data files of a checked ZIP archive read as one table: entries in central directory order, each CSV, TSV,
/// JSON Lines or Parquet (sniffed from content), all with the same columns in the same order. Folders and macOS
/// metadata (<c>__MACOSX/</c>, <c>.DS_Store</c>) are skipped; nested archives are rejected. Entries are decompressed
/// as streams; a Parquet entry (which needs random access) is copied to a temp file under a random name.
/// </summary>
internal sealed class ZipTableReader : ITableReader
{
    private readonly Stream archive;
    private readonly List<ZipEntryInfo> entries;
    private readonly IngestOptions options;
    private readonly TempFiles temp;
    private readonly DecompressionBudget budget;
    private int next;
    private ITableReader? current;
    private EntryStream? currentStream;
    private FileStream? currentCopy;

    private ZipTableReader(Stream archive, List<ZipEntryInfo> entries, IngestOptions options, TempFiles temp)
    {
        this.archive = archive;
        this.entries = entries;
        this.options = options;
        this.temp = temp;
        budget = new DecompressionBudget(options.MaxDecompressedBytes, checked((long)options.MaxCompressionRatio * Math.Max(archive.Length, 1)));
    }

    public IReadOnlyList<string> Columns { get; private set; } = [];

    public IReadOnlyList<string> EntryNames => [.. entries.Select(e => e.Name)];

    public static async Task<ZipTableReader> OpenAsync(Stream archive, IngestOptions options, TempFiles temp, CancellationToken cancellationToken)
    {
        var all = ZipDirectory.Read(archive, options);
        if (all.Any(e => e.Name.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidDatasetException("the file is an Office document (such as an Excel workbook), not a table; export the sheet as CSV.");
        }

        var data = all.Where(e => !e.Name.StartsWith("__MACOSX/", StringComparison.Ordinal) && !e.Name.Split('/')[^1].Equals(".DS_Store", StringComparison.Ordinal)).ToList();
        if (data.Count == 0)
        {
            throw new InvalidDatasetException("the ZIP archive holds no data files.");
        }

        var reader = new ZipTableReader(archive, data, options, temp);
        try
        {
            await reader.OpenNextAsync(cancellationToken).ConfigureAwait(false);
            reader.Columns = reader.current!.Columns;
            return reader;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<string?[]?> ReadRowAsync(CancellationToken cancellationToken)
    {
        while (current is not null)
        {
            var row = await current.ReadRowAsync(cancellationToken).ConfigureAwait(false);
            if (row is not null)
            {
                return row;
            }

            currentStream?.Finish();
            await CloseCurrentAsync().ConfigureAwait(false);
            if (next < entries.Count)
            {
                await OpenNextAsync(cancellationToken).ConfigureAwait(false);
                var entry = entries[next - 1];
                if (!current!.Columns.SequenceEqual(Columns, StringComparer.Ordinal))
                {
                    throw new InvalidDatasetException(
                        $"ZIP entry \"{TableRules.Shorten(entry.Name)}\" has the columns ({Describe(current.Columns)}) but \"{TableRules.Shorten(entries[0].Name)}\" has ({Describe(Columns)}); every file in the archive needs the same columns in the same order.");
                }
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync() => await CloseCurrentAsync().ConfigureAwait(false);

    private async Task OpenNextAsync(CancellationToken cancellationToken)
    {
        var entry = entries[next++];
        var where = $"ZIP entry \"{TableRules.Shorten(entry.Name)}\": ";
        var raw = new WindowStream(archive, entry.DataStart, entry.CompressedSize);
        Stream decoded = entry.Method == 8 ? new DeflateStream(raw, CompressionMode.Decompress) : raw;
        currentStream = new EntryStream(decoded, entry.Name, entry.UncompressedSize, budget);
        var head = new byte[FormatSniffer.HeadLength];
        var headLength = 0;
        int read;
        while (headLength < head.Length && (read = currentStream.Read(head, headLength, head.Length - headLength)) > 0)
        {
            headLength += read;
        }

        var span = head.AsSpan(0, headLength);
        if (span.StartsWith("PK"u8) || span.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]) || span.StartsWith("Rar!"u8) || span.StartsWith((ReadOnlySpan<byte>)[(byte)'7', (byte)'z', 0xBC, 0xAF]))
        {
            throw new InvalidDatasetException($"{where}the entry is itself an archive; nested archives are not accepted.");
        }

        switch (FormatSniffer.Detect(span, where))
        {
            case SniffedFormat.Parquet:
                var path = temp.NewFile();
                currentCopy = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
                await currentCopy.WriteAsync(head.AsMemory(0, headLength), cancellationToken).ConfigureAwait(false);
                await currentStream.CopyToAsync(currentCopy, cancellationToken).ConfigureAwait(false);
                currentStream.Finish();
                await currentCopy.FlushAsync(cancellationToken).ConfigureAwait(false);
                current = await ParquetTableReader.OpenAsync(currentCopy, options, where, cancellationToken).ConfigureAwait(false);
                break;
            case SniffedFormat.JsonLines:
                current = JsonLinesReader.Open(new PrefixedStream(head, headLength, currentStream), options, where);
                break;
            case var delimited:
                var delimiter = delimited switch { SniffedFormat.Tsv => '\t', SniffedFormat.SemicolonCsv => ';', _ => ',' };
                current = DelimitedReader.Open(new PrefixedStream(head, headLength, currentStream), delimiter, options, where);
                break;
        }
    }

    private async Task CloseCurrentAsync()
    {
        if (current is not null)
        {
            await current.DisposeAsync().ConfigureAwait(false);
            current = null;
        }

        if (currentCopy is not null)
        {
            await currentCopy.DisposeAsync().ConfigureAwait(false);
            currentCopy = null;
        }

        currentStream?.Dispose();
        currentStream = null;
    }

    private static string Describe(IReadOnlyList<string> columns) =>
        string.Join(", ", columns.Take(8).Select(c => TableRules.Shorten(c))) + (columns.Count > 8 ? ", …" : string.Empty);
}
