using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Queries;

/// <summary>What the chain mirror holds, for the admin page.</summary>
public sealed record ChainMirrorOverview(
    long RawLogs,
    long Accounts,
    IReadOnlyDictionary<MirrorListingStatus, int> ListingsByStatus,
    IReadOnlyDictionary<MirrorEscrowState, int> EscrowsByState,
    IReadOnlyList<MirrorEvent> RecentEvents);

/// <summary>One mirrored log, newest first on the admin page.</summary>
public sealed record MirrorEvent(long BlockNumber, int LogIndex, string? EventName, EthAddress Contract, TxHash TxHash);

/// <summary>Read-only queries over the chain mirror tables (one context per call).</summary>
public sealed class ChainMirrorQueries(IDbContextFactory<NeuroDataDbContext> contexts)
{
    public async Task<ChainMirrorOverview> GetOverviewAsync(ChainId chainId, int recent, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var logs = await db.Set<ChainLogRecord>().LongCountAsync(l => l.ChainId == chainId, cancellationToken);
        var accounts = await db.Set<MirrorAccount>().LongCountAsync(a => a.ChainId == chainId, cancellationToken);
        var listings = await db.Set<MirrorListing>().Where(l => l.ChainId == chainId)
            .GroupBy(l => l.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var escrows = await db.Set<MirrorEscrow>().Where(e => e.ChainId == chainId)
            .GroupBy(e => e.State).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var events = await db.Set<ChainLogRecord>().AsNoTracking().Where(l => l.ChainId == chainId)
            .OrderByDescending(l => l.BlockNumber).ThenByDescending(l => l.LogIndex)
            .Take(Math.Clamp(recent, 1, 200))
            .Select(l => new MirrorEvent(l.BlockNumber, l.LogIndex, l.EventName, l.Address, l.TxHash))
            .ToListAsync(cancellationToken);
        return new ChainMirrorOverview(logs, accounts, listings, escrows, events);
    }
}
