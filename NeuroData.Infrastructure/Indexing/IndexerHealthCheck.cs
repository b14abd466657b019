using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NeuroData.Infrastructure.Indexing;

/// <summary>
/// Readiness of the chain mirror: Healthy when the indexer is within <see cref="MaxLagBlocks"/> of the chain head,
/// Degraded while it catches up, has not run yet, retries after an error or another node is the writer (the site still serves pages, so readiness is never failed by the chain). The data
/// (last block, head, lag, writer) is in the health response for operators.
/// </summary>
public sealed class IndexerHealthCheck(IndexerStatus status, IndexerSettings settings) : IHealthCheck
{
    public const long MaxLagBlocks = 50;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var s = status.Snapshot;
        var data = new Dictionary<string, object>
        {
            ["lastBlock"] = s.LastBlock ?? -1,
            ["chainHead"] = s.ChainHead ?? -1,
            ["lag"] = s.Lag ?? -1,
            ["writer"] = s.IsWriter,
        };

        HealthCheckResult result;
        if (!settings.Enabled)
        {
            result = HealthCheckResult.Healthy("Indexing is disabled on this node.", data: data);
        }
        else if (s.LastError is { } error)
        {
            result = HealthCheckResult.Degraded("The indexer is retrying after an error: " + error, data: data);
        }
        else if (s.Lag is not { } lag)
        {
            result = HealthCheckResult.Degraded(s.IsWriter ? "The indexer has not finished its first pass." : "Another node is indexing.", data: data);
        }
        else if (lag > MaxLagBlocks)
        {
            result = HealthCheckResult.Degraded($"The indexer is {lag} blocks behind the chain.", data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"The indexer is {lag} blocks behind the chain.", data: data);
        }

        return Task.FromResult(result);
    }
}
