using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;

namespace NeuroData.Domain.Ports;

/// <summary>A plaintext file as the platform stored it: identified by the CID of the plaintext, kept encrypted.</summary>
/// <param name="Cid">CIDv0 of the plaintext, exactly as <c>ipfs add</c> computes it by default.</param>
/// <param name="Sha256Hex">SHA-256 of the plaintext (lowercase hex).</param>
/// <param name="SizeBytes">Plaintext length.</param>
/// <param name="StorageCid">CID of the ciphertext in the content store (what leaves the platform).</param>
/// <param name="WrappedKey">The fresh data key of this file, wrapped by the platform key.</param>
public sealed record StoredContent(Cid Cid, string Sha256Hex, long SizeBytes, Cid StorageCid, byte[] WrappedKey);

/// <summary>Encrypted, content-addressed storage of dataset files (AES-256-GCM in chunks, a fresh key per file).</summary>
public interface IDatasetStorage
{
    /// <summary>Streams the plaintext once: computes its CID and SHA-256, encrypts it with a fresh data key and stores the
    /// ciphertext. Nothing is left in the store when this throws or is cancelled.</summary>
    Task<StoredContent> StoreAsync(Stream plaintext, CancellationToken cancellationToken = default);

    /// <summary>Opens the decrypted content from a plaintext offset (for range requests). Reading fails with
    /// <see cref="System.Security.Cryptography.AuthenticationTagMismatchException"/> or <see cref="InvalidDataException"/>
    /// when the ciphertext was tampered with, truncated or reordered.</summary>
    Task<Stream> OpenAsync(Cid storageCid, byte[] wrappedKey, long offset = 0, CancellationToken cancellationToken = default);

    /// <summary>Unpins the ciphertext so garbage collection may remove it (no effect when absent).</summary>
    Task RemoveAsync(Cid storageCid, CancellationToken cancellationToken = default);
}

/// <summary>Reads an uploaded file once: detects its format from content, validates it, profiles it and writes the
/// training form (a typed Parquet file with one column per schema column).</summary>
public interface IDatasetInspector
{
    /// <summary>Throws <see cref="InvalidDatasetException"/> with a clear reason for any input that cannot become a
    /// dataset; writes nothing but <paramref name="trainingForm"/>.</summary>
    /// <param name="filePath">The uploaded file on local disk.</param>
    /// <param name="fileName">The name the seller gave (for messages only; the format comes from the content).</param>
    /// <param name="trainingForm">Where the typed training form is written.</param>
    /// <param name="previewRows">How many first rows to keep in the profile (at most <see cref="DatasetVersion.MaxPreviewRows"/>).</param>
    Task<DatasetProfile> InspectAsync(string filePath, string fileName, Stream trainingForm, int previewRows, CancellationToken cancellationToken = default);
}
