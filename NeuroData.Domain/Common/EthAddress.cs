using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace NeuroData.Domain.Common;

/// <summary>
/// A 20-byte Ethereum account address. Accepts all-lower-case or all-upper-case hex (no checksum), or mixed case that
/// must match the EIP-55 checksum. <see cref="Value"/> is always the EIP-55 checksummed form, so two addresses are
/// equal exactly when they are the same account.
/// </summary>
public sealed record EthAddress
{
    private EthAddress(string checksummed)
    {
        Value = checksummed;
    }

    /// <summary>The EIP-55 checksummed text, e.g. 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed.</summary>
    public string Value { get; }

    /// <summary>The zero address (0x000…0), used by contracts for "none"; never a valid party.</summary>
    public static EthAddress Zero { get; } = new("0x" + new string('0', 40));

    public bool IsZero => Value == Zero.Value;

    /// <summary>The 20 address bytes.</summary>
    public byte[] ToBytes() => Convert.FromHexString(Value.AsSpan(2));

    public static EthAddress Parse(string text) =>
        TryParse(text, out var address, out var error) ? address : throw new DomainException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out EthAddress? address, out string error)
    {
        address = null;
        error = string.Empty;
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s))
        {
            error = "Enter a wallet address.";
            return false;
        }

        if (!s.StartsWith("0x", StringComparison.Ordinal) && !s.StartsWith("0X", StringComparison.Ordinal))
        {
            error = $"'{Shorten(s)}' is not an Ethereum address: it must start with 0x.";
            return false;
        }

        var hex = s[2..];
        if (hex.Length != 40 || !IsHex(hex))
        {
            error = $"'{Shorten(s)}' is not an Ethereum address: expected 0x followed by 40 hexadecimal digits.";
            return false;
        }

        var checksummed = ToChecksum(hex);
        var hasLower = hex.Any(char.IsAsciiLetterLower);
        var hasUpper = hex.Any(char.IsAsciiLetterUpper);
        if (hasLower && hasUpper && !string.Equals("0x" + hex, checksummed, StringComparison.Ordinal))
        {
            error = $"'{s}' has an invalid EIP-55 checksum (mixed case that does not match); check for a typo.";
            return false;
        }

        address = new EthAddress(checksummed);
        return true;
    }

    /// <summary>The address for 20 raw bytes.</summary>
    public static EthAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 20)
        {
            throw new DomainException($"An Ethereum address is 20 bytes (got {bytes.Length}).");
        }

        return new EthAddress(ToChecksum(Convert.ToHexStringLower(bytes)));
    }

    /// <summary>EIP-55: upper-case a hex letter when the matching nibble of keccak256(lower-case hex) is 8 or more.</summary>
    public static string ToChecksum(string fortyHexDigits)
    {
        var lower = fortyHexDigits.ToLowerInvariant();
        var hash = Keccak256.Hash(Encoding.ASCII.GetBytes(lower));
        var sb = new StringBuilder("0x", 42);
        for (var i = 0; i < lower.Length; i++)
        {
            var nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f;
            sb.Append(nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i]);
        }

        return sb.ToString();
    }

    /// <summary>Short display form, e.g. 0x5aAe…eAed.</summary>
    public string ToShortString() => Value[..6] + "…" + Value[^4..];

    public override string ToString() => Value;

    private static bool IsHex(string s) => s.All(char.IsAsciiHexDigit);

    private static string Shorten(string s) => s.Length > 50 ? s[..50] + "…" : s;
}
