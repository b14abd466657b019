using NeuroData.Infrastructure.Jobs;
using Quartz;

namespace NeuroData.Infrastructure.Payouts;

/// <summary>
/// Quartz job: releases escrows past their review deadline (<see cref="AutoReleaseService"/>). Thin: one service call;
/// the run's counts go to its <see cref="JobRun"/> row; a run with failures ends Failed with the errors.
/// </summary>
[DisallowConcurrentExecution]
public sealed class AutoReleaseJob(AutoReleaseService service) : IJob
{
    public static readonly JobKey Key = new("auto-release", "commerce");

    public static readonly TriggerKey TriggerKey = new("auto-release-every-interval", "commerce");

    public async Task Execute(IJobExecutionContext context)
    {
        var result = await service.RunAsync(context.CancellationToken);
        context.Result = new JobRunResult(result.Released, result.Summary);
        if (result.Failed > 0)
        {
            throw new JobExecutionException($"{result.Summary}. {string.Join("; ", result.Errors)}");
        }
    }
}
