using System.Security.Cryptography;
using System.Text;
using NeuroData.Domain.Common;

namespace NeuroData.Domain.Users;

/// <summary>What an API key may do.</summary>
[Flags]
public enum ApiKeyScopes
{
    None = 0,
    ReadDatasets = 1,
    ManageDatasets = 2,
    Train = 4,
    Predict = 8,
}

/// <summary>
/// A personal API key. Only the SHA-256 hash of the secret is stored; the plain key is shown once when issued.
/// The key text is <c>nd_{prefix}_{secret}</c>; the prefix identifies the key in lists and lookups.
/// </summary>
public sealed class ApiKey : Entity
{
    public const int NameMaxLength = 64;
    public const int PrefixLength = 8;

    private ApiKey()
    {
        Name = null!;
        Prefix = null!;
        Hash = null!;
    }

    private ApiKey(Guid userId, string name, string prefix, byte[] hash, ApiKeyScopes scopes, DateTimeOffset now, DateTimeOffset? expiresAt)
    {
        UserId = userId;
        Name = name;
        Prefix = prefix;
        Hash = hash;
        Scopes = scopes;
        CreatedAt = now;
        ExpiresAt = expiresAt;
    }

    public Guid UserId { get; private set; }

    public string Name { get; private set; }

    /// <summary>Random public part, e.g. "k3j9x2ab"; shown in lists so the owner can tell keys apart.</summary>
    public string Prefix { get; private set; }

    /// <summary>SHA-256 of the full key text.</summary>
    public byte[] Hash { get; private set; }

    public ApiKeyScopes Scopes { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Creates a key; <paramref name="plainKey"/> is the only time the secret exists outside the caller.</summary>
    public static ApiKey Issue(Guid userId, string name, ApiKeyScopes scopes, DateTimeOffset now, DateTimeOffset? expiresAt, out string plainKey)
    {
        Guard.Id(userId, "The key owner");
        var keyName = Guard.Text(name, "Key name", NameMaxLength);
        if (scopes == ApiKeyScopes.None)
        {
            throw new DomainException("Choose at least one scope for the key.");
        }

        if (expiresAt is { } e && e <= now)
        {
            throw new DomainException("The expiry date must be in the future.");
        }

        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var prefix = RandomNumberGenerator.GetString(alphabet, PrefixLength);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        plainKey = $"nd_{prefix}_{secret}";
        return new ApiKey(userId, keyName, prefix, HashKey(plainKey), scopes, now, expiresAt);
    }

    /// <summary>The prefix part of a presented key, or null when it does not look like one of ours.</summary>
    public static string? PrefixOf(string presentedKey)
    {
        // The secret is base64url and may itself contain '_': split off the first two parts only.
        var parts = presentedKey.Split('_', 3);
        return parts.Length == 3 && parts[0] == "nd" && parts[1].Length == PrefixLength && parts[2].Length > 0 ? parts[1] : null;
    }

    public static byte[] HashKey(string plainKey) => SHA256.HashData(Encoding.UTF8.GetBytes(plainKey));

    /// <summary>True when the presented key is this key and it is usable now (constant-time comparison).</summary>
    public bool Verify(string presentedKey, DateTimeOffset now) =>
        IsActive(now) && CryptographicOperations.FixedTimeEquals(HashKey(presentedKey), Hash);

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);

    public bool HasScope(ApiKeyScopes scope) => (Scopes & scope) == scope;

    public void MarkUsed(DateTimeOffset now)
    {
        if (!IsActive(now))
        {
            throw new DomainException("A revoked or expired key cannot be used.");
        }

        LastUsedAt = now;
    }

    public void Revoke(DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            throw new DomainException($"API key '{Name}' is already revoked.");
        }

        RevokedAt = now;
    }
}
