using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NeuroData.Infrastructure.Persistence;
using Quartz;

namespace NeuroData.Infrastructure.Jobs;

/// <summary>
/// Records every run of every Quartz job (ours and other features') in the <c>JobRuns</c> table: a row when it starts
/// (Running), completed when it ends with the outcome, the items it reported (<see cref="JobRunResult"/> or an int in
/// <c>context.Result</c>) and the error. Registered as an <see cref="IJobListener"/> service; the scheduler adds every
/// registered listener for all jobs. Recording never fails a job: a database error is logged and the job goes on.
/// </summary>
public sealed class JobRunListener(IDbContextFactory<NeuroDataDbContext> contexts, TimeProvider clock, ILogger<JobRunListener> logger) : IJobListener
{
    public string Name => "NeuroData.JobRuns";

    public async Task JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await SaveAsync(context, run =>
        {
            run.Outcome = JobRunOutcome.Running;
        }, cancellationToken);
    }

    public async Task JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await SaveAsync(context, run =>
        {
            run.Outcome = JobRunOutcome.Vetoed;
            run.FinishedAt = clock.GetUtcNow();
        }, cancellationToken);
    }

    public async Task JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        await SaveAsync(context, run =>
        {
            run.FinishedAt = clock.GetUtcNow();
            run.Outcome = jobException is null ? JobRunOutcome.Succeeded : JobRunOutcome.Failed;
            run.Error = jobException is null ? null : Truncate(Describe(jobException), JobRun.ErrorMaxLength);
            switch (context.Result)
            {
                case JobRunResult result:
                    run.Items = result.Items;
                    run.Summary = Truncate(result.Summary, JobRun.SummaryMaxLength);
                    break;
                case int items:
                    run.Items = items;
                    break;
            }
        }, cancellationToken);
    }

    /// <summary>The innermost meaningful message (Quartz wraps a job's exception in a JobExecutionException).</summary>
    private static string Describe(JobExecutionException exception)
    {
        Exception inner = exception;
        while (inner is JobExecutionException { InnerException: { } next })
        {
            inner = next;
        }

        return inner.Message;
    }

    private async Task SaveAsync(IJobExecutionContext context, Action<JobRun> change, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var runs = db.Set<JobRun>();
            var run = await runs.SingleOrDefaultAsync(r => r.FireInstanceId == context.FireInstanceId, cancellationToken);
            if (run is null)
            {
                run = new JobRun
                {
                    JobName = Truncate(context.JobDetail.Key.ToString(), JobRun.NameMaxLength)!,
                    TriggerName = Truncate(context.Trigger.Key.ToString(), JobRun.NameMaxLength),
                    FireInstanceId = context.FireInstanceId,
                    StartedAt = clock.GetUtcNow(),
                };
                runs.Add(run);
            }

            change(run);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            logger.LogError(ex, "Could not record the run of job {Job} ({FireInstanceId})", context.JobDetail.Key, context.FireInstanceId);
        }
    }

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";
}
