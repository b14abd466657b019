using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;
using NeuroData.Domain.Training;

namespace NeuroData.Infrastructure.Training;

/// <summary>Builds the ML.NET pipeline of a trainer: missing numbers filled (linear and distance-based trainers; trees
/// handle them), categories one-hot encoded, columns concatenated into one feature vector, scaled when the trainer
/// needs it, then the trainer. The label is already converted by <see cref="PreparedData"/>, so the model never needs it.</summary>
internal static class Pipelines
{
    public const string FeaturesName = "Features__";

    private static bool IsTree(string trainer) => trainer is TrainerCatalog.LightGbm or TrainerCatalog.FastTree or TrainerCatalog.FastForest;

    /// <summary>
    /// Whether the pipeline would only concatenate the features before the trainer (a tree trainer on numbers only).
    /// Then <see cref="MlNetTrainer"/> trains the trainer alone on <see cref="PreparedData.PackedView"/>: ML.NET runs a
    /// transform over a single-cursor view by splitting the rows across threads and merging them back, which cost more
    /// than LightGBM's own fit on 400,000 rows.
    /// </summary>
    public static bool CanPack(PreparedData data, string trainer) => IsTree(trainer) && data.AllNumeric;

    /// <summary>The concatenating step alone, fitted (it only reads the schema): put before a trainer fitted on packed
    /// features it makes the same model <see cref="Build"/> would, one that reads the named input columns.</summary>
    public static ITransformer Concatenation(MLContext ml, PreparedData data) =>
        ml.Transforms.Concatenate(FeaturesName, [.. data.Features.Select(f => f.Name)]).Fit(data.View([], CancellationToken.None));

    public static IEstimator<ITransformer> Build(MLContext ml, PreparedData data, TrainingTask task, string trainer, IReadOnlyDictionary<string, double> p, int seed)
    {
        var isTree = IsTree(trainer);
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        var numeric = data.Features.Where(f => f.Kind == ViewKind.Single).Select(f => f.Name).ToArray();
        var text = data.Features.Where(f => f.Kind == ViewKind.Text).Select(f => f.Name).ToArray();
        if (!isTree && numeric.Length > 0)
        {
            chain = chain.Append(ml.Transforms.ReplaceMissingValues([.. numeric.Select(n => new InputOutputColumnPair(n, n))], MissingValueReplacingEstimator.ReplacementMode.Mean));
        }

        if (text.Length > 0)
        {
            chain = chain.Append(ml.Transforms.Categorical.OneHotEncoding([.. text.Select(n => new InputOutputColumnPair(n, n))], maximumNumberOfKeys: PreparedData.MaxCategories));
        }

        chain = chain.Append(ml.Transforms.Concatenate(FeaturesName, [.. data.Features.Select(f => f.Name)]));
        if (!isTree)
        {
            chain = chain.Append(ml.Transforms.NormalizeMinMax(FeaturesName)).AppendCacheCheckpoint(ml);
        }

        return chain.Append(Trainer(ml, task, trainer, p, seed));
    }

    private static int I(IReadOnlyDictionary<string, double> p, string name) => (int)p[name];

    private static float F(IReadOnlyDictionary<string, double> p, string name) => (float)p[name];

    private static int? Auto(IReadOnlyDictionary<string, double> p, string name) => p[name] > 0 ? (int)p[name] : null;

    public static IEstimator<ITransformer> Trainer(MLContext ml, TrainingTask task, string trainer, IReadOnlyDictionary<string, double> p, int seed)
    {
        const string label = PreparedData.LabelName;
        const string features = FeaturesName;
        return (task, trainer) switch
        {
            (TrainingTask.BinaryClassification, TrainerCatalog.LightGbm) => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = I(p, "trees"), NumberOfLeaves = I(p, "leaves"),
                LearningRate = p["learningRate"], MinimumExampleCountPerLeaf = I(p, "minLeaf"), Seed = seed, Silent = true,
            }),
            (TrainingTask.BinaryClassification, TrainerCatalog.FastTree) => ml.BinaryClassification.Trainers.FastTree(FastTreeBinary(p, seed)),
            (TrainingTask.BinaryClassification, TrainerCatalog.FastForest) => ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfTrees = I(p, "trees"), NumberOfLeaves = I(p, "leaves"),
                MinimumExampleCountPerLeaf = I(p, "minLeaf"), Seed = seed,
            }),
            (TrainingTask.BinaryClassification, TrainerCatalog.Sdca) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(new SdcaLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L2Regularization = F(p, "l2"), MaximumNumberOfIterations = Auto(p, "iterations"), NumberOfThreads = 1,
            }),
            (TrainingTask.BinaryClassification, TrainerCatalog.Lbfgs) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L1Regularization = F(p, "l1"), L2Regularization = F(p, "l2"), MaximumNumberOfIterations = I(p, "iterations"),
            }),
            (TrainingTask.MulticlassClassification, TrainerCatalog.LightGbm) => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = I(p, "trees"), NumberOfLeaves = I(p, "leaves"),
                LearningRate = p["learningRate"], MinimumExampleCountPerLeaf = I(p, "minLeaf"), Seed = seed, Silent = true,
            }),
            (TrainingTask.MulticlassClassification, TrainerCatalog.FastTree) => ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastTree(FastTreeBinary(p, seed)), labelColumnName: label),
            (TrainingTask.MulticlassClassification, TrainerCatalog.Sdca) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L2Regularization = F(p, "l2"), MaximumNumberOfIterations = Auto(p, "iterations"), NumberOfThreads = 1,
            }),
            (TrainingTask.MulticlassClassification, TrainerCatalog.Lbfgs) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L1Regularization = F(p, "l1"), L2Regularization = F(p, "l2"), MaximumNumberOfIterations = I(p, "iterations"),
            }),
            (TrainingTask.Regression, TrainerCatalog.LightGbm) => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfIterations = I(p, "trees"), NumberOfLeaves = I(p, "leaves"),
                LearningRate = p["learningRate"], MinimumExampleCountPerLeaf = I(p, "minLeaf"), Seed = seed, Silent = true,
            }),
            (TrainingTask.Regression, TrainerCatalog.FastTree) => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfTrees = I(p, "trees"), NumberOfLeaves = I(p, "leaves"),
                LearningRate = p["learningRate"], MinimumExampleCountPerLeaf = I(p, "minLeaf"), Seed = seed,
            }),
            (TrainingTask.Regression, TrainerCatalog.FastForest) => ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, NumberOfTrees = I(p, "trees"), NumberOfLeaves = I(p, "leaves"),
                MinimumExampleCountPerLeaf = I(p, "minLeaf"), Seed = seed,
            }),
            (TrainingTask.Regression, TrainerCatalog.Sdca) => ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options
            {
                LabelColumnName = label, FeatureColumnName = features, L2Regularization = F(p, "l2"), MaximumNumberOfIterations = Auto(p, "iterations"), NumberOfThreads = 1,
            }),
            (TrainingTask.Clustering, TrainerCatalog.KMeans) => ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
            {
                FeatureColumnName = features, NumberOfClusters = I(p, "clusters"), MaximumNumberOfIterations = I(p, "iterations"), NumberOfThreads = 1,
            }),
            (TrainingTask.AnomalyDetection, TrainerCatalog.Pca) => ml.AnomalyDetection.Trainers.RandomizedPca(new RandomizedPcaTrainer.Options
            {
                FeatureColumnName = features, Rank = I(p, "rank"), Seed = seed, EnsureZeroMean = true,
            }),
            _ => throw new TrainingException($"{TrainerCatalog.Find(trainer)?.Name ?? trainer} cannot do {PreparedData.Describe(task).ToLowerInvariant()}; choose one of: {string.Join(", ", TrainerCatalog.For(task).Select(t => t.Id))}."),
        };

        static FastTreeBinaryTrainer.Options FastTreeBinary(IReadOnlyDictionary<string, double> p, int seed) => new()
        {
            LabelColumnName = label, FeatureColumnName = features, NumberOfTrees = I(p, "trees"), NumberOfLeaves = I(p, "leaves"),
            LearningRate = p["learningRate"], MinimumExampleCountPerLeaf = I(p, "minLeaf"), Seed = seed,
        };
    }
}
