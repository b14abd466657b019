using Microsoft.ML;
using Microsoft.ML.Data;

namespace NeuroData.Infrastructure.Training;

internal enum ViewKind
{
    Single,
    Boolean,
    Text,
    Key,
}

/// <summary>One column a <see cref="TableDataView"/> exposes, over arrays indexed by table row. <see cref="Rows"/>, when
/// set, replaces the view's row order for this column only (a shuffled column, for permutation importance).</summary>
internal sealed record ViewColumn(
    string Name,
    ViewKind Kind,
    float[]? Floats = null,
    bool[]? Bools = null,
    string?[]? Texts = null,
    uint[]? Keys = null,
    IReadOnlyList<string>? KeyNames = null,
    int[]? Rows = null);

/// <summary>
/// A read-only ML.NET <see cref="IDataView"/> over in-memory columns and a row subset (train, test, a fold), without
/// copying the data. Cursors check the cancellation token every 4096 rows.
/// </summary>
internal sealed class TableDataView : IDataView
{
    private readonly IReadOnlyList<ViewColumn> columns;
    private readonly int[] rows;
    private readonly CancellationToken cancellationToken;

    public TableDataView(IReadOnlyList<ViewColumn> columns, int[] rows, CancellationToken cancellationToken)
    {
        this.columns = columns;
        this.rows = rows;
        this.cancellationToken = cancellationToken;
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
        new([.. columns.Select(c => c.Name == name ? c with { Rows = columnRows } : c)], rows, cancellationToken);

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly TableDataView view;
        private readonly bool[] active;
        private long position = -1;

        public Cursor(TableDataView view, IEnumerable<DataViewSchema.Column> needed)
        {
            this.view = view;
            active = new bool[view.columns.Count];
            foreach (var c in needed)
            {
                active[c.Index] = true;
            }
        }

        public override DataViewSchema Schema => view.Schema;

        public override long Position => position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override bool MoveNext()
        {
            if (position + 1 >= view.rows.Length)
            {
                position = view.rows.Length;
                return false;
            }

            position++;
            if ((position & 0xFFF) == 0)
            {
                view.cancellationToken.ThrowIfCancellationRequested();
            }

            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var c = view.columns[column.Index];
            var map = c.Rows ?? view.rows;
            Delegate getter = c.Kind switch
            {
                ViewKind.Single => (ValueGetter<float>)((ref float v) => v = c.Floats![map[position]]),
                ViewKind.Boolean => (ValueGetter<bool>)((ref bool v) => v = c.Bools![map[position]]),
                ViewKind.Text => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = (c.Texts![map[position]] ?? string.Empty).AsMemory()),
                _ => (ValueGetter<uint>)((ref uint v) => v = c.Keys![map[position]]),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{c.Name}' is {c.Kind}, not {typeof(TValue).Name}.");
        }
    }
}
