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
            using var cid = new UnixFsBuilder();
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using var encrypting = new EncryptingStream(plaintext, dataKey, span =>
            {
                cid.Append(span);
                sha.AppendData(span);
                size += span.Length;
            });
            var storageCid = await store.AddAsync(encrypting, pin: true, cancellationToken);
            return new StoredContent(cid.Complete(), Convert.ToHexStringLower(sha.GetHashAndReset()), size, storageCid, wrapped);
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
