namespace NeuroData.Web.Components.Charts;

/// <summary>A point of a line or scatter chart, in data units.</summary>
public sealed record ChartPoint(double X, double Y);

/// <summary>A named line of a <see cref="LineChart"/>.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);

/// <summary>A reference line of a <see cref="ScatterChart"/>: y = x (perfect predictions) or y = 0 (no error).</summary>
public enum ScatterReference
{
    None,
    Identity,
    Zero,
}
