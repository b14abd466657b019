using System.Numerics;
using NeuroData.Domain.Common;

namespace NeuroData.Infrastructure.Datasets.Listings;

/// <summary>The on-chain content digest of a dataset version: the 32-byte sha2-256 digest inside its CIDv0 multihash.</summary>
public static class ContentDigest
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    public static byte[] FromCid(Cid cid)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (cid.Version != 0)
        {
            throw new DomainException($"Only a CIDv0 (Qm…) carries the sha2-256 digest the contract lists; '{cid}' is a CIDv1.");
        }

        var n = BigInteger.Zero;
        foreach (var c in cid.Value)
        {
            n = (n * 58) + Alphabet.IndexOf(c, StringComparison.Ordinal);
        }

        var bytes = n.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length != 34 || bytes[0] != 0x12 || bytes[1] != 0x20)
        {
            throw new DomainException($"'{cid}' does not hold a sha2-256 multihash.");
        }

        return bytes[2..];
    }

    /// <summary>0x-prefixed lower-case hex of a digest (how the chain mirror stores it).</summary>
    public static string ToHex(byte[] digest) => "0x" + Convert.ToHexStringLower(digest);
}
