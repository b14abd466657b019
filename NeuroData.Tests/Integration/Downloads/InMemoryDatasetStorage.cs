using System.Collections.Concurrent;
using System.Security.Cryptography;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;

namespace NeuroData.Tests.Integration.Downloads;

/// <summary>
/// A test double of <see cref="IDatasetStorage"/> kept in memory, honest about what it does: it computes the real
/// CIDv0 (single-chunk files, up to 256 KiB, exactly as <c>ipfs add</c>) and SHA-256, keeps the bytes under a random
/// storage CID, and refuses a wrong key like a real decryption would. It does not encrypt; <see cref="Tamper"/> flips a
/// stored byte so tests can check that downloads verify what they serve. The integrator swaps in the real storage.
/// </summary>
public sealed class InMemoryDatasetStorage : IDatasetStorage
{
    public const int ChunkSize = 256 * 1024;

    private readonly ConcurrentDictionary<string, (byte[] Content, byte[] Key)> _items = new();

    public int Count => _items.Count;

    public async Task<StoredContent> StoreAsync(Stream plaintext, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await plaintext.CopyToAsync(buffer, cancellationToken);
        var content = buffer.ToArray();
        if (content.Length > ChunkSize)
        {
            throw new NotSupportedException($"The in-memory test storage keeps single-chunk files only (up to {ChunkSize} bytes); use the real storage for {content.Length} bytes.");
        }

        var storageCid = RandomCid();
        var key = RandomNumberGenerator.GetBytes(32);
        _items[storageCid.Value] = (content, key);
        return new StoredContent(SingleChunkCid(content), Convert.ToHexStringLower(SHA256.HashData(content)), content.Length, storageCid, key);
    }

    public Task<Stream> OpenAsync(Cid storageCid, byte[] wrappedKey, long offset = 0, CancellationToken cancellationToken = default)
    {
        if (!_items.TryGetValue(storageCid.Value, out var item))
        {
            throw new FileNotFoundException($"No stored content {storageCid}.");
        }

        if (!item.Key.AsSpan().SequenceEqual(wrappedKey))
        {
            throw new AuthenticationTagMismatchException("The data key does not open this content.");
        }

        if (offset < 0 || offset > item.Content.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset lies outside the content.");
        }

        return Task.FromResult<Stream>(new MemoryStream(item.Content, (int)offset, item.Content.Length - (int)offset, writable: false));
    }

    public Task RemoveAsync(Cid storageCid, CancellationToken cancellationToken = default)
    {
        _items.TryRemove(storageCid.Value, out _);
        return Task.CompletedTask;
    }

    /// <summary>Flips one byte of stored content (what an attacker or a broken disk would do).</summary>
    public void Tamper(Cid storageCid, int index)
    {
        var item = _items[storageCid.Value];
        item.Content[index] ^= 0xFF;
    }

    /// <summary>CIDv0 of a file that fits in one 256 KiB chunk: sha2-256 of the dag-pb node holding its UnixFS file data.</summary>
    public static Cid SingleChunkCid(byte[] content)
    {
        var unixfs = new List<byte> { 0x08, 0x02 };
        if (content.Length > 0)
        {
            unixfs.Add(0x12);
            unixfs.AddRange(Varint((ulong)content.Length));
            unixfs.AddRange(content);
        }

        unixfs.Add(0x18);
        unixfs.AddRange(Varint((ulong)content.Length));
        var node = new List<byte> { 0x0a };
        node.AddRange(Varint((ulong)unixfs.Count));
        node.AddRange(unixfs);
        return FromDigest(SHA256.HashData(node.ToArray()));
    }

    private static Cid RandomCid() => FromDigest(RandomNumberGenerator.GetBytes(32));

    private static Cid FromDigest(byte[] digest)
    {
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var bytes = new byte[34];
        bytes[0] = 0x12;
        bytes[1] = 0x20;
        digest.CopyTo(bytes, 2);
        var n = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var sb = new System.Text.StringBuilder();
        while (n > 0)
        {
            n = System.Numerics.BigInteger.DivRem(n, 58, out var rem);
            sb.Insert(0, alphabet[(int)rem]);
        }

        return Cid.Parse(sb.ToString());
    }

    private static IEnumerable<byte> Varint(ulong value)
    {
        while (value >= 0x80)
        {
            yield return (byte)(value | 0x80);
            value >>= 7;
        }

        yield return (byte)value;
    }
}
