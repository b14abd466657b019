using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NeuroData.Infrastructure.Storage;

/// <summary>
/// Wraps and unwraps data keys with the platform key (AES-256-GCM).
/// Wrapped key = format (1) | key id (1) | nonce (12) | encrypted data key (32) | tag (16): 62 bytes; the format and
/// key id are authenticated, so a key can be rotated later by adding the new one under another id.
/// </summary>
public sealed class PlatformKeyRing
{
    public const int WrappedKeySize = 62;
    private const byte Format = 1;
    private readonly Lazy<byte[]> _key;
    private readonly byte _keyId;

    /// <summary>A key ring over a known key (tests, bench).</summary>
    public PlatformKeyRing(byte[] key, byte keyId = 1)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != ChunkedEncryption.KeySize)
        {
            throw new ArgumentException("The platform key is 32 bytes.", nameof(key));
        }

        _key = new Lazy<byte[]>(key);
        _keyId = keyId;
    }

    /// <summary>From settings: the configured key, else (Development only: <see cref="StorageSettings.From"/> has already
    /// rejected a missing key elsewhere) the key file, generated on first use with a warning.</summary>
    public PlatformKeyRing(StorageSettings settings, ILogger<PlatformKeyRing>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _keyId = settings.PlatformKeyId;
        _key = settings.PlatformKey is { } configured
            ? new Lazy<byte[]>(configured)
            : new Lazy<byte[]>(() => LoadOrCreateDevelopmentKey(settings.PlatformKeyFile, logger ?? NullLogger<PlatformKeyRing>.Instance), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public byte[] Wrap(ReadOnlySpan<byte> dataKey)
    {
        if (dataKey.Length != ChunkedEncryption.KeySize)
        {
            throw new ArgumentException("A data key is 32 bytes.", nameof(dataKey));
        }

        var wrapped = new byte[WrappedKeySize];
        wrapped[0] = Format;
        wrapped[1] = _keyId;
        RandomNumberGenerator.Fill(wrapped.AsSpan(2, 12));
        using var aes = new AesGcm(_key.Value, 16);
        aes.Encrypt(wrapped.AsSpan(2, 12), dataKey, wrapped.AsSpan(14, 32), wrapped.AsSpan(46, 16), wrapped.AsSpan(0, 2));
        return wrapped;
    }

    /// <summary>The data key; <see cref="CryptographicException"/> when the wrapped key is not ours or was altered.</summary>
    public byte[] Unwrap(ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length != WrappedKeySize || wrapped[0] != Format)
        {
            throw new CryptographicException("The wrapped data key is malformed.");
        }

        if (wrapped[1] != _keyId)
        {
            throw new CryptographicException($"The data key was wrapped with platform key {wrapped[1]}, but the configured platform key is {_keyId}.");
        }

        var key = new byte[ChunkedEncryption.KeySize];
        using var aes = new AesGcm(_key.Value, 16);
        aes.Decrypt(wrapped.Slice(2, 12), wrapped.Slice(14, 32), wrapped.Slice(46, 16), key, wrapped[..2]);
        return key;
    }

    private static byte[] LoadOrCreateDevelopmentKey(string path, ILogger logger)
    {
        if (File.Exists(path))
        {
            return StorageSettings.ParseKey(File.ReadAllText(path))
                ?? throw new StorageConfigurationException($"The development platform key file '{path}' is not the base64 of 32 bytes; fix or delete it (data stored under it becomes unreadable).");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(ChunkedEncryption.KeySize);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temp, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(Convert.ToBase64String(key));
        }

        File.Move(temp, path, overwrite: false);
        logger.LogWarning(
            "No {Setting} is configured: generated a development platform key in {Path}. Outside Development the key must be configured.",
            StorageSettings.SectionName + ":PlatformKey", path);
        return key;
    }
}
