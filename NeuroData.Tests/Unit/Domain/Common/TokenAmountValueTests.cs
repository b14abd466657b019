using System.Globalization;
using System.Numerics;
using NeuroData.Domain.Common;

namespace NeuroData.Tests.Unit.Domain.Common;

public sealed class TokenAmountValueTests
{
    private static BigInteger Big(string digits) => BigInteger.Parse(digits, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("1.5", "1500000000000000000")]
    [InlineData("0", "0")]
    [InlineData("0.0", "0")]
    [InlineData("000012", "12000000000000000000")]
    [InlineData("0.000000000000000001", "1")]
    [InlineData(" 7.25 ", "7250000000000000000")]
    [InlineData("1000000000", "1000000000000000000000000000")]
    public void ParseTokens_GivesExactBaseUnits(string text, string units)
    {
        TokenAmount.ParseTokens(text).Units.ShouldBe(Big(units));
    }

    [Fact]
    public void ParseTokens_TheLargestUint256_IsAccepted_AndOneMoreIsTooLarge()
    {
        var max = TokenAmount.MaxUnits;
        var whole = BigInteger.DivRem(max, TokenAmount.UnitsPerToken, out var frac);
        var text = whole.ToString(CultureInfo.InvariantCulture) + "." + frac.ToString(CultureInfo.InvariantCulture).PadLeft(18, '0');

        TokenAmount.ParseTokens(text).Units.ShouldBe(max);

        var oneMore = whole.ToString(CultureInfo.InvariantCulture) + "." + (frac + 1).ToString(CultureInfo.InvariantCulture).PadLeft(18, '0');
        TokenAmount.TryParseTokens(oneMore, out var amount, out var error).ShouldBeFalse();
        error.ShouldBe("The amount is too large.");
        amount.ShouldBe(TokenAmount.Zero);
        Should.Throw<FormatException>(() => TokenAmount.ParseTokens(oneMore)).Message.ShouldBe("The amount is too large.");
    }

    [Theory]
    [InlineData(null, "Enter an amount.")]
    [InlineData("", "Enter an amount.")]
    [InlineData("  ", "Enter an amount.")]
    [InlineData(".", "Enter an amount.")]
    [InlineData("-1", "not a valid amount")]
    [InlineData("+1", "not a valid amount")]
    [InlineData("1.2.3", "not a valid amount")]
    [InlineData("1 000", "not a valid amount")]
    [InlineData("1_000", "not a valid amount")]
    [InlineData("0x10", "not a valid amount")]
    [InlineData("١٢", "not a valid amount")] // Arabic-Indic digits
    [InlineData("NaN", "not a valid amount")]
    [InlineData("1.0000000000000000001", "at most 18 decimal places")]
    public void TryParseTokens_RejectsBadText_WithAReason(string? text, string expected)
    {
        TokenAmount.TryParseTokens(text, out var amount, out var error).ShouldBeFalse();
        error.ShouldContain(expected);
        amount.ShouldBe(TokenAmount.Zero);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("1", "0.000000000000000001")]
    [InlineData("1500000000000000000", "1.5")]
    [InlineData("1000000000000000000", "1")]
    [InlineData("10000000000000000000", "10")]
    [InlineData("100000000000000000", "0.1")]
    [InlineData("1234567890123456789", "1.234567890123456789")]
    public void ToTokenString_IsExact_WithoutTrailingZeros(string units, string expected)
    {
        var amount = TokenAmount.FromUnits(Big(units));

        amount.ToTokenString().ShouldBe(expected);
        amount.ToString().ShouldBe(expected + " NCR");
        amount.ToUnitsString().ShouldBe(units);
        TokenAmount.ParseUnits(units).ShouldBe(amount);
    }

    [Fact]
    public void Formatting_IgnoresTheCurrentCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            TokenAmount.ParseTokens("1234.5").ToTokenString().ShouldBe("1234.5");
            TokenAmount.ParseTokens("1234.5").ToUnitsString().ShouldBe("1234500000000000000000");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("1e5")]
    [InlineData(" 1")]
    [InlineData("")]
    public void ParseUnits_AcceptsOnlyPlainDigits(string units)
    {
        Should.Throw<FormatException>(() => TokenAmount.ParseUnits(units));
    }

    [Fact]
    public void Construction_RejectsNegativeAndAboveUint256()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => TokenAmount.FromUnits(BigInteger.MinusOne)).Message.ShouldContain("negative");
        Should.Throw<ArgumentOutOfRangeException>(() => TokenAmount.FromUnits(TokenAmount.MaxUnits + 1)).Message.ShouldContain("2^256-1");
        Should.Throw<ArgumentOutOfRangeException>(() => TokenAmount.FromTokens(-1));
        TokenAmount.FromUnits(TokenAmount.MaxUnits).Units.ShouldBe(BigInteger.Pow(2, 256) - 1);
    }

    [Fact]
    public void FromTokens_ScalesBy10ToThe18()
    {
        TokenAmount.FromTokens(5).Units.ShouldBe(Big("5000000000000000000"));
        TokenAmount.FromTokens(long.MaxValue).Units.ShouldBe(new BigInteger(long.MaxValue) * TokenAmount.UnitsPerToken);
        TokenAmount.UnitsPerToken.ShouldBe(BigInteger.Pow(10, 18));
        TokenAmount.Decimals.ShouldBe(18);
    }

    [Fact]
    public void DefaultValue_IsZero()
    {
        default(TokenAmount).ShouldBe(TokenAmount.Zero);
        default(TokenAmount).IsZero.ShouldBeTrue();
        TokenAmount.FromUnits(1).IsZero.ShouldBeFalse();
    }

    [Fact]
    public void Addition_IsExact_AndOverflowAboveUint256Throws()
    {
        (TokenAmount.ParseTokens("0.1") + TokenAmount.ParseTokens("0.2")).ShouldBe(TokenAmount.ParseTokens("0.3"));
        Should.Throw<ArgumentOutOfRangeException>(() => TokenAmount.FromUnits(TokenAmount.MaxUnits) + TokenAmount.FromUnits(1));
    }

    [Fact]
    public void Subtraction_IsExact_DownToZero_AndNeverNegative()
    {
        (TokenAmount.ParseTokens("0.3") - TokenAmount.ParseTokens("0.1")).ShouldBe(TokenAmount.ParseTokens("0.2"));
        (TokenAmount.FromTokens(2) - TokenAmount.FromTokens(2)).ShouldBe(TokenAmount.Zero);
        Should.Throw<ArgumentOutOfRangeException>(() => TokenAmount.Zero - TokenAmount.FromUnits(1));
    }

    [Fact]
    public void Comparison_FollowsTheUnits()
    {
        var small = TokenAmount.FromUnits(1);
        var big = TokenAmount.FromTokens(1);

        (small < big).ShouldBeTrue();
        (big > small).ShouldBeTrue();
        (small <= TokenAmount.FromUnits(1)).ShouldBeTrue();
        (big >= TokenAmount.ParseTokens("1")).ShouldBeTrue();
        (big < small).ShouldBeFalse();
        small.CompareTo(big).ShouldBeLessThan(0);
        big.CompareTo(small).ShouldBeGreaterThan(0);
        big.CompareTo(TokenAmount.ParseTokens("1.0")).ShouldBe(0);
        new[] { big, TokenAmount.Zero, small }.Order().ShouldBe([TokenAmount.Zero, small, big]);
    }

    [Theory]
    // 0.25% (25 bps) of various prices; the contract computes price * bps / 10000 and rounds down.
    [InlineData("100000000000000000000", 25, "250000000000000000")] // 100 NCR -> 0.25 NCR
    [InlineData("1000000000000000000", 25, "2500000000000000")] // 1 NCR -> 0.0025 NCR
    [InlineData("1", 25, "0")] // 0.0025 base units -> 0
    [InlineData("399", 25, "0")] // 0.9975 -> 0 (down, not to nearest)
    [InlineData("400", 25, "1")] // exactly 1
    [InlineData("799", 25, "1")] // 1.9975 -> 1
    [InlineData("1001", 25, "2")] // 2.5025 -> 2
    [InlineData("12345678901234567890", 25, "30864197253086419")] // 30864197253086419.725 -> ...419
    [InlineData("12345", 0, "0")]
    [InlineData("12345", 10000, "12345")]
    [InlineData("12345", 500, "617")] // 5% = 617.25
    public void MultiplyBasisPoints_IsExact_AndRoundsDown(string units, int bps, string expected)
    {
        TokenAmount.FromUnits(Big(units)).MultiplyBasisPoints(bps).Units.ShouldBe(Big(expected));
    }

    [Fact]
    public void MultiplyBasisPoints_OnTheLargestAmount_DoesNotOverflow()
    {
        var fee = TokenAmount.FromUnits(TokenAmount.MaxUnits).MultiplyBasisPoints(25);

        fee.Units.ShouldBe(TokenAmount.MaxUnits * 25 / 10_000);
        TokenAmount.FromUnits(TokenAmount.MaxUnits).MultiplyBasisPoints(10_000).Units.ShouldBe(TokenAmount.MaxUnits);
    }

    [Fact]
    public void MultiplyBasisPoints_FeePlusRest_AddsUpToThePrice()
    {
        var price = TokenAmount.FromUnits(Big("987654321987654321"));
        var fee = price.MultiplyBasisPoints(25);

        (fee + (price - fee)).ShouldBe(price);
        fee.Units.ShouldBe(Big("2469135804969135")); // 2469135804969135.8025 rounded down
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    [InlineData(int.MinValue)]
    public void MultiplyBasisPoints_OutOfRange_IsRejected(int bps)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => TokenAmount.FromTokens(1).MultiplyBasisPoints(bps)).Message.ShouldContain("10,000");
    }
}
