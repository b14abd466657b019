using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Persistence;
using Quartz;
using Quartz.Impl.Matchers;

namespace NeuroData.Infrastructure.Jobs;

/// <summary>A scheduled job as the admin page shows it.</summary>
public sealed record JobRow(
    string Name,
    string? Description,
    string Schedule,
    DateTimeOffset? NextFireTime,
    DateTimeOffset? PreviousFireTime,
    JobRun? LastRun);

/// <summary>The scheduler's jobs with their last recorded run, recent runs, and "run now".</summary>
public sealed class JobsAdmin(ISchedulerFactory schedulers, IDbContextFactory<NeuroDataDbContext> contexts)
{
    public const int RecentRuns = 50;

    /// <summary>True when the scheduler runs jobs in this process (<c>NeuroData:Jobs:Enabled</c>).</summary>
    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        return scheduler.IsStarted && !scheduler.InStandbyMode && !scheduler.IsShutdown;
    }

    public async Task<IReadOnlyList<JobRow>> ListAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var keys = await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup(), cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = new List<JobRow>();
        foreach (var key in keys.OrderBy(k => k.ToString(), StringComparer.Ordinal))
        {
            var detail = await scheduler.GetJobDetail(key, cancellationToken);
            var triggers = await scheduler.GetTriggersOfJob(key, cancellationToken);
            var name = key.ToString();
            var last = (await db.Set<JobRun>().AsNoTracking().Where(r => r.JobName == name).ToListAsync(cancellationToken))
                .OrderByDescending(r => r.StartedAt).FirstOrDefault();
            rows.Add(new JobRow(
                name,
                detail?.Description,
                triggers.Count == 0 ? "on demand" : string.Join("; ", triggers.Select(Describe)),
                triggers.Select(t => t.GetNextFireTimeUtc()).Where(t => t is not null).Min(),
                triggers.Select(t => t.GetPreviousFireTimeUtc()).Where(t => t is not null).Max(),
                last));
        }

        return rows;
    }

    public async Task<IReadOnlyList<JobRun>> RecentRunsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Ids are Guid v7 (creation order) on both providers.
        return await db.Set<JobRun>().AsNoTracking().OrderByDescending(r => r.Id).Take(RecentRuns).ToListAsync(cancellationToken);
    }

    /// <summary>Fires the job once now (its own schedule is unchanged). Refused for a job the scheduler does not know.</summary>
    public async Task RunNowAsync(string jobName, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var keys = await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup(), cancellationToken);
        var key = keys.FirstOrDefault(k => k.ToString() == jobName)
            ?? throw new DomainException($"There is no job named '{jobName}'.");
        await scheduler.TriggerJob(key, cancellationToken);
    }

    internal static string Describe(ITrigger trigger) => trigger switch
    {
        ISimpleTrigger simple when simple.RepeatCount == SimpleTriggerImplRepeatIndefinitely => $"every {Interval(simple.RepeatInterval)}",
        ISimpleTrigger simple => $"{simple.RepeatCount + 1} times, every {Interval(simple.RepeatInterval)}",
        ICronTrigger cron => $"cron {cron.CronExpressionString}",
        IDailyTimeIntervalTrigger daily => $"every {daily.RepeatInterval} {daily.RepeatIntervalUnit.ToString().ToLowerInvariant()}(s) daily",
        ICalendarIntervalTrigger calendar => $"every {calendar.RepeatInterval} {calendar.RepeatIntervalUnit.ToString().ToLowerInvariant()}(s)",
        _ => trigger.GetType().Name,
    };

    private const int SimpleTriggerImplRepeatIndefinitely = -1;

    private static string Interval(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0} h"
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes:0} min"
        : $"{span.TotalSeconds:0.###} s";
}
