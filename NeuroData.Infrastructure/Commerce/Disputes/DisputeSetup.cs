using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Notifications;
using Quartz;

namespace NeuroData.Infrastructure.Commerce.Disputes;

/// <summary>Registers notifications, the escrow page, disputes, arbitration, votes, the dispute reconciler, the reminder job and the vote tally job.</summary>
public static class DisputeSetup
{
    public static IHostApplicationBuilder AddDisputes(this IHostApplicationBuilder builder)
    {
        var notifications = builder.Configuration.GetSection(NotificationSettings.SectionName).Get<NotificationSettings>() ?? new NotificationSettings();
        notifications.PublicBaseUrl ??= builder.Configuration["NeuroData:PublicBaseUrl"];
        var settings = builder.Configuration.GetSection(DisputeSettings.SectionName).Get<DisputeSettings>() ?? new DisputeSettings();
        if (settings.ReminderHours is < 1 or > 24 * 30)
        {
            throw new InvalidOperationException($"{DisputeSettings.SectionName}:ReminderHours must be between 1 and 720 (was {settings.ReminderHours}).");
        }

        if (settings.ReminderIntervalSeconds is < 5 or > 86_400)
        {
            throw new InvalidOperationException($"{DisputeSettings.SectionName}:ReminderIntervalSeconds must be between 5 and 86400 (was {settings.ReminderIntervalSeconds}).");
        }

        if (settings.VoteTallyIntervalSeconds is < 5 or > 86_400)
        {
            throw new InvalidOperationException($"{DisputeSettings.SectionName}:VoteTallyIntervalSeconds must be between 5 and 86400 (was {settings.VoteTallyIntervalSeconds}).");
        }

        var services = builder.Services;
        services.AddSingleton(notifications);
        services.AddSingleton(settings);
        services.AddSingleton<NotificationFeed>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<INotifier>(sp => sp.GetRequiredService<NotificationService>());
        services.AddSingleton<DisputeChainReader>();
        services.AddSingleton<EscrowService>();
        services.AddSingleton<ArbitrationService>();
        services.AddSingleton<VoteService>();
        services.AddSingleton<DeadlineReminderService>();
        services.AddScoped<IChainReconciler, DisputeReconciler>();
        services.Configure<QuartzOptions>(o =>
        {
            o.AddJob<DeadlineReminderJob>(j => j.WithIdentity(DeadlineReminderJob.Key).WithDescription("Reminds buyer and seller before an escrow deadline"));
            // Every ReminderIntervalSeconds (default 5 minutes), first run a minute after start.
            o.AddTrigger(t => t.ForJob(DeadlineReminderJob.Key).WithIdentity("deadline-reminders-trigger", "commerce")
                .StartAt(DateBuilder.FutureDate(60, IntervalUnit.Second))
                .WithSimpleSchedule(s => s.WithIntervalInSeconds(settings.ReminderIntervalSeconds).RepeatForever()));

            ScheduleVoteTally(o, settings.VoteTallyIntervalSeconds);
        });
        return builder;
    }

    /// <summary>
    /// The vote tally job: community votes whose period is over are tallied on chain with the platform key, every
    /// <paramref name="intervalSeconds"/> seconds, first run 30 s after start.
    /// </summary>
    public static void ScheduleVoteTally(QuartzOptions options, int intervalSeconds)
    {
        options.AddJob<VoteTallyJob>(j => j.WithIdentity(VoteTallyJob.Key).WithDescription("Executes the tally of community votes whose voting period is over"));
        options.AddTrigger(t => t.ForJob(VoteTallyJob.Key).WithIdentity("vote-tally-trigger", "commerce")
            .StartAt(DateBuilder.FutureDate(30, IntervalUnit.Second))
            .WithSimpleSchedule(s => s.WithIntervalInSeconds(intervalSeconds).RepeatForever()));
    }
}
