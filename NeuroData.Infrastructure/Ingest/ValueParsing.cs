using System.Globalization;
using System.Numerics;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>How raw cell text is read as a typed value (invariant culture, strict).</summary>
internal static class ValueParsing
{
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
        return NumberShape(s.AsSpan())
            && double.TryParse(s, NumberStyle, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    /// <summary><see cref="TryNumber(string, out double)"/> on a cell's UTF-8 bytes (no string made).</summary>
    public static bool TryNumber(ReadOnlySpan<byte> utf8, out double value)
    {
        value = 0;
        return NumberShape(utf8)
            && double.TryParse(utf8, NumberStyle, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    private const NumberStyles NumberStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Starts with a digit, sign or '.', ends with a digit or '.', and has no leading zero before another digit
    /// (leading zeros: an identifier, not a quantity).</summary>
    private static bool NumberShape<T>(ReadOnlySpan<T> s)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (s.Length == 0)
        {
            return false;
        }

        int first = int.CreateTruncating(s[0]), last = int.CreateTruncating(s[^1]);
        if (!(IsDigit(first) || first is '-' or '+' or '.') || !(IsDigit(last) || last == '.'))
        {
            return false;
        }

        var unsigned = first is '-' or '+' ? s[1..] : s;
        return !(unsigned.Length > 1 && int.CreateTruncating(unsigned[0]) == '0' && IsDigit(int.CreateTruncating(unsigned[1])));

        static bool IsDigit(int c) => c is >= '0' and <= '9';
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

    /// <summary>An ISO 8601 date or date-time (calendar-valid): <c>yyyy-MM-dd</c>, optionally followed by 'T' or a
    /// space, <c>HH:mm</c>, optional <c>:ss</c> and up to 7 fraction digits, then optional <c>Z</c> or <c>±HH:mm</c>.
    /// Without an offset it is taken as UTC.</summary>
    public static bool TryDateTime(string s, out DateTimeOffset value)
    {
        value = default;
        var p = s.AsSpan();
        if (p.Length < 10 || p[4] != '-' || p[7] != '-'
            || !Digits(p[..4], out var year) || !Digits(p.Slice(5, 2), out var month) || !Digits(p.Slice(8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        long ticks = 0;
        var offset = TimeSpan.Zero;
        p = p[10..];
        if (p.Length > 0)
        {
            if (p.Length < 6 || p[0] is not ('T' or ' ') || p[3] != ':'
                || !Digits(p.Slice(1, 2), out var hour) || !Digits(p.Slice(4, 2), out var minute) || hour > 23 || minute > 59)
            {
                return false;
            }

            ticks = (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute);
            p = p[6..];
            if (p.Length >= 3 && p[0] == ':')
            {
                if (!Digits(p.Slice(1, 2), out var second) || second > 59)
                {
                    return false;
                }

                ticks += second * TimeSpan.TicksPerSecond;
                p = p[3..];
                if (p.Length >= 2 && p[0] == '.')
                {
                    var digits = 0;
                    long fraction = 0;
                    p = p[1..];
                    while (p.Length > 0 && char.IsAsciiDigit(p[0]))
                    {
                        if (++digits > 7)
                        {
                            return false;
                        }

                        fraction = (fraction * 10) + (p[0] - '0');
                        p = p[1..];
                    }

                    if (digits == 0)
                    {
                        return false;
                    }

                    for (var i = digits; i < 7; i++)
                    {
                        fraction *= 10;
                    }

                    ticks += fraction;
                }
            }

            if (p.Length == 1 && p[0] == 'Z')
            {
                p = default;
            }
            else if (p.Length == 6 && p[0] is '+' or '-' && p[3] == ':'
                && Digits(p.Slice(1, 2), out var offsetHours) && Digits(p.Slice(4, 2), out var offsetMinutes) && offsetHours <= 14 && offsetMinutes <= 59)
            {
                offset = new TimeSpan(offsetHours, offsetMinutes, 0);
                if (p[0] == '-')
                {
                    offset = -offset;
                }

                p = default;
            }

            if (p.Length != 0)
            {
                return false;
            }
        }

        var local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified).AddTicks(ticks);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(local, offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> span, out int value)
    {
        value = 0;
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
