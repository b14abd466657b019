using NeuroData.Domain.Common;

namespace NeuroData.Domain.Users;

public enum UserActivityKind
{
    Registered,
    EmailConfirmed,
    SignedIn,
    SignInFailed,
    SignedOut,
    LockedOut,
    PasswordChanged,
    PasswordReset,
    EmailChanged,
    WalletLinked,
    WalletUnlinked,
    ApiKeyCreated,
    ApiKeyRevoked,
    RoleChanged,
    ProfileUpdated,
}

/// <summary>One line of a user's security log (append-only).</summary>
public sealed class UserActivity : Entity
{
    public const int IpMaxLength = 45;
    public const int UserAgentMaxLength = 512;
    public const int DetailMaxLength = 1000;

    private UserActivity()
    {
    }

    public UserActivity(Guid userId, UserActivityKind kind, DateTimeOffset at, string? ipAddress, string? userAgent, string? detail)
    {
        UserId = Guard.Id(userId, "The user");
        Kind = kind;
        At = at;
        IpAddress = Truncate(ipAddress, IpMaxLength);
        UserAgent = Truncate(userAgent, UserAgentMaxLength);
        Detail = Truncate(detail, DetailMaxLength);
    }

    public Guid UserId { get; private set; }

    public UserActivityKind Kind { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public string? Detail { get; private set; }

    // Log input comes from request headers: keep it, but never let it grow a row without bound.
    private static string? Truncate(string? s, int max) =>
        string.IsNullOrWhiteSpace(s) ? null : (s.Length <= max ? s : s[..max]);
}
