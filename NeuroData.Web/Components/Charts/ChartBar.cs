namespace NeuroData.Web.Components.Charts;

/// <summary>One bar of a chart: its label, its value and an optional longer description (tooltip).</summary>
public sealed record ChartBar(string Label, double Value, string? Description = null);
