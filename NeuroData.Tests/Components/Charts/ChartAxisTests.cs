using System.Globalization;
using Bunit;
using NeuroData.Web.Components.Charts;

namespace NeuroData.Tests.Components.Charts;

/// <summary>The SVG charts place every axis label inside the chart (a y label once landed far below the page's chart).</summary>
public sealed class ChartAxisTests : BunitContext
{
    [Fact]
    public void Line_chart_tick_labels_sit_beside_their_grid_lines_inside_the_chart()
    {
        var cut = Render<LineChart>(p => p
            .Add(x => x.Series, [new ChartSeries("roc", [new(0, 0), new(0.2, 0.7), new(1, 1)])])
            .Add(x => x.Diagonal, true));

        var (width, height) = ViewBox(cut);
        var yLabels = TickLabels(cut).Where(t => t.Anchor == "end").ToList();
        yLabels.Select(t => t.Text).ShouldBe(["0", "0.25", "0.5", "0.75", "1"]);
        yLabels.ShouldAllBe(t => t.X >= 0 && t.X <= width && t.Y >= 0 && t.Y <= height);
        yLabels.Select(t => t.Y).ShouldBeInOrder(SortDirection.Descending, "0 at the bottom, 1 at the top");
        TickLabels(cut).Where(t => t.Anchor == "middle").ShouldAllBe(t => t.Y <= height && t.X <= width);
    }

    [Fact]
    public void Scatter_chart_tick_labels_sit_inside_the_chart()
    {
        var cut = Render<ScatterChart>(p => p
            .Add(x => x.Points, [new ChartPoint(-3, 10), new ChartPoint(5, 250), new ChartPoint(12, 40)])
            .Add(x => x.Reference, ScatterReference.Identity));

        var (width, height) = ViewBox(cut);
        var labels = TickLabels(cut);
        labels.Count(t => t.Anchor == "end").ShouldBeGreaterThan(1);
        labels.ShouldAllBe(t => t.X >= 0 && t.X <= width && t.Y >= 0 && t.Y <= height);
    }

    private static (double Width, double Height) ViewBox<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        var parts = cut.Find("svg").GetAttribute("viewBox")!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return (parts[2], parts[3]);
    }

    private static List<(string Text, string Anchor, double X, double Y)> TickLabels<T>(IRenderedComponent<T> cut)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        [.. cut.FindAll("text.nd-tick").Select(t => (
            t.TextContent.Trim(),
            t.GetAttribute("text-anchor") ?? string.Empty,
            double.Parse(t.GetAttribute("x")!, CultureInfo.InvariantCulture),
            double.Parse(t.GetAttribute("y")!, CultureInfo.InvariantCulture)))];
}
