using System.Numerics;
using CsCheck;
using NeuroData.Domain.Common;

namespace NeuroData.Tests.Unit.Domain.Common;

/// <summary>Properties checked on generated values (CsCheck; a failure prints the seed and the shrunk example).</summary>
public sealed class ValueTypePropertyTests
{
    /// <summary>Any uint256 amount, biased to small and boundary values by drawing a random byte length first.</summary>
    private static readonly Gen<TokenAmount> GenAmount =
        Gen.Frequency(
            (6, Gen.Byte.Array[0, 32].Select(b => TokenAmount.FromUnits(new BigInteger(b, isUnsigned: true)))),
            (1, Gen.Int[0, 1000].Select(i => TokenAmount.FromUnits(TokenAmount.MaxUnits - i))),
            (1, Gen.Long[0, 1_000_000].Select(TokenAmount.FromTokens)));

    [Fact]
    public void TokenAmount_TokenString_RoundTrips()
    {
        GenAmount.Sample(a =>
        {
            var text = a.ToTokenString();
            TokenAmount.ParseTokens(text).ShouldBe(a);
            if (text.Contains('.', StringComparison.Ordinal))
            {
                text[^1].ShouldNotBe('0', "no trailing zeros in the fraction");
            }
        }, iter: 2000);
    }

    [Fact]
    public void TokenAmount_UnitsString_RoundTrips()
    {
        GenAmount.Sample(a => TokenAmount.ParseUnits(a.ToUnitsString()).ShouldBe(a), iter: 2000);
    }

    [Fact]
    public void TokenAmount_ParsedDecimalText_FormatsBackToItsCanonicalForm()
    {
        // Random "whole.fraction" text with up to 18 decimals: parse then format gives the same number written
        // without leading zeros in the whole part and without trailing zeros in the fraction.
        var gen = Gen.Select(Gen.ULong, Gen.Char['0', '9'].Array[0, 18]);
        gen.Sample((whole, fracDigits) =>
        {
            var frac = new string(fracDigits);
            var text = frac.Length == 0 ? whole.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{whole}.{frac}";
            var trimmed = frac.TrimEnd('0');
            var canonical = trimmed.Length == 0 ? $"{whole}" : $"{whole}.{trimmed}";

            TokenAmount.ParseTokens(text).ToTokenString().ShouldBe(canonical);
        }, iter: 2000);
    }

    [Fact]
    public void TokenAmount_Addition_IsAssociativeAndCommutative_OrThrows_NeverWraps()
    {
        Gen.Select(GenAmount, GenAmount, GenAmount).Sample((a, b, c) =>
        {
            var exact = a.Units + b.Units + c.Units;
            if (exact > TokenAmount.MaxUnits)
            {
                // Whichever way round it is added, the sum overflows loudly instead of wrapping.
                Should.Throw<ArgumentOutOfRangeException>(() => (a + b) + c);
                Should.Throw<ArgumentOutOfRangeException>(() => a + (b + c));
                return;
            }

            ((a + b) + c).ShouldBe(a + (b + c));
            (a + b).ShouldBe(b + a);
            ((a + b) + c).Units.ShouldBe(exact);
        }, iter: 2000);
    }

    [Fact]
    public void TokenAmount_Subtraction_UndoesAddition_AndNeverGoesNegative()
    {
        Gen.Select(GenAmount, GenAmount).Sample((a, b) =>
        {
            if (a.Units + b.Units <= TokenAmount.MaxUnits)
            {
                ((a + b) - b).ShouldBe(a);
            }

            if (a >= b)
            {
                (a - b).Units.ShouldBe(a.Units - b.Units);
            }
            else
            {
                Should.Throw<ArgumentOutOfRangeException>(() => a - b);
            }
        }, iter: 2000);
    }

    [Fact]
    public void TokenAmount_BasisPoints_RoundDown_AndFeePlusRestIsThePrice()
    {
        Gen.Select(GenAmount, Gen.Int[0, 10_000]).Sample((price, bps) =>
        {
            var fee = price.MultiplyBasisPoints(bps);

            // Rounded down: fee * 10000 <= price * bps < (fee + 1) * 10000.
            (fee.Units * 10_000).ShouldBeLessThanOrEqualTo(price.Units * bps);
            ((fee.Units + 1) * 10_000).ShouldBeGreaterThan(price.Units * bps);
            fee.ShouldBeLessThanOrEqualTo(price);
            (fee + (price - fee)).ShouldBe(price);
        }, iter: 2000);
    }

    [Fact]
    public void EthAddress_Checksum_RoundTrips_FromAnyCase()
    {
        Gen.Byte.Array[20].Sample(bytes =>
        {
            var address = EthAddress.FromBytes(bytes);
            var hex = address.Value[2..];

            address.ToBytes().ShouldBe(bytes);
            EthAddress.Parse(address.Value).ShouldBe(address);
            EthAddress.Parse("0x" + hex.ToLowerInvariant()).Value.ShouldBe(address.Value);
            EthAddress.Parse("0x" + hex.ToUpperInvariant()).Value.ShouldBe(address.Value);
            EthAddress.ToChecksum(hex).ShouldBe(address.Value);
        }, iter: 1000);
    }

    [Fact]
    public void EthAddress_FlippingTheCaseOfOneLetter_BreaksTheChecksum()
    {
        Gen.Select(Gen.Byte.Array[20], Gen.Int[0, 39]).Sample((bytes, position) =>
        {
            var value = EthAddress.FromBytes(bytes).Value;
            var hex = value[2..].ToCharArray();
            var letters = Enumerable.Range(0, 40).Where(i => char.IsAsciiLetter(hex[i])).ToList();
            var hasLower = letters.Any(i => char.IsAsciiLetterLower(hex[i]));
            var hasUpper = letters.Any(i => char.IsAsciiLetterUpper(hex[i]));
            if (letters.Count < 2 || !(hasLower && hasUpper))
            {
                return; // flipping could make it all-one-case, which is accepted without a checksum
            }

            var i = letters[position % letters.Count];
            hex[i] = char.IsAsciiLetterUpper(hex[i]) ? char.ToLowerInvariant(hex[i]) : char.ToUpperInvariant(hex[i]);
            var tampered = "0x" + new string(hex);
            var stillMixed = tampered[2..].Any(char.IsAsciiLetterLower) && tampered[2..].Any(char.IsAsciiLetterUpper);
            if (stillMixed)
            {
                EthAddress.TryParse(tampered, out _, out var error).ShouldBeFalse();
                error.ShouldContain("checksum");
            }
        }, iter: 1000);
    }

    [Fact]
    public void TxHash_Bytes_RoundTrip()
    {
        Gen.Byte.Array[32].Sample(bytes =>
        {
            var hash = TxHash.FromBytes(bytes);
            TxHash.Parse(hash.Value.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)).ShouldBe(hash);
            Convert.FromHexString(hash.Value[2..]).ShouldBe(bytes);
        }, iter: 500);
    }

    [Fact]
    public void Slug_From_AlwaysGivesAValidSlugOrEmpty()
    {
        Gen.String.Sample(text =>
        {
            var slug = Slug.From(text);
            if (slug.Length >= 2)
            {
                Slug.Validate(slug).ShouldBe(slug);
            }
            else
            {
                slug.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)).ShouldBeTrue();
            }
        }, iter: 2000);
    }
}
