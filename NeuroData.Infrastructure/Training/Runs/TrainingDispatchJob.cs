using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroData.Infrastructure.Jobs;
using Quartz;

namespace NeuroData.Infrastructure.Training.Runs;

/// <summary>
/// Quartz job <c>training.dispatch</c>: one <see cref="TrainingRunDispatcher"/> pass (starts queued runs and stays while
/// they train). Fired when a run is queued and every <see cref="TrainingRunOptions.DispatchIntervalSeconds"/> as a
/// safety net; never two at once.
/// </summary>
[DisallowConcurrentExecution]
public sealed class TrainingDispatchJob(TrainingRunDispatcher dispatcher, IHostApplicationLifetime lifetime) : IJob
{
    public static readonly JobKey Key = new("dispatch", "training");

    public static readonly TriggerKey TriggerKey = new("dispatch-every-interval", "training");

    public async Task Execute(IJobExecutionContext context)
    {
        // Stopping the app stops the runs at once (they stay Running and the next start queues them again) rather than
        // holding shutdown until a long run ends.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var started = await dispatcher.RunPassAsync(stop.Token);
        context.Result = new JobRunResult(started, started == 0 ? "No queued training runs" : $"Started {started} training run(s)");
    }
}

/// <summary>Fires the dispatch job at once when a run is queued (the scheduler may not be started yet in tests or at start-up: then the interval trigger picks it up).</summary>
internal sealed class TrainingDispatchTrigger(ISchedulerFactory schedulers, ILogger<TrainingDispatchTrigger> logger)
{
    public void Fire() => _ = FireAsync();

    private async Task FireAsync()
    {
        try
        {
            var scheduler = await schedulers.GetScheduler();
            if (scheduler.IsStarted && !scheduler.IsShutdown)
            {
                await scheduler.TriggerJob(TrainingDispatchJob.Key);
            }
        }
        catch (Exception ex) when (ex is SchedulerException or ObjectDisposedException)
        {
            logger.LogWarning(ex, "Could not fire the training dispatch job; its interval trigger will pick the run up.");
        }
    }
}
