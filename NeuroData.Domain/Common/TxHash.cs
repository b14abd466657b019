using System.Diagnostics.CodeAnalysis;

namespace NeuroData.Domain.Common;

/// <summary>A 32-byte transaction hash, kept as lower-case 0x-prefixed hex (66 characters).</summary>
public sealed record TxHash
{
    private TxHash(string value)
    {
        Value = value;
    }

    public string Value { get; }

    public static TxHash Parse(string text) =>
        TryParse(text, out var hash, out var error) ? hash : throw new DomainException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out TxHash? hash, out string error)
    {
        hash = null;
        error = string.Empty;
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s))
        {
            error = "Enter a transaction hash.";
            return false;
        }

        if (s.Length != 66 || !(s.StartsWith("0x", StringComparison.Ordinal) || s.StartsWith("0X", StringComparison.Ordinal))
            || !s.AsSpan(2).ContainsOnlyHex())
        {
            error = $"'{(s.Length > 70 ? s[..70] + "…" : s)}' is not a transaction hash: expected 0x followed by 64 hexadecimal digits.";
            return false;
        }

        hash = new TxHash("0x" + s[2..].ToLowerInvariant());
        return true;
    }

    public static TxHash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32)
        {
            throw new DomainException($"A transaction hash is 32 bytes (got {bytes.Length}).");
        }

        return new TxHash("0x" + Convert.ToHexStringLower(bytes));
    }

    public string ToShortString() => Value[..10] + "…" + Value[^6..];

    public override string ToString() => Value;
}

internal static class HexSpanExtensions
{
    public static bool ContainsOnlyHex(this ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
