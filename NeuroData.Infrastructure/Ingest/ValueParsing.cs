using System.Globalization;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>How raw cell text is read as a typed value (invariant culture, strict).</summary>
internal static class ValueParsing
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>A whole number: optional sign and digits, fits in 64 bits, no leading zeros (those are identifiers
    /// such as postal codes and stay text).</summary>
    public static bool TryWhole(string s, out long value)
    {
        value = 0;
        var digits = s.Length > 0 && (s[0] == '-' || s[0] == '+') ? s.AsSpan(1) : s.AsSpan();
        if (digits.Length == 0 || (digits.Length > 1 && digits[0] == '0'))
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A finite decimal number: '.' as separator, optional exponent; no thousands separators, no NaN or
    /// Infinity, no overflow (1e309), no surrounding spaces, no leading zeros before other digits.</summary>
    public static bool TryNumber(string s, out double value)
    {
        value = 0;
        if (s.Length == 0 || !(char.IsAsciiDigit(s[0]) || s[0] is '-' or '+' or '.') || !(char.IsAsciiDigit(s[^1]) || s[^1] == '.'))
        {
            return false;
        }

        var unsigned = s[0] is '-' or '+' ? s.AsSpan(1) : s.AsSpan();
        if (unsigned.Length > 1 && unsigned[0] == '0' && char.IsAsciiDigit(unsigned[1]))
        {
            return false; // leading zeros: an identifier, not a quantity
        }

        return double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    /// <summary>true or false, in any letter case.</summary>
    public static bool TryBoolean(string s, out bool value)
    {
        if (s.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        value = false;
        return s.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An ISO 8601 date or date-time (calendar-valid); without an offset it is taken as UTC.</summary>
    public static bool TryDateTime(string s, out DateTimeOffset value)
    {
        value = default;
        return s.Length is >= 10 and <= 40 && char.IsAsciiDigit(s[0])
            && DateTimeOffset.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
