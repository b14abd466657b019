using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Notifications;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;
using Quartz;

namespace NeuroData.Infrastructure.Commerce.Disputes;

/// <summary>Section <c>NeuroData:Commerce</c> settings of the dispute and reminder features.</summary>
public sealed class DisputeSettings
{
    public const string SectionName = "NeuroData:Commerce";

    /// <summary>How many hours before an escrow's deadline both parties are reminded (once each). Default 24.</summary>
    public int ReminderHours { get; set; } = 24;

    /// <summary>How often the reminder job looks for escrows nearing their deadline, in seconds. Default 300.</summary>
    public int ReminderIntervalSeconds { get; set; } = 300;

    /// <summary>How often the vote tally job executes community votes whose voting period is over, in seconds. Default 60.</summary>
    public int VoteTallyIntervalSeconds { get; set; } = 60;
}

/// <summary>Reminds buyer and seller of a funded escrow when its deadline is less than ReminderHours away; once each (notification key).</summary>
public sealed class DeadlineReminderService(
    IDbContextFactory<NeuroDataDbContext> contexts,
    IChainGateway gateway,
    INotifier notifier,
    DisputeSettings settings,
    TimeProvider clock)
{
    /// <summary>Sends the reminders that are due; returns how many notifications were new.</summary>
    public async Task<int> SendDueRemindersAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var horizon = now.AddHours(settings.ReminderHours);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var funded = await db.Set<MirrorEscrow>().AsNoTracking()
            .Where(m => m.ChainId == gateway.ChainId && m.State == MirrorEscrowState.Funded).ToListAsync(ct);
        var due = funded.Where(m => m.Deadline > now && m.Deadline <= horizon).ToList();
        if (due.Count == 0)
        {
            return 0;
        }

        var users = await DisputeReconciler.UsersByAddressAsync(db, due.SelectMany(m => new[] { m.Buyer, m.Seller }).Distinct().ToList(), ct);
        var titles = await DisputeReconciler.TitlesByListingAsync(db, due.Select(m => m.ListingId).Distinct().ToList(), ct);
        var sent = 0;
        foreach (var m in due)
        {
            var what = titles.GetValueOrDefault(m.ListingId, $"listing #{m.ListingId}");
            var key = $"deadline-reminder:{gateway.ChainId.Value}:{m.EscrowId}";
            var link = $"/escrows/{m.EscrowId}";
            if (users.TryGetValue(m.Buyer, out var buyer)
                && await notifier.NotifyAsync(new(buyer, NotificationKind.DeadlineReminder, key, $"Review period of escrow #{m.EscrowId} ends soon",
                    $"Your review period for {what} ends at {m.Deadline:yyyy-MM-dd HH:mm} UTC. Confirm receipt, or open a dispute before then; after it the payment of {m.Amount} is released to the seller.", link), ct))
            {
                sent++;
            }

            if (users.TryGetValue(m.Seller, out var seller) && seller != buyer
                && await notifier.NotifyAsync(new(seller, NotificationKind.DeadlineReminder, key, $"Escrow #{m.EscrowId} can be released soon",
                    $"The buyer's review period for {what} ends at {m.Deadline:yyyy-MM-dd HH:mm} UTC; after that anyone can release the {m.Amount} to you.", link), ct))
            {
                sent++;
            }
        }

        return sent;
    }
}

/// <summary>Quartz job: deadline reminders (every ReminderIntervalSeconds).</summary>
[DisallowConcurrentExecution]
public sealed class DeadlineReminderJob(DeadlineReminderService reminders, ILogger<DeadlineReminderJob> logger) : IJob
{
    public static readonly JobKey Key = new("deadline-reminders", "commerce");

    public async Task Execute(IJobExecutionContext context)
    {
        try
        {
            var sent = await reminders.SendDueRemindersAsync(context.CancellationToken);
            context.Result = sent;
            if (sent > 0)
            {
                logger.LogInformation("Sent {Count} escrow deadline reminders", sent);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Deadline reminders failed; the next run tries again");
            throw new JobExecutionException(ex, refireImmediately: false);
        }
    }
}
