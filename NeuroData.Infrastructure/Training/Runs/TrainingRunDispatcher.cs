using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Training.Runs;

/// <summary>
/// Takes queued runs (oldest first, all users) while fewer than <see cref="TrainingRunOptions.MaxConcurrentRuns"/> run,
/// marks them Running and hands them to the <see cref="TrainingRunExecutor"/>. A pass lasts while runs execute (it
/// starts the next queued run as soon as a slot frees up or a run is queued) and ends when nothing is left to do.
/// The first pass of a process recovers runs a previous process left Running: queued again once, failed the second time.
/// </summary>
public sealed class TrainingRunDispatcher(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    TrainingRunExecutor executor,
    TrainingRunRegistry registry,
    TrainingRunNotifier notifier,
    TrainingRunSignal signal,
    IOptions<TrainingRunOptions> options,
    TimeProvider clock,
    ILogger<TrainingRunDispatcher> logger) : IDisposable
{
    private readonly SemaphoreSlim _pass = new(1, 1);
    private int _recovered;

    /// <summary>Starts queued runs and waits for them; returns how many runs this pass started. A pass already going
    /// in this process makes this return 0 at once (the running pass picks up new work).</summary>
    public async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        if (!await _pass.WaitAsync(0, cancellationToken))
        {
            return 0;
        }

        try
        {
            if (Interlocked.Exchange(ref _recovered, 1) == 0)
            {
                await RecoverAsync(cancellationToken);
            }

            var started = 0;
            var running = new List<Task>();
            var interval = TimeSpan.FromSeconds(options.Value.DispatchIntervalSeconds);
            while (true)
            {
                var wake = signal.NextAsync();
                while (running.Count < options.Value.MaxConcurrentRuns && !cancellationToken.IsCancellationRequested)
                {
                    var next = await TryStartNextAsync(cancellationToken);
                    if (next is null)
                    {
                        break;
                    }

                    running.Add(next);
                    started++;
                }

                if (running.Count == 0)
                {
                    return started;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    // Shutting down: the executors stop their runs (left Running for the next process to recover).
                    await Task.WhenAll(running);
                    return started;
                }

                // A run ended, a run was queued, or the safety interval passed (another node's run may have ended).
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny([.. running, wake, Task.Delay(interval, clock, wait.Token)]);
                await wait.CancelAsync();
                running.RemoveAll(t => t.IsCompleted);
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>
    /// Runs marked Running that no code in this process executes were left by a process that stopped: each goes back to
    /// the queue once (attempt 2) and fails with <see cref="TrainingRun.InterruptedTwiceReason"/> the second time.
    /// Also removes decrypted training forms a stopped process left in the temp folder. Returns how many runs it touched.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        TrainingRunExecutor.CleanTempFolder(options.Value.TempPath, registry, logger);
        var touched = new List<(Guid User, Guid Run)>();
        await registry.StateGate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var stranded = await db.TrainingRuns.Where(r => r.Status == TrainingRunStatus.Running).ToListAsync(cancellationToken);
            foreach (var run in stranded.Where(r => registry.Find(r.Id) is null))
            {
                var requeued = run.InterruptedByRestart(clock.GetUtcNow());
                logger.LogWarning("Training run {RunId} was left running by a previous process; {Outcome}.", run.Id, requeued ? "queued again" : "marked failed (second interruption)");
                touched.Add((run.UserId, run.Id));
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            registry.StateGate.Release();
        }

        foreach (var (user, run) in touched)
        {
            notifier.Changed(user, run);
        }

        return touched.Count;
    }

    public void Dispose() => _pass.Dispose();

    /// <summary>Tells the users of all queued runs that the queue moved (their positions changed).</summary>
    internal static async Task NotifyQueueAsync(IDbContextFactory<NeuroDataDbContext> dbFactory, TrainingRunNotifier notifier, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var queued = await db.TrainingRuns.AsNoTracking()
            .Where(r => r.Status == TrainingRunStatus.Queued)
            .Select(r => new { r.UserId, r.Id })
            .ToListAsync(ct);
        foreach (var run in queued)
        {
            notifier.Changed(run.UserId, run.Id);
        }
    }

    private async Task<Task?> TryStartNextAsync(CancellationToken ct)
    {
        ActiveRun active;
        await registry.StateGate.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var running = await db.TrainingRuns.CountAsync(r => r.Status == TrainingRunStatus.Running, ct);
            if (running >= options.Value.MaxConcurrentRuns)
            {
                return null;
            }

            var run = await db.TrainingRuns
                .Where(r => r.Status == TrainingRunStatus.Queued)
                .OrderBy(r => r.QueuedAt).ThenBy(r => r.Id)
                .FirstOrDefaultAsync(ct);
            if (run is null)
            {
                return null;
            }

            run.Start(clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            active = registry.Add(run.Id, run.UserId);
        }
        finally
        {
            registry.StateGate.Release();
        }

        notifier.Changed(active.UserId, active.RunId);
        await NotifyQueueAsync(dbFactory, notifier, ct);
        return Task.Run(() => executor.ExecuteAsync(active, ct), CancellationToken.None);
    }
}
