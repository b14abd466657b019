using NeuroData.Domain.Datasets;
using Parquet;
using Parquet.Schema;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>
/// Second pass, over the spill file (not the upload): converts each cell to its column's inferred type and writes the
/// typed Parquet training form (WholeNumber = INT64, Number = DOUBLE, Boolean = BOOLEAN, DateTime = UTC timestamp in
/// microseconds, Text = UTF-8 string; all nullable), in row groups sized to keep memory flat. The same pass counts
/// the exact histogram of each numeric column, whose edges come from the first pass's min and max.
/// </summary>
internal static class TrainingFormWriter
{
    private const int MaxCellsPerRowGroup = 1_000_000;
    private const int MaxRowsPerRowGroup = 100_000;

    public static async Task<long[]?[]> WriteAsync(SpillFile spill, long rowCount, IReadOnlyList<ColumnAccumulator> columns, Stream output, CancellationToken cancellationToken)
    {
        var types = columns.Select(c => c.Type).ToArray();
        var fields = columns.Select((c, i) => Field(c.Name, types[i])).ToArray();
        var histograms = columns.Select(c => c.IsNumeric ? new long[c.Min == c.Max ? 1 : ColumnAccumulator.HistogramBins] : null).ToArray();
        var chunk = (int)Math.Clamp(MaxCellsPerRowGroup / Math.Max(1, columns.Count), 1, MaxRowsPerRowGroup);
        spill.Rewind();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), output, WriterOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var cells = new string?[columns.Count];
        var done = 0L;
        while (done < rowCount)
        {
            var n = (int)Math.Min(chunk, rowCount - done);
            var block = new string?[columns.Count][];
            for (var c = 0; c < columns.Count; c++)
            {
                block[c] = new string?[n];
            }

            for (var r = 0; r < n; r++)
            {
                spill.Read(cells);
                for (var c = 0; c < columns.Count; c++)
                {
                    block[c][r] = cells[c];
                }
            }

            using var group = writer.CreateRowGroup();
            for (var c = 0; c < columns.Count; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await WriteColumnAsync(group, fields[c], types[c], block[c], columns[c], histograms[c], cancellationToken).ConfigureAwait(false);
            }

            done += n;
        }

        return histograms;
    }

    /// <summary>Snappy at its fastest level; the writer's buffer pool is bounded (unbounded by default).</summary>
    internal static ParquetOptions WriterOptions() => new()
    {
        CompressionMethod = CompressionMethod.Snappy,
        CompressionLevel = System.IO.Compression.CompressionLevel.Fastest,
        MaximumSmallPoolFreeBytes = 16 << 20,
        MaximumLargePoolFreeBytes = 64 << 20,
    };

    private static DataField Field(string name, ColumnType type) => type switch
    {
        ColumnType.WholeNumber => new DataField<long?>(name),
        ColumnType.Number => new DataField<double?>(name),
        ColumnType.Boolean => new DataField<bool?>(name),
        ColumnType.DateTime => new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        _ => new DataField<string>(name, nullable: true),
    };

    private static async Task WriteColumnAsync(ParquetRowGroupWriter group, DataField field, ColumnType type, string?[] raw, ColumnAccumulator column, long[]? histogram, CancellationToken ct)
    {
        switch (type)
        {
            case ColumnType.WholeNumber:
            {
                var values = new long?[raw.Length];
                for (var i = 0; i < raw.Length; i++)
                {
                    if (raw[i] is { } s && ValueParsing.TryWhole(s, out var v))
                    {
                        values[i] = v;
                        Count(histogram!, column, v);
                    }
                }

                await group.WriteAsync<long>(field, values.AsMemory(), null, null, ct).ConfigureAwait(false);
                break;
            }

            case ColumnType.Number:
            {
                var values = new double?[raw.Length];
                for (var i = 0; i < raw.Length; i++)
                {
                    if (raw[i] is { } s && ValueParsing.TryNumber(s, out var v))
                    {
                        values[i] = v;
                        Count(histogram!, column, v);
                    }
                }

                await group.WriteAsync<double>(field, values.AsMemory(), null, null, ct).ConfigureAwait(false);
                break;
            }

            case ColumnType.Boolean:
            {
                var values = new bool?[raw.Length];
                for (var i = 0; i < raw.Length; i++)
                {
                    values[i] = raw[i] is { } s && ValueParsing.TryBoolean(s, out var v) ? v : null;
                }

                await group.WriteAsync<bool>(field, values.AsMemory(), null, null, ct).ConfigureAwait(false);
                break;
            }

            case ColumnType.DateTime:
            {
                var values = new DateTime?[raw.Length];
                for (var i = 0; i < raw.Length; i++)
                {
                    values[i] = raw[i] is { } s && ValueParsing.TryDateTime(s, out var v) ? v.UtcDateTime : null;
                }

                await group.WriteAsync<DateTime>(field, values.AsMemory(), null, null, ct).ConfigureAwait(false);
                break;
            }

            default:
                await group.WriteAsync(field, raw!, null).ConfigureAwait(false);
                break;
        }
    }

    private static void Count(long[] histogram, ColumnAccumulator column, double value)
    {
        if (histogram.Length == 1)
        {
            histogram[0]++;
            return;
        }

        var width = (column.Max - column.Min) / histogram.Length;
        var bin = (int)((value - column.Min) / width);
        histogram[Math.Clamp(bin, 0, histogram.Length - 1)]++;
    }

    /// <summary>The bins of a histogram counted by <see cref="WriteAsync"/>.</summary>
    public static IReadOnlyList<HistogramBin> Bins(long[]? counts, ColumnAccumulator column)
    {
        if (counts is null)
        {
            return [];
        }

        if (counts.Length == 1)
        {
            return [new HistogramBin(column.Min, column.Max, counts[0])];
        }

        var width = (column.Max - column.Min) / counts.Length;
        return [.. counts.Select((count, i) => new HistogramBin(
            column.Min + (i * width),
            i == counts.Length - 1 ? column.Max : column.Min + ((i + 1) * width),
            count))];
    }
}
