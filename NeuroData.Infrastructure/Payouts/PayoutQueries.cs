using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Payouts;

/// <summary>What the escrows credited to one wallet and it has not withdrawn yet.</summary>
public sealed record WalletBalanceRow(EthAddress Address, bool IsPrimary, TokenAmount Withdrawable);

/// <summary>One withdrawal of credited NCR to a wallet.</summary>
public sealed record PayoutRow(Guid Id, EthAddress ToAddress, TokenAmount Amount, TxHash TxHash, DateTimeOffset PaidAt);

/// <summary>Money an escrow returned to its buyer, seen by one party.</summary>
/// <param name="UserWasBuyer">True when the viewer was the buyer (they got the money back), false for the seller.</param>
/// <param name="Kind">"Seller agreed", "Dispute ruling: refund" or "Dispute ruling: split" …</param>
public sealed record RefundRow(long EscrowId, bool UserWasBuyer, EthAddress Buyer, EthAddress Seller, TokenAmount Amount, string Kind, TxHash TxHash, long BlockNumber, DateTimeOffset? At);

/// <summary>NCR per calendar month (UTC), "yyyy-MM".</summary>
public sealed record MonthAmount(string Month, TokenAmount Amount);

/// <summary>Everything the /payouts page shows for one user.</summary>
public sealed record PayoutOverview(
    IReadOnlyList<WalletBalanceRow> Wallets,
    TokenAmount Withdrawable,
    TokenAmount Earned,
    TokenAmount PaidOut,
    IReadOnlyList<PayoutRow> Payouts,
    IReadOnlyList<MonthAmount> EarningsByMonth,
    IReadOnlyList<RefundRow> Refunds);

/// <summary>NCR a transaction moved for its sender, from the NCR Transfer events in its logs.</summary>
public sealed record TransactionAmount(TokenAmount In, TokenAmount Out);

/// <summary>
/// Reads for /payouts and /transactions, always for the user id the caller took from the authentication state: the
/// user's wallets (<c>WalletLinks</c>) select what is shown, so one seller never sees another's payouts or refunds.
/// Balances come from the chain mirror; payouts from <see cref="Payout"/> rows (<see cref="PayoutReconciler"/>);
/// earnings and refunds from the raw EscrowManager events (exact amounts, one row per event).
/// </summary>
public sealed class PayoutQueries(IDbContextFactory<NeuroDataDbContext> contexts, ChainSettings chain, BlockTimestamps blockTimes)
{
    public const int MaxRows = 200;

    public async Task<PayoutOverview> OverviewAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var chainId = chain.ChainId;
        var links = await db.WalletLinks.AsNoTracking().Where(w => w.UserId == userId).ToListAsync(cancellationToken);
        var addresses = links.Select(w => w.Address).ToList();
        var accounts = await db.Set<MirrorAccount>().AsNoTracking()
            .Where(a => a.ChainId == chainId && addresses.Contains(a.Address))
            .ToDictionaryAsync(a => a.Address, a => a.Withdrawable, cancellationToken);
        var wallets = links.OrderByDescending(w => w.IsPrimary).ThenBy(w => w.LinkedAt)
            .Select(w => new WalletBalanceRow(w.Address, w.IsPrimary, accounts.GetValueOrDefault(w.Address)))
            .ToList();

        var payouts = (await db.Payouts.AsNoTracking().Where(p => p.SellerId == userId && p.ChainId == chainId).ToListAsync(cancellationToken))
            .OrderByDescending(p => p.PaidAt).ThenBy(p => p.TxHash.Value, StringComparer.Ordinal)
            .Select(p => new PayoutRow(p.Id, p.ToAddress, p.Amount, p.TxHash, p.PaidAt))
            .ToList();

        // Earned as a seller: what escrows credited to the user's wallets on escrows where that wallet is the seller.
        var sellerEscrows = await db.Set<MirrorEscrow>().AsNoTracking()
            .Where(e => e.ChainId == chainId && addresses.Contains(e.Seller))
            .Select(e => new { e.EscrowId, e.Seller })
            .ToListAsync(cancellationToken);
        var sellerOf = sellerEscrows.ToDictionary(e => e.EscrowId, e => e.Seller);
        var credits = await EventsAsync(db, ContractEvents.Credited, cancellationToken);
        var earnedEvents = credits
            .Select(c => (Log: c.Log, Account: c.Event.Address("account"), EscrowId: c.Event.Whole("escrowId"), Amount: c.Event.Amount("amount")))
            .Where(c => sellerOf.TryGetValue(c.EscrowId, out var seller) && seller == c.Account)
            .ToList();
        var earned = Sum(earnedEvents.Select(c => c.Amount));
        var times = await blockTimes.GetAsync(earnedEvents.Select(c => c.Log.BlockHash), cancellationToken);
        var byMonth = earnedEvents.Where(c => times.ContainsKey(c.Log.BlockHash))
            .GroupBy(c => times[c.Log.BlockHash].UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MonthAmount(g.Key, Sum(g.Select(c => c.Amount))))
            .ToList();

        var refunds = await RefundsAsync(db, addresses, cancellationToken);
        return new PayoutOverview(
            wallets,
            Sum(wallets.Select(w => w.Withdrawable)),
            earned,
            Sum(payouts.Select(p => p.Amount)),
            payouts.Take(MaxRows).ToList(),
            byMonth,
            refunds);
    }

    /// <summary>NCR moved by each transaction for its sender (Transfer events of the NCR token in the mirrored logs).</summary>
    public async Task<IReadOnlyDictionary<TxHash, TransactionAmount>> TransactionAmountsAsync(IReadOnlyCollection<(TxHash Hash, EthAddress From)> transactions, CancellationToken cancellationToken)
    {
        if (transactions.Count == 0)
        {
            return new Dictionary<TxHash, TransactionAmount>();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var chainId = chain.ChainId;
        var hashes = transactions.Select(t => t.Hash).Distinct().ToList();
        var logs = await db.Set<ChainLogRecord>().AsNoTracking()
            .Where(l => l.ChainId == chainId && l.EventName == ContractEvents.Transfer.Name && hashes.Contains(l.TxHash))
            .ToListAsync(cancellationToken);
        var result = new Dictionary<TxHash, TransactionAmount>();
        foreach (var (hash, from) in transactions)
        {
            var inAmount = TokenAmount.Zero;
            var outAmount = TokenAmount.Zero;
            foreach (var log in logs.Where(l => l.TxHash == hash))
            {
                var e = ContractEvents.Transfer.Decode(log.Topics.Split(','), log.Data);
                if (e.Address("to") == from)
                {
                    inAmount += e.Amount("value");
                }

                if (e.Address("from") == from)
                {
                    outAmount += e.Amount("value");
                }
            }

            result[hash] = new TransactionAmount(inAmount, outAmount);
        }

        return result;
    }

    private async Task<List<RefundRow>> RefundsAsync(NeuroDataDbContext db, List<EthAddress> addresses, CancellationToken cancellationToken)
    {
        var chainId = chain.ChainId;
        var escrows = await db.Set<MirrorEscrow>().AsNoTracking()
            .Where(e => e.ChainId == chainId && (addresses.Contains(e.Buyer) || addresses.Contains(e.Seller))
                        && (e.State == MirrorEscrowState.Refunded || e.State == MirrorEscrowState.Resolved))
            .Select(e => new { e.EscrowId, e.Buyer, e.Seller })
            .ToListAsync(cancellationToken);
        if (escrows.Count == 0)
        {
            return [];
        }

        var parties = escrows.ToDictionary(e => e.EscrowId);
        var rows = new List<(ChainLogRecord Log, long EscrowId, TokenAmount Amount, string Kind)>();
        foreach (var (log, e) in await EventsAsync(db, ContractEvents.EscrowRefunded, cancellationToken))
        {
            rows.Add((log, e.Whole("escrowId"), e.Amount("amount"), "Seller agreed to refund"));
        }

        foreach (var (log, e) in await EventsAsync(db, ContractEvents.DisputeResolved, cancellationToken))
        {
            var sellerBps = e.Small("sellerBps");
            var kind = sellerBps == 0 ? "Dispute ruled: refund" : $"Dispute ruled: split ({(10_000 - sellerBps) / 100m:0.##}% to the buyer)";
            rows.Add((log, e.Whole("escrowId"), e.Amount("buyerAmount"), kind));
        }

        var mine = rows.Where(r => parties.ContainsKey(r.EscrowId) && !r.Amount.IsZero).ToList();
        var times = await blockTimes.GetAsync(mine.Select(r => r.Log.BlockHash), cancellationToken);
        return mine
            .Select(r =>
            {
                var p = parties[r.EscrowId];
                return new RefundRow(r.EscrowId, addresses.Contains(p.Buyer), p.Buyer, p.Seller, r.Amount, r.Kind, r.Log.TxHash, r.Log.BlockNumber,
                    times.TryGetValue(r.Log.BlockHash, out var at) ? at : null);
            })
            .OrderByDescending(r => r.BlockNumber).ThenByDescending(r => r.EscrowId)
            .Take(MaxRows)
            .ToList();
    }

    private async Task<List<(ChainLogRecord Log, DecodedEvent Event)>> EventsAsync(NeuroDataDbContext db, EventDefinition definition, CancellationToken cancellationToken)
    {
        var chainId = chain.ChainId;
        var logs = await db.Set<ChainLogRecord>().AsNoTracking()
            .Where(l => l.ChainId == chainId && l.EventName == definition.Name)
            .ToListAsync(cancellationToken);
        return logs.Select(l => (l, definition.Decode(l.Topics.Split(','), l.Data))).ToList();
    }

    internal static TokenAmount Sum(IEnumerable<TokenAmount> amounts) => amounts.Aggregate(TokenAmount.Zero, (sum, a) => sum + a);
}
