using NeuroData.Domain.Common;

namespace NeuroData.Domain.Notifications;

/// <summary>What a notification is about (drives the icon and the email subject line).</summary>
public enum NotificationKind
{
    EscrowFunded,
    EscrowReleased,
    EscrowRefunded,
    DeadlineReminder,
    DisputeOpened,
    DisputeNewCase,
    DisputeVote,
    DisputeRuled,
    Evidence,
}

/// <summary>
/// An in-app message to one user (also emailed when the user has a confirmed address). <see cref="Key"/> makes it
/// idempotent: one notification per (user, key), so a reconciler that runs again never notifies twice.
/// </summary>
public sealed class Notification : Entity
{
    public const int KeyMaxLength = 200;
    public const int TitleMaxLength = 200;
    public const int BodyMaxLength = 2000;
    public const int LinkMaxLength = 500;

    private Notification()
    {
        Key = null!;
        Title = null!;
        Body = null!;
    }

    public Notification(Guid userId, NotificationKind kind, string key, string title, string body, string? link, DateTimeOffset now)
    {
        UserId = Guard.Id(userId, "The recipient");
        Kind = kind;
        Key = Guard.Text(key, "A notification key", KeyMaxLength);
        Title = Guard.Text(title, "A notification title", TitleMaxLength);
        Body = Guard.Text(body, "A notification body", BodyMaxLength);
        Link = Guard.OptionalText(link, "A notification link", LinkMaxLength);
        if (Link is not null && !Link.StartsWith('/'))
        {
            throw new DomainException("A notification links to a page of the app (a path starting with '/').");
        }

        CreatedAt = now;
    }

    public Guid UserId { get; private set; }

    public NotificationKind Kind { get; private set; }

    /// <summary>Idempotency key: kind + subject (e.g. "dispute-opened:31337:12"). Unique per user.</summary>
    public string Key { get; private set; }

    public string Title { get; private set; }

    public string Body { get; private set; }

    /// <summary>App-relative link ("/escrows/12"), or null.</summary>
    public string? Link { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    public bool IsRead => ReadAt is not null;

    /// <summary>Marks it read (idempotent: the first read time is kept).</summary>
    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;
}
