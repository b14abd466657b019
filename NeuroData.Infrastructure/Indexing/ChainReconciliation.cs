using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Common;

namespace NeuroData.Infrastructure.Indexing;

/// <summary>
/// Brings application rows (purchases, escrows, disputes, payouts ...) in step with the chain mirror. The mirror tables
/// are a pure function of the raw logs (rebuilt after a reorganisation); application rows also hold what users wrote
/// (reasons, evidence), so they are never cleared: a reconciler compares them with the mirror and changes what differs.
/// <para>
/// Level-triggered, not edge-triggered: it must be idempotent (running it twice changes nothing the second time) and
/// must catch up from any state (a restart, a missed pass, a reorganisation that removed an event).
/// </para>
/// </summary>
public interface IChainReconciler
{
    /// <summary>Lower runs first (purchases before disputes before payouts).</summary>
    int Order { get; }

    /// <summary>Reconciles everything of this chain; returns the application users whose rows changed.</summary>
    Task<IReadOnlyCollection<Guid>> ReconcileAsync(ChainId chainId, CancellationToken cancellationToken);
}

/// <summary>Runs every registered <see cref="IChainReconciler"/> in order, each in its own DI scope.</summary>
public sealed class ChainReconciliation(IServiceScopeFactory scopes, ILogger<ChainReconciliation> logger)
{
    /// <summary>
    /// Runs all reconcilers. A failing reconciler is logged and the others still run; the next indexer pass tries it
    /// again. Returns the users whose rows changed.
    /// </summary>
    public async Task<IReadOnlyCollection<Guid>> RunAsync(ChainId chainId, CancellationToken cancellationToken)
    {
        var changed = new HashSet<Guid>();
        await using var scope = scopes.CreateAsyncScope();
        foreach (var reconciler in scope.ServiceProvider.GetServices<IChainReconciler>().OrderBy(r => r.Order))
        {
            try
            {
                changed.UnionWith(await reconciler.ReconcileAsync(chainId, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Reconciler {Reconciler} failed; it runs again after the next indexer pass", reconciler.GetType().Name);
            }
        }

        return changed;
    }
}
