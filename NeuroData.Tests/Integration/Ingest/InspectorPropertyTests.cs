using System.Globalization;
using System.Text;
using CsCheck;
using NeuroData.Domain.Datasets;

namespace NeuroData.Tests.Integration.Ingest;

/// <summary>Random well-formed CSV tables round-trip through the profile's row count and the training form.</summary>
public sealed class InspectorPropertyTests : IDisposable
{
    private static readonly Gen<string?> TextCell =
        Gen.Frequency((1, Gen.Const((string?)null)), (5, Gen.Char["ab ,\"\né=;\t-@x"].Array[1, 6].Select(c => (string?)new string(c))));

    private static readonly Gen<string?> WholeCell =
        Gen.Frequency((1, Gen.Const((string?)null)), (5, Gen.Long.Select(v => (string?)v.ToString(CultureInfo.InvariantCulture))));

    private static readonly Gen<string?> NumberCell =
        Gen.Frequency((1, Gen.Const((string?)null)), (5, Gen.Double[-1e12, 1e12].Select(v => (string?)v.ToString("R", CultureInfo.InvariantCulture))));

    private static readonly Gen<string?> BooleanCell =
        Gen.Frequency((1, Gen.Const((string?)null)), (5, Gen.Bool.Select(v => (string?)(v ? "true" : "false"))));

    private static readonly Gen<string?[][]> Table =
        Gen.Select(Gen.Int[1, 5], Gen.Int[1, 30]).SelectMany((columns, rows) =>
            Gen.Int[0, 3].Array[columns].SelectMany(kinds =>
                Row(kinds.Select(k => k switch { 0 => TextCell, 1 => WholeCell, 2 => NumberCell, _ => BooleanCell })).Array[rows]));

    private readonly IngestHarness harness = new();

    /// <summary>One row: a value from each column's generator.</summary>
    private static Gen<string?[]> Row(IEnumerable<Gen<string?>> cells) =>
        cells.Aggregate(Gen.Const(Array.Empty<string?>()), (row, cell) => row.SelectMany(values => cell.Select(v => (string?[])[.. values, v])));

    public void Dispose() => harness.Dispose();

    [Fact]
    public async Task RandomCsvTables_RoundTripThroughTheTrainingForm()
    {
        await Table.SampleAsync(async rows =>
        {
            var columnCount = rows[0].Length;
            var csv = new StringBuilder(string.Join(",", Enumerable.Range(0, columnCount).Select(i => $"c{i}")) + "\n");
            foreach (var row in rows)
            {
                csv.Append(string.Join(",", row.Select(v => v is null ? string.Empty : "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""))).Append("\r\n");
            }

            var (profile, form) = await harness.InspectAsync(csv.ToString());
            profile.RowCount.ShouldBe(rows.Length);
            var columns = await IngestHarness.ReadTrainingFormAsync(form);
            columns.Count.ShouldBe(columnCount);
            for (var c = 0; c < columnCount; c++)
            {
                columns[c].Values.Length.ShouldBe(rows.Length);
                profile.Columns[c].Missing.ShouldBe(rows.LongCount(r => r[c] is null));
                for (var r = 0; r < rows.Length; r++)
                {
                    var expected = rows[r][c];
                    var actual = columns[c].Values[r];
                    if (expected is null)
                    {
                        actual.ShouldBeNull();
                        continue;
                    }

                    switch (profile.Columns[c].Type)
                    {
                        case ColumnType.WholeNumber:
                            actual.ShouldBe(long.Parse(expected, CultureInfo.InvariantCulture));
                            break;
                        case ColumnType.Number:
                            actual.ShouldBe(double.Parse(expected, CultureInfo.InvariantCulture));
                            break;
                        case ColumnType.Boolean:
                            actual.ShouldBe(expected == "true");
                            break;
                        default:
                            actual.ShouldBe(expected);
                            break;
                    }
                }
            }
        }, iter: 150, threads: 1);
    }
}
