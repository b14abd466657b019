using Microsoft.Extensions.Configuration;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Storage;

public enum StorageProvider
{
    /// <summary>The embedded blockstore under <c>{DataDirectory}/blocks</c>.</summary>
    Local,

    /// <summary>A Kubo (go-ipfs) node through its RPC API.</summary>
    Kubo,
}

/// <summary>A storage setting that makes start-up impossible (one clear message, no stack trace).</summary>
public sealed class StorageConfigurationException(string message) : Exception(message);

/// <summary>
/// <c>NeuroData:Storage</c>:
/// <list type="bullet">
/// <item><c>Provider</c>: <c>Local</c> (default) or <c>Kubo</c>.</item>
/// <item><c>KuboApiUrl</c>: the Kubo RPC API, default <c>http://127.0.0.1:5001</c> (used when Provider is Kubo).</item>
/// <item><c>BlocksDirectory</c>: the local blockstore, default <c>{DataDirectory}/blocks</c>.</item>
/// <item><c>PlatformKey</c>: base64 of 32 bytes, wraps every data key. Required outside Development; in Development a
/// missing key is generated into <c>{DataDirectory}/storage/platform.key</c>.</item>
/// <item><c>PlatformKeyId</c>: 1..255, default 1, written into each wrapped key (for rotation).</item>
/// </list>
/// </summary>
public sealed record StorageSettings
{
    public const string SectionName = "NeuroData:Storage";

    public StorageProvider Provider { get; init; } = StorageProvider.Local;

    public Uri KuboApiUrl { get; init; } = new("http://127.0.0.1:5001");

    public required string BlocksDirectory { get; init; }

    /// <summary>The configured platform key, or null (then <see cref="PlatformKeyFile"/> in Development).</summary>
    public byte[]? PlatformKey { get; init; }

    public byte PlatformKeyId { get; init; } = 1;

    /// <summary>Where a Development platform key is generated when none is configured.</summary>
    public required string PlatformKeyFile { get; init; }

    /// <summary>Reads and validates the section; every problem is listed in one <see cref="StorageConfigurationException"/>.</summary>
    /// <param name="requirePlatformKey">Outside Development the platform key must be configured.</param>
    public static StorageSettings From(IConfiguration configuration, string contentRoot, bool requirePlatformKey)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var problems = new List<string>();
        var dataDirectory = DatabaseSettings.ResolveDataDirectory(configuration, contentRoot);

        var provider = StorageProvider.Local;
        var providerText = section["Provider"];
        if (!string.IsNullOrWhiteSpace(providerText) && !Enum.TryParse(providerText.Trim(), ignoreCase: true, out provider))
        {
            problems.Add($"{SectionName}:Provider must be Local or Kubo (got '{providerText}')");
        }

        var kuboText = section["KuboApiUrl"];
        var kubo = new Uri("http://127.0.0.1:5001");
        if (!string.IsNullOrWhiteSpace(kuboText)
            && (!Uri.TryCreate(kuboText.Trim(), UriKind.Absolute, out kubo!) || (kubo.Scheme != Uri.UriSchemeHttp && kubo.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"{SectionName}:KuboApiUrl must be an absolute http(s) URL (got '{kuboText}')");
            kubo = new Uri("http://127.0.0.1:5001");
        }

        byte[]? key = null;
        var keyText = section["PlatformKey"];
        if (!string.IsNullOrWhiteSpace(keyText))
        {
            key = ParseKey(keyText);
            if (key is null)
            {
                problems.Add($"{SectionName}:PlatformKey must be the base64 of exactly 32 random bytes (e.g. 'openssl rand -base64 32')");
            }
        }
        else if (requirePlatformKey)
        {
            problems.Add($"{SectionName}:PlatformKey is required outside Development: the base64 of 32 random bytes (e.g. 'openssl rand -base64 32'); it wraps every dataset key, keep it secret and never lose it");
        }

        byte keyId = 1;
        var keyIdText = section["PlatformKeyId"];
        if (!string.IsNullOrWhiteSpace(keyIdText) && (!byte.TryParse(keyIdText.Trim(), out keyId) || keyId == 0))
        {
            problems.Add($"{SectionName}:PlatformKeyId must be a number from 1 to 255 (got '{keyIdText}')");
        }

        if (problems.Count > 0)
        {
            throw new StorageConfigurationException("Storage settings are invalid: " + string.Join("; ", problems) + ".");
        }

        var blocks = section["BlocksDirectory"];
        return new StorageSettings
        {
            Provider = provider,
            KuboApiUrl = kubo,
            BlocksDirectory = string.IsNullOrWhiteSpace(blocks) ? Path.Combine(dataDirectory, "blocks") : Path.GetFullPath(blocks, contentRoot),
            PlatformKey = key,
            PlatformKeyId = keyId,
            PlatformKeyFile = Path.Combine(dataDirectory, "storage", "platform.key"),
        };
    }

    /// <summary>32 bytes from base64 text, or null.</summary>
    public static byte[]? ParseKey(string text)
    {
        var buffer = new byte[48];
        return Convert.TryFromBase64String(text.Trim(), buffer, out var written) && written == 32 ? buffer[..32] : null;
    }
}
