using NeuroData.Domain.Datasets;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>A read-only window [start, start + length) of a seekable stream (the stream's position is set on each read).</summary>
internal sealed class WindowStream(Stream inner, long start, long length) : Stream
{
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var left = length - position;
        if (left <= 0)
        {
            return 0;
        }

        inner.Position = start + position;
        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
        position += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Shared count of decompressed bytes across all entries of one archive.</summary>
internal sealed class DecompressionBudget(long maxBytes, long ratioLimitBytes)
{
    public long Total { get; private set; }

    public void Add(int bytes)
    {
        Total += bytes;
        if (Total > maxBytes)
        {
            throw new InvalidDatasetException($"the ZIP archive decompresses to more than {maxBytes:N0} bytes; upload the data in smaller archives.");
        }

        if (Total > ratioLimitBytes)
        {
            throw new InvalidDatasetException("the ZIP archive decompresses far more than its size allows (compression ratio limit); this looks like a zip bomb.");
        }
    }
}

/// <summary>Counts the real decompressed bytes of one entry: more than declared is rejected at once (the entry lies),
/// and every byte is charged to the archive's budget.</summary>
internal sealed class EntryStream(Stream inner, string name, long declared, DecompressionBudget budget) : Stream
{
    public long Count { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Count; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            // Ask for one byte more than declared at most, so a lie shows without decompressing the rest.
            var allowed = (int)Math.Min(buffer.Length, Math.Max(1, declared - Count + 1));
            read = inner.Read(buffer[..allowed]);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDatasetException($"the ZIP entry \"{TableRules.Shorten(name)}\" is damaged ({ex.Message}).", ex);
        }

        Count += read;
        if (Count > declared)
        {
            throw new InvalidDatasetException($"the ZIP entry \"{TableRules.Shorten(name)}\" holds more data than the {declared:N0} bytes it declares; the archive is forged.");
        }

        budget.Add(read);
        return read;
    }

    /// <summary>Reads what is left and checks the entry held exactly its declared size.</summary>
    public void Finish()
    {
        var scratch = new byte[64 * 1024];
        while (Read(scratch) > 0)
        {
        }

        if (Count != declared)
        {
            throw new InvalidDatasetException($"the ZIP entry \"{TableRules.Shorten(name)}\" declares {declared:N0} bytes but holds {Count:N0}; the archive is damaged or forged.");
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Replays bytes already read (the sniffed head) before the rest of a stream.</summary>
internal sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream rest) : Stream
{
    private int prefixPosition;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (prefixPosition < prefixLength)
        {
            var n = Math.Min(buffer.Length, prefixLength - prefixPosition);
            prefix.AsSpan(prefixPosition, n).CopyTo(buffer);
            prefixPosition += n;
            return n;
        }

        return rest.Read(buffer);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
