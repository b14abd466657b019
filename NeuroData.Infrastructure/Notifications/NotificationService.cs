using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Notifications;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Notifications;

/// <summary>In-process fan-out: a user's notifications changed (new, read). Open pages (the bell) subscribe.</summary>
public sealed class NotificationFeed
{
    public event Action<Guid>? Changed;

    public void Publish(Guid userId) => Changed?.Invoke(userId);
}

/// <summary>One notification as the pages show it.</summary>
public sealed record NotificationItem(Guid Id, NotificationKind Kind, string Title, string Body, string? Link, DateTimeOffset CreatedAt, bool IsRead);

/// <summary>
/// Stores notifications (once per user and key), pushes them to the user's open pages through <see cref="NotificationFeed"/>
/// and emails them when the user has a confirmed address (section <c>NeuroData:Notifications</c>: EmailEnabled, default true).
/// </summary>
public sealed class NotificationService(
    IDbContextFactory<NeuroDataDbContext> contexts,
    NotificationFeed feed,
    IEnumerable<IEmailSender> emailSenders,
    NotificationSettings settings,
    TimeProvider clock,
    ILogger<NotificationService> logger) : INotifier
{
    public async Task<bool> NotifyAsync(NotificationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var notification = new Notification(request.UserId, request.Kind, request.Key, request.Title, request.Body, request.Link, clock.GetUtcNow());
        string? address;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Set<Notification>().AnyAsync(n => n.UserId == request.UserId && n.Key == notification.Key, cancellationToken))
            {
                return false;
            }

            var user = await db.Users.AsNoTracking().Where(u => u.Id == request.UserId)
                .Select(u => new { u.Email, u.EmailConfirmed }).FirstOrDefaultAsync(cancellationToken);
            if (user is null)
            {
                return false; // the account is gone
            }

            address = user.EmailConfirmed ? user.Email : null;
            db.Add(notification);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                if (await db.Set<Notification>().AsNoTracking().AnyAsync(n => n.UserId == request.UserId && n.Key == notification.Key, cancellationToken))
                {
                    return false; // a concurrent pass notified first (unique index on user + key)
                }

                throw;
            }
        }

        feed.Publish(request.UserId);
        if (settings.EmailEnabled && !string.IsNullOrWhiteSpace(address))
        {
            await SendEmailAsync(address, notification, cancellationToken);
        }

        return true;
    }

    public async Task<IReadOnlyList<NotificationItem>> ListAsync(Guid userId, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<Notification>().AsNoTracking().Where(n => n.UserId == userId).ToListAsync(cancellationToken);
        return rows.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(Math.Clamp(take, 1, 500))
            .Select(n => new NotificationItem(n.Id, n.Kind, n.Title, n.Body, n.Link, n.CreatedAt, n.IsRead)).ToList();
    }

    public async Task<int> UnreadCountAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Set<Notification>().CountAsync(n => n.UserId == userId && n.ReadAt == null, cancellationToken);
    }

    /// <summary>Marks one of the user's notifications read; false when it is not theirs (or does not exist).</summary>
    public async Task<bool> MarkReadAsync(Guid userId, Guid notificationId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var n = await db.Set<Notification>().FirstOrDefaultAsync(x => x.Id == notificationId && x.UserId == userId, cancellationToken);
        if (n is null)
        {
            return false;
        }

        n.MarkRead(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        feed.Publish(userId);
        return true;
    }

    public async Task<int> MarkAllReadAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var unread = await db.Set<Notification>().Where(x => x.UserId == userId && x.ReadAt == null).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        unread.ForEach(n => n.MarkRead(now));
        await db.SaveChangesAsync(cancellationToken);
        feed.Publish(userId);
        return unread.Count;
    }

    private async Task SendEmailAsync(string address, Notification n, CancellationToken cancellationToken)
    {
        var link = n.Link is null ? null : settings.PublicBaseUrl is { } baseUrl ? baseUrl.TrimEnd('/') + n.Link : n.Link;
        var text = link is null ? n.Body : $"{n.Body}\n\n{link}";
        var html = $"<p>{WebUtility.HtmlEncode(n.Body)}</p>" + (link is null ? string.Empty : $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">Open in NeuroData</a></p>");
        try
        {
            if (emailSenders.FirstOrDefault() is not { } email)
            {
                return; // a host without email (e.g. the migrate verb's): the notification is stored and shown in-app
            }

            await email.SendAsync(new EmailMessage(address, "NeuroData: " + n.Title, html, text), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The in-app notification is stored; a mail server problem must not fail the reconciler pass.
            logger.LogWarning(ex, "Emailing notification {Key} to user {UserId} failed", n.Key, n.UserId);
        }
    }
}

/// <summary>Section <c>NeuroData:Notifications</c>.</summary>
public sealed class NotificationSettings
{
    public const string SectionName = "NeuroData:Notifications";

    /// <summary>Email notifications to users with a confirmed address. Default: true.</summary>
    public bool EmailEnabled { get; set; } = true;

    /// <summary>The app's public address for links in emails (default: <c>NeuroData:PublicBaseUrl</c>); null: relative links.</summary>
    public string? PublicBaseUrl { get; set; }
}
