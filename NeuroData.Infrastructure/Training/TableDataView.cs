using Microsoft.ML;
using Microsoft.ML.Data;

namespace NeuroData.Infrastructure.Training;

internal enum ViewKind
{
    Single,
    Boolean,
    Text,
    Key,

    /// <summary>Several <see cref="Single"/> columns read as one vector (the trainer's feature vector, without a
    /// concatenating transform in between).</summary>
    Vector,
}

/// <summary>One column a <see cref="TableDataView"/> exposes, over arrays indexed by table row. <see cref="Rows"/>, when
/// set, replaces the view's row order for this column only (a shuffled column, for permutation importance). A
/// <see cref="ViewKind.Vector"/> column reads its <see cref="Members"/> (each with its own <see cref="Rows"/>).</summary>
internal sealed record ViewColumn(
    string Name,
    ViewKind Kind,
    float[]? Floats = null,
    bool[]? Bools = null,
    string?[]? Texts = null,
    uint[]? Keys = null,
    IReadOnlyList<string>? KeyNames = null,
    int[]? Rows = null,
    IReadOnlyList<ViewColumn>? Members = null);

/// <summary>
/// A read-only ML.NET <see cref="IDataView"/> over in-memory columns and a row subset (train, test, a fold), without
/// copying the data, except a <see cref="ViewKind.Vector"/> column: its values are copied once, on the first cursor,
/// into one row-major array in the view's row order (trainers read the rows several times, and reading shuffled rows
/// from twenty column arrays missed the cache on nearly every value). Cursors check the cancellation token every 4096
/// rows.
/// </summary>
internal sealed class TableDataView : IDataView
{
    private readonly IReadOnlyList<ViewColumn> columns;
    private readonly int[] rows;
    private readonly CancellationToken cancellationToken;
    private readonly Lazy<float[]>?[] packed;

    public TableDataView(IReadOnlyList<ViewColumn> columns, int[] rows, CancellationToken cancellationToken)
    {
        this.columns = columns;
        this.rows = rows;
        this.cancellationToken = cancellationToken;
        packed = [.. columns.Select(c => c.Kind == ViewKind.Vector ? new Lazy<float[]>(() => Pack(c.Members!)) : null)];
        var builder = new DataViewSchema.Builder();
        foreach (var c in columns)
        {
            switch (c.Kind)
            {
                case ViewKind.Single:
                    builder.AddColumn(c.Name, NumberDataViewType.Single);
                    break;
                case ViewKind.Boolean:
                    builder.AddColumn(c.Name, BooleanDataViewType.Instance);
                    break;
                case ViewKind.Text:
                    builder.AddColumn(c.Name, TextDataViewType.Instance);
                    break;
                case ViewKind.Vector:
                    builder.AddColumn(c.Name, new VectorDataViewType(NumberDataViewType.Single, c.Members!.Count));
                    break;
                default:
                    builder.AddColumn(c.Name, new KeyDataViewType(typeof(uint), c.KeyNames!.Count));
                    break;
            }
        }

        Schema = builder.ToSchema();
    }

    public IReadOnlyList<ViewColumn> Columns => columns;

    public int[] Rows => rows;

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => rows.Length;

    /// <summary>The same columns over other rows.</summary>
    public TableDataView WithRows(int[] other) => new(columns, other, cancellationToken);

    /// <summary>The same view with one column's values taken from other rows.</summary>
    public TableDataView WithColumnRows(string name, int[] columnRows) =>
        new([.. columns.Select(c => Reorder(c, name, columnRows))], rows, cancellationToken);

    private static ViewColumn Reorder(ViewColumn column, string name, int[] columnRows) =>
        column.Name == name ? column with { Rows = columnRows }
        : column.Members is { } members ? column with { Members = [.. members.Select(m => Reorder(m, name, columnRows))] }
        : column;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded, 0, rows.Length, 0);

    /// <summary>
    /// <paramref name="n"/> cursors over consecutive parts of the rows, each one batch numbered in row order (so ML.NET
    /// merges them back in order). Without this ML.NET splits a single cursor across threads itself, row by row through
    /// a queue, which cost more than scoring the rows.
    /// </summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var parts = Math.Clamp(Math.Min(n, rows.Length / MinRowsPerCursor), 1, Environment.ProcessorCount);
        var cursors = new DataViewRowCursor[parts];
        for (var p = 0; p < parts; p++)
        {
            cursors[p] = new Cursor(this, needed, (int)((long)rows.Length * p / parts), (int)((long)rows.Length * (p + 1) / parts), p);
        }

        return cursors;
    }

    /// <summary>The members' values for the view's rows, row after row.</summary>
    private float[] Pack(IReadOnlyList<ViewColumn> members)
    {
        var width = members.Count;
        var values = new float[(long)rows.Length * width];
        for (var j = 0; j < width; j++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var source = members[j].Floats!;
            var map = members[j].Rows ?? rows;
            for (var i = 0; i < rows.Length; i++)
            {
                values[((long)i * width) + j] = source[map[i]];
            }
        }

        return values;
    }

    /// <summary>Fewer rows than this per cursor are not worth a thread.</summary>
    private const int MinRowsPerCursor = 4096;

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly TableDataView view;
        private readonly bool[] active;
        private readonly int end;
        private readonly long batch;
        private int row;
        private long position = -1;

        public Cursor(TableDataView view, IEnumerable<DataViewSchema.Column> needed, int start, int end, long batch)
        {
            this.view = view;
            this.end = end;
            this.batch = batch;
            row = start - 1;
            active = new bool[view.columns.Count];
            foreach (var c in needed)
            {
                active[c.Index] = true;
            }
        }

        public override DataViewSchema Schema => view.Schema;

        public override long Position => position;

        public override long Batch => batch;

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override bool MoveNext()
        {
            if (row + 1 >= end)
            {
                row = end;
                return false;
            }

            row++;
            position++;
            if ((position & 0xFFF) == 0)
            {
                view.cancellationToken.ThrowIfCancellationRequested();
            }

            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var c = view.columns[column.Index];
            var map = c.Rows ?? view.rows;
            Delegate getter = c.Kind switch
            {
                ViewKind.Vector => VectorGetter(view.packed[column.Index]!.Value, c.Members!.Count),
                ViewKind.Single => (ValueGetter<float>)((ref float v) => v = c.Floats![map[row]]),
                ViewKind.Boolean => (ValueGetter<bool>)((ref bool v) => v = c.Bools![map[row]]),
                ViewKind.Text => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = (c.Texts![map[row]] ?? string.Empty).AsMemory()),
                _ => (ValueGetter<uint>)((ref uint v) => v = c.Keys![map[row]]),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{c.Name}' is {c.Kind}, not {typeof(TValue).Name}.");
        }

        private ValueGetter<VBuffer<float>> VectorGetter(float[] values, int width) =>
            (ref VBuffer<float> v) =>
            {
                var editor = VBufferEditor.Create(ref v, width);
                values.AsSpan((int)((long)row * width), width).CopyTo(editor.Values);
                v = editor.Commit();
            };
    }
}
