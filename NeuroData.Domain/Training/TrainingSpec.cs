using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;

namespace NeuroData.Domain.Training;

/// <summary>How the training data file is stored.</summary>
public enum TrainingDataFormat
{
    /// <summary>The typed training form written at ingest (types come from the file).</summary>
    Parquet,

    /// <summary>A CSV file with a header (types inferred from every value, as ingest does).</summary>
    Csv,
}

/// <summary>A feature column, optionally retyped: <see cref="ColumnType.Text"/> = categorical (one-hot),
/// <see cref="ColumnType.Number"/> = numeric (text that is not a number becomes missing), null = as profiled.</summary>
public sealed record FeatureColumn(string Name, ColumnType? TreatAs = null);

/// <summary>Hold-out split (a fraction of the rows kept for testing) or k-fold cross-validation (<see cref="Folds"/> &gt; 1).</summary>
public sealed record ValidationPlan(double TestFraction = 0.2, int Folds = 0)
{
    public static ValidationPlan HoldOut(double testFraction = 0.2) => new(testFraction, 0);

    public static ValidationPlan KFold(int folds) => new(0.2, folds);

    public bool IsCrossValidation => Folds > 1;
}

/// <summary>What one run may use. Exceeding one stops the run with a <see cref="TrainingLimitException"/>.</summary>
public sealed record TrainingLimits(long MaxRows = 10_000_000, TimeSpan? MaxDuration = null, long MaxMemoryBytes = 8L << 30)
{
    public static TrainingLimits Default { get; } = new();

    public TimeSpan Duration => MaxDuration ?? TimeSpan.FromHours(1);
}

/// <summary>Everything a training run needs. <see cref="Trainer"/> is a catalogue id (lightgbm, fasttree, ..., auto);
/// <see cref="Parameters"/> are its hyperparameters by catalogue name (missing ones take their defaults).</summary>
public sealed record TrainingRequest(
    string DataPath,
    TrainingDataFormat Format,
    TrainingTask Task,
    string Trainer,
    string? LabelColumn,
    IReadOnlyList<FeatureColumn> Features,
    IReadOnlyDictionary<string, double>? Parameters = null,
    ValidationPlan? Validation = null,
    int Seed = 1,
    TrainingLimits? Limits = null,
    string? ModelOutputPath = null);

/// <summary>A progress report: what the engine is doing, how far, and an estimate of the time left (when known).</summary>
public sealed record TrainingProgress(
    string Stage,
    int Percent,
    long Rows,
    string? Trainer,
    int Iteration,
    int Iterations,
    TimeSpan Elapsed,
    TimeSpan? Remaining);

/// <summary>What training produced: the metrics (also as JSON) and the model file, if one was asked for.</summary>
public sealed record TrainingOutcome(TrainingMetrics Metrics, string MetricsJson, string? ModelPath, long ModelSizeBytes);

/// <summary>A run that cannot go on, in plain words for the user ("label column 'y' has 1 distinct value").</summary>
public class TrainingException : DomainException
{
    public TrainingException(string message)
        : base(message)
    {
    }

    public TrainingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A run stopped by one of its <see cref="TrainingLimits"/> (rows, time, memory).</summary>
public sealed class TrainingLimitException : TrainingException
{
    public TrainingLimitException(string message)
        : base(message)
    {
    }
}
