using System.Collections.Concurrent;
using NeuroData.Domain.Training;

namespace NeuroData.Infrastructure.Training.Runs;

/// <summary>A run this process is executing: its cancellation and its latest progress report (live, between database saves).</summary>
public sealed class ActiveRun(Guid runId, Guid userId) : IDisposable
{
    private TrainingProgress? _latest;

    public Guid RunId { get; } = runId;

    public Guid UserId { get; } = userId;

    /// <summary>Cancelled when the user cancels the run.</summary>
    public CancellationTokenSource UserCancel { get; } = new();

    public TrainingProgress? Latest
    {
        get => Volatile.Read(ref _latest);
        set => Volatile.Write(ref _latest, value);
    }

    public void Dispose() => UserCancel.Dispose();
}

/// <summary>
/// The runs this process is executing, and the lock that orders state changes of runs within the process (claiming
/// a queued run, cancelling it, finishing it), so a cancel and a claim cannot both win.
/// </summary>
public sealed class TrainingRunRegistry
{
    private readonly ConcurrentDictionary<Guid, ActiveRun> _runs = new();

    /// <summary>Held while a run's status is read and changed.</summary>
    public SemaphoreSlim StateGate { get; } = new(1, 1);

    public ActiveRun? Find(Guid runId) => _runs.TryGetValue(runId, out var run) ? run : null;

    public int Count => _runs.Count;

    internal ActiveRun Add(Guid runId, Guid userId)
    {
        var run = new ActiveRun(runId, userId);
        if (!_runs.TryAdd(runId, run))
        {
            run.Dispose();
            throw new InvalidOperationException($"Training run {runId} is already executing in this process.");
        }

        return run;
    }

    internal void Remove(ActiveRun run)
    {
        if (_runs.TryRemove(new KeyValuePair<Guid, ActiveRun>(run.RunId, run)))
        {
            run.Dispose();
        }
    }
}

/// <summary>Wakes the dispatcher when a run is queued (in this process) and, in the app, fires the Quartz dispatch job.</summary>
public sealed class TrainingRunSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised on every <see cref="Poke"/> (the app triggers the dispatch job from it).</summary>
    public event Action? Poked;

    /// <summary>Completes when the next <see cref="Poke"/> happens.</summary>
    public Task NextAsync()
    {
        lock (_gate)
        {
            return _next.Task;
        }
    }

    public void Poke()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            done = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
        Poked?.Invoke();
    }
}
