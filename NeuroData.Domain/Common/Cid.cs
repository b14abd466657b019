using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace NeuroData.Domain.Common;

/// <summary>
/// An IPFS content identifier. Accepts CIDv0 (base58btc "Qm…", a sha2-256 multihash, what <c>ipfs add</c> prints by
/// default) and CIDv1 in base32 ("b…", lower case; upper-case "B…" is normalised). The structure is decoded and
/// checked, not just the prefix.
/// </summary>
public sealed record Cid
{
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    private Cid(string value, int version)
    {
        Value = value;
        Version = version;
    }

    public string Value { get; }

    /// <summary>0 or 1.</summary>
    public int Version { get; }

    public static Cid Parse(string text) =>
        TryParse(text, out var cid, out var error) ? cid : throw new DomainException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out Cid? cid, out string error)
    {
        cid = null;
        error = string.Empty;
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s))
        {
            error = "Enter a CID.";
            return false;
        }

        var shown = s.Length > 70 ? s[..70] + "…" : s;
        if (s.StartsWith("Qm", StringComparison.Ordinal))
        {
            if (s.Length != 46 || !TryDecodeBase58(s, out var bytes) || bytes.Length != 34 || bytes[0] != 0x12 || bytes[1] != 0x20)
            {
                error = $"'{shown}' is not a valid CIDv0: expected 46 base58 characters encoding a sha2-256 multihash.";
                return false;
            }

            cid = new Cid(s, 0);
            return true;
        }

        if (s[0] is 'b' or 'B')
        {
            var raw = s[1..];
            var body = raw.ToLowerInvariant();
            if (raw.Any(char.IsAsciiLetterLower) && raw.Any(char.IsAsciiLetterUpper))
            {
                error = $"'{shown}' is not a valid CIDv1: base32 text must be all lower case or all upper case.";
                return false;
            }

            if (!TryDecodeBase32(body, out var bytes) || !IsCidV1(bytes))
            {
                error = $"'{shown}' is not a valid CIDv1: expected base32 of version 1, a codec and a complete multihash.";
                return false;
            }

            cid = new Cid("b" + body, 1);
            return true;
        }

        error = $"'{shown}' is not a CID: expected a CIDv0 starting with 'Qm' or a base32 CIDv1 starting with 'b'.";
        return false;
    }

    public override string ToString() => Value;

    /// <summary>The CIDv0 of a dag-pb block whose SHA-256 digest is <paramref name="sha256Digest"/> (32 bytes).</summary>
    public static Cid FromSha256Digest(ReadOnlySpan<byte> sha256Digest)
    {
        if (sha256Digest.Length != 32)
        {
            throw new ArgumentException("A sha2-256 digest is 32 bytes.", nameof(sha256Digest));
        }

        Span<byte> multihash = stackalloc byte[34];
        multihash[0] = 0x12;
        multihash[1] = 0x20;
        sha256Digest.CopyTo(multihash[2..]);
        return new Cid(EncodeBase58(multihash), 0);
    }

    /// <summary>The multihash this CID carries (for a CIDv0: 0x12 0x20 followed by the 32-byte SHA-256 digest).</summary>
    public byte[] GetMultihash()
    {
        if (Version == 0)
        {
            TryDecodeBase58(Value, out var bytes);
            return bytes;
        }

        TryDecodeBase32(Value[1..], out var v1);
        var pos = 0;
        TryReadVarint(v1, ref pos, out _);
        TryReadVarint(v1, ref pos, out _);
        return v1[pos..];
    }

    /// <summary>The SHA-256 digest of a CIDv0 (what the block's bytes must hash to).</summary>
    public byte[] GetSha256Digest()
    {
        var multihash = GetMultihash();
        if (multihash.Length != 34 || multihash[0] != 0x12 || multihash[1] != 0x20)
        {
            throw new DomainException($"CID '{Value}' does not carry a sha2-256 multihash.");
        }

        return multihash[2..];
    }

    /// <summary>Base58btc (Bitcoin alphabet) of <paramref name="bytes"/>, leading zero bytes as '1'.</summary>
    public static string EncodeBase58(ReadOnlySpan<byte> bytes)
    {
        var leadingZeros = 0;
        while (leadingZeros < bytes.Length && bytes[leadingZeros] == 0)
        {
            leadingZeros++;
        }

        // Repeated division by 58 over a big-endian base-256 number kept in base-58 digits (little-endian).
        var size = ((bytes.Length - leadingZeros) * 138 / 100) + 1;
        Span<byte> digits = size <= 256 ? stackalloc byte[size] : new byte[size];
        digits.Clear();
        var length = 0;
        for (var i = leadingZeros; i < bytes.Length; i++)
        {
            int carry = bytes[i];
            var j = 0;
            for (; j < length || carry != 0; j++)
            {
                carry += 256 * digits[j];
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }

            length = j;
        }

        var chars = new char[leadingZeros + length];
        chars.AsSpan(0, leadingZeros).Fill('1');
        for (var k = 0; k < length; k++)
        {
            chars[leadingZeros + k] = Base58Alphabet[digits[length - 1 - k]];
        }

        return new string(chars);
    }

    private static bool IsCidV1(byte[] bytes)
    {
        var pos = 0;
        if (!TryReadVarint(bytes, ref pos, out var version) || version != 1)
        {
            return false;
        }

        if (!TryReadVarint(bytes, ref pos, out _) // content codec (dag-pb 0x70, raw 0x55, ...)
            || !TryReadVarint(bytes, ref pos, out _) // multihash function code
            || !TryReadVarint(bytes, ref pos, out var digestLength))
        {
            return false;
        }

        return digestLength > 0 && (ulong)(bytes.Length - pos) == digestLength;
    }

    private static bool TryReadVarint(byte[] bytes, ref int pos, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 63; shift += 7)
        {
            if (pos >= bytes.Length)
            {
                return false;
            }

            var b = bytes[pos++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryDecodeBase58(string s, out byte[] bytes)
    {
        bytes = [];
        var n = BigInteger.Zero;
        foreach (var c in s)
        {
            var digit = Base58Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            n = (n * 58) + digit;
        }

        var leadingZeros = s.TakeWhile(c => c == '1').Count();
        var body = n.IsZero ? [] : n.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes = new byte[leadingZeros + body.Length];
        body.CopyTo(bytes, leadingZeros);
        return true;
    }

    private static bool TryDecodeBase32(string s, out byte[] bytes)
    {
        bytes = [];
        if (s.Length == 0)
        {
            return false;
        }

        var output = new List<byte>((s.Length * 5 / 8) + 1);
        int buffer = 0, bits = 0;
        foreach (var c in s)
        {
            var v = Base32Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (v < 0)
            {
                return false;
            }

            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)((buffer >> bits) & 0xff));
            }
        }

        // Left-over bits must be zero padding (fewer than 5 of them), as RFC 4648 without '=' produces.
        if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0)
        {
            return false;
        }

        bytes = [.. output];
        return true;
    }
}
