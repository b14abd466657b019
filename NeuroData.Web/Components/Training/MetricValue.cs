using NeuroData.Domain.Training;

namespace NeuroData.Web.Components.Training;

/// <summary>One scalar metric of a run, as a card or a comparison row shows it.</summary>
/// <param name="Key">Stable key (auc, accuracy, rmse, ...), also the element id suffix.</param>
/// <param name="Label">Display name.</param>
/// <param name="Value">The value.</param>
/// <param name="HigherIsBetter">True when larger is better, false when smaller is; null when neither (a count). The comparison highlights the best.</param>
/// <param name="Help">What the metric means, in one sentence.</param>
public sealed record MetricValue(string Key, string Label, double Value, bool? HigherIsBetter, string Help)
{
    /// <summary>The task's scalar metrics, headline first.</summary>
    public static IReadOnlyList<MetricValue> Of(TrainingMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var list = new List<MetricValue>();
        if (metrics.Binary is { } b)
        {
            list.Add(new("auc", "AUC", b.Auc, true, "Chance that a random positive row scores above a random negative one (0.5 = guessing, 1 = perfect)."));
            list.Add(new("accuracy", "Accuracy", b.Accuracy, true, "Share of test rows classified correctly."));
            list.Add(new("f1", "F1", b.F1, true, "Balance of precision and recall for the positive class."));
            list.Add(new("precision", "Precision", b.Precision, true, "Of the rows predicted positive, the share that are."));
            list.Add(new("recall", "Recall", b.Recall, true, "Of the positive rows, the share found."));
            if (b.LogLoss is { } logLoss)
            {
                list.Add(new("logloss", "Log-loss", logLoss, false, "How far the predicted probabilities are from the truth (lower is better)."));
            }
        }

        if (metrics.Multiclass is { } m)
        {
            list.Add(new("macro-accuracy", "Macro accuracy", m.MacroAccuracy, true, "Accuracy averaged over classes (each class counts the same)."));
            list.Add(new("micro-accuracy", "Micro accuracy", m.MicroAccuracy, true, "Share of test rows classified correctly."));
            list.Add(new("macro-f1", "Macro F1", m.MacroF1, true, "F1 averaged over classes."));
            list.Add(new("logloss", "Log-loss", m.LogLoss, false, "How far the predicted probabilities are from the truth (lower is better)."));
        }

        if (metrics.Regression is { } r)
        {
            list.Add(new("r2", "R²", r.RSquared, true, "Share of the label's variance the model explains (1 = perfect, 0 = the mean)."));
            list.Add(new("rmse", "RMSE", r.Rmse, false, "Root mean squared error, in the label's unit (lower is better)."));
            list.Add(new("mae", "MAE", r.Mae, false, "Mean absolute error, in the label's unit (lower is better)."));
        }

        if (metrics.Clustering is { } c)
        {
            list.Add(new("davies-bouldin", "Davies-Bouldin index", c.DaviesBouldinIndex, false, "How much clusters overlap compared with their spread (lower is better)."));
            list.Add(new("average-distance", "Average distance", c.AverageDistance, false, "Mean distance of a row to its cluster's centre (lower is tighter)."));
            list.Add(new("clusters", "Clusters", c.Clusters, null, "How many clusters the model found."));
        }

        if (metrics.Anomaly is { } a)
        {
            if (a.Auc is { } auc)
            {
                list.Add(new("auc", "AUC", auc, true, "How well the anomaly score ranks the known anomalies above normal rows."));
            }

            if (a.DetectionRateAtFalsePositives is { } rate)
            {
                list.Add(new("detection-rate", "Detection rate", rate, true, "Share of known anomalies found before 10 false alarms."));
            }

            if (a.PrecisionAtKnownCount is { } precision)
            {
                list.Add(new("precision-at-k", "Precision at known count", precision, true, "Of the N most anomalous rows (N = known anomalies), the share that are known anomalies."));
            }

            list.Add(new("flagged", "Rows flagged", a.FlaggedRows, null, "Rows whose anomaly score is above the threshold."));
        }

        return list;
    }
}
