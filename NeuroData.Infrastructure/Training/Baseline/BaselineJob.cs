using NeuroData.Infrastructure.Jobs;
using Quartz;

namespace NeuroData.Infrastructure.Training.Baseline;

/// <summary>
/// Quartz job <c>training.baseline</c>: computes the pending try-before-you-buy baselines (<see cref="BaselineService.RunPendingAsync"/>).
/// Fired when a seller declares or changes a label, and on a safety interval (<c>NeuroData:Training:Baseline:SweepIntervalSeconds</c>)
/// that also picks up baselines left pending by a restart. One pass at a time.
/// </summary>
[DisallowConcurrentExecution]
public sealed class BaselineJob(BaselineService service) : IJob
{
    public static readonly JobKey Key = new("baseline", "training");

    public static readonly TriggerKey TriggerKey = new("baseline-safety-pass", "training");

    public async Task Execute(IJobExecutionContext context)
    {
        var result = await service.RunPendingAsync(context.CancellationToken);
        context.Result = new JobRunResult(result.Computed + result.Failed, result.Summary);
    }
}
