using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;

namespace NeuroData.Tests.Integration.Uploads;

/// <summary>
/// Test double of <see cref="IDatasetStorage"/> until the real one is merged: really keeps the bytes (in memory), keyed
/// by a random "ciphertext" id, with the SHA-256 the real store computes. The CID is the sha2-256 multihash of the whole
/// plaintext in CIDv0 syntax (NOT the UnixFS CID; the real storage computes that).
/// </summary>
public sealed class InMemoryDatasetStorage : IDatasetStorage
{
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    public ConcurrentBag<Cid> Removed { get; } = [];

    public int Count => _blobs.Count;

    public async Task<StoredContent> StoreAsync(Stream plaintext, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        await plaintext.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        var sha = SHA256.HashData(bytes);
        var storageCid = CidOf(RandomNumberGenerator.GetBytes(32));
        _blobs[storageCid.Value] = bytes;
        return new StoredContent(CidOf(sha), Convert.ToHexStringLower(sha), bytes.Length, storageCid, RandomNumberGenerator.GetBytes(40));
    }

    public Task<Stream> OpenAsync(Cid storageCid, byte[] wrappedKey, long offset = 0, CancellationToken cancellationToken = default) =>
        _blobs.TryGetValue(storageCid.Value, out var bytes)
            ? Task.FromResult<Stream>(new MemoryStream(bytes[(int)offset..], writable: false))
            : throw new InvalidDataException($"{storageCid} is not stored.");

    public Task RemoveAsync(Cid storageCid, CancellationToken cancellationToken = default)
    {
        Removed.Add(storageCid);
        _blobs.TryRemove(storageCid.Value, out _);
        return Task.CompletedTask;
    }

    public byte[] Read(Cid storageCid) => _blobs[storageCid.Value];

    private static Cid CidOf(byte[] sha256)
    {
        byte[] multihash = [0x12, 0x20, .. sha256];
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var n = new BigInteger(multihash, isUnsigned: true, isBigEndian: true);
        var sb = new StringBuilder();
        while (n > 0)
        {
            sb.Insert(0, alphabet[(int)(n % 58)]);
            n /= 58;
        }

        return Cid.Parse(sb.ToString());
    }
}

/// <summary>
/// Test double of <see cref="IDatasetInspector"/> until the real one is merged: reads a comma-separated file as strict
/// UTF-8 lines; the first line is the header. Empty files, ragged rows and invalid UTF-8 are refused with a reason.
/// Columns whose values are all whole numbers are <see cref="ColumnType.WholeNumber"/>, others text. The "training
/// form" it writes is the data rows again, one per line.
/// </summary>
public sealed class CsvLinesInspector : IDatasetInspector
{
    public async Task<DatasetProfile> InspectAsync(string filePath, string fileName, Stream trainingForm, int previewRows, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(await File.ReadAllBytesAsync(filePath, cancellationToken));
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDatasetException($"{fileName} is not valid UTF-8 text.", ex);
        }

        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0)
        {
            throw new InvalidDatasetException($"{fileName} has no header line.");
        }

        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != header.Length)
            {
                throw new InvalidDatasetException($"Row {i + 2} has {rows[i].Length} fields; the header has {header.Length}.");
            }
        }

        await using (var writer = new StreamWriter(trainingForm, new UTF8Encoding(false), leaveOpen: true))
        {
            foreach (var row in rows)
            {
                await writer.WriteLineAsync(string.Join('\t', row));
            }
        }

        var columns = header.Select((name, c) =>
        {
            var values = rows.Select(r => r[c]).ToList();
            var type = values.Count > 0 && values.All(v => long.TryParse(v, out _)) ? ColumnType.WholeNumber : ColumnType.Text;
            return new ColumnProfile(name, type, values.Count(v => v.Length == 0), values.Distinct().LongCount(), false, null, [], []);
        }).ToList();
        var preview = rows.Take(previewRows).Select(r => (IReadOnlyList<string?>)[.. r]).ToList();
        return new DatasetProfile(DatasetFormat.Csv, rows.Count, columns, preview, []);
    }
}
