using System.Globalization;
using System.Numerics;

namespace NeuroData.Domain.Common;

/// <summary>
/// An exact amount of NeuroCoin in base units (1 NCR = 10^18 base units). Never negative, never above 2^256-1.
/// All arithmetic is integer arithmetic; there is no floating point anywhere on this type.
/// </summary>
public readonly record struct TokenAmount : IComparable<TokenAmount>
{
    /// <summary>Number of decimals of NCR.</summary>
    public const int Decimals = 18;

    /// <summary>10^18: base units in one whole token.</summary>
    public static readonly BigInteger UnitsPerToken = BigInteger.Pow(10, Decimals);

    /// <summary>The largest value a uint256 can hold.</summary>
    public static readonly BigInteger MaxUnits = (BigInteger.One << 256) - 1;

    public static readonly TokenAmount Zero = new(BigInteger.Zero);

    private readonly BigInteger _units;

    public TokenAmount(BigInteger units)
    {
        if (units.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(units), "A token amount cannot be negative.");
        }

        if (units > MaxUnits)
        {
            throw new ArgumentOutOfRangeException(nameof(units), "A token amount cannot exceed 2^256-1 base units.");
        }

        _units = units;
    }

    /// <summary>The amount in base units.</summary>
    public BigInteger Units => _units;

    public bool IsZero => _units.IsZero;

    public static TokenAmount FromUnits(BigInteger units) => new(units);

    /// <summary>Whole tokens, e.g. FromTokens(5) = 5 NCR = 5·10^18 base units.</summary>
    public static TokenAmount FromTokens(long wholeTokens) => new(new BigInteger(wholeTokens) * UnitsPerToken);

    /// <summary>
    /// Parses a decimal token string with at most 18 fractional digits ("12", "0.5", "1.000000000000000001").
    /// Uses invariant digits only; no exponent, no sign, no group separators.
    /// </summary>
    public static TokenAmount ParseTokens(string text)
    {
        if (!TryParseTokens(text, out var amount, out var error))
        {
            throw new FormatException(error);
        }

        return amount;
    }

    public static bool TryParseTokens(string? text, out TokenAmount amount, out string error)
    {
        amount = Zero;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "Enter an amount.";
            return false;
        }

        var s = text.Trim();
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? s : s[..dot];
        var frac = dot < 0 ? string.Empty : s[(dot + 1)..];
        if (whole.Length == 0 && frac.Length == 0)
        {
            error = "Enter an amount.";
            return false;
        }

        if (!AllDigits(whole) || !AllDigits(frac) || (dot >= 0 && frac.Length == 0))
        {
            error = $"'{s}' is not a valid amount: use digits and at most one decimal point, e.g. 12.5.";
            return false;
        }

        if (frac.Length > Decimals)
        {
            error = $"An amount has at most {Decimals} decimal places.";
            return false;
        }

        var units = BigInteger.Parse((whole.Length == 0 ? "0" : whole) + frac.PadRight(Decimals, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        if (units > MaxUnits)
        {
            error = "The amount is too large.";
            return false;
        }

        amount = new TokenAmount(units);
        return true;
    }

    private static bool AllDigits(string s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    public static TokenAmount operator +(TokenAmount a, TokenAmount b) => new(a._units + b._units);

    /// <summary>Subtraction; throws when the result would be negative.</summary>
    public static TokenAmount operator -(TokenAmount a, TokenAmount b) => new(a._units - b._units);

    public static bool operator <(TokenAmount a, TokenAmount b) => a._units < b._units;

    public static bool operator >(TokenAmount a, TokenAmount b) => a._units > b._units;

    public static bool operator <=(TokenAmount a, TokenAmount b) => a._units <= b._units;

    public static bool operator >=(TokenAmount a, TokenAmount b) => a._units >= b._units;

    public int CompareTo(TokenAmount other) => _units.CompareTo(other._units);

    /// <summary>This amount times basisPoints/10,000, rounded down (how the contracts compute fees).</summary>
    public TokenAmount MultiplyBasisPoints(int basisPoints)
    {
        if (basisPoints is < 0 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(basisPoints), "Basis points must be between 0 and 10,000.");
        }

        return new TokenAmount(_units * basisPoints / 10_000);
    }

    /// <summary>Base units as a decimal integer string (what the database stores).</summary>
    public string ToUnitsString() => _units.ToString(CultureInfo.InvariantCulture);

    public static TokenAmount ParseUnits(string units) =>
        new(BigInteger.Parse(units, NumberStyles.None, CultureInfo.InvariantCulture));

    /// <summary>Exact decimal text in whole tokens with trailing zeros removed, e.g. "12.5".</summary>
    public string ToTokenString()
    {
        var whole = BigInteger.DivRem(_units, UnitsPerToken, out var rem);
        var w = whole.ToString(CultureInfo.InvariantCulture);
        if (rem.IsZero)
        {
            return w;
        }

        var f = rem.ToString(CultureInfo.InvariantCulture).PadLeft(Decimals, '0').TrimEnd('0');
        return w + "." + f;
    }

    /// <summary>Display text: the exact token string and the symbol, e.g. "12.5 NCR".</summary>
    public override string ToString() => ToTokenString() + " NCR";
}
