using NeuroData.Domain.Training;
using NeuroData.Web.Components.Charts;

namespace NeuroData.Web.Components.Training;

/// <summary>A ROC curve as a chart line, sorted by false positive rate so the polyline never folds back.</summary>
public static class RocSeries
{
    public static ChartSeries Of(string name, IReadOnlyList<RocPoint> curve) =>
        new(name, [.. curve.OrderBy(p => p.FalsePositiveRate).ThenBy(p => p.TruePositiveRate).Select(p => new ChartPoint(p.FalsePositiveRate, p.TruePositiveRate))]);
}
