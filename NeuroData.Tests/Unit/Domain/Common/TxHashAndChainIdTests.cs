using NeuroData.Domain.Common;

namespace NeuroData.Tests.Unit.Domain.Common;

public sealed class TxHashTests
{
    private const string Lower = "0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b";

    [Theory]
    [InlineData(Lower)]
    [InlineData("0x88DF016429689C079F3B2F6AD39FA052532C56795B733DA78A91EBE6A713944B")]
    [InlineData("0X88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b")]
    [InlineData("  0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b  ")]
    public void Parse_NormalisesToLowerCaseWith0x(string text)
    {
        TxHash.Parse(text).Value.ShouldBe(Lower);
        TxHash.Parse(text).ShouldBe(TxHash.Parse(Lower));
    }

    [Theory]
    [InlineData(null, "Enter a transaction hash")]
    [InlineData("", "Enter a transaction hash")]
    [InlineData("0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944", "64 hexadecimal digits")] // 63
    [InlineData("0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b0", "64 hexadecimal digits")] // 65
    [InlineData("0088df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b", "64 hexadecimal digits")] // no 0x
    [InlineData("0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944g", "64 hexadecimal digits")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "64 hexadecimal digits")] // an address, not a hash
    public void Parse_Invalid_IsRejected(string? text, string expected)
    {
        TxHash.TryParse(text, out var hash, out var error).ShouldBeFalse();
        hash.ShouldBeNull();
        error.ShouldContain(expected);
        Should.Throw<DomainException>(() => TxHash.Parse(text!));
    }

    [Fact]
    public void FromBytes_RoundTrips_AndRejectsWrongLength()
    {
        var bytes = Convert.FromHexString(Lower[2..]);

        TxHash.FromBytes(bytes).ShouldBe(TxHash.Parse(Lower));
        Should.Throw<DomainException>(() => TxHash.FromBytes(new byte[31])).Message.ShouldContain("got 31");
        Should.Throw<DomainException>(() => TxHash.FromBytes(new byte[33])).Message.ShouldContain("got 33");
    }

    [Fact]
    public void ToShortString_ShowsStartAndEnd()
    {
        TxHash.Parse(Lower).ToShortString().ShouldBe("0x88df0164…13944b");
    }
}

public sealed class ChainIdTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(137)]
    [InlineData(31337)]
    [InlineData(long.MaxValue)]
    public void Positive_IsAccepted(long value)
    {
        new ChainId(value).Value.ShouldBe(value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void ZeroOrNegative_IsRejected(long value)
    {
        Should.Throw<DomainException>(() => new ChainId(value)).Message.ShouldContain("positive");
    }

    [Fact]
    public void LocalDev_IsAnvil_AndEqualityIsByValue()
    {
        ChainId.LocalDev.Value.ShouldBe(31337);
        ChainId.LocalDev.ShouldBe(new ChainId(31337));
        new ChainId(137).ToString().ShouldBe("137");
    }
}
