using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Payouts;

/// <summary>
/// Keeps <see cref="Payout"/> rows equal to the EscrowManager's <c>Withdrawn</c> events in the mirror's raw logs: one
/// row per (transaction, account) for accounts linked to a user (by <see cref="WalletLink"/>), paid at the block's
/// time. Level-triggered: adds what is missing (also when a wallet is linked later), keeps rows of wallets unlinked
/// since, removes rows whose event a reorganisation took away, and changes nothing when run again. Pending Withdraw
/// transactions of users are confirmed from the same events (the page that sent them may have closed before the receipt).
/// </summary>
public sealed class PayoutReconciler(IDbContextFactory<NeuroDataDbContext> contexts, BlockTimestamps blockTimes, TimeProvider clock) : IChainReconciler
{
    public int Order => 30;

    public async Task<IReadOnlyCollection<Guid>> ReconcileAsync(ChainId chainId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var logs = await db.Set<ChainLogRecord>().AsNoTracking()
            .Where(l => l.ChainId == chainId && l.EventName == ContractEvents.Withdrawn.Name)
            .Select(l => new { l.TxHash, l.BlockHash, l.BlockNumber, l.Topics, l.Data })
            .ToListAsync(cancellationToken);
        var events = logs.Select(l =>
        {
            var decoded = ContractEvents.Withdrawn.Decode(l.Topics.Split(','), l.Data);
            return (l.TxHash, l.BlockHash, Account: decoded.Address("account"), Amount: decoded.Amount("amount"));
        }).Where(e => !e.Amount.IsZero).ToList();

        var accounts = events.Select(e => e.Account).Distinct().ToList();
        var owners = await db.WalletLinks.AsNoTracking().Where(w => accounts.Contains(w.Address))
            .ToDictionaryAsync(w => w.Address, w => w.UserId, cancellationToken);

        var existing = await db.Payouts.Where(p => p.ChainId == chainId && p.EscrowId == null).ToListAsync(cancellationToken);
        var wanted = events.Where(e => owners.ContainsKey(e.Account)).ToList();
        // Rows stay while their event exists, even if the wallet was unlinked since (history is kept).
        var onChainKeys = events.Select(e => Key(e.TxHash, e.Account)).ToHashSet(StringComparer.Ordinal);
        var existingKeys = existing.Select(p => Key(p.TxHash, p.ToAddress)).ToHashSet(StringComparer.Ordinal);

        var changed = new HashSet<Guid>();
        foreach (var gone in existing.Where(p => !onChainKeys.Contains(Key(p.TxHash, p.ToAddress))))
        {
            db.Payouts.Remove(gone);
            changed.Add(gone.SellerId);
        }

        var missing = wanted.Where(e => !existingKeys.Contains(Key(e.TxHash, e.Account))).ToList();
        if (missing.Count > 0)
        {
            var times = await blockTimes.GetAsync(missing.Select(e => e.BlockHash), cancellationToken);
            foreach (var e in missing)
            {
                if (!times.TryGetValue(e.BlockHash, out var paidAt))
                {
                    continue; // the block is gone (reorganised); the mirror will drop the log and the next pass settles it
                }

                var userId = owners[e.Account];
                db.Payouts.Add(new Payout(userId, null, e.Account, e.Amount, chainId, e.TxHash, paidAt));
                existingKeys.Add(Key(e.TxHash, e.Account));
                changed.Add(userId);
            }
        }

        // A withdrawal sent from /payouts whose page was closed before it saw the receipt: the indexed event confirms it.
        var blockOf = logs.GroupBy(l => l.TxHash).ToDictionary(g => g.Key, g => g.First().BlockNumber);
        var hashes = blockOf.Keys.ToList();
        var pending = await db.ChainTransactions
            .Where(t => t.ChainId == chainId && t.Status == ChainTransactionStatus.Pending && t.Purpose == ChainTransactionPurpose.Withdraw && hashes.Contains(t.Hash))
            .ToListAsync(cancellationToken);
        foreach (var transaction in pending)
        {
            transaction.Confirm(blockOf[transaction.Hash], clock.GetUtcNow());
            if (transaction.UserId is { } owner)
            {
                changed.Add(owner);
            }
        }

        if (changed.Count > 0 || pending.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return changed;
    }

    private static string Key(TxHash hash, EthAddress account) => hash.Value.ToLowerInvariant() + "|" + account.Value.ToLowerInvariant();
}
