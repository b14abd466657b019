using NeuroData.Infrastructure.Indexing;

namespace NeuroData.Web.Components.Commerce;

/// <summary>
/// Wakes a waiting component when the indexer pushes a <see cref="ChainMirrorUpdate"/> that concerns it (the
/// <see cref="ChainMirrorNotifier"/> fan-out), instead of polling the database every second. Several updates while
/// nobody waits count as one wake-up. The fallback of <see cref="WaitAsync"/> is a slow safety net for what no event
/// announces (a transaction that reverted) and for a page with no notifier (tests, a node without the indexer).
/// </summary>
public sealed class MirrorSignal : IDisposable
{
    private readonly ChainMirrorNotifier? _notifier;
    private readonly Func<ChainMirrorUpdate, bool> _concerns;
    private readonly SemaphoreSlim _signal = new(0, 1);

    public MirrorSignal(ChainMirrorNotifier? notifier, Func<ChainMirrorUpdate, bool> concerns)
    {
        _notifier = notifier;
        _concerns = concerns;
        if (notifier is not null)
        {
            notifier.Updated += Signal;
        }
    }

    /// <summary>Waits for the next update that concerns the component, or the fallback. True when an update woke it.</summary>
    public Task<bool> WaitAsync(TimeSpan fallback, CancellationToken cancellationToken) => _signal.WaitAsync(fallback, cancellationToken);

    /// <summary>The notifier's handler (runs on the indexer's thread: cheap, never throws).</summary>
    internal void Signal(ChainMirrorUpdate update)
    {
        if (!_concerns(update))
        {
            return;
        }

        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // already signalled: one wake-up covers both updates
        }
    }

    public void Dispose()
    {
        if (_notifier is not null)
        {
            _notifier.Updated -= Signal;
        }
    }
}
