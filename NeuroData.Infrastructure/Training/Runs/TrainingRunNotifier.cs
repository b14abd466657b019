namespace NeuroData.Infrastructure.Training.Runs;

/// <summary>
/// <see cref="ITrainingRunUpdates"/>: an in-process fan-out, per user, of run changes to open pages. Status changes and
/// queue moves are sent at once; progress reports at most every <see cref="ProgressInterval"/> per run. A handler that
/// throws is ignored (it must not stop the run or the other pages).
/// </summary>
public sealed class TrainingRunNotifier(TimeProvider clock) : ITrainingRunUpdates
{
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, List<Subscription>> _byUser = [];
    private readonly Dictionary<Guid, long> _lastProgress = [];

    public IDisposable Subscribe(Guid userId, Action<Guid> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var subscription = new Subscription(this, userId, changed);
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out var list))
            {
                _byUser[userId] = list = [];
            }

            list.Add(subscription);
        }

        return subscription;
    }

    /// <summary>The run's status, queue position or results changed: tell its user's pages now.</summary>
    public void Changed(Guid userId, Guid runId)
    {
        lock (_gate)
        {
            _lastProgress.Remove(runId);
        }

        Send(userId, runId);
    }

    /// <summary>A progress report: told at most every <see cref="ProgressInterval"/> per run. Returns whether it was sent.</summary>
    public bool Progressed(Guid userId, Guid runId)
    {
        var now = clock.GetTimestamp();
        lock (_gate)
        {
            if (_lastProgress.TryGetValue(runId, out var last) && clock.GetElapsedTime(last, now) < ProgressInterval)
            {
                return false;
            }

            _lastProgress[runId] = now;
        }

        Send(userId, runId);
        return true;
    }

    private void Send(Guid userId, Guid runId)
    {
        Subscription[] targets;
        lock (_gate)
        {
            targets = _byUser.TryGetValue(userId, out var list) ? [.. list] : [];
        }

        foreach (var target in targets)
        {
            try
            {
                target.Handler(runId);
            }
            catch (Exception)
            {
                // A page's handler must not break the run or the other pages; the page re-reads on its next update.
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (_byUser.TryGetValue(subscription.UserId, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                _byUser.Remove(subscription.UserId);
            }
        }
    }

    private sealed class Subscription(TrainingRunNotifier owner, Guid userId, Action<Guid> handler) : IDisposable
    {
        public Guid UserId { get; } = userId;

        public Action<Guid> Handler { get; } = handler;

        public void Dispose() => owner.Remove(this);
    }
}
