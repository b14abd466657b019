using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Storage;

/// <summary>
/// <see cref="IDatasetStorage"/>: one pass over the plaintext computes its CID, SHA-256 and size while it is encrypted
/// (<see cref="ChunkedEncryption"/>, a fresh data key per file, wrapped by the platform key) and the ciphertext is added,
/// pinned, to the content store. A failed or cancelled store leaves nothing behind.
/// </summary>
public sealed class DatasetStorage(IPinningContentStore store, PlatformKeyRing keys) : IDatasetStorage
{
    public async Task<StoredContent> StoreAsync(Stream plaintext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var dataKey = RandomNumberGenerator.GetBytes(ChunkedEncryption.KeySize);
        try
        {
            // Wrapped first: once the ciphertext is stored, nothing is left that can fail.
            var wrapped = keys.Wrap(dataKey);
            using var digests = new PlaintextDigests();
            await using var encrypting = new EncryptingStream(plaintext, dataKey, digests.Add);
            var storageCid = await store.AddAsync(encrypting, pin: true, cancellationToken);
            var (cid, sha256, size) = await digests.CompleteAsync();
            return new StoredContent(cid, sha256, size, storageCid, wrapped);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public async Task<Stream> OpenAsync(Cid storageCid, byte[] wrappedKey, long offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storageCid);
        ArgumentNullException.ThrowIfNull(wrappedKey);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var dataKey = keys.Unwrap(wrappedKey);
        var header = new byte[ChunkedEncryption.HeaderSize];
        long ciphertextLength;
        await using (var head = await store.OpenReadAsync(storageCid, 0, cancellationToken))
        {
            var read = await head.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
            if (read < header.Length)
            {
                throw new InvalidDataException($"The encrypted content {storageCid} is truncated (no complete header).");
            }

            ciphertextLength = head.CanSeek || head is UnixFsFileStream ? head.Length : -1;
        }

        if (ciphertextLength >= 0 && offset > ChunkedEncryption.PlaintextLength(ciphertextLength))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The offset is beyond the end of the content ({ChunkedEncryption.PlaintextLength(ciphertextLength)} bytes).");
        }

        var body = await store.OpenReadAsync(storageCid, DecryptingStream.ChunkStart(offset), cancellationToken);
        return new DecryptingStream(dataKey, header, body, offset, ciphertextLength);
    }

    public Task RemoveAsync(Cid storageCid, CancellationToken cancellationToken = default) => store.UnpinAsync(storageCid, cancellationToken);
}

/// <summary>
/// The plaintext's CID, SHA-256 and size, computed on a second thread while the caller encrypts and stores (the two
/// hash passes would otherwise double the work on the ingest thread). At most 32 chunks wait in between.
/// </summary>
internal sealed class PlaintextDigests : IDisposable
{
    private readonly BlockingCollection<(byte[] Buffer, int Length)> _queue = new(boundedCapacity: 32);
    private readonly UnixFsBuilder _cid = new();
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly CancellationTokenSource _failed = new();
    private readonly Task _worker;
    private long _size;

    public PlaintextDigests() =>
        _worker = Task.Factory.StartNew(Consume, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Queues a copy of <paramref name="data"/> (blocks while 32 chunks are waiting).</summary>
    public void Add(ReadOnlySpan<byte> data)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(data.Length, 1));
        data.CopyTo(buffer);
        try
        {
            _queue.Add((buffer, data.Length), _failed.Token);
        }
        catch (OperationCanceledException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _worker.GetAwaiter().GetResult(); // rethrows the worker's failure
            throw;
        }
    }

    public async Task<(Cid Cid, string Sha256Hex, long Size)> CompleteAsync()
    {
        _queue.CompleteAdding();
        await _worker;
        return (_cid.Complete(), Convert.ToHexStringLower(_sha.GetHashAndReset()), _size);
    }

    public void Dispose()
    {
        if (!_queue.IsAddingCompleted)
        {
            _queue.CompleteAdding();
        }

        try
        {
            _worker.Wait();
        }
        catch (AggregateException)
        {
            // Already surfaced through Add or CompleteAsync.
        }

        _queue.Dispose();
        _cid.Dispose();
        _sha.Dispose();
        _failed.Dispose();
    }

    private void Consume()
    {
        try
        {
            foreach (var (buffer, length) in _queue.GetConsumingEnumerable())
            {
                var data = buffer.AsSpan(0, length);
                _cid.Append(data);
                _sha.AppendData(data);
                _size += length;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch
        {
            _failed.Cancel();
            throw;
        }
    }
}
