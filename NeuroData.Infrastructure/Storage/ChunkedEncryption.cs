using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NeuroData.Infrastructure.Storage;

/// <summary>
/// The at-rest format of a dataset file: streaming AES-256-GCM in chunks.
/// <code>
/// header  = "NDE1" | version (1) | chunk size (uint32 BE) | nonce prefix (8 random bytes)       17 bytes
/// chunk i = AES-GCM(key, nonce = prefix | i (uint32 BE), aad = header | i (uint64 BE) | final (1 byte))
///           ciphertext | tag (16 bytes)
/// </code>
/// Every chunk but the last carries exactly <see cref="ChunkSize"/> plaintext bytes; the last (final flag 1) carries
/// fewer, possibly none (so a file whose length is a multiple of the chunk size ends with an empty final chunk).
/// Reordered, truncated, extended or altered ciphertext, and a wrong key, fail authentication.
/// </summary>
public static class ChunkedEncryption
{
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public const int HeaderSize = 17;
    public const int KeySize = 32;
    public const int EncryptedChunkSize = ChunkSize + TagSize;
    private const byte FormatVersion = 1;

    /// <summary>Ciphertext length for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    public static long CiphertextLength(long plaintextLength) =>
        HeaderSize + ((plaintextLength / ChunkSize) * EncryptedChunkSize) + (plaintextLength % ChunkSize) + TagSize;

    /// <summary>Plaintext length of a well-formed ciphertext of <paramref name="ciphertextLength"/> bytes.</summary>
    public static long PlaintextLength(long ciphertextLength)
    {
        var body = ciphertextLength - HeaderSize;
        var rest = body % EncryptedChunkSize;
        if (body < TagSize || rest < TagSize)
        {
            throw new InvalidDataException("The encrypted content is truncated.");
        }

        return ((body / EncryptedChunkSize) * ChunkSize) + rest - TagSize;
    }

    internal static byte[] NewHeader()
    {
        var header = new byte[HeaderSize];
        "NDE1"u8.CopyTo(header);
        header[4] = FormatVersion;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(5), ChunkSize);
        RandomNumberGenerator.Fill(header.AsSpan(9, 8));
        return header;
    }

    internal static void CheckHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length != HeaderSize || !header[..4].SequenceEqual("NDE1"u8))
        {
            throw new InvalidDataException("The content is not a NeuroData encrypted file (bad header).");
        }

        if (header[4] != FormatVersion || BinaryPrimitives.ReadUInt32BigEndian(header[5..]) != ChunkSize)
        {
            throw new InvalidDataException($"Unsupported encrypted file format version {header[4]}.");
        }
    }

    internal static void Nonce(ReadOnlySpan<byte> header, long index, Span<byte> nonce)
    {
        if (index > uint.MaxValue)
        {
            throw new InvalidDataException("The encrypted content has too many chunks.");
        }

        header.Slice(9, 8).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], (uint)index);
    }

    internal static void Aad(ReadOnlySpan<byte> header, long index, bool final, Span<byte> aad)
    {
        header.CopyTo(aad);
        BinaryPrimitives.WriteUInt64BigEndian(aad[HeaderSize..], (ulong)index);
        aad[HeaderSize + 8] = final ? (byte)1 : (byte)0;
    }

    internal const int AadSize = HeaderSize + 9;
}

/// <summary>
/// Reading this stream yields the ciphertext of <paramref name="plaintext"/> (format of <see cref="ChunkedEncryption"/>);
/// every plaintext chunk is shown to <paramref name="observePlaintext"/> before it is encrypted (CID, hash, size in the
/// same pass).
/// </summary>
public sealed class EncryptingStream(Stream plaintext, byte[] key, Action<ReadOnlySpan<byte>>? observePlaintext = null) : Stream
{
    private readonly AesGcm _aes = new(key, ChunkedEncryption.TagSize);
    private readonly byte[] _header = ChunkedEncryption.NewHeader();
    private byte[] _plain = ArrayPool<byte>.Shared.Rent(ChunkedEncryption.ChunkSize);
    private byte[] _cipher = ArrayPool<byte>.Shared.Rent(ChunkedEncryption.EncryptedChunkSize + ChunkedEncryption.HeaderSize);
    private int _cipherStart;
    private int _cipherEnd;
    private long _index;
    private bool _finalWritten;
    private bool _headerWritten;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_cipherStart == _cipherEnd && !FillSync())
        {
            return 0;
        }

        return Drain(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_cipherStart == _cipherEnd && !await FillAsync(cancellationToken))
        {
            return 0;
        }

        return Drain(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _plain.Length > 0)
        {
            _aes.Dispose();
            ArrayPool<byte>.Shared.Return(_plain);
            ArrayPool<byte>.Shared.Return(_cipher);
            _plain = [];
            _cipher = [];
        }

        base.Dispose(disposing);
    }

    private int Drain(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _cipherEnd - _cipherStart);
        _cipher.AsSpan(_cipherStart, n).CopyTo(buffer);
        _cipherStart += n;
        return n;
    }

    private bool FillSync()
    {
        if (_finalWritten)
        {
            return false;
        }

        var read = 0;
        while (read < ChunkedEncryption.ChunkSize)
        {
            var n = plaintext.Read(_plain, read, ChunkedEncryption.ChunkSize - read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        Encrypt(read);
        return true;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_finalWritten)
        {
            return false;
        }

        var read = await plaintext.ReadAtLeastAsync(_plain.AsMemory(0, ChunkedEncryption.ChunkSize), ChunkedEncryption.ChunkSize, throwOnEndOfStream: false, cancellationToken);
        Encrypt(read);
        return true;
    }

    private void Encrypt(int read)
    {
        var final = read < ChunkedEncryption.ChunkSize;
        var plain = _plain.AsSpan(0, read);
        observePlaintext?.Invoke(plain);
        var start = 0;
        if (!_headerWritten)
        {
            _header.CopyTo(_cipher, 0);
            start = ChunkedEncryption.HeaderSize;
            _headerWritten = true;
        }

        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[ChunkedEncryption.AadSize];
        ChunkedEncryption.Nonce(_header, _index, nonce);
        ChunkedEncryption.Aad(_header, _index, final, aad);
        _aes.Encrypt(nonce, plain, _cipher.AsSpan(start, read), _cipher.AsSpan(start + read, ChunkedEncryption.TagSize), aad);
        _index++;
        _finalWritten = final;
        _cipherStart = 0;
        _cipherEnd = start + read + ChunkedEncryption.TagSize;
    }
}

/// <summary>
/// Decrypts the format of <see cref="ChunkedEncryption"/> as it is read, starting at a plaintext offset. Fails with
/// <see cref="AuthenticationTagMismatchException"/> (altered, reordered chunks, wrong key) or
/// <see cref="InvalidDataException"/> (truncated, extended) at the point where the damage is met.
/// </summary>
public sealed class DecryptingStream : Stream
{
    private readonly Stream _ciphertext;
    private readonly AesGcm _aes;
    private readonly byte[] _header;
    private readonly long _length;
    private byte[] _cipher = ArrayPool<byte>.Shared.Rent(ChunkedEncryption.EncryptedChunkSize);
    private byte[] _plain = ArrayPool<byte>.Shared.Rent(ChunkedEncryption.ChunkSize);
    private readonly byte[] _probe = new byte[1];
    private int _plainStart;
    private int _plainEnd;
    private int _skip;
    private long _index;
    private long _position;
    private bool _finalSeen;

    /// <param name="header">The first <see cref="ChunkedEncryption.HeaderSize"/> bytes of the ciphertext.</param>
    /// <param name="ciphertextFromChunk">The ciphertext from the start of the chunk that holds <paramref name="offset"/>
    /// (position <see cref="ChunkStart"/>).</param>
    /// <param name="ciphertextLength">Total ciphertext length when known (for <see cref="Length"/>), else -1.</param>
    public DecryptingStream(byte[] key, byte[] header, Stream ciphertextFromChunk, long offset, long ciphertextLength = -1)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ChunkedEncryption.CheckHeader(header);
        _ciphertext = ciphertextFromChunk;
        _aes = new AesGcm(key, ChunkedEncryption.TagSize);
        _header = header;
        _index = offset / ChunkedEncryption.ChunkSize;
        _skip = (int)(offset % ChunkedEncryption.ChunkSize);
        _position = offset;
        _length = ciphertextLength >= 0 ? ChunkedEncryption.PlaintextLength(ciphertextLength) : -1;
    }

    /// <summary>Where in the ciphertext the chunk holding plaintext <paramref name="offset"/> starts.</summary>
    public static long ChunkStart(long offset) =>
        ChunkedEncryption.HeaderSize + ((offset / ChunkedEncryption.ChunkSize) * ChunkedEncryption.EncryptedChunkSize);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length >= 0 ? _length : throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_plainStart == _plainEnd)
        {
            if (_finalSeen)
            {
                return 0;
            }

            var read = ReadFully(_ciphertext, _cipher.AsSpan(0, ChunkedEncryption.EncryptedChunkSize));
            Decrypt(read, () => _ciphertext.Read(_probe, 0, 1));
        }

        return Drain(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_plainStart == _plainEnd)
        {
            if (_finalSeen)
            {
                return 0;
            }

            var read = await _ciphertext.ReadAtLeastAsync(_cipher.AsMemory(0, ChunkedEncryption.EncryptedChunkSize), ChunkedEncryption.EncryptedChunkSize, throwOnEndOfStream: false, cancellationToken);
            var extra = read < ChunkedEncryption.EncryptedChunkSize
                ? await _ciphertext.ReadAsync(_probe.AsMemory(0, 1), cancellationToken)
                : 0;
            Decrypt(read, () => extra);
        }

        return Drain(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _plain.Length > 0)
        {
            _aes.Dispose();
            _ciphertext.Dispose();
            ArrayPool<byte>.Shared.Return(_plain);
            ArrayPool<byte>.Shared.Return(_cipher);
            _plain = [];
            _cipher = [];
        }

        base.Dispose(disposing);
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private int Drain(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _plain.AsSpan(_plainStart, n).CopyTo(buffer);
        _plainStart += n;
        _position += n;
        return n;
    }

    /// <param name="read">Ciphertext bytes of this chunk.</param>
    /// <param name="bytesAfterShortChunk">For a short (final) chunk: how many bytes follow it (must be none).</param>
    private void Decrypt(int read, Func<int> bytesAfterShortChunk)
    {
        if (read < ChunkedEncryption.TagSize)
        {
            throw new InvalidDataException(read == 0 && _skip == 0 && _index > 0
                ? "The encrypted content is truncated: its final chunk is missing."
                : "The encrypted content is truncated.");
        }

        var final = read < ChunkedEncryption.EncryptedChunkSize;
        if (final && bytesAfterShortChunk() > 0)
        {
            throw new InvalidDataException("The encrypted content is corrupted: data follows a short chunk.");
        }

        var plainLength = read - ChunkedEncryption.TagSize;
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[ChunkedEncryption.AadSize];
        ChunkedEncryption.Nonce(_header, _index, nonce);
        ChunkedEncryption.Aad(_header, _index, final, aad);
        _aes.Decrypt(nonce, _cipher.AsSpan(0, plainLength), _cipher.AsSpan(plainLength, ChunkedEncryption.TagSize), _plain.AsSpan(0, plainLength), aad);
        _index++;
        _finalSeen = final;
        if (_skip > plainLength)
        {
            throw new InvalidDataException("The offset is beyond the end of the content.");
        }

        _plainStart = _skip;
        _plainEnd = plainLength;
        _skip = 0;
    }
}
