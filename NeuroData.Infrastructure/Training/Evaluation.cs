using Microsoft.ML;
using Microsoft.ML.Data;
using NeuroData.Domain.Training;
using AnomalyMetrics = NeuroData.Domain.Training.AnomalyMetrics;
using BinaryMetrics = NeuroData.Domain.Training.BinaryMetrics;
using ClusteringMetrics = NeuroData.Domain.Training.ClusteringMetrics;
using ConfusionMatrix = NeuroData.Domain.Training.ConfusionMatrix;
using MulticlassMetrics = NeuroData.Domain.Training.MulticlassMetrics;
using RegressionMetrics = NeuroData.Domain.Training.RegressionMetrics;

namespace NeuroData.Infrastructure.Training;

/// <summary>The task's metrics on scored rows, with chart data (ROC curve, confusion matrix, samples of predicted vs
/// actual and residuals). <see cref="Primary"/> is the headline metric used to compare runs, folds and Auto candidates.</summary>
internal sealed record EvaluationResult(
    double Primary,
    BinaryMetrics? Binary = null,
    MulticlassMetrics? Multiclass = null,
    RegressionMetrics? Regression = null,
    ClusteringMetrics? Clustering = null,
    AnomalyMetrics? Anomaly = null);

internal static class Evaluation
{
    public const int RocPoints = 101;
    public const int SamplePoints = 500;

    public static (string Name, bool HigherIsBetter) PrimaryOf(TrainingTask task, bool hasLabel) => task switch
    {
        TrainingTask.BinaryClassification => ("AUC", true),
        TrainingTask.MulticlassClassification => ("MacroAccuracy", true),
        TrainingTask.Regression => ("RSquared", true),
        TrainingTask.Clustering => ("DaviesBouldinIndex", false),
        _ => hasLabel ? ("AUC", true) : ("FlaggedShare", false),
    };

    /// <summary>Only the headline metric (cheap: used for folds, Auto candidates and permutation importance).</summary>
    public static double Primary(MLContext ml, PreparedData data, IDataView scored, double anomalyThreshold) =>
        Evaluate(ml, data, scored, anomalyThreshold, details: false).Primary;

    public static EvaluationResult Evaluate(MLContext ml, PreparedData data, IDataView scored, double anomalyThreshold, bool details = true)
    {
        const string label = PreparedData.LabelName;
        if (details)
        {
            // The metrics and the chart data read the scored rows several times; score them once.
            scored = ScoreOnce(ml, scored, data.Task == TrainingTask.Clustering);
        }

        switch (data.Task)
        {
            case TrainingTask.BinaryClassification:
            {
                var labels = scored.GetColumn<bool>(label).ToArray();
                var positives = labels.Count(l => l);
                if (positives == 0 || positives == labels.Length)
                {
                    throw new TrainingException($"The test rows hold only one class ('{(positives == 0 ? data.Classes[0] : data.Classes[1])}'), so the model cannot be measured; use more data or a larger test fraction.");
                }

                var calibrated = scored.Schema.GetColumnOrNull("Probability") is not null;
                BinaryClassificationMetrics m = calibrated
                    ? ml.BinaryClassification.Evaluate(scored, label)
                    : ml.BinaryClassification.EvaluateNonCalibrated(scored, label);
                if (!details)
                {
                    return new EvaluationResult(m.AreaUnderRocCurve);
                }

                var scores = scored.GetColumn<float>("Score").ToArray();
                var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
                long tn = 0, fp = 0, fn = 0, tp = 0;
                for (var i = 0; i < labels.Length; i++)
                {
                    _ = (labels[i], predicted[i]) switch
                    {
                        (false, false) => tn++,
                        (false, true) => fp++,
                        (true, false) => fn++,
                        _ => tp++,
                    };
                }

                var matrix = new ConfusionMatrix(data.Classes, [[tn, fp], [fn, tp]]);
                return new EvaluationResult(m.AreaUnderRocCurve, Binary: new BinaryMetrics(
                    data.Classes[1], data.Classes[0], m.AreaUnderRocCurve, m.Accuracy, Finite(m.F1Score), Finite(m.PositivePrecision), Finite(m.PositiveRecall),
                    m is CalibratedBinaryClassificationMetrics c ? Finite(c.LogLoss) : null, matrix, Roc(labels, scores)));
            }

            case TrainingTask.MulticlassClassification:
            {
                var m = ml.MulticlassClassification.Evaluate(scored, label);
                if (!details)
                {
                    return new EvaluationResult(m.MacroAccuracy);
                }

                var k = data.Classes.Count;
                var counts = new long[k][];
                for (var i = 0; i < k; i++)
                {
                    counts[i] = new long[k];
                }

                var actual = scored.GetColumn<uint>(label).ToArray();
                var predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
                for (var i = 0; i < actual.Length; i++)
                {
                    if (actual[i] > 0 && predicted[i] > 0)
                    {
                        counts[actual[i] - 1][predicted[i] - 1]++;
                    }
                }

                var f1 = new List<double>();
                for (var c = 0; c < k; c++)
                {
                    double rowSum = counts[c].Sum(), colSum = counts.Sum(r => r[c]), hit = counts[c][c];
                    if (rowSum == 0)
                    {
                        continue;
                    }

                    var precision = colSum == 0 ? 0 : hit / colSum;
                    var recall = hit / rowSum;
                    f1.Add(precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
                }

                return new EvaluationResult(m.MacroAccuracy, Multiclass: new MulticlassMetrics(
                    m.MicroAccuracy, m.MacroAccuracy, Finite(m.LogLoss), f1.Count == 0 ? 0 : f1.Average(),
                    new ConfusionMatrix(data.Classes, [.. counts.Select(r => (IReadOnlyList<long>)r)])));
            }

            case TrainingTask.Regression:
            {
                var m = ml.Regression.Evaluate(scored, label);
                if (!details)
                {
                    return new EvaluationResult(m.RSquared);
                }

                var actual = scored.GetColumn<float>(label).ToArray();
                var predicted = scored.GetColumn<float>("Score").ToArray();
                var step = Math.Max(1, actual.Length / SamplePoints);
                var pairs = new List<PredictedActual>();
                var residuals = new List<Residual>();
                for (var i = 0; i < actual.Length; i += step)
                {
                    pairs.Add(new PredictedActual(actual[i], predicted[i]));
                    residuals.Add(new Residual(predicted[i], actual[i] - predicted[i]));
                }

                return new EvaluationResult(m.RSquared, Regression: new RegressionMetrics(m.RootMeanSquaredError, m.MeanAbsoluteError, m.RSquared, pairs, residuals));
            }

            case TrainingTask.Clustering:
            {
                var m = ml.Clustering.Evaluate(scored, scoreColumnName: "Score", featureColumnName: Pipelines.FeaturesName);
                var clusters = scored.GetColumn<uint>("PredictedLabel").ToArray();
                var k = clusters.Length == 0 ? 0 : (int)clusters.Max();
                var sizes = new long[k];
                foreach (var c in clusters)
                {
                    if (c > 0)
                    {
                        sizes[c - 1]++;
                    }
                }

                return new EvaluationResult(Finite(m.DaviesBouldinIndex), Clustering: new ClusteringMetrics(k, m.AverageDistance, Finite(m.DaviesBouldinIndex), sizes));
            }

            default:
            {
                var scores = scored.GetColumn<float>("Score").ToArray();
                var flagged = scores.LongCount(s => s > anomalyThreshold);
                if (!data.HasLabel)
                {
                    return new EvaluationResult(scores.Length == 0 ? 0 : (double)flagged / scores.Length, Anomaly: new AnomalyMetrics(flagged, anomalyThreshold, null, null, null, null));
                }

                var labels = scored.GetColumn<float>(label).Select(l => l > 0.5f).ToArray();
                var known = labels.LongCount(l => l);
                if (known == 0 || known == labels.Length)
                {
                    throw new TrainingException("The test rows hold no known anomaly (or only anomalies), so the detector cannot be measured; use more data or a larger test fraction.");
                }

                var m = ml.AnomalyDetection.Evaluate(scored, label, falsePositiveCount: 10);

                // Of the rows ranked most anomalous, as many as there are known anomalies: how many are anomalies.
                var top = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Take((int)known).Count(i => labels[i]);
                return new EvaluationResult(m.AreaUnderRocCurve, Anomaly: new AnomalyMetrics(
                    flagged, anomalyThreshold, m.AreaUnderRocCurve, m.DetectionRateAtFalsePositiveCount, (double)top / known, known));
            }
        }
    }

    /// <summary>The ROC curve at about <see cref="RocPoints"/> thresholds (from the scores' quantiles), from (0,0) to (1,1).</summary>
    internal static IReadOnlyList<RocPoint> Roc(bool[] labels, float[] scores)
    {
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
        long positives = labels.LongCount(l => l), negatives = labels.Length - positives;
        var points = new List<RocPoint> { new(0, 0, double.PositiveInfinity) };
        long tp = 0, fp = 0;
        var every = Math.Max(1, order.Length / (RocPoints - 1));
        for (var j = 0; j < order.Length; j++)
        {
            var i = order[j];
            if (labels[i])
            {
                tp++;
            }
            else
            {
                fp++;
            }

            var lastOfScore = j == order.Length - 1 || scores[order[j + 1]] != scores[i];
            if (lastOfScore && ((j + 1) % every == 0 || j == order.Length - 1))
            {
                points.Add(new RocPoint((double)fp / negatives, (double)tp / positives, scores[i]));
            }
        }

        return points;
    }

    /// <summary>
    /// A view that runs the model over the rows once and keeps the columns the evaluation reads (each pass over
    /// <paramref name="scored"/> itself would run the model again).
    /// </summary>
    private static IDataView ScoreOnce(MLContext ml, IDataView scored, bool withFeatures)
    {
        string[] wanted = withFeatures
            ? [PreparedData.LabelName, "Score", "Probability", "PredictedLabel", Pipelines.FeaturesName]
            : [PreparedData.LabelName, "Score", "Probability", "PredictedLabel"];
        var present = wanted.Where(c => scored.Schema.GetColumnOrNull(c) is not null).ToArray();
        return ml.Data.Cache(scored, present);
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;
}
