using Bunit;
using MudBlazor.Services;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Datasets.Engagement;
using NeuroData.Web.Components.Charts;
using NeuroData.Web.Components.Pages.Datasets.Page;
using NeuroData.Web.Rendering;

namespace NeuroData.Tests.Components.Datasets;

/// <summary>The dataset page's sections rendered on their own (bUnit + MudBlazor).</summary>
public sealed class DatasetPageSectionTests : BunitContext
{
    public DatasetPageSectionTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Preview_NeutralisesFormulaCells_AndShowsOnlyTheGivenRows()
    {
        IReadOnlyList<IReadOnlyList<string?>> rows =
        [
            ["=HYPERLINK(\"http://evil.test\",\"click\")", "plain", "  +1", null],
            ["@SUM(A1)", "-5", "\tTab", "ok"],
        ];

        var cut = Render<PreviewTable>(p => p
            .Add(x => x.Columns, ["=cmd|' /C calc'!A0", "b", "c", "d"])
            .Add(x => x.Rows, rows)
            .Add(x => x.TotalRows, 1000));

        var cells = cut.FindAll("#dataset-preview tbody td").Select(td => td.TextContent).ToList();
        cells[0].ShouldBe("'=HYPERLINK(\"http://evil.test\",\"click\")");
        cells[1].ShouldBe("plain");
        cells[2].ShouldBe("'  +1");
        cells[3].ShouldBe(string.Empty);
        cells[4].ShouldBe("'@SUM(A1)");
        cells[5].ShouldBe("'-5");
        cells[6].ShouldBe("'\tTab");
        cells[7].ShouldBe("ok");
        cut.FindAll("#dataset-preview tbody tr").Count.ShouldBe(2);
        cut.Find("#dataset-preview thead th").TextContent.ShouldBe("'=cmd|' /C calc'!A0");
        cut.Markup.ShouldContain("2 of 1,000 rows");
    }

    [Fact]
    public void Preview_WithoutRows_SaysTheSellerShowsNone()
    {
        var cut = Render<PreviewTable>(p => p.Add(x => x.Columns, ["a"]));

        cut.FindAll("#dataset-preview").ShouldBeEmpty();
        cut.Find("#dataset-preview-empty").TextContent.ShouldContain("does not show a preview");
    }

    [Fact]
    public void Charts_RenderAHistogramForANumericColumn_TopValuesForACategoricalOne_AndMissingValues()
    {
        var profile = new DatasetProfile(
            DatasetFormat.Csv,
            100,
            [
                new ColumnProfile("temperature", ColumnType.Number, 4, 80, false, new NumericStatistics(-3.5, 31, 12.25, 6.1, 12),
                    [], [new HistogramBin(-3.5, 8, 10), new HistogramBin(8, 19.5, 60), new HistogramBin(19.5, 31, 26)]),
                new ColumnProfile("city", ColumnType.Text, 0, 3, false, null,
                    [new ValueCount("Berlin", 50), new ValueCount("=EVIL()", 30), new ValueCount("Paris", 20)], []),
            ],
            [],
            []);

        var cut = Render<ProfileCharts>(p => p.Add(x => x.Profile, profile));

        var numeric = cut.Find("#dataset-charts .numeric-chart[data-column='temperature']");
        var columns = numeric.QuerySelectorAll(".nd-column-fill");
        columns.Length.ShouldBe(3);
        columns[1].GetAttribute("style").ShouldBe("height:100%", "the tallest bin fills the chart");
        columns[0].GetAttribute("style").ShouldBe("height:16.67%");
        numeric.TextContent.ShouldContain("mean 12.25");

        var categorical = cut.Find("#dataset-charts .categorical-chart[data-column='city']");
        categorical.QuerySelectorAll(".nd-bar-label").Select(l => l.TextContent).ShouldBe(["Berlin", "'=EVIL()", "Paris"]);

        var missing = cut.Find("#dataset-charts .missing-chart");
        missing.QuerySelectorAll(".nd-bar-value").Select(v => v.TextContent).ShouldBe(["4 (4 %)", "0 (0 %)"]);
    }

    [Fact]
    public void Charts_WithoutAProfile_SayThereAreNoStatistics()
    {
        var cut = Render<ProfileCharts>();

        cut.Find("#dataset-charts").TextContent.ShouldContain("No statistics yet");
        cut.FindAll(".nd-column-fill").ShouldBeEmpty();
    }

    [Fact]
    public void Schema_ListsColumnsWithTypesMissingAndDistinct()
    {
        var profile = new DatasetProfile(DatasetFormat.Csv, 10,
            [new ColumnProfile("id", ColumnType.WholeNumber, 0, 10, false, null, [], []), new ColumnProfile("when", ColumnType.DateTime, 2, 7, true, null, [], [])], [], []);

        var cut = Render<SchemaTable>(p => p.Add(x => x.Schema, profile.Schema).Add(x => x.Profile, profile));

        var rows = cut.FindAll("#dataset-schema tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToList();
        rows[0].ShouldBe(["id", "whole number", "0", "10"]);
        rows[1].ShouldBe(["when", "date/time", "2", "≈ 7"]);
    }

    [Fact]
    public void Versions_ShowNumberCidSizeDateAndStatus()
    {
        var cid = Cid.Parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
        var cut = Render<VersionsTable>(p => p.Add(x => x.Versions,
            [new VersionRow(2, cid, 1_572_864, DatasetFormat.Parquet, 42, new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), DatasetVersionStatus.Ready)]));

        var cells = cut.FindAll("#dataset-versions tbody td").Select(td => td.TextContent).ToList();
        cells.ShouldBe(["v2", cid.ToString(), "1.5 MB", "Parquet", "42", "2026-11-30", "Ready"]);
    }

    [Fact]
    public void ColumnChart_WithNoBars_SaysNoData()
    {
        var cut = Render<ColumnChart>(p => p.Add(x => x.Title, "Empty"));

        cut.Markup.ShouldContain("No data");
    }

    [Fact]
    public void Markdown_IsRendered_AndSanitised()
    {
        var renderer = new MarkdownRenderer();

        var html = renderer.ToSafeHtml("# Title\n\n**bold** [ok](https://example.com) [bad](javascript:alert(1))\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n| a | b |\n|---|---|\n| 1 | 2 |");

        html.ShouldContain("<h1");
        html.ShouldContain("<strong>bold</strong>");
        html.ShouldContain("href=\"https://example.com\"");
        html.ShouldContain("rel=\"nofollow noopener noreferrer\"");
        html.ShouldContain("<table>");
        html.ShouldNotContain("javascript:");
        html.ShouldNotContain("<script");
        html.ShouldNotContain("<img");
        html.ShouldContain("&lt;img src=x onerror=alert(1)&gt;", customMessage: "raw HTML is shown as text, never as markup");
        renderer.ToSafeHtml(null).ShouldBe(string.Empty);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@x", "'@x")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("\0x", "'\0x")]
    [InlineData("   =x", "'   =x")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void SpreadsheetSafety_PrefixesFormulaStarts(string? cell, string? expected) =>
        SpreadsheetSafety.Neutralise(cell).ShouldBe(expected);
}
