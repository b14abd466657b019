using System.Buffers.Binary;
using System.Globalization;
using NeuroData.Domain.Datasets;
using Parquet;
using Parquet.Schema;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>
/// A flat Parquet file read one row group at a time (a row group is held in memory, capped by
/// <see cref="IngestOptions.MaxParquetRowGroupCells"/>). Values become their invariant text and are then typed like
/// values of any other format. The footer is checked before Parquet.Net sees it: its declared length must fit in the
/// file and under <see cref="IngestOptions.MaxParquetMetadataBytes"/>; any failure to decode is a clear rejection.
/// </summary>
internal sealed class ParquetTableReader : ITableReader
{
    private readonly ParquetReader reader;
    private readonly DataField[] fields;
    private readonly IngestOptions options;
    private readonly string where;
    private int rowGroup = -1;
    private string?[][] current = [];
    private long currentRows;
    private long rowInGroup;

    private ParquetTableReader(ParquetReader reader, DataField[] fields, IngestOptions options, string where)
    {
        this.reader = reader;
        this.fields = fields;
        this.options = options;
        this.where = where;
        Columns = [.. fields.Select(f => f.Name)];
    }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>Opens a Parquet file from a seekable stream it does not own.</summary>
    public static async Task<ParquetTableReader> OpenAsync(Stream stream, IngestOptions options, string where, CancellationToken cancellationToken)
    {
        CheckFooter(stream, options, where);
        ParquetReader reader;
        try
        {
            stream.Position = 0;
            reader = await ParquetReader.CreateAsync(stream, new ParquetOptions { TreatByteArrayAsString = true, MaximumSmallPoolFreeBytes = 16 << 20, MaximumLargePoolFreeBytes = 64 << 20 }, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not InvalidDatasetException)
        {
            throw Damaged(where, ex);
        }

        try
        {
            var schema = reader.Schema;
            var dataFields = schema.GetDataFields();
            if (dataFields.Length != schema.Fields.Count || !schema.Fields.All(f => f is DataField { IsArray: false }))
            {
                throw new InvalidDatasetException($"{where}the Parquet file has nested or repeated columns (lists, maps or structs); only flat tables are accepted.");
            }

            TableRules.CheckHeader([.. dataFields.Select(f => f.Name)], options, where);
            foreach (var field in dataFields)
            {
                if (field.ClrType == typeof(byte[]))
                {
                    throw new InvalidDatasetException($"{where}the Parquet column \"{TableRules.Shorten(field.Name)}\" holds binary data; only text, numbers, booleans and dates are accepted.");
                }
            }

            return new ParquetTableReader(reader, dataFields, options, where);
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask<string?[]?> ReadRowAsync(CancellationToken cancellationToken)
    {
        while (rowInGroup >= currentRows)
        {
            if (++rowGroup >= reader.RowGroupCount)
            {
                return null;
            }

            await LoadRowGroupAsync(cancellationToken).ConfigureAwait(false);
        }

        var row = new string?[fields.Length];
        for (var c = 0; c < fields.Length; c++)
        {
            row[c] = current[c][rowInGroup];
        }

        rowInGroup++;
        return row;
    }

    public ValueTask DisposeAsync() => reader.DisposeAsync();

    private static void CheckFooter(Stream stream, IngestOptions options, string where)
    {
        var length = stream.Length;
        if (length < 12)
        {
            throw new InvalidDatasetException($"{where}the Parquet file is too short to hold a table (truncated?).");
        }

        Span<byte> tail = stackalloc byte[8];
        stream.Position = length - 8;
        stream.ReadExactly(tail);
        if (!tail[4..].SequenceEqual("PAR1"u8))
        {
            throw new InvalidDatasetException($"{where}the file starts like a Parquet file but does not end like one (truncated or damaged).");
        }

        var metadataLength = BinaryPrimitives.ReadUInt32LittleEndian(tail);
        if (metadataLength > length - 12)
        {
            throw new InvalidDatasetException(
                $"{where}the Parquet footer claims {metadataLength:N0} bytes of metadata but the file has only {length:N0} bytes; the file is damaged.");
        }

        if (metadataLength > options.MaxParquetMetadataBytes)
        {
            throw new InvalidDatasetException(
                $"{where}the Parquet metadata is {metadataLength:N0} bytes; at most {options.MaxParquetMetadataBytes:N0} are accepted.");
        }
    }

    private async Task LoadRowGroupAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var group = reader.OpenRowGroupReader(rowGroup);
            var rows = group.RowCount;
            if (rows < 0 || rows * Math.Max(1, fields.Length) > options.MaxParquetRowGroupCells)
            {
                throw new InvalidDatasetException(
                    $"{where}Parquet row group {rowGroup + 1} declares {rows:N0} rows of {fields.Length} columns; at most {options.MaxParquetRowGroupCells:N0} cells per row group are accepted (write smaller row groups).");
            }

            var n = (int)rows;
            var columns = new string?[fields.Length][];
            for (var c = 0; c < fields.Length; c++)
            {
                columns[c] = await ReadColumnAsync(group, fields[c], n, cancellationToken).ConfigureAwait(false);
            }

            current = columns;
            currentRows = rows;
            rowInGroup = 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not InvalidDatasetException)
        {
            throw Damaged(where, ex);
        }
    }

    private static async Task<string?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int n, CancellationToken ct)
    {
        var t = field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[n];
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            return values;
        }

        return t switch
        {
            _ when t == typeof(bool) => await Read<bool>(group, field, n, v => v ? "true" : "false", ct).ConfigureAwait(false),
            _ when t == typeof(sbyte) => await Read<sbyte>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(byte) => await Read<byte>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(short) => await Read<short>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(ushort) => await Read<ushort>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(int) => await Read<int>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(uint) => await Read<uint>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(long) => await Read<long>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(ulong) => await Read<ulong>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(float) => await Read<float>(group, field, n, v => v.ToString("R", CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(double) => await Read<double>(group, field, n, v => v.ToString("R", CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(decimal) => await Read<decimal>(group, field, n, v => v.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(DateTime) => await Read<DateTime>(group, field, n, v => v.ToString(v.Kind == DateTimeKind.Utc ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ when t == typeof(DateOnly) => await Read<DateOnly>(group, field, n, v => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ct).ConfigureAwait(false),
            _ => throw new InvalidDatasetException($"The Parquet column \"{TableRules.Shorten(field.Name)}\" has a type ({t.Name}) that is not accepted; use text, numbers, booleans or dates."),
        };
    }

    private static async Task<string?[]> Read<T>(ParquetRowGroupReader group, DataField field, int n, Func<T, string> format, CancellationToken ct)
        where T : struct
    {
        var result = new string?[n];
        if (field.IsNullable)
        {
            var values = new T?[n];
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            for (var i = 0; i < n; i++)
            {
                result[i] = values[i] is { } v ? format(v) : null;
            }
        }
        else
        {
            var values = new T[n];
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            for (var i = 0; i < n; i++)
            {
                result[i] = format(values[i]);
            }
        }

        return result;
    }

    private static InvalidDatasetException Damaged(string where, Exception ex) =>
        new($"{where}the Parquet file is damaged or uses features that cannot be read ({TableRules.Shorten(ex.Message)}).", ex);
}
