using NeuroData.Domain.Common;

namespace NeuroData.Infrastructure.Storage;

/// <summary>A decoded dag-pb node with UnixFS data: its links (multihash digests), their file sizes and its own bytes.</summary>
public sealed record DagNode(IReadOnlyList<byte[]> LinkDigests, IReadOnlyList<ulong> BlockSizes, ArraySegment<byte> Data, ulong FileSize)
{
    /// <summary>Decodes a dag-pb block (PBNode with UnixFS Data). Links to anything but sha2-256 multihashes are rejected.</summary>
    public static DagNode Parse(byte[] block, Cid cid)
    {
        var links = new List<byte[]>();
        var sizes = new List<ulong>();
        var data = ArraySegment<byte>.Empty;
        ulong fileSize = 0;
        var hasUnixFs = false;
        try
        {
            var pos = 0;
            while (pos < block.Length)
            {
                var (field, wire) = ReadTag(block, ref pos);
                if (field == 2 && wire == 2)
                {
                    var link = ReadBytes(block, ref pos);
                    links.Add(ParseLinkDigest(block, link));
                }
                else if (field == 1 && wire == 2)
                {
                    var unixFs = ReadBytes(block, ref pos);
                    hasUnixFs = true;
                    (data, fileSize) = ParseUnixFs(block, unixFs, sizes);
                }
                else
                {
                    Skip(block, ref pos, wire);
                }
            }
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or InvalidDataException or ArgumentOutOfRangeException)
        {
            throw Corrupt(cid, ex is IndexOutOfRangeException ? "truncated protobuf" : ex.Message);
        }

        if (!hasUnixFs)
        {
            throw Corrupt(cid, "no UnixFS data");
        }

        if (links.Count != sizes.Count)
        {
            throw Corrupt(cid, $"{links.Count} links but {sizes.Count} block sizes");
        }

        return new DagNode(links, sizes, data, fileSize);
    }

    private static InvalidDataException Corrupt(Cid cid, string why) => new($"Block {cid} is not a UnixFS file node ({why}).");

    private static byte[] ParseLinkDigest(byte[] block, Range link)
    {
        var (start, end) = (link.Start.Value, link.End.Value);
        var pos = start;
        byte[]? digest = null;
        while (pos < end)
        {
            var (field, wire) = ReadTag(block, ref pos);
            if (field == 1 && wire == 2)
            {
                var hash = ReadBytes(block, ref pos);
                var bytes = block.AsSpan(hash);
                if (bytes.Length != 34 || bytes[0] != 0x12 || bytes[1] != 0x20)
                {
                    throw new InvalidDataException("A link is not a sha2-256 CIDv0.");
                }

                digest = bytes[2..].ToArray();
            }
            else
            {
                Skip(block, ref pos, wire);
            }
        }

        return digest ?? throw new InvalidDataException("A link has no hash.");
    }

    private static (ArraySegment<byte> Data, ulong FileSize) ParseUnixFs(byte[] block, Range unixFs, List<ulong> sizes)
    {
        var (start, end) = (unixFs.Start.Value, unixFs.End.Value);
        var pos = start;
        var data = ArraySegment<byte>.Empty;
        ulong fileSize = 0;
        ulong type = 0;
        while (pos < end)
        {
            var (field, wire) = ReadTag(block, ref pos);
            switch (field, wire)
            {
                case (1, 0):
                    type = ReadVarint(block, ref pos);
                    break;
                case (2, 2):
                    var range = ReadBytes(block, ref pos);
                    data = new ArraySegment<byte>(block, range.Start.Value, range.End.Value - range.Start.Value);
                    break;
                case (3, 0):
                    fileSize = ReadVarint(block, ref pos);
                    break;
                case (4, 0):
                    sizes.Add(ReadVarint(block, ref pos));
                    break;
                case (4, 2):
                    var packed = ReadBytes(block, ref pos);
                    var p = packed.Start.Value;
                    while (p < packed.End.Value)
                    {
                        sizes.Add(ReadVarint(block, ref p));
                    }

                    break;
                default:
                    Skip(block, ref pos, wire);
                    break;
            }
        }

        if (type is not (2 or 0))
        {
            throw new InvalidDataException($"UnixFS node of type {type} is not a file.");
        }

        return (data, fileSize);
    }

    private static (int Field, int Wire) ReadTag(byte[] block, ref int pos)
    {
        var tag = ReadVarint(block, ref pos);
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    private static ulong ReadVarint(byte[] block, ref int pos)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = block[pos++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("Varint too long.");
    }

    private static Range ReadBytes(byte[] block, ref int pos)
    {
        var length = ReadVarint(block, ref pos);
        if (length > (ulong)(block.Length - pos))
        {
            throw new InvalidDataException("truncated protobuf");
        }

        var start = pos;
        pos += (int)length;
        return start..pos;
    }

    private static void Skip(byte[] block, ref int pos, int wire)
    {
        switch (wire)
        {
            case 0:
                ReadVarint(block, ref pos);
                break;
            case 1:
                pos += 8;
                break;
            case 2:
                ReadBytes(block, ref pos);
                break;
            case 5:
                pos += 4;
                break;
            default:
                throw new InvalidDataException($"Unknown protobuf wire type {wire}.");
        }

        if (pos > block.Length)
        {
            throw new InvalidDataException("truncated protobuf");
        }
    }
}

/// <summary>
/// Streams the bytes of a UnixFS file by walking its DAG depth-first, from a byte offset (whole subtrees before the
/// offset are skipped by their block sizes). Only the path from the root to the current leaf is held in memory.
/// </summary>
public sealed class UnixFsFileStream : Stream
{
    private readonly Func<byte[], byte[]> _readBlock;
    private readonly Stack<Frame> _path = new();
    private ArraySegment<byte> _current = ArraySegment<byte>.Empty;
    private long _position;

    /// <param name="readBlock">Returns the verified block whose SHA-256 digest is given.</param>
    public UnixFsFileStream(Cid root, Func<byte[], byte[]> readBlock, long offset)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _readBlock = readBlock;
        var node = DagNode.Parse(readBlock(root.GetSha256Digest()), root);
        Length = (long)Math.Max(node.FileSize, (ulong)node.Data.Count);
        _position = Math.Min(offset, Length);
        Descend(node, (ulong)_position);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_current.Count == 0)
        {
            if (!NextLeaf())
            {
                return 0;
            }
        }

        var n = Math.Min(buffer.Length, _current.Count);
        _current.AsSpan(0, n).CopyTo(buffer);
        _current = _current[n..];
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Goes down from <paramref name="node"/> to the leaf holding <paramref name="skip"/>.</summary>
    private void Descend(DagNode node, ulong skip)
    {
        while (true)
        {
            if (skip < (ulong)node.Data.Count)
            {
                _current = node.Data[(int)skip..];
                _path.Push(new Frame(node, 0));
                return;
            }

            skip -= (ulong)node.Data.Count;
            var index = 0;
            while (index < node.LinkDigests.Count && skip >= node.BlockSizes[index])
            {
                skip -= node.BlockSizes[index];
                index++;
            }

            if (index == node.LinkDigests.Count)
            {
                _current = ArraySegment<byte>.Empty;
                _path.Push(new Frame(node, index));
                return;
            }

            _path.Push(new Frame(node, index + 1));
            var digest = node.LinkDigests[index];
            node = DagNode.Parse(_readBlock(digest), Cid.FromSha256Digest(digest));
        }
    }

    private bool NextLeaf()
    {
        while (_path.Count > 0)
        {
            var frame = _path.Pop();
            if (frame.Next < frame.Node.LinkDigests.Count)
            {
                _path.Push(frame with { Next = frame.Next + 1 });
                var digest = frame.Node.LinkDigests[frame.Next];
                Descend(DagNode.Parse(_readBlock(digest), Cid.FromSha256Digest(digest)), 0);
                return true;
            }
        }

        return false;
    }

    private sealed record Frame(DagNode Node, int Next);
}
