using System.Numerics;
using NeuroData.Domain.Common;

namespace NeuroData.Tests.Unit;

public sealed class TokenAmountTests
{
    [Theory]
    [InlineData("1", "1000000000000000000")]
    [InlineData("0.5", "500000000000000000")]
    [InlineData("1.000000000000000001", "1000000000000000001")]
    [InlineData(".25", "250000000000000000")]
    public void ParseTokens_ReadsExactBaseUnits(string text, string units)
    {
        TokenAmount.ParseTokens(text).Units.ShouldBe(BigInteger.Parse(units, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("1,5")]
    [InlineData("1.")]
    [InlineData("0.0000000000000000001")]
    public void ParseTokens_RejectsBadText(string text)
    {
        TokenAmount.TryParseTokens(text, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void ToTokenString_RoundTrips()
    {
        var a = TokenAmount.ParseTokens("12.000000000000000345");
        TokenAmount.ParseTokens(a.ToTokenString()).ShouldBe(a);
        a.ToString().ShouldBe("12.000000000000000345 NCR");
    }

    [Fact]
    public void Subtraction_BelowZero_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => TokenAmount.FromTokens(1) - TokenAmount.FromTokens(2));
    }

    [Fact]
    public void MultiplyBasisPoints_RoundsDownLikeTheContract()
    {
        // 0.25% of 1001 base units = 2.5025 -> 2
        TokenAmount.FromUnits(1001).MultiplyBasisPoints(25).Units.ShouldBe(new BigInteger(2));
        TokenAmount.FromTokens(100).MultiplyBasisPoints(25).ShouldBe(TokenAmount.ParseTokens("0.25"));
    }
}
