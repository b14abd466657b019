using NeuroData.Domain.Datasets;

namespace NeuroData.Tests.Unit.Ingest;

public sealed class SpreadsheetSafetyTests
{
    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("\0x", "'\0x")]
    [InlineData("   =HYPERLINK(\"http://x\")", "'   =HYPERLINK(\"http://x\")")]
    public void FormulaStarts_ArePrefixedWithAnApostrophe(string cell, string expected)
    {
        SpreadsheetSafety.Neutralise(cell).ShouldBe(expected);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("1=1")]
    [InlineData("a-b")]
    [InlineData("   ")]
    [InlineData("")]
    [InlineData("'=already")]
    [InlineData("<script>alert(1)</script>")]
    public void OtherCells_AreUnchanged(string cell)
    {
        SpreadsheetSafety.Neutralise(cell).ShouldBe(cell);
    }

    [Fact]
    public void Null_StaysNull()
    {
        SpreadsheetSafety.Neutralise(null).ShouldBeNull();
    }
}
