using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Ingest;
using Parquet;
using Parquet.Schema;

namespace NeuroData.Infrastructure.Training;

/// <summary>How a column is held in memory: numbers (whole numbers, dates as Unix seconds and booleans as 0/1 too) as
/// 32-bit floats with NaN for missing, or text (null for missing).</summary>
internal enum CellKind
{
    Number,
    Boolean,
    Text,
}

/// <summary>One column in memory.</summary>
internal sealed class TableColumn
{
    public TableColumn(string name, ColumnType sourceType, float[] numbers)
    {
        Name = name;
        SourceType = sourceType;
        Kind = sourceType == ColumnType.Boolean ? CellKind.Boolean : CellKind.Number;
        Numbers = numbers;
    }

    public TableColumn(string name, string?[] texts)
    {
        Name = name;
        SourceType = ColumnType.Text;
        Kind = CellKind.Text;
        Texts = texts;
    }

    public string Name { get; }

    public ColumnType SourceType { get; }

    public CellKind Kind { get; }

    public float[]? Numbers { get; }

    public string?[]? Texts { get; }

    public int Length => Numbers?.Length ?? Texts!.Length;

    public bool IsMissing(int row) => Numbers is { } n ? float.IsNaN(n[row]) : Texts![row] is null;

    /// <summary>The cell as text ("true"/"false" for booleans, invariant numbers), null when missing.</summary>
    public string? TextAt(int row)
    {
        if (Texts is { } t)
        {
            return t[row];
        }

        var v = Numbers![row];
        return float.IsNaN(v) ? null : Kind == CellKind.Boolean ? (v != 0 ? "true" : "false") : v.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>This column seen as another kind (retyping asked by the user).</summary>
    public TableColumn As(ColumnType type)
    {
        if (type == ColumnType.Text)
        {
            return Kind == CellKind.Text ? this : new TableColumn(Name, [.. Enumerable.Range(0, Length).Select(TextAt)]);
        }

        if (Kind != CellKind.Text)
        {
            return this;
        }

        var numbers = new float[Length];
        for (var i = 0; i < numbers.Length; i++)
        {
            numbers[i] = Texts![i] is { } s && ValueParsing.TryNumber(s, out var v) ? (float)v
                : Texts[i] is { } b && ValueParsing.TryBoolean(b, out var flag) ? (flag ? 1 : 0)
                : float.NaN;
        }

        return new TableColumn(Name, ColumnType.Number, numbers);
    }
}

/// <summary>A whole table in memory, column by column (about 4 bytes per numeric cell).</summary>
internal sealed class TrainingTable(IReadOnlyList<TableColumn> columns, int rowCount)
{
    public IReadOnlyList<TableColumn> Columns { get; } = columns;

    public int RowCount { get; } = rowCount;

    public TableColumn? Find(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>Reads the file (Parquet training form or CSV), failing with a clear message past <paramref name="maxRows"/>.</summary>
    public static Task<TrainingTable> LoadAsync(string path, TrainingDataFormat format, long maxRows, CancellationToken ct) =>
        format == TrainingDataFormat.Parquet ? LoadParquetAsync(path, maxRows, ct) : LoadCsvAsync(path, maxRows, ct);

    public static async Task<TrainingTable> LoadParquetAsync(string path, long maxRows, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, new ParquetOptions { TreatByteArrayAsString = true }, cancellationToken: ct).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        long total = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            total += group.RowCount;
        }

        CheckRows(total, maxRows);
        var rows = (int)total;
        var columns = new TableColumn[fields.Length];
        var numbers = new float[fields.Length][];
        var texts = new string?[fields.Length][];
        var types = new ColumnType[fields.Length];
        for (var c = 0; c < fields.Length; c++)
        {
            var t = fields[c].ClrType;
            types[c] = t == typeof(string) || t == typeof(ReadOnlyMemory<char>) ? ColumnType.Text
                : t == typeof(bool) ? ColumnType.Boolean
                : t == typeof(DateTime) || t == typeof(DateOnly) ? ColumnType.DateTime
                : t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint) || t == typeof(ulong) ? ColumnType.WholeNumber
                : t == typeof(double) || t == typeof(float) || t == typeof(decimal) ? ColumnType.Number
                : throw new TrainingException($"Column '{fields[c].Name}' has a type ({t.Name}) training cannot use.");
            if (types[c] == ColumnType.Text)
            {
                texts[c] = new string?[rows];
            }
            else
            {
                numbers[c] = new float[rows];
            }
        }

        var offset = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            for (var c = 0; c < fields.Length; c++)
            {
                ct.ThrowIfCancellationRequested();
                var field = fields[c];
                if (texts[c] is { } text)
                {
                    await group.ReadAsync(field, text.AsMemory(offset, n), null, ct).ConfigureAwait(false);
                    continue;
                }

                var target = numbers[c].AsMemory(offset, n);
                var t = field.ClrType;
                if (t == typeof(long)) { await ReadAsync<long>(group, field, target, v => v, ct).ConfigureAwait(false); }
                else if (t == typeof(int)) { await ReadAsync<int>(group, field, target, v => v, ct).ConfigureAwait(false); }
                else if (t == typeof(short)) { await ReadAsync<short>(group, field, target, v => v, ct).ConfigureAwait(false); }
                else if (t == typeof(sbyte)) { await ReadAsync<sbyte>(group, field, target, v => v, ct).ConfigureAwait(false); }
                else if (t == typeof(byte)) { await ReadAsync<byte>(group, field, target, v => v, ct).ConfigureAwait(false); }
                else if (t == typeof(ushort)) { await ReadAsync<ushort>(group, field, target, v => v, ct).ConfigureAwait(false); }
                else if (t == typeof(uint)) { await ReadAsync<uint>(group, field, target, v => v, ct).ConfigureAwait(false); }
                else if (t == typeof(ulong)) { await ReadAsync<ulong>(group, field, target, v => v, ct).ConfigureAwait(false); }
                else if (t == typeof(double)) { await ReadAsync<double>(group, field, target, v => v, ct).ConfigureAwait(false); }
                else if (t == typeof(float)) { await ReadAsync<float>(group, field, target, v => v, ct).ConfigureAwait(false); }
                else if (t == typeof(decimal)) { await ReadAsync<decimal>(group, field, target, v => (double)v, ct).ConfigureAwait(false); }
                else if (t == typeof(bool)) { await ReadAsync<bool>(group, field, target, v => v ? 1 : 0, ct).ConfigureAwait(false); }
                else if (t == typeof(DateTime)) { await ReadAsync<DateTime>(group, field, target, UnixSeconds, ct).ConfigureAwait(false); }
                else { await ReadAsync<DateOnly>(group, field, target, v => UnixSeconds(v.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)), ct).ConfigureAwait(false); }
            }

            offset += n;
        }

        for (var c = 0; c < fields.Length; c++)
        {
            columns[c] = texts[c] is { } t ? new TableColumn(fields[c].Name, t) : new TableColumn(fields[c].Name, types[c], numbers[c]);
        }

        return new TrainingTable(columns, rows);
    }

    private static double UnixSeconds(DateTime v) => (v.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds;

    private static async Task ReadAsync<T>(ParquetRowGroupReader group, DataField field, Memory<float> target, Func<T, double> convert, CancellationToken ct)
        where T : struct
    {
        var n = target.Length;
        if (field.IsNullable)
        {
            var values = new T?[n];
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            var span = target.Span;
            for (var i = 0; i < n; i++)
            {
                span[i] = values[i] is { } v ? (float)convert(v) : float.NaN;
            }
        }
        else
        {
            var values = new T[n];
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            var span = target.Span;
            for (var i = 0; i < n; i++)
            {
                span[i] = (float)convert(values[i]);
            }
        }
    }

    /// <summary>CSV (',' ';' or tab, detected from the header) in one pass: a column stays numeric (or boolean) while
    /// every value parses as one, as at ingest; empty cells are missing values.</summary>
    public static async Task<TrainingTable> LoadCsvAsync(string path, long maxRows, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return await ReadCsvAsync(stream, maxRows, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the CSV on two threads: one splits the bytes into rows and fields (<see cref="DelimitedReader"/>) and
    /// hands over batches of raw fields, the caller's thread parses them into columns in row order. Splitting and
    /// parsing cost about the same, so a 2-core machine reads the file in about half the time.
    /// </summary>
    public static async Task<TrainingTable> ReadCsvAsync(Stream stream, long maxRows, CancellationToken ct)
    {
        var reader = OpenCsv(stream);
        var builders = reader.Columns.Select(n => new CsvColumnBuilder(n, reader)).ToArray();
        var batches = Channel.CreateBounded<RowBatch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var spare = new ConcurrentBag<RowBatch>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var splitting = Task.Run(() => SplitRowsAsync(reader, stream, maxRows, batches.Writer, spare, stop.Token), CancellationToken.None);
        var rows = 0;
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (batch.Estimate is { } estimate)
                {
                    // Size the columns for the whole file once (growing them doubling by doubling cost more in garbage
                    // collection than parsing the numbers).
                    foreach (var b in builders)
                    {
                        b.Reserve((int)Math.Min(Math.Min(estimate, maxRows), Array.MaxLength));
                    }
                }

                var field = 0;
                for (var r = 0; r < batch.Lines.Count; r++)
                {
                    if (++rows > maxRows)
                    {
                        CheckRows(rows, maxRows);
                    }

                    for (var c = 0; c < builders.Length; c++, field++)
                    {
                        var (start, length) = batch.Fields[field];
                        builders[c].Add(batch.Bytes.AsSpan(start, length), batch.Lines[r]);
                    }
                }

                ct.ThrowIfCancellationRequested();
                batch.Clear();
                spare.Add(batch);
            }
        }
        catch (ChannelClosedException)
        {
            // The splitting thread failed: its own exception is thrown below.
        }
        catch (Exception ex) when (ex is not ChannelClosedException)
        {
            // A limit, a cell that is not valid text (checked here, when it is not a number) or cancellation: stop the
            // splitting thread before leaving.
            await stop.CancelAsync().ConfigureAwait(false);
            await splitting.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            if (ex is InvalidDatasetException bad)
            {
                throw Unreadable(bad);
            }

            throw;
        }

        await splitting.ConfigureAwait(false);
        if (rows == 0)
        {
            throw new TrainingException("The file has a header but no rows.");
        }

        return new TrainingTable([.. builders.Select(b => b.Build())], rows);
    }

    private static async Task SplitRowsAsync(DelimitedReader reader, Stream stream, long maxRows, ChannelWriter<RowBatch> output, ConcurrentBag<RowBatch> spare, CancellationToken ct)
    {
        try
        {
            var batch = new RowBatch();
            RawFieldHandler keep = (column, utf8, line) => batch.Add(column, utf8, line);
            long rows = 0;
            while (ReadRow(reader, keep))
            {
                rows++;
                if (rows == 0x1000 && stream.CanSeek && stream.Position > 0)
                {
                    batch.Estimate = (long)(rows * ((double)stream.Length / stream.Position) * 1.05);
                }

                if (batch.Lines.Count == RowBatch.Rows || rows > maxRows)
                {
                    await output.WriteAsync(batch, ct).ConfigureAwait(false);
                    batch = spare.TryTake(out var reused) ? reused : new RowBatch();
                    if (rows > maxRows)
                    {
                        break; // the parsing side reports the limit; no need to read the rest of a huge file
                    }
                }
            }

            if (batch.Lines.Count > 0)
            {
                await output.WriteAsync(batch, ct).ConfigureAwait(false);
            }

            output.Complete();
        }
        catch (Exception ex)
        {
            output.Complete(ex);
            throw;
        }
    }

    /// <summary>Raw fields of up to <see cref="Rows"/> rows, copied out of the reader's buffer.</summary>
    private sealed class RowBatch
    {
        public const int Rows = 2048;

        public byte[] Bytes { get; private set; } = new byte[256 * 1024];

        public int Length { get; private set; }

        public List<(int Start, int Length)> Fields { get; } = new(Rows * 8);

        /// <summary>The line each row starts on (for messages).</summary>
        public List<long> Lines { get; } = new(Rows);

        /// <summary>The whole file's row count, estimated once from the first rows (on the first batch only).</summary>
        public long? Estimate { get; set; }

        public void Add(int column, ReadOnlySpan<byte> utf8, long line)
        {
            if (column == 0)
            {
                Lines.Add(line);
            }

            if (Length + utf8.Length > Bytes.Length)
            {
                var bigger = new byte[Math.Max(Bytes.Length * 2, Length + utf8.Length)];
                Bytes.AsSpan(0, Length).CopyTo(bigger);
                Bytes = bigger;
            }

            utf8.CopyTo(Bytes.AsSpan(Length));
            Fields.Add((Length, utf8.Length));
            Length += utf8.Length;
        }

        public void Clear()
        {
            Length = 0;
            Fields.Clear();
            Lines.Clear();
            Estimate = null;
        }
    }

    private static bool ReadRow(DelimitedReader reader, RawFieldHandler add)
    {
        try
        {
            return reader.ReadRawRow(add);
        }
        catch (InvalidDatasetException ex)
        {
            throw Unreadable(ex);
        }
    }

    private static TrainingException Unreadable(InvalidDatasetException ex) => new("The CSV file cannot be read: " + ex.Message, ex);

    /// <summary>A CSV reader over the stream (delimiter detected from the header line).</summary>
    internal static DelimitedReader OpenCsv(Stream stream)
    {
        var delimiter = DetectDelimiter(stream);
        try
        {
            return DelimitedReader.Open(stream, delimiter, new IngestOptions(), string.Empty);
        }
        catch (InvalidDatasetException ex)
        {
            throw Unreadable(ex);
        }
    }

    private static char DetectDelimiter(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return ',';
        }

        var start = stream.Position;
        var buffer = new byte[8192];
        var n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        stream.Position = start;
        var line = buffer.AsSpan(0, n);
        var end = line.IndexOf((byte)'\n');
        if (end >= 0)
        {
            line = line[..end];
        }

        int commas = line.Count((byte)','), semicolons = line.Count((byte)';'), tabs = line.Count((byte)'\t');
        return tabs > commas && tabs > semicolons ? '\t' : semicolons > commas ? ';' : ',';
    }

    internal static void CheckRows(long rows, long maxRows)
    {
        if (rows > maxRows)
        {
            throw new TrainingLimitException($"The data has more than {maxRows:N0} rows, the most one run may use. Use a smaller file or ask for a higher limit.");
        }
    }

    private sealed class CsvColumnBuilder(string name, DelimitedReader reader)
    {
        private const int Unknown = 0, Numeric = 1, Flag = 2, Textual = 3;
        private readonly List<float> numbers = [];
        private List<string?>? texts;
        private int state = Unknown;

        public void Reserve(int rows)
        {
            if (state != Textual)
            {
                numbers.EnsureCapacity(rows);
            }
        }

        /// <summary>A cell's bytes: numbers are parsed from them; anything else becomes text first.</summary>
        public void Add(ReadOnlySpan<byte> utf8, long line)
        {
            if (!utf8.IsEmpty && state is Unknown or Numeric && ValueParsing.TryNumber(utf8, out var number))
            {
                state = Numeric;
                numbers.Add((float)number);
                return;
            }

            Add(utf8.IsEmpty ? null : reader.Decode(utf8, line));
        }

        public void Add(string? raw)
        {
            var value = string.IsNullOrEmpty(raw) ? null : raw;
            if (state == Textual)
            {
                texts!.Add(value);
                return;
            }

            if (value is null)
            {
                numbers.Add(float.NaN);
                return;
            }

            if (state != Flag && ValueParsing.TryNumber(value, out var number))
            {
                state = Numeric;
                numbers.Add((float)number);
                return;
            }

            if (state != Numeric && ValueParsing.TryBoolean(value, out var flag))
            {
                state = Flag;
                numbers.Add(flag ? 1 : 0);
                return;
            }

            // Demote to text: earlier values come back as invariant text.
            var kind = state == Flag ? CellKind.Boolean : CellKind.Number;
            texts = new List<string?>(Math.Max(16, numbers.Count * 2));
            foreach (var v in numbers)
            {
                texts.Add(float.IsNaN(v) ? null : kind == CellKind.Boolean ? (v != 0 ? "true" : "false") : v.ToString("R", CultureInfo.InvariantCulture));
            }

            numbers.Clear();
            numbers.TrimExcess();
            texts.Add(value);
            state = Textual;
        }

        public TableColumn Build() => state == Textual
            ? new TableColumn(name, [.. texts!])
            : new TableColumn(name, state == Flag ? ColumnType.Boolean : ColumnType.Number, [.. numbers]);
    }
}
