using System.Globalization;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;

namespace NeuroData.Infrastructure.Training;

/// <summary>
/// The table checked against the request and turned into ML.NET columns: feature columns (numbers as Single, categories
/// as text), the label converted for the task (Boolean, key with class names, Single) and the rows that have a label.
/// Every problem is a <see cref="TrainingException"/> in plain words.
/// </summary>
internal sealed class PreparedData
{
    public const string LabelName = "Label__";
    public const int MaxClasses = 1000;
    public const int MaxCategories = 1000;
    public const int MinRows = 10;

    private PreparedData(TrainingTask task, string? label, IReadOnlyList<ViewColumn> features, IReadOnlyList<ModelFeature> inputs, ViewColumn? labelColumn, int[] rows, IReadOnlyList<string> classes, long skipped, IReadOnlyList<string> notes)
    {
        Task = task;
        Label = label;
        Features = features;
        Inputs = inputs;
        LabelColumn = labelColumn;
        Rows = rows;
        Classes = classes;
        Skipped = skipped;
        Notes = notes;
    }

    public TrainingTask Task { get; }

    public string? Label { get; }

    public IReadOnlyList<ViewColumn> Features { get; }

    public IReadOnlyList<ModelFeature> Inputs { get; }

    public ViewColumn? LabelColumn { get; }

    /// <summary>The usable rows (those with a label when there is one), in table order.</summary>
    public int[] Rows { get; }

    /// <summary>Binary: [negative, positive]; multiclass: the classes in key order; otherwise empty.</summary>
    public IReadOnlyList<string> Classes { get; }

    public long Skipped { get; }

    public IReadOnlyList<string> Notes { get; }

    public bool HasLabel => LabelColumn is not null;

    public TableDataView View(int[] rows, CancellationToken ct) => new([.. Features, .. LabelColumn is null ? [] : new[] { LabelColumn }], rows, ct);

    /// <summary>Whether every feature is a number (then a tree trainer can read them as one vector column).</summary>
    public bool AllNumeric => Features.All(f => f.Kind == ViewKind.Single);

    /// <summary>The features as the one vector column <paramref name="name"/> (only when <see cref="AllNumeric"/>), and the label.</summary>
    public TableDataView PackedView(string name, int[] rows, CancellationToken ct) =>
        new([new ViewColumn(name, ViewKind.Vector, Members: Features), .. LabelColumn is null ? [] : new[] { LabelColumn }], rows, ct);

    public static PreparedData Prepare(TrainingTable table, TrainingTask task, string? label, IReadOnlyList<FeatureColumn> features)
    {
        var notes = new List<string>();
        label = string.IsNullOrWhiteSpace(label) ? null : label;
        if (label is null && task is not (TrainingTask.Clustering or TrainingTask.AnomalyDetection))
        {
            throw new TrainingException($"{Describe(task)} needs a label column: the column the model learns to predict.");
        }

        if (task == TrainingTask.Clustering && label is not null)
        {
            notes.Add($"Clustering does not use a label; column '{label}' was ignored.");
            label = null;
        }

        if (features is null || features.Count == 0)
        {
            throw new TrainingException("There are no feature columns: choose at least one column (besides the label) for the model to learn from.");
        }

        var featureColumns = new List<ViewColumn>();
        var inputs = new List<ModelFeature>();
        foreach (var f in features.DistinctBy(f => f.Name, StringComparer.Ordinal))
        {
            if (label is not null && string.Equals(f.Name, label, StringComparison.Ordinal))
            {
                throw new TrainingException($"The label column '{label}' cannot also be a feature: the model would see the answer.");
            }

            var column = table.Find(f.Name) ?? throw new TrainingException($"There is no column '{f.Name}' in the data. Its columns are: {ListColumns(table)}.");
            if (f.TreatAs is { } t)
            {
                column = column.As(t);
            }

            if (Enumerable.Range(0, table.RowCount).All(column.IsMissing))
            {
                notes.Add($"Column '{f.Name}' has no values and was left out.");
                continue;
            }

            if (column.Kind == CellKind.Text)
            {
                var categories = column.Texts!.Where(v => v is not null).GroupBy(v => v!, StringComparer.Ordinal)
                    .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
                if (categories.Count > MaxCategories)
                {
                    notes.Add($"Column '{f.Name}' has {categories.Count:N0} distinct values; it is used as a category and only values seen first ({MaxCategories:N0}) get their own indicator.");
                }

                featureColumns.Add(new ViewColumn(column.Name, ViewKind.Text, Texts: column.Texts));
                inputs.Add(new ModelFeature(column.Name, "category", column.SourceType, [.. categories.Take(100)]));
            }
            else
            {
                featureColumns.Add(new ViewColumn(column.Name, ViewKind.Single, Floats: column.Numbers));
                inputs.Add(new ModelFeature(column.Name, column.Kind == CellKind.Boolean ? "boolean" : "number", column.SourceType, []));
            }
        }

        if (featureColumns.Count == 0)
        {
            throw new TrainingException("There are no feature columns left: every chosen column is empty.");
        }

        ViewColumn? labelColumn = null;
        IReadOnlyList<string> classes = [];
        var rows = Enumerable.Range(0, table.RowCount).ToArray();
        if (label is not null)
        {
            var source = table.Find(label) ?? throw new TrainingException($"There is no label column '{label}' in the data. Its columns are: {ListColumns(table)}.");
            rows = [.. rows.Where(r => !source.IsMissing(r))];
            if (rows.Length == 0)
            {
                throw new TrainingException($"The label column '{label}' has no values.");
            }

            (labelColumn, classes) = task switch
            {
                TrainingTask.BinaryClassification or TrainingTask.AnomalyDetection => BinaryLabel(source, rows, task),
                TrainingTask.MulticlassClassification => MulticlassLabel(source, rows),
                _ => RegressionLabel(source, rows),
            };
        }

        var skipped = table.RowCount - rows.Length;
        if (skipped > 0)
        {
            notes.Add($"{skipped:N0} rows without a value in '{label}' were left out.");
        }

        if (rows.Length < MinRows)
        {
            throw new TrainingException($"There are only {rows.Length} usable rows; at least {MinRows} are needed to train and test a model.");
        }

        return new PreparedData(task, label, featureColumns, inputs, labelColumn, rows, classes, skipped, notes);
    }

    private static (ViewColumn, IReadOnlyList<string>) BinaryLabel(TableColumn source, int[] rows, TrainingTask task)
    {
        var distinct = Distinct(source, rows, 3);
        if (distinct.Count == 1)
        {
            throw OneValue(source.Name, distinct[0]);
        }

        if (distinct.Count > 2)
        {
            var n = Distinct(source, rows, MaxClasses + 1).Count;
            var count = n > MaxClasses ? $"more than {MaxClasses:N0}" : n.ToString(CultureInfo.InvariantCulture);
            throw task == TrainingTask.AnomalyDetection
                ? new TrainingException($"The label column of anomaly detection marks known anomalies with two values (true/false); '{source.Name}' has {count} distinct values.")
                : source.Kind == CellKind.Text
                    ? new TrainingException($"The label column '{source.Name}' is text with {count} distinct values: choose multiclass classification.")
                    : new TrainingException($"The label column '{source.Name}' has {count} distinct values, not two: choose multiclass classification (a few classes) or regression (a quantity).");
        }

        // distinct is sorted: the larger value (true, 1, "yes" after "no") is the positive class.
        var negative = distinct[0];
        var positive = distinct[1];
        var bools = new bool[source.Length];
        foreach (var r in rows)
        {
            bools[r] = string.Equals(source.TextAt(r), positive, StringComparison.Ordinal);
        }

        // ML.NET's anomaly evaluator takes the label as a number (1 = anomaly), the binary one as a Boolean.
        return task == TrainingTask.AnomalyDetection
            ? (new ViewColumn(LabelName, ViewKind.Single, Floats: [.. bools.Select(b => b ? 1f : 0f)]), [negative, positive])
            : (new ViewColumn(LabelName, ViewKind.Boolean, Bools: bools), [negative, positive]);
    }

    private static (ViewColumn, IReadOnlyList<string>) MulticlassLabel(TableColumn source, int[] rows)
    {
        var classes = Distinct(source, rows, MaxClasses + 1);
        if (classes.Count == 1)
        {
            throw OneValue(source.Name, classes[0]);
        }

        if (classes.Count > MaxClasses)
        {
            throw new TrainingException($"The label column '{source.Name}' has more than {MaxClasses:N0} distinct values; that is too many classes (is it an identifier or a quantity? then choose regression or another label).");
        }

        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (uint)(p.i + 1), StringComparer.Ordinal);
        var keys = new uint[source.Length];
        foreach (var r in rows)
        {
            keys[r] = index[source.TextAt(r)!];
        }

        return (new ViewColumn(LabelName, ViewKind.Key, Keys: keys, KeyNames: classes), classes);
    }

    private static (ViewColumn, IReadOnlyList<string>) RegressionLabel(TableColumn source, int[] rows)
    {
        if (source.Kind == CellKind.Text)
        {
            throw new TrainingException($"The label column '{source.Name}' is text: choose multiclass classification (or binary when it has two values), or retype it as a number.");
        }

        var distinct = Distinct(source, rows, 2);
        if (distinct.Count == 1)
        {
            throw OneValue(source.Name, distinct[0]);
        }

        return (new ViewColumn(LabelName, ViewKind.Single, Floats: source.Numbers), []);
    }

    /// <summary>Up to <paramref name="max"/> distinct values as text, sorted (numbers by value, text ordinally).</summary>
    private static List<string> Distinct(TableColumn source, int[] rows, int max)
    {
        if (source.Kind == CellKind.Text)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in rows)
            {
                if (set.Add(source.Texts![r]!) && set.Count >= max)
                {
                    break;
                }
            }

            return [.. set.Order(StringComparer.Ordinal)];
        }

        var numbers = new HashSet<float>();
        foreach (var r in rows)
        {
            if (numbers.Add(source.Numbers![r]) && numbers.Count >= max)
            {
                break;
            }
        }

        return [.. numbers.Order().Select(v => source.Kind == CellKind.Boolean ? (v != 0 ? "true" : "false") : v.ToString("R", CultureInfo.InvariantCulture))];
    }

    private static TrainingException OneValue(string column, string value) =>
        new($"The label column '{column}' has 1 distinct value ('{value}'): a model cannot learn anything from it. Choose another label or data with more than one value.");

    private static string ListColumns(TrainingTable table)
    {
        var names = table.Columns.Select(c => c.Name).Take(30).ToList();
        return string.Join(", ", names) + (table.Columns.Count > 30 ? ", ..." : string.Empty);
    }

    internal static string Describe(TrainingTask task) => task switch
    {
        TrainingTask.BinaryClassification => "Binary classification",
        TrainingTask.MulticlassClassification => "Multiclass classification",
        TrainingTask.Regression => "Regression",
        TrainingTask.Clustering => "Clustering",
        _ => "Anomaly detection",
    };
}

/// <summary>A model input as the model file records it: name, kind (number, boolean, category), the type it had in
/// the data (to parse values the same way) and up to 100 known categories.</summary>
internal sealed record ModelFeature(string Name, string Kind, ColumnType SourceType, IReadOnlyList<string> Categories);
