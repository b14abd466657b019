using System.Globalization;
using NeuroData.Domain.Training;

namespace NeuroData.Infrastructure.Training;

/// <summary>A hyperparameter: its name (as in <see cref="TrainingRequest.Parameters"/> and the verb's options), default,
/// allowed range and what it does, in words a page can show next to the input.</summary>
public sealed record HyperParameter(string Name, string Label, double Default, double Min, double Max, bool IsInteger, string Explanation);

/// <summary>A trainer the engine offers: its id, the tasks it serves, a description and its hyperparameters.</summary>
public sealed record TrainerInfo(string Id, string Name, IReadOnlyList<TrainingTask> Tasks, string Description, IReadOnlyList<HyperParameter> Parameters);

/// <summary>The static catalogue of trainers and hyperparameters (ML.NET), for the page and the verb.</summary>
public static class TrainerCatalog
{
    public const string Auto = "auto";
    public const string LightGbm = "lightgbm";
    public const string FastTree = "fasttree";
    public const string FastForest = "fastforest";
    public const string Sdca = "sdca";
    public const string Lbfgs = "lbfgs";
    public const string KMeans = "kmeans";
    public const string Pca = "pca";

    private static readonly HyperParameter Trees = new("trees", "Trees", 100, 1, 5000, true,
        "How many trees are built one after another. More trees fit the data more closely but take longer and can overfit.");

    private static readonly HyperParameter Leaves = new("leaves", "Leaves per tree", 31, 2, 1024, true,
        "The most end points each tree may have. More leaves capture finer interactions between columns; fewer generalise better on small data.");

    private static readonly HyperParameter LearningRate = new("learningRate", "Learning rate", 0.1, 0.001, 1, false,
        "How much each new tree corrects the previous ones. Smaller values need more trees but usually generalise better.");

    private static readonly HyperParameter MinLeaf = new("minLeaf", "Minimum rows per leaf", 20, 1, 100_000, true,
        "A leaf must hold at least this many training rows. Larger values stop the trees from memorising rare rows.");

    private static readonly HyperParameter L2 = new("l2", "L2 regularisation", 0.01, 0.000001, 100, false,
        "Penalty on large weights that keeps the model smooth and the optimiser stable. Larger values give simpler models.");

    private static readonly HyperParameter Iterations = new("iterations", "Passes over the data", 0, 0, 10_000, true,
        "How many times the optimiser goes through the data. 0 lets the trainer decide when it has converged.");

    public static IReadOnlyList<TrainerInfo> All { get; } =
    [
        new(Auto, "Auto", [TrainingTask.BinaryClassification, TrainingTask.MulticlassClassification, TrainingTask.Regression, TrainingTask.Clustering, TrainingTask.AnomalyDetection],
            "Tries several trainers and settings with k-fold cross-validation on the training rows and keeps the best by the task's metric (AUC, macro accuracy, R², Davies-Bouldin index).",
            [new("folds", "Folds", 3, 2, 10, true, "How many parts the training rows are split into to compare candidates; each candidate is trained this many times."),
             new("sampleRows", "Rows used to compare", 20_000, 1_000, 1_000_000, true, "Candidates are compared on a random sample of at most this many training rows (the winner then learns from all of them).")]),
        new(LightGbm, "LightGBM", [TrainingTask.BinaryClassification, TrainingTask.MulticlassClassification, TrainingTask.Regression],
            "Gradient-boosted decision trees (LightGBM): usually the most accurate on tables of numbers and categories, and fast.",
            [Trees, Leaves, LearningRate, MinLeaf]),
        new(FastTree, "FastTree", [TrainingTask.BinaryClassification, TrainingTask.MulticlassClassification, TrainingTask.Regression],
            "Gradient-boosted decision trees (ML.NET's own MART implementation); multiclass trains one model per class.",
            [Trees, Leaves with { Default = 20 }, LearningRate with { Default = 0.2 }, MinLeaf with { Default = 10 }]),
        new(FastForest, "FastForest", [TrainingTask.BinaryClassification, TrainingTask.Regression],
            "A random forest: many independent trees on random samples of rows and columns, averaged. Robust and hard to overfit.",
            [Trees, Leaves with { Default = 20 }, MinLeaf with { Default = 10 }]),
        new(Sdca, "SDCA (linear)", [TrainingTask.BinaryClassification, TrainingTask.MulticlassClassification, TrainingTask.Regression],
            "A linear model trained by stochastic dual coordinate ascent (logistic for classification). Fast, easy to interpret; misses interactions between columns.",
            [L2, Iterations]),
        new(Lbfgs, "L-BFGS logistic regression", [TrainingTask.BinaryClassification, TrainingTask.MulticlassClassification],
            "Logistic regression (maximum entropy for several classes) optimised with L-BFGS: a well-calibrated linear classifier.",
            [new("l1", "L1 regularisation", 1, 0, 100, false, "Penalty that pushes unhelpful columns' weights to exactly zero."),
             new("l2", "L2 regularisation", 1, 0, 100, false, "Penalty on large weights that keeps the model smooth."),
             Iterations with { Default = 100, Min = 1 }]),
        new(KMeans, "K-Means", [TrainingTask.Clustering],
            "Groups rows into k clusters around centres (K-Means++ initialisation, columns scaled to 0–1 first).",
            [new("clusters", "Clusters (k)", 3, 2, 100, true, "How many groups to find."),
             Iterations with { Default = 1000, Min = 1, Explanation = "The most refinement passes before the centres are taken as final." }]),
        new(Pca, "Randomized PCA", [TrainingTask.AnomalyDetection],
            "Learns the main directions of the data (principal components); rows far from that subspace are flagged as anomalies.",
            [new("rank", "Components", 2, 1, 100, true, "How many principal directions describe normal rows (capped at the number of feature values minus one)."),
             new("threshold", "Anomaly threshold", 0.5, 0, 1, false, "A row whose normalised score is above this value is flagged as an anomaly.")]),
    ];

    /// <summary>The trainer with that id (case-insensitive), or null.</summary>
    public static TrainerInfo? Find(string id) => All.FirstOrDefault(t => string.Equals(t.Id, id?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The trainers that serve a task.</summary>
    public static IReadOnlyList<TrainerInfo> For(TrainingTask task) => [.. All.Where(t => t.Tasks.Contains(task))];

    /// <summary>
    /// The trainer's full parameter set: each catalogue parameter from <paramref name="given"/> or its default. Unknown
    /// names, out-of-range values and fractions for whole-number parameters fail in plain words.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Resolve(TrainerInfo trainer, IReadOnlyDictionary<string, double>? given)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, _) in given ?? new Dictionary<string, double>())
        {
            if (!trainer.Parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new TrainingException($"{trainer.Name} has no setting '{name}'; its settings are: {string.Join(", ", trainer.Parameters.Select(p => p.Name))}.");
            }
        }

        foreach (var p in trainer.Parameters)
        {
            var value = given?.FirstOrDefault(kv => string.Equals(kv.Key, p.Name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } kv ? kv.Value : p.Default;
            if (double.IsNaN(value) || value < p.Min || value > p.Max)
            {
                throw new TrainingException($"{p.Label} ({p.Name}) must be between {Format(p.Min)} and {Format(p.Max)} (got {Format(value)}).");
            }

            if (p.IsInteger && value != Math.Floor(value))
            {
                throw new TrainingException($"{p.Label} ({p.Name}) must be a whole number (got {Format(value)}).");
            }

            result[p.Name] = value;
        }

        return result;
    }

    private static string Format(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}
