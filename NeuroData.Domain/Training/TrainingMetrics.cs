namespace NeuroData.Domain.Training;

/// <summary>
/// The evaluation of a run, serialisable with System.Text.Json so a page can render it: the task's metric block,
/// chart data (ROC curve, confusion matrix, predicted vs actual, residuals, permutation feature importance), the
/// folds of a cross-validation and the trials of "Auto". Metrics are measured on rows the model did not learn from.
/// </summary>
public sealed record TrainingMetrics
{
    public required TrainingTask Task { get; init; }

    /// <summary>The catalogue id of the trainer that produced the model (for Auto: the winner).</summary>
    public required string Trainer { get; init; }

    public required IReadOnlyDictionary<string, double> Parameters { get; init; }

    /// <summary>"hold-out 20%" or "5-fold cross-validation".</summary>
    public required string Validation { get; init; }

    public required int Seed { get; init; }

    public required long TrainingRows { get; init; }

    public required long TestRows { get; init; }

    /// <summary>Rows left out because their label was missing.</summary>
    public long SkippedRows { get; init; }

    public required IReadOnlyList<string> Features { get; init; }

    public string? Label { get; init; }

    /// <summary>Name of the task's headline metric (AUC, MacroAccuracy, RSquared, DaviesBouldinIndex, ...).</summary>
    public required string PrimaryMetric { get; init; }

    public required double PrimaryValue { get; init; }

    /// <summary>True when a larger <see cref="PrimaryValue"/> is better.</summary>
    public required bool HigherIsBetter { get; init; }

    public required double Seconds { get; init; }

    public BinaryMetrics? Binary { get; init; }

    public MulticlassMetrics? Multiclass { get; init; }

    public RegressionMetrics? Regression { get; init; }

    public ClusteringMetrics? Clustering { get; init; }

    public AnomalyMetrics? Anomaly { get; init; }

    /// <summary>Permutation importance: how much the headline metric drops when one column's values are shuffled.</summary>
    public IReadOnlyList<FeatureImportance> FeatureImportance { get; init; } = [];

    /// <summary>k-fold: the headline metric of each fold (the detailed blocks are those of fold 1).</summary>
    public IReadOnlyList<FoldResult> Folds { get; init; } = [];

    /// <summary>Auto: every candidate tried, with its cross-validated headline metric.</summary>
    public IReadOnlyList<AutoTrial> AutoTrials { get; init; } = [];

    /// <summary>Things the user should know (columns dropped, values treated as missing, samples taken).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

public sealed record BinaryMetrics(
    string PositiveClass,
    string NegativeClass,
    double Auc,
    double Accuracy,
    double F1,
    double Precision,
    double Recall,
    double? LogLoss,
    ConfusionMatrix ConfusionMatrix,
    IReadOnlyList<RocPoint> RocCurve);

public sealed record MulticlassMetrics(
    double MicroAccuracy,
    double MacroAccuracy,
    double LogLoss,
    double MacroF1,
    ConfusionMatrix ConfusionMatrix);

public sealed record RegressionMetrics(
    double Rmse,
    double Mae,
    double RSquared,
    IReadOnlyList<PredictedActual> PredictedVsActual,
    IReadOnlyList<Residual> Residuals);

public sealed record ClusteringMetrics(
    int Clusters,
    double AverageDistance,
    double DaviesBouldinIndex,
    IReadOnlyList<long> ClusterSizes);

/// <summary>Anomaly detection: how many rows the model flags; with a true/false label, how well it finds them.</summary>
public sealed record AnomalyMetrics(
    long FlaggedRows,
    double ScoreThreshold,
    double? Auc,
    double? DetectionRateAtFalsePositives,
    double? PrecisionAtKnownCount,
    long? KnownAnomalies);

/// <summary>Rows = actual class, columns = predicted class, in <see cref="Classes"/> order.</summary>
public sealed record ConfusionMatrix(IReadOnlyList<string> Classes, IReadOnlyList<IReadOnlyList<long>> Counts);

public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);

public sealed record PredictedActual(double Actual, double Predicted);

public sealed record Residual(double Predicted, double Error);

public sealed record FeatureImportance(string Column, double Drop);

public sealed record FoldResult(int Fold, long TrainingRows, long TestRows, double PrimaryValue);

public sealed record AutoTrial(string Trainer, IReadOnlyDictionary<string, double> Parameters, double PrimaryValue, double Seconds, string? Failure);

/// <summary>A model's inputs and output, from its file.</summary>
public sealed record ModelDescription(
    TrainingTask Task,
    string Trainer,
    string? Label,
    IReadOnlyList<ModelInput> Inputs,
    IReadOnlyList<string> Classes);

/// <summary>One input of a model: <see cref="Kind"/> is "number" or "category"; <see cref="Categories"/> lists the values seen in training (categories only, at most 100).</summary>
public sealed record ModelInput(string Name, string Kind, IReadOnlyList<string> Categories);

/// <summary>
/// One prediction. Binary: <see cref="Label"/> (the class), <see cref="Probability"/> of the positive class when the
/// trainer is calibrated, <see cref="Score"/>. Multiclass: <see cref="Label"/> and <see cref="ClassProbabilities"/>.
/// Regression: <see cref="Value"/>. Clustering: <see cref="Cluster"/> (1-based) and <see cref="Score"/> (distance).
/// Anomaly: <see cref="IsAnomaly"/> and <see cref="Score"/>.
/// </summary>
public sealed record PredictionResult(
    string? Label = null,
    double? Score = null,
    double? Probability = null,
    double? Value = null,
    int? Cluster = null,
    bool? IsAnomaly = null,
    IReadOnlyDictionary<string, double>? ClassProbabilities = null);
