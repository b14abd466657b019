using System.Globalization;
using System.IO.Compression;
using NeuroData.Domain.Datasets;
using Parquet;
using Parquet.Schema;

namespace NeuroData.Tests.Integration.Ingest;

public sealed class InspectorHappyPathTests : IDisposable
{
    private readonly IngestHarness harness = new();

    public void Dispose() => harness.Dispose();

    [Fact]
    public async Task Csv_IsProfiledAndTypedFromEveryValue()
    {
        const string csv = "id,name,score,active,seen\n"
            + "1,alice,1.5,true,2024-01-02\n"
            + "2,bob,2.5,false,2024-01-03T04:05:06Z\n"
            + "3,alice,,TRUE,2024-02-29T10:00:00+02:00\n"
            + "4,\"carol, jr\",6,false,\n";
        var (profile, form) = await harness.InspectAsync(csv);

        profile.Format.ShouldBe(DatasetFormat.Csv);
        profile.RowCount.ShouldBe(4);
        profile.Schema.ShouldBe([
            new ColumnSchema("id", ColumnType.WholeNumber), new ColumnSchema("name", ColumnType.Text),
            new ColumnSchema("score", ColumnType.Number), new ColumnSchema("active", ColumnType.Boolean),
            new ColumnSchema("seen", ColumnType.DateTime)]);
        var score = profile.Columns[2];
        score.Missing.ShouldBe(1);
        score.Distinct.ShouldBe(3);
        score.DistinctIsEstimate.ShouldBeFalse();
        double[] values = [1.5, 2.5, 6];
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        score.Numeric!.Min.ShouldBe(1.5);
        score.Numeric.Max.ShouldBe(6);
        score.Numeric.Mean.ShouldBe(mean, 1e-12);
        score.Numeric.StandardDeviation.ShouldBe(sd, 1e-12);
        score.Numeric.Median.ShouldBe(2.5);
        score.Histogram.Count.ShouldBe(20);
        score.Histogram.Sum(b => b.Count).ShouldBe(3);
        score.Histogram[0].ShouldBe(new HistogramBin(1.5, 1.725, 1));
        score.Histogram[^1].Upper.ShouldBe(6);
        score.Histogram[^1].Count.ShouldBe(1);

        var name = profile.Columns[1];
        name.TopValues[0].ShouldBe(new ValueCount("alice", 2));
        name.TopValues.Count.ShouldBe(3);
        name.Numeric.ShouldBeNull();
        name.Histogram.ShouldBeEmpty();

        profile.PreviewRows.Count.ShouldBe(4);
        profile.PreviewRows[3].ShouldBe(["4", "carol, jr", "6", "false", null]);
        profile.ArchiveEntries.ShouldBeEmpty();

        var columns = await IngestHarness.ReadTrainingFormAsync(form);
        columns.Select(c => c.Field.Name).ShouldBe(["id", "name", "score", "active", "seen"]);
        columns[0].Values.ShouldBe([1L, 2L, 3L, 4L]);
        columns[1].Values.ShouldBe(["alice", "bob", "alice", "carol, jr"]);
        columns[2].Values.ShouldBe([1.5, 2.5, null, 6.0]);
        columns[3].Values.ShouldBe([true, false, true, false]);
        columns[4].Values.ShouldBe([
            new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 1, 3, 4, 5, 6, DateTimeKind.Utc),
            new DateTime(2024, 2, 29, 8, 0, 0, DateTimeKind.Utc), null]);
    }

    [Fact]
    public async Task Tsv_WithCrlfAndBom_IsRead()
    {
        var (profile, form) = await harness.InspectAsync("\uFEFFa\tb\r\n1\tx y\r\n2\tz\r\n");
        profile.Format.ShouldBe(DatasetFormat.Tsv);
        profile.Schema.Select(c => c.Name).ShouldBe(["a", "b"]);
        profile.RowCount.ShouldBe(2);
        (await IngestHarness.ReadTrainingFormAsync(form))[1].Values.ShouldBe(["x y", "z"]);
    }

    [Fact]
    public async Task SemicolonCsv_KeepsLocaleDecimalsAsText()
    {
        var (profile, form) = await harness.InspectAsync("price;qty\n1,5;2\n2,25;3\n");
        profile.Format.ShouldBe(DatasetFormat.Csv);
        profile.Schema.ShouldBe([new ColumnSchema("price", ColumnType.Text), new ColumnSchema("qty", ColumnType.WholeNumber)]);
        (await IngestHarness.ReadTrainingFormAsync(form))[0].Values.ShouldBe(["1,5", "2,25"], "never silently 15");
    }

    [Fact]
    public async Task QuotedFields_HoldDelimitersQuotesAndLineBreaks()
    {
        var (profile, form) = await harness.InspectAsync("a,b\n\"x, \"\"y\"\"\nz\",1\n\"\",2\n");
        profile.RowCount.ShouldBe(2);
        (await IngestHarness.ReadTrainingFormAsync(form))[0].Values.ShouldBe(["x, \"y\"\nz", null]);
        profile.Columns[0].Missing.ShouldBe(1);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e309")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    [InlineData(" 7")]
    public async Task NotAFiniteInvariantNumber_MakesTheColumnText(string odd)
    {
        var (profile, _) = await harness.InspectAsync($"v\n1\n2.5\n\"{odd}\"\n");
        profile.Columns[0].Type.ShouldBe(ColumnType.Text);
        profile.Columns[0].Numeric.ShouldBeNull();
    }

    [Theory]
    [InlineData("2023-02-30")]
    [InlineData("2023-13-01")]
    [InlineData("2023-02-28T25:00:00")]
    [InlineData("02/03/2023")]
    public async Task ImpossibleOrNonIsoDates_AreNotDateTime(string odd)
    {
        var (profile, _) = await harness.InspectAsync($"d\n2024-01-01\n{odd}\n");
        profile.Columns[0].Type.ShouldBe(ColumnType.Text);
    }

    [Fact]
    public async Task LeadingZerosAndHugeIntegers_AreNotWholeNumbers()
    {
        var (profile, form) = await harness.InspectAsync("zip,big\n01234,1\n98765,99999999999999999999\n");
        profile.Columns[0].Type.ShouldBe(ColumnType.Text);
        profile.Columns[1].Type.ShouldBe(ColumnType.Number, "beyond 64 bits the value is still a finite number");
        (await IngestHarness.ReadTrainingFormAsync(form))[0].Values.ShouldBe(["01234", "98765"]);
    }

    [Fact]
    public async Task FormulaLikeCells_AreStoredRaw()
    {
        var (profile, form) = await harness.InspectAsync("a,b\n=1+2,@SUM(A1)\n<script>x</script>,-3\n");
        profile.PreviewRows[0].ShouldBe(["=1+2", "@SUM(A1)"]);
        profile.PreviewRows[1].ShouldBe(["<script>x</script>", "-3"]);
        (await IngestHarness.ReadTrainingFormAsync(form))[0].Values.ShouldBe(["=1+2", "<script>x</script>"]);
    }

    [Fact]
    public async Task Preview_KeepsOnlyTheRequestedFirstRows()
    {
        var csv = "n\n" + string.Concat(Enumerable.Range(1, 50).Select(i => $"{i}\n"));
        var (profile, _) = await harness.InspectAsync(IngestHarness.Utf8(csv), previewRows: 3);
        profile.PreviewRows.Select(r => r[0]).ShouldBe(["1", "2", "3"]);
        profile.RowCount.ShouldBe(50);
    }

    [Fact]
    public async Task JsonLines_FirstLineKeysAreTheColumns_MissingKeysAndNullsAreMissing()
    {
        const string jsonl = "{\"id\":1,\"tag\":\"a\",\"x\":1.25,\"ok\":true}\n"
            + "\n"
            + "{\"id\":2,\"x\":null,\"ok\":false}\r\n"
            + "{\"tag\":\"b\\u00e9\",\"id\":3,\"x\":1e2,\"ok\":true}\n";
        var (profile, form) = await harness.InspectAsync(jsonl);
        profile.Format.ShouldBe(DatasetFormat.JsonLines);
        profile.RowCount.ShouldBe(3);
        profile.Schema.ShouldBe([
            new ColumnSchema("id", ColumnType.WholeNumber), new ColumnSchema("tag", ColumnType.Text),
            new ColumnSchema("x", ColumnType.Number), new ColumnSchema("ok", ColumnType.Boolean)]);
        profile.PreviewRows[2].ShouldBe(["3", "bé", "1e2", "true"]);
        var columns = await IngestHarness.ReadTrainingFormAsync(form);
        columns[1].Values.ShouldBe(["a", null, "bé"]);
        columns[2].Values.ShouldBe([1.25, null, 100.0]);
    }

    [Fact]
    public async Task Parquet_IsReadRowGroupByRowGroup()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = new DataField<int>("id");
        var label = new DataField<string>("label", nullable: true);
        var weight = new DataField<double?>("weight");
        using var ms = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, label, weight), ms, cancellationToken: ct))
        {
            for (var g = 0; g < 2; g++)
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<int>(id, new[] { (g * 2) + 1, (g * 2) + 2 }.AsMemory(), null, null, ct);
                await group.WriteAsync(label, new[] { "x", g == 0 ? null : "y" }!, null);
                await group.WriteAsync<double>(weight, new double?[] { 0.5 * g, null }.AsMemory(), null, null, ct);
            }
        }

        var (profile, form) = await harness.InspectAsync(ms.ToArray());
        profile.Format.ShouldBe(DatasetFormat.Parquet);
        profile.RowCount.ShouldBe(4);
        profile.Schema.ShouldBe([
            new ColumnSchema("id", ColumnType.WholeNumber), new ColumnSchema("label", ColumnType.Text),
            new ColumnSchema("weight", ColumnType.Number)]);
        profile.Columns[2].Missing.ShouldBe(2);
        var columns = await IngestHarness.ReadTrainingFormAsync(form);
        columns[0].Values.ShouldBe([1L, 2L, 3L, 4L]);
        columns[1].Values.ShouldBe(["x", null, "x", "y"]);
    }

    [Fact]
    public async Task ZipOfCsvs_IsOneTableInEntryOrder()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("parts/");
            await WriteEntryAsync(zip, "parts/a.csv", "k,v\n1,x\n2,y\n");
            await WriteEntryAsync(zip, "parts/b.csv", "k,v\r\n3,z\r\n");
        }

        var (profile, form) = await harness.InspectAsync(ms.ToArray());
        profile.Format.ShouldBe(DatasetFormat.Zip);
        profile.ArchiveEntries.ShouldBe(["parts/a.csv", "parts/b.csv"]);
        profile.RowCount.ShouldBe(3);
        (await IngestHarness.ReadTrainingFormAsync(form))[0].Values.ShouldBe([1L, 2L, 3L]);
    }

    [Fact]
    public async Task ManyDistinctValues_AreEstimated_AndMedianApproximated()
    {
        var values = Enumerable.Range(0, 30_000).Select(i => (i * 7919L) % 30_000).ToArray();
        var csv = "n\n" + string.Concat(values.Select(v => v.ToString(CultureInfo.InvariantCulture) + "\n"));
        var (profile, _) = await harness.InspectAsync(csv);
        var column = profile.Columns[0];
        column.DistinctIsEstimate.ShouldBeTrue();
        column.Distinct.ShouldBeInRange(29_000, 31_000);
        column.Numeric!.Mean.ShouldBe(values.Average(), 1e-6);
        column.Numeric.Median!.Value.ShouldBeInRange(14_000, 16_000);
        column.Histogram.Sum(b => b.Count).ShouldBe(30_000);
        column.Histogram.ShouldAllBe(b => b.Count == 1500);
    }

    [Fact]
    public async Task ConstantColumn_HasOneHistogramBin()
    {
        var (profile, _) = await harness.InspectAsync("c\n5\n5\n5\n");
        profile.Columns[0].Histogram.ShouldBe([new HistogramBin(5, 5, 3)]);
        profile.Columns[0].Numeric!.StandardDeviation.ShouldBe(0);
    }

    [Fact]
    public async Task UnusualColumnNames_SurviveIntoTheTrainingForm()
    {
        var (profile, form) = await harness.InspectAsync("a.b,c d,é,x/y\n1,2,3,4\n");
        (await IngestHarness.ReadTrainingFormAsync(form)).Select(c => c.Field.Name).ShouldBe(["a.b", "c d", "é", "x/y"]);
        profile.Schema.Select(c => c.Name).ShouldBe(["a.b", "c d", "é", "x/y"]);
    }

    [Fact]
    public async Task DateTimes_WithFractionsAndOffsets_AreStoredAsUtc()
    {
        var (profile, form) = await harness.InspectAsync("t\n2024-03-01 12:30\n2024-03-01T12:30:15.1234567-05:30\n2000-01-01T00:00:00Z\n");
        profile.Columns[0].Type.ShouldBe(ColumnType.DateTime);
        (await IngestHarness.ReadTrainingFormAsync(form))[0].Values.ShouldBe([
            new DateTime(2024, 3, 1, 12, 30, 0, DateTimeKind.Utc),
            new DateTime(2024, 3, 1, 18, 0, 15, DateTimeKind.Utc).AddTicks(1234560),
            new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)]);
    }

    [Fact]
    public async Task OneColumnTable_BlankLineIsAMissingValue()
    {
        var (profile, _) = await harness.InspectAsync("v\na\n\nb\n");
        profile.RowCount.ShouldBe(3);
        profile.Columns[0].Missing.ShouldBe(1);
    }

    [Fact]
    public async Task TopValues_OfAHighCardinalityColumn_StillFindTheFrequentOnes()
    {
        // 3,000 unique values interleaved with one value that fills a third of the rows: Misra-Gries keeps it on top.
        var rows = Enumerable.Range(0, 4_500).Select(i => i % 3 == 0 ? "common" : $"u{i}");
        var (profile, _) = await harness.InspectAsync("v\n" + string.Concat(rows.Select(r => r + "\n")));
        var top = profile.Columns[0].TopValues;
        top[0].Value.ShouldBe("common");
        top[0].Count.ShouldBeInRange(1_500 - (4_500 / 1_000), 1_500);
        profile.Columns[0].Distinct.ShouldBe(3_001);
    }

    internal static async Task WriteEntryAsync(ZipArchive zip, string name, string content)
    {
        await using var stream = zip.CreateEntry(name).Open();
        await stream.WriteAsync(IngestHarness.Utf8(content), TestContext.Current.CancellationToken);
    }
}
