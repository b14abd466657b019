using System.Buffers;
using System.Security.Cryptography;
using NeuroData.Domain.Common;

namespace NeuroData.Infrastructure.Storage;

/// <summary>Receives the blocks of a DAG as they are built (leaves first, the root last).</summary>
public interface IBlockSink
{
    /// <param name="sha256Digest">SHA-256 of <paramref name="block"/> (the block's CIDv0 multihash digest).</param>
    /// <param name="block">The encoded dag-pb block; only valid during the call.</param>
    void Put(ReadOnlySpan<byte> sha256Digest, ReadOnlySpan<byte> block);
}

/// <summary>
/// Builds the UnixFS file DAG exactly as <c>ipfs add</c> does by default (CIDv0, no raw leaves, fixed 262144-byte
/// chunks, balanced layout with at most 174 links per node, dag-pb + UnixFS protobuf) in one streaming pass.
/// Memory is flat: one chunk buffer plus one row of at most 174 links per tree level.
/// </summary>
/// <remarks>Feed bytes with <see cref="Append"/> or <see cref="GetBuffer"/>/<see cref="Advance"/>, then call
/// <see cref="Complete"/>. Blocks go to the optional <see cref="IBlockSink"/> as they are made.</remarks>
public sealed class UnixFsBuilder : IDisposable
{
    public const int ChunkSize = 262144;
    public const int MaxLinks = 174;

    // Room in front of the chunk for the leaf's protobuf header (0x0a len 0x08 0x02 0x12 len: at most 12 bytes).
    private const int HeaderRoom = 16;

    // Room after the chunk for the trailer (0x18 varint(size): at most 11 bytes).
    private const int TrailerRoom = 16;

    private readonly IBlockSink? _sink;
    private readonly List<Level> _levels = [];
    private byte[] _leafBuffer;
    private byte[] _nodeBuffer;
    private int _filled;
    private bool _anyLeaf;
    private bool _completed;

    public UnixFsBuilder(IBlockSink? sink = null)
    {
        _sink = sink;
        _leafBuffer = ArrayPool<byte>.Shared.Rent(HeaderRoom + ChunkSize + TrailerRoom);
        _nodeBuffer = ArrayPool<byte>.Shared.Rent(MaxLinks * 64 + 64);
    }

    /// <summary>Bytes appended so far.</summary>
    public long Length { get; private set; }

    /// <summary>The free part of the current chunk: fill it, then call <see cref="Advance"/>.</summary>
    public Memory<byte> GetBuffer()
    {
        ThrowIfCompleted();
        return _leafBuffer.AsMemory(HeaderRoom + _filled, ChunkSize - _filled);
    }

    /// <summary>Declares <paramref name="count"/> bytes of <see cref="GetBuffer"/> filled.</summary>
    public void Advance(int count)
    {
        ThrowIfCompleted();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, ChunkSize - _filled);
        _filled += count;
        Length += count;
        if (_filled == ChunkSize)
        {
            EmitLeaf();
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        ThrowIfCompleted();
        while (!data.IsEmpty)
        {
            var n = Math.Min(data.Length, ChunkSize - _filled);
            data[..n].CopyTo(_leafBuffer.AsSpan(HeaderRoom + _filled, n));
            data = data[n..];
            Advance(n);
        }
    }

    /// <summary>Flushes the last chunk and the upper levels; returns the root's CID (the file's CID).</summary>
    public Cid Complete()
    {
        ThrowIfCompleted();
        if (_filled > 0 || !_anyLeaf)
        {
            EmitLeaf();
        }

        _completed = true;
        for (var level = 0; ; level++)
        {
            var row = _levels[level];
            var isTop = level == _levels.Count - 1;
            if (isTop && row.Count == 1)
            {
                return Cid.FromSha256Digest(row.Digest(0));
            }

            EmitNode(level);
        }
    }

    /// <summary>The CID of a whole stream (read to its end).</summary>
    public static async Task<Cid> ComputeAsync(Stream content, CancellationToken cancellationToken = default)
    {
        using var builder = new UnixFsBuilder();
        await builder.AppendAsync(content, cancellationToken);
        return builder.Complete();
    }

    /// <summary>Reads the stream to its end into the builder (no intermediate copy).</summary>
    public async Task AppendAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        while (true)
        {
            var read = await content.ReadAsync(GetBuffer(), cancellationToken);
            if (read == 0)
            {
                return;
            }

            Advance(read);
        }
    }

    public void Dispose()
    {
        if (_leafBuffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_leafBuffer);
            ArrayPool<byte>.Shared.Return(_nodeBuffer);
            _leafBuffer = [];
            _nodeBuffer = [];
        }
    }

    private void ThrowIfCompleted()
    {
        ObjectDisposedException.ThrowIf(_leafBuffer.Length == 0, this);
        if (_completed)
        {
            throw new InvalidOperationException("The DAG is already complete.");
        }
    }

    private void EmitLeaf()
    {
        _anyLeaf = true;
        var size = (ulong)_filled;

        // UnixFS Data { Type = File (2); Data = chunk (omitted when empty); filesize = size }
        var sizeVarint = VarintLength(size);
        var unixFsLength = 2 + (size > 0 ? 1 + sizeVarint + _filled : 0) + 1 + sizeVarint;

        // PBNode { Data = UnixFS } (no links)
        Span<byte> header = stackalloc byte[HeaderRoom];
        var h = 0;
        header[h++] = 0x0a;
        h += WriteVarint(header[h..], (ulong)unixFsLength);
        header[h++] = 0x08;
        header[h++] = 0x02;
        if (size > 0)
        {
            header[h++] = 0x12;
            h += WriteVarint(header[h..], size);
        }

        var start = HeaderRoom - h;
        header[..h].CopyTo(_leafBuffer.AsSpan(start));
        var end = HeaderRoom + _filled;
        _leafBuffer[end++] = 0x18;
        end += WriteVarint(_leafBuffer.AsSpan(end), size);

        var block = _leafBuffer.AsSpan(start, end - start);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(block, digest);
        _sink?.Put(digest, block);
        _filled = 0;
        AddLink(0, digest, (ulong)block.Length, size);
    }

    private void AddLink(int level, ReadOnlySpan<byte> digest, ulong treeSize, ulong fileSize)
    {
        if (level == _levels.Count)
        {
            _levels.Add(new Level());
        }

        if (_levels[level].Count == MaxLinks)
        {
            EmitNode(level);
        }

        _levels[level].Add(digest, treeSize, fileSize);
    }

    /// <summary>Turns the row of links at <paramref name="level"/> into a node, linked from the level above.</summary>
    private void EmitNode(int level)
    {
        var row = _levels[level];
        ulong fileSize = 0, treeSizes = 0;
        for (var i = 0; i < row.Count; i++)
        {
            fileSize += row.FileSizes[i];
            treeSizes += row.TreeSizes[i];
        }

        var buffer = _nodeBuffer.AsSpan();
        var p = 0;

        // PBNode.Links (field 2) come first in the canonical encoding: PBLink { Hash = multihash; Name = ""; Tsize }
        for (var i = 0; i < row.Count; i++)
        {
            var linkLength = 2 + 34 + 2 + 1 + VarintLength(row.TreeSizes[i]);
            buffer[p++] = 0x12;
            p += WriteVarint(buffer[p..], (ulong)linkLength);
            buffer[p++] = 0x0a;
            buffer[p++] = 34;
            buffer[p++] = 0x12;
            buffer[p++] = 0x20;
            row.Digest(i).CopyTo(buffer[p..]);
            p += 32;
            buffer[p++] = 0x12;
            buffer[p++] = 0x00;
            buffer[p++] = 0x18;
            p += WriteVarint(buffer[p..], row.TreeSizes[i]);
        }

        // PBNode.Data (field 1): UnixFS Data { Type = File; filesize; blocksizes (repeated, unpacked) }
        var unixFsLength = 2 + 1 + VarintLength(fileSize);
        for (var i = 0; i < row.Count; i++)
        {
            unixFsLength += 1 + VarintLength(row.FileSizes[i]);
        }

        buffer[p++] = 0x0a;
        p += WriteVarint(buffer[p..], (ulong)unixFsLength);
        buffer[p++] = 0x08;
        buffer[p++] = 0x02;
        buffer[p++] = 0x18;
        p += WriteVarint(buffer[p..], fileSize);
        for (var i = 0; i < row.Count; i++)
        {
            buffer[p++] = 0x20;
            p += WriteVarint(buffer[p..], row.FileSizes[i]);
        }

        var block = buffer[..p];
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(block, digest);
        _sink?.Put(digest, block);
        row.Count = 0;
        AddLink(level + 1, digest, (ulong)p + treeSizes, fileSize);
    }

    internal static int VarintLength(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    internal static int WriteVarint(Span<byte> destination, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[n++] = (byte)value;
        return n;
    }

    /// <summary>One row of links waiting to become a node.</summary>
    private sealed class Level
    {
        private readonly byte[] _digests = new byte[MaxLinks * 32];

        public ulong[] TreeSizes { get; } = new ulong[MaxLinks];

        public ulong[] FileSizes { get; } = new ulong[MaxLinks];

        public int Count { get; set; }

        public ReadOnlySpan<byte> Digest(int index) => _digests.AsSpan(index * 32, 32);

        public void Add(ReadOnlySpan<byte> digest, ulong treeSize, ulong fileSize)
        {
            digest.CopyTo(_digests.AsSpan(Count * 32));
            TreeSizes[Count] = treeSize;
            FileSizes[Count] = fileSize;
            Count++;
        }
    }
}
