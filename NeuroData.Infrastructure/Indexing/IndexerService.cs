using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Indexing;

/// <summary>What the indexer last did, for /health/ready and the admin page.</summary>
public sealed class IndexerStatus
{
    private readonly Lock _gate = new();
    private IndexerSnapshot _snapshot = new(null, null, null, null, false);

    public IndexerSnapshot Snapshot
    {
        get
        {
            lock (_gate)
            {
                return _snapshot;
            }
        }
    }

    internal void Update(Func<IndexerSnapshot, IndexerSnapshot> change)
    {
        lock (_gate)
        {
            _snapshot = change(_snapshot);
        }
    }
}

/// <summary>The indexer at a moment: how far it got, the chain head, the last error, whether this node writes.</summary>
public sealed record IndexerSnapshot(long? LastBlock, long? ChainHead, DateTimeOffset? LastPassAt, string? LastError, bool IsWriter)
{
    /// <summary>Blocks the mirror is behind the chain head (confirmation depth included).</summary>
    public long? Lag => LastBlock is { } last && ChainHead is { } head ? Math.Max(0, head - last) : null;
}

/// <summary>A batch of chain events reached the database; pages showing these accounts should refresh.</summary>
public sealed record ChainMirrorUpdate(ChainId ChainId, long LastBlock, IReadOnlyCollection<EthAddress> TouchedAccounts, bool Reorganised)
{
    /// <summary>Application users whose purchases, escrows, disputes or payouts the reconcilers changed in this pass.</summary>
    public IReadOnlyCollection<Guid> TouchedUsers { get; init; } = [];
}

/// <summary>In-process fan-out of mirror updates to open pages (each Blazor circuit subscribes and unsubscribes).</summary>
public sealed class ChainMirrorNotifier
{
    public event Action<ChainMirrorUpdate>? Updated;

    internal void Publish(ChainMirrorUpdate update) => Updated?.Invoke(update);
}

/// <summary>
/// Runs the indexer in the background. With PostgreSQL, several nodes may run it: a session-level advisory lock
/// makes exactly one of them the writer; the others wait and take over when it goes away. SQLite is single-node.
/// </summary>
public sealed class IndexerHostedService(
    ChainContext chain,
    IndexerSettings settings,
    IDbContextFactory<NeuroDataDbContext> contexts,
    IndexerStatus status,
    ChainMirrorNotifier notifier,
    ChainReconciliation reconciliation,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService
{
    /// <summary>Advisory lock key: "NDIX" in ASCII.</summary>
    public const long AdvisoryLockKey = 0x4E444958;

    private readonly ILogger<IndexerHostedService> logger = loggers.CreateLogger<IndexerHostedService>();
    private ChainIndexer indexer = null!;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ChainContracts contracts;
        try
        {
            contracts = await chain.GetContractsAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception ex)
        {
            logger.LogError("The chain indexer does not run: the chain is not available ({Reason})", ex.Message);
            status.Update(s => s with { LastError = "The chain is not available: " + ex.Message });
            return;
        }

        indexer = new ChainIndexer(contexts, settings.ToOptions(chain.Settings, contracts), clock, loggers.CreateLogger<ChainIndexer>());
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var lease = await AcquireWriterLeaseAsync(stoppingToken).ConfigureAwait(false);
                if (lease is null)
                {
                    status.Update(s => s with { IsWriter = false });
                    await Task.Delay(indexer.Options.PollInterval * 5, clock, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                status.Update(s => s with { IsWriter = true });
                await RunAsWriterAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Chain indexer failed; retrying");
                status.Update(s => s with { LastError = ex.Message, LastPassAt = clock.GetUtcNow() });
                await Task.Delay(indexer.Options.PollInterval * 2, clock, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunAsWriterAsync(CancellationToken ct)
    {
        // Catch up the application rows with whatever the mirror already holds (a restart, a crash mid-pass).
        await reconciliation.RunAsync(indexer.Options.ChainId, ct).ConfigureAwait(false);
        while (!ct.IsCancellationRequested)
        {
            var pass = await indexer.RunOnceAsync(ct).ConfigureAwait(false);
            status.Update(s => s with { LastBlock = pass.LastBlock, ChainHead = pass.ChainHead, LastPassAt = clock.GetUtcNow(), LastError = null });
            if (pass.Outcome is IndexerPassOutcome.Advanced or IndexerPassOutcome.ReorgReverted)
            {
                var users = await reconciliation.RunAsync(indexer.Options.ChainId, ct).ConfigureAwait(false);
                notifier.Publish(new ChainMirrorUpdate(indexer.Options.ChainId, pass.LastBlock, pass.TouchedAccounts, pass.Outcome == IndexerPassOutcome.ReorgReverted)
                {
                    TouchedUsers = users,
                });
                continue;
            }

            if (pass.Outcome == IndexerPassOutcome.UpToDate)
            {
                await Task.Delay(indexer.Options.PollInterval, clock, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<IAsyncDisposable?> AcquireWriterLeaseAsync(CancellationToken ct)
    {
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        if (!db.IsPostgres)
        {
            return db;
        }

        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_try_advisory_lock(@key)";
        var key = command.CreateParameter();
        key.ParameterName = "key";
        key.Value = AdvisoryLockKey;
        command.Parameters.Add(key);
        var acquired = (bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        if (acquired)
        {
            return new Lease(db, connection); // the lock lives as long as this session
        }

        await db.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private sealed class Lease(NeuroDataDbContext db, DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await connection.CloseAsync().ConfigureAwait(false); // closing the session releases the advisory lock
            await db.DisposeAsync().ConfigureAwait(false);
        }
    }
}
