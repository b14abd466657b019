using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Commerce.Purchases;

/// <summary>
/// Order 10: brings Purchase, Escrow, PlatformFee and Refund rows in step with the mirrored escrows of listings the
/// platform published (a <see cref="DatasetListing"/> with that chain listing id).
/// <list type="bullet">
/// <item>One Escrow row per on-chain escrow (unique chain + escrow id) and one Purchase per escrow (unique escrow id):
/// the buyer's Pending purchase of that listing when the app started one (preferably the one whose transaction opened
/// the escrow), else one created from the chain facts for the user whose linked wallet bought. When no user has that
/// wallet the Escrow row is kept without a purchase and linked once the wallet is.</item>
/// <item>States follow the mirror: Funded/Disputed = Confirmed, Released = Completed, Refunded = Refunded (+ Refund row),
/// Resolved = Completed, Refunded (seller share 0) or Completed with a Refund row for the buyer's share (split).</item>
/// <item>PlatformFee: the fee the EscrowManager actually collected, computed like the contract (per released tranche,
/// rounded down; on a ruling, on the seller's gross only). A refund collects no fee, so it has no row.</item>
/// <item>An escrow a reorganisation removed: its purchase goes back to Pending (a wallet transaction is attached and may
/// be mined again) or Failed with the reason; its fee and refund rows go; its Escrow row goes unless a dispute or
/// payout already refers to it.</item>
/// </list>
/// Idempotent; the unique indexes make a concurrent second run fail instead of duplicating, and it is retried.
/// </summary>
public sealed class PurchaseReconciler(
    IDbContextFactory<NeuroDataDbContext> contexts,
    TimeProvider clock,
    ILogger<PurchaseReconciler> logger) : IChainReconciler
{
    private const int Attempts = 3;
    private const int Bps = 10_000;

    public int Order => 10;

    public async Task<IReadOnlyCollection<Guid>> ReconcileAsync(ChainId chainId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReconcileOnceAsync(chainId, cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException ex) when (attempt < Attempts)
            {
                // Another run saved the same rows first (unique index); start over from what is stored now.
                logger.LogInformation(ex, "Purchase reconciliation collided with a concurrent run (attempt {Attempt}); retrying", attempt);
            }
        }
    }

    private async Task<IReadOnlyCollection<Guid>> ReconcileOnceAsync(ChainId chainId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var changedUsers = new HashSet<Guid>();
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);

        var mirror = await db.Set<MirrorEscrow>().AsNoTracking().Where(e => e.ChainId == chainId).ToListAsync(ct).ConfigureAwait(false);
        var listingIds = mirror.Select(e => e.ListingId).Distinct().ToList();
        var appListings = await db.Set<DatasetListing>().AsNoTracking()
            .Where(l => listingIds.Contains(l.ChainListingId))
            .ToDictionaryAsync(l => l.ChainListingId, ct).ConfigureAwait(false);
        var mirrorListings = await db.Set<MirrorListing>().AsNoTracking()
            .Where(l => l.ChainId == chainId && listingIds.Contains(l.ListingId))
            .ToDictionaryAsync(l => l.ListingId, ct).ConfigureAwait(false);
        var ours = mirror.Where(e => appListings.ContainsKey(e.ListingId) && mirrorListings.ContainsKey(e.ListingId))
            .OrderBy(e => e.EscrowId).ToList();

        var datasetIds = appListings.Values.Select(l => l.DatasetId).Distinct().ToList();
        var sellers = await db.Datasets.AsNoTracking().Where(d => datasetIds.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, d => d.SellerId, ct).ConfigureAwait(false);
        var buyerAddresses = ours.Select(e => e.Buyer).Distinct().ToList();
        var wallets = await db.WalletLinks.AsNoTracking().Where(w => buyerAddresses.Contains(w.Address))
            .ToDictionaryAsync(w => w.Address, w => w.UserId, ct).ConfigureAwait(false);

        var escrows = await db.Escrows.Where(e => e.ChainId == chainId).ToDictionaryAsync(e => e.OnChainId, ct).ConfigureAwait(false);
        var linkedPurchaseIds = escrows.Values.Where(e => e.PurchaseId is not null).Select(e => e.PurchaseId!.Value).ToList();
        var escrowIds = mirror.Select(e => e.EscrowId).ToList();
        var purchases = await db.Purchases
            .Where(p => linkedPurchaseIds.Contains(p.Id) || (p.OnChainEscrowId != null && escrowIds.Contains(p.OnChainEscrowId.Value)) || p.Status == PurchaseStatus.Pending)
            .ToDictionaryAsync(p => p.Id, ct).ConfigureAwait(false);
        var purchaseIds = purchases.Keys.ToList();
        var fees = await db.PlatformFees.Where(f => purchaseIds.Contains(f.PurchaseId)).ToDictionaryAsync(f => f.PurchaseId, ct).ConfigureAwait(false);
        var refunds = (await db.Refunds.Where(r => purchaseIds.Contains(r.PurchaseId)).ToListAsync(ct).ConfigureAwait(false))
            .ToLookup(r => r.PurchaseId);
        var txIds = purchases.Values.Where(p => p.ChainTransactionId is not null).Select(p => p.ChainTransactionId!.Value).ToList();
        var txHashes = await db.ChainTransactions.AsNoTracking().Where(t => txIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => t.Hash, ct).ConfigureAwait(false);
        var closingTxs = await ClosingTransactionsAsync(db, chainId, ct).ConfigureAwait(false);

        void Touch(Purchase p)
        {
            changedUsers.Add(p.BuyerId);
            changedUsers.Add(p.SellerId);
        }

        // 1. Escrows that are gone from the chain (or are now a different escrow under the same id): unlink and remove.
        var byId = ours.ToDictionary(e => e.EscrowId);
        foreach (var row in escrows.Values.ToList())
        {
            if (byId.TryGetValue(row.OnChainId, out var m) && SameEscrow(row, m))
            {
                continue;
            }

            if (row.PurchaseId is { } pid && purchases.TryGetValue(pid, out var lost))
            {
                lost.LoseEscrow($"Escrow #{row.OnChainId} is no longer on chain (a chain reorganisation removed the purchase).", now);
                RemoveSettlements(db, fees, refunds, pid);
                Touch(lost);
            }

            if (await IsReferencedAsync(db, row.Id, ct).ConfigureAwait(false))
            {
                logger.LogWarning("Escrow #{EscrowId} is no longer on chain but a dispute or payout refers to it; its row is kept", row.OnChainId);
                if (byId.ContainsKey(row.OnChainId))
                {
                    byId.Remove(row.OnChainId);
                    logger.LogError("Escrow #{EscrowId} on chain differs from the stored row that cannot be removed; it is not reconciled", row.OnChainId);
                }

                continue;
            }

            db.Escrows.Remove(row);
            escrows.Remove(row.OnChainId);
        }

        // Purchases whose escrow id points at an escrow the chain does not have (the Escrow row may never have existed).
        foreach (var p in purchases.Values.Where(p => p.OnChainEscrowId is { } id && !byId.ContainsKey(id) && !escrows.ContainsKey(id)).ToList())
        {
            p.LoseEscrow($"Escrow #{p.OnChainEscrowId} is no longer on chain (a chain reorganisation removed the purchase).", now);
            RemoveSettlements(db, fees, refunds, p.Id);
            Touch(p);
        }

        // 2. Every escrow of ours: the Escrow row, its Purchase, fee and refund.
        foreach (var m in byId.Values)
        {
            var listing = appListings[m.ListingId];
            var mirrorListing = mirrorListings[m.ListingId];
            if (!escrows.TryGetValue(m.EscrowId, out var escrow))
            {
                escrow = NewEscrow(chainId, m, mirrorListing);
                db.Escrows.Add(escrow);
                escrows[m.EscrowId] = escrow;
            }

            escrow.FollowChain(Map(m.State), m.TranchesReleased, m.SellerBps, now);

            var purchase = escrow.PurchaseId is { } linked && purchases.TryGetValue(linked, out var lp) ? lp : null;
            purchase ??= purchases.Values.FirstOrDefault(p => p.OnChainEscrowId == m.EscrowId);
            if (purchase is null && wallets.TryGetValue(m.Buyer, out var buyerId) && sellers.TryGetValue(listing.DatasetId, out var sellerId))
            {
                purchase = MatchPending(purchases.Values, m, listing, buyerId, txHashes);
                if (purchase is null && buyerId != sellerId)
                {
                    purchase = Purchase.FromChain(buyerId, sellerId, listing.DatasetId, listing.VersionId, listing.AccessType,
                        m.Amount, m.Amount.MultiplyBasisPoints(m.FeeBps), m.EscrowId, now);
                    db.Purchases.Add(purchase);
                    purchases[purchase.Id] = purchase;
                    Touch(purchase);
                }
            }

            if (purchase is null)
            {
                continue;
            }

            if (escrow.PurchaseId != purchase.Id)
            {
                escrow.LinkPurchase(purchase.Id);
                Touch(purchase);
            }

            if (purchase.FollowChain(m.EscrowId, PurchaseStatusOf(m), now))
            {
                Touch(purchase);
            }

            closingTxs.TryGetValue(m.EscrowId, out var closing);
            if (SyncFee(db, fees, purchase, m, chainId, closing, now) | SyncRefund(db, refunds, purchase, m, chainId, closing, now))
            {
                Touch(purchase);
            }
        }

        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return changedUsers;
    }

    private static bool SameEscrow(Escrow row, MirrorEscrow m) =>
        row.Buyer == m.Buyer && row.Seller == m.Seller && row.Amount == m.Amount && row.Deadline == m.Deadline;

    private static async Task<bool> IsReferencedAsync(NeuroDataDbContext db, Guid escrowId, CancellationToken ct) =>
        await db.Disputes.AnyAsync(d => d.EscrowId == escrowId, ct).ConfigureAwait(false)
        || await db.Payouts.AnyAsync(p => p.EscrowId == escrowId, ct).ConfigureAwait(false);

    private static void RemoveSettlements(NeuroDataDbContext db, Dictionary<Guid, PlatformFee> fees, ILookup<Guid, Refund> refunds, Guid purchaseId)
    {
        if (fees.Remove(purchaseId, out var fee))
        {
            db.PlatformFees.Remove(fee);
        }

        db.Refunds.RemoveRange(refunds[purchaseId].Where(r => db.Entry(r).State != EntityState.Deleted));
    }

    private static Escrow NewEscrow(ChainId chainId, MirrorEscrow m, MirrorListing listing)
    {
        var tranches = Math.Max(1, m.Tranches);
        var each = TokenAmount.FromUnits(m.Amount.Units / tranches);
        var amounts = Enumerable.Repeat(each, tranches - 1).Append(TokenAmount.FromUnits(m.Amount.Units - (each.Units * (tranches - 1)))).ToList();

        // The contract sets deadline = block time + review period, so the funding moment is exact.
        var fundedAt = m.Deadline.AddSeconds(-Math.Max(1, listing.ReviewPeriodSeconds));
        return new Escrow(chainId, m.EscrowId, null, m.Buyer, m.Seller, m.Amount, m.Amount.MultiplyBasisPoints(m.FeeBps), m.Deadline, fundedAt, amounts);
    }

    private static Purchase? MatchPending(IEnumerable<Purchase> purchases, MirrorEscrow m, DatasetListing listing, Guid buyerId, Dictionary<Guid, TxHash> txHashes)
    {
        var candidates = purchases
            .Where(p => p.Status == PurchaseStatus.Pending && p.OnChainEscrowId is null && p.BuyerId == buyerId
                && p.DatasetVersionId == listing.VersionId && p.AccessType == listing.AccessType)
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .ToList();
        return candidates.FirstOrDefault(p => p.ChainTransactionId is { } t && txHashes.TryGetValue(t, out var h) && h == m.OpenedTx)
            ?? candidates.FirstOrDefault(p => p.ChainTransactionId is null || !txHashes.ContainsKey(p.ChainTransactionId.Value) || txHashes[p.ChainTransactionId.Value] == m.OpenedTx)
            ?? candidates.FirstOrDefault();
    }

    private static EscrowState Map(MirrorEscrowState state) => state switch
    {
        MirrorEscrowState.Funded => EscrowState.Funded,
        MirrorEscrowState.Released => EscrowState.Released,
        MirrorEscrowState.Refunded => EscrowState.Refunded,
        MirrorEscrowState.Disputed => EscrowState.Disputed,
        MirrorEscrowState.Resolved => EscrowState.Resolved,
        _ => throw new InvalidOperationException($"Unknown escrow state {state}."),
    };

    private static PurchaseStatus PurchaseStatusOf(MirrorEscrow m) => m.State switch
    {
        MirrorEscrowState.Funded or MirrorEscrowState.Disputed => PurchaseStatus.Confirmed,
        MirrorEscrowState.Released => PurchaseStatus.Completed,
        MirrorEscrowState.Refunded => PurchaseStatus.Refunded,
        MirrorEscrowState.Resolved when (m.SellerBps ?? 0) == 0 => PurchaseStatus.Refunded,
        MirrorEscrowState.Resolved => PurchaseStatus.Completed,
        _ => throw new InvalidOperationException($"Unknown escrow state {m.State}."),
    };

    /// <summary>The fee the EscrowManager collected for this escrow so far, computed exactly like the contract.</summary>
    public static TokenAmount CollectedFee(MirrorEscrow m)
    {
        var tranches = Math.Max(1, m.Tranches);
        var trancheGross = m.Amount.Units / tranches;
        var paidTranches = Math.Clamp(m.TranchesReleased, 0, tranches);
        var fee = paidTranches * (trancheGross * m.FeeBps / Bps);
        var rest = m.Amount.Units - (paidTranches * trancheGross);
        switch (m.State)
        {
            case MirrorEscrowState.Released:
                fee += rest * m.FeeBps / Bps;
                break;
            case MirrorEscrowState.Resolved:
                var sellerGross = rest * (m.SellerBps ?? 0) / Bps;
                fee += sellerGross * m.FeeBps / Bps;
                break;
        }

        return TokenAmount.FromUnits(fee);
    }

    /// <summary>What the buyer got back from the escrow (not counting a dispute bond), or zero.</summary>
    public static TokenAmount RefundedToBuyer(MirrorEscrow m)
    {
        var tranches = Math.Max(1, m.Tranches);
        var rest = m.Amount.Units - (Math.Clamp(m.TranchesReleased, 0, tranches) * (m.Amount.Units / tranches));
        return m.State switch
        {
            MirrorEscrowState.Refunded => TokenAmount.FromUnits(rest),
            MirrorEscrowState.Resolved => m.BuyerAmount ?? TokenAmount.FromUnits(rest - (rest * (m.SellerBps ?? 0) / Bps)),
            _ => TokenAmount.Zero,
        };
    }

    private static bool SyncFee(NeuroDataDbContext db, Dictionary<Guid, PlatformFee> fees, Purchase purchase, MirrorEscrow m, ChainId chainId, TxHash? closing, DateTimeOffset now)
    {
        var amount = CollectedFee(m);
        fees.TryGetValue(purchase.Id, out var row);
        if (amount.IsZero)
        {
            if (row is null)
            {
                return false;
            }

            db.PlatformFees.Remove(row);
            fees.Remove(purchase.Id);
            return true;
        }

        var tx = closing ?? m.OpenedTx;
        if (row is null)
        {
            fees[purchase.Id] = db.PlatformFees.Add(new PlatformFee(purchase.Id, amount, chainId, tx, now)).Entity;
            return true;
        }

        return row.FollowChain(amount, tx, now);
    }

    private static bool SyncRefund(NeuroDataDbContext db, ILookup<Guid, Refund> refunds, Purchase purchase, MirrorEscrow m, ChainId chainId, TxHash? closing, DateTimeOffset now)
    {
        var amount = RefundedToBuyer(m);
        var existing = refunds[purchase.Id].Where(r => db.Entry(r).State != EntityState.Deleted).ToList();
        var changed = false;
        if (amount.IsZero)
        {
            db.Refunds.RemoveRange(existing);
            return existing.Count > 0;
        }

        var reason = m.State == MirrorEscrowState.Refunded
            ? "The seller agreed to refund the buyer."
            : (m.SellerBps ?? 0) == 0
                ? "The dispute was ruled for the buyer: full refund."
                : $"The dispute was ruled a split: the buyer gets {(Bps - (m.SellerBps ?? 0)) / 100m:0.##} % back.";
        var keep = existing.FirstOrDefault();
        if (keep is null)
        {
            db.Refunds.Add(new Refund(purchase.Id, amount, reason, chainId, closing, now));
            changed = true;
        }
        else
        {
            changed |= keep.FollowChain(amount, reason, closing, now);
        }

        if (existing.Count > 1)
        {
            db.Refunds.RemoveRange(existing.Skip(1));
            changed = true;
        }

        return changed;
    }

    /// <summary>The transaction of each escrow's last release, refund or ruling (from the raw logs).</summary>
    private static async Task<Dictionary<long, TxHash>> ClosingTransactionsAsync(NeuroDataDbContext db, ChainId chainId, CancellationToken ct)
    {
        string[] names = ["EscrowReleased", "TrancheReleased", "EscrowRefunded", "DisputeResolved"];
        var logs = await db.Set<ChainLogRecord>().AsNoTracking()
            .Where(l => l.ChainId == chainId && l.EventName != null && names.Contains(l.EventName))
            .Select(l => new { l.BlockNumber, l.LogIndex, l.Topics, l.TxHash })
            .ToListAsync(ct).ConfigureAwait(false);
        var result = new Dictionary<long, TxHash>();
        foreach (var log in logs.OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex))
        {
            var topics = log.Topics.Split(',');
            if (topics.Length > 1 && System.Numerics.BigInteger.TryParse("0" + topics[1].AsSpan(2).ToString(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                result[(long)id] = log.TxHash;
            }
        }

        return result;
    }
}
