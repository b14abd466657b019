using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Notifications;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Commerce.Disputes;

/// <summary>
/// Order 20 (after the purchase reconciler has made the Escrow rows): Dispute rows follow the mirror — a dispute the
/// chain opened gets its row (with the buyer's statement and evidence from their <see cref="DisputeClaim"/>), a dispute
/// the chain resolved gets its outcome (the arbitrator's written reason when the ruling matches what they proposed).
/// Both parties are notified of every step (opened, each vote, the outcome), arbitrators of every new case, the seller
/// of a sale, both of a release or refund; <see cref="INotifier"/> keys make every notification happen once.
/// A reorganisation that removes the block that opened a dispute withdraws the dispute row.
/// Idempotent: a second pass changes nothing.
/// </summary>
public sealed class DisputeReconciler(
    IDbContextFactory<NeuroDataDbContext> contexts,
    INotifier notifier,
    TimeProvider clock,
    ILogger<DisputeReconciler> logger) : IChainReconciler
{
    public int Order => 20;

    public async Task<IReadOnlyCollection<Guid>> ReconcileAsync(ChainId chainId, CancellationToken cancellationToken)
    {
        var changed = new HashSet<Guid>();
        var outbox = new List<NotificationRequest>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var mirror = await db.Set<MirrorEscrow>().AsNoTracking().Where(m => m.ChainId == chainId).ToListAsync(cancellationToken);
        await WithdrawReorganisedDisputesAsync(db, chainId, mirror, changed, cancellationToken);
        if (mirror.Count == 0)
        {
            return changed;
        }

        var addresses = mirror.SelectMany(m => new[] { m.Buyer, m.Seller }).Distinct().ToList();
        var users = await UsersByAddressAsync(db, addresses, cancellationToken);
        var titles = await TitlesByListingAsync(db, mirror.Select(m => m.ListingId).Distinct().ToList(), cancellationToken);

        // Sales, releases and agreed refunds: the escrow's own steps.
        foreach (var m in mirror)
        {
            var buyer = users.GetValueOrDefault(m.Buyer);
            var seller = users.GetValueOrDefault(m.Seller);
            var what = titles.GetValueOrDefault(m.ListingId, $"listing #{m.ListingId}");
            var link = $"/escrows/{m.EscrowId}";
            var subject = $"{chainId.Value}:{m.EscrowId}";
            if (seller is { } s)
            {
                outbox.Add(new(s, NotificationKind.EscrowFunded, $"sale:{subject}", $"New sale: {what}",
                    $"Escrow #{m.EscrowId} holds {m.Amount} for you until the buyer confirms or the review period ends ({m.Deadline:yyyy-MM-dd HH:mm} UTC).", link));
            }

            if (m.State == MirrorEscrowState.Released)
            {
                Both(outbox, buyer, seller, NotificationKind.EscrowReleased, $"released:{subject}", $"Escrow #{m.EscrowId} released",
                    $"The payment for {what} was released to the seller (minus the platform fee of {m.FeeBps / 100m:0.##}%).", link);
            }
            else if (m.State == MirrorEscrowState.Refunded)
            {
                Both(outbox, buyer, seller, NotificationKind.EscrowRefunded, $"refunded:{subject}", $"Escrow #{m.EscrowId} refunded",
                    $"The seller agreed to refund {what}; the buyer can withdraw {m.Amount - m.Released} on the payouts page.", link);
            }
        }

        // Disputes.
        var disputed = mirror.Where(m => m.DisputeMode is not null).ToList();
        if (disputed.Count > 0)
        {
            await ReconcileDisputesAsync(db, chainId, disputed, users, titles, outbox, changed, cancellationToken);
        }

        // Most of the outbox was sent on earlier passes: skip those with one query instead of one per notification.
        var keys = outbox.Select(r => r.Key).Distinct().ToList();
        var sent = new HashSet<(Guid, string)>();
        foreach (var chunk in keys.Chunk(500))
        {
            var rows = await db.Set<Notification>().AsNoTracking().Where(n => chunk.Contains(n.Key)).Select(n => new { n.UserId, n.Key }).ToListAsync(cancellationToken);
            sent.UnionWith(rows.Select(r => (r.UserId, r.Key)));
        }

        foreach (var request in outbox.Where(r => !sent.Contains((r.UserId, r.Key))))
        {
            if (await notifier.NotifyAsync(request, cancellationToken))
            {
                changed.Add(request.UserId);
            }
        }

        return changed;
    }

    /// <summary>
    /// A reorganisation that removed the block with DisputeOpened (the mirror, replayed from the remaining logs, shows the
    /// escrow undisputed, or no longer has the escrow, or has a different escrow under that id): the Dispute row and its
    /// evidence rows are withdrawn, so nobody rules or votes on a dispute the chain does not have. The buyer's
    /// <see cref="DisputeClaim"/> (statement and evidence) is kept: if the transaction is mined again, the dispute row
    /// comes back with it. An escrow row the chain no longer has is then removed by the purchase reconciler's next pass.
    /// </summary>
    private async Task WithdrawReorganisedDisputesAsync(NeuroDataDbContext db, ChainId chainId, List<MirrorEscrow> mirror, HashSet<Guid> changed, CancellationToken ct)
    {
        var rows = await (from d in db.Disputes
                          join e in db.Escrows on d.EscrowId equals e.Id
                          where e.ChainId == chainId
                          select new { DisputeId = d.Id, e.OnChainId, e.Buyer, e.Seller, e.Amount, e.Deadline }).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return;
        }

        var byId = mirror.ToDictionary(m => m.EscrowId);
        var stale = rows.Where(r => !byId.TryGetValue(r.OnChainId, out var m)
                || m.DisputeMode is null
                || m.Buyer != r.Buyer || m.Seller != r.Seller || m.Amount != r.Amount || m.Deadline != r.Deadline)
            .Select(r => r.DisputeId).ToList();
        if (stale.Count == 0)
        {
            return;
        }

        var disputes = await db.Disputes.Include(d => d.Evidence).Where(d => stale.Contains(d.Id)).ToListAsync(ct);
        foreach (var dispute in disputes)
        {
            var escrowId = rows.First(r => r.DisputeId == dispute.Id).OnChainId;
            logger.LogWarning("Dispute on escrow {EscrowId} withdrawn: a chain reorganisation removed the block that opened it", escrowId);
            db.Disputes.Remove(dispute);
            changed.Add(dispute.BuyerId);
            changed.Add(dispute.SellerId);
        }

        await db.SaveChangesAsync(ct);
    }

    private async Task ReconcileDisputesAsync(
        NeuroDataDbContext db,
        ChainId chainId,
        List<MirrorEscrow> disputed,
        Dictionary<EthAddress, Guid> users,
        Dictionary<long, string> titles,
        List<NotificationRequest> outbox,
        HashSet<Guid> changed,
        CancellationToken ct)
    {
        var ids = disputed.Select(m => m.EscrowId).ToList();
        var escrows = await db.Escrows.Where(e => e.ChainId == chainId && ids.Contains(e.OnChainId)).ToDictionaryAsync(e => e.OnChainId, ct);
        var escrowIds = escrows.Values.Select(e => e.Id).ToList();
        var disputes = await db.Disputes.Include(d => d.Evidence).Where(d => escrowIds.Contains(d.EscrowId)).ToDictionaryAsync(d => d.EscrowId, ct);
        var logs = await EscrowLogs.OfEventsAsync(db, chainId, ["DisputeOpened", "DisputeResolved"], ct);
        var resolvedLogs = logs.Where(l => l.Event.Name == "DisputeResolved").ToDictionary(l => l.EscrowId);
        var votes = await db.Set<MirrorVote>().AsNoTracking().Where(v => v.ChainId == chainId && ids.Contains(v.EscrowId)).ToListAsync(ct);
        var arbitrators = await ArbitratorsAsync(db, ct);
        var now = clock.GetUtcNow();

        foreach (var m in disputed)
        {
            if (!escrows.TryGetValue(m.EscrowId, out var escrow))
            {
                continue; // the purchase reconciler has not made the escrow row (no dataset listing known): nothing to attach to
            }

            if (!users.TryGetValue(m.Buyer, out var buyerId) || !users.TryGetValue(m.Seller, out var sellerId) || buyerId == sellerId)
            {
                logger.LogInformation("Dispute on escrow {EscrowId}: buyer or seller has no account here; no dispute row", m.EscrowId);
                continue;
            }

            var what = titles.GetValueOrDefault(m.ListingId, $"listing #{m.ListingId}");
            var link = $"/escrows/{m.EscrowId}";
            var subject = $"{chainId.Value}:{m.EscrowId}";
            var mode = m.DisputeMode == 1 ? DisputeMode.CommunityVote : DisputeMode.Arbitrator;
            if (!disputes.TryGetValue(escrow.Id, out var dispute))
            {
                var claim = await db.Set<DisputeClaim>().Include(c => c.Evidence).AsNoTracking()
                    .Where(c => c.ChainId == chainId && c.EscrowOnChainId == m.EscrowId && c.BuyerId == buyerId)
                    .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
                dispute = Dispute.FromChain(
                    escrow,
                    buyerId,
                    sellerId,
                    claim?.Reason ?? "The dispute was opened from a wallet outside NeuroData; the buyer wrote no statement here.",
                    m.DisputeBond ?? TokenAmount.Zero,
                    mode,
                    now);
                foreach (var e in claim?.Evidence ?? [])
                {
                    dispute.AddEvidence(e.Cid, buyerId, e.Description, now);
                }

                db.Disputes.Add(dispute);
                disputes[escrow.Id] = dispute;
                changed.Add(buyerId);
                changed.Add(sellerId);
            }

            var how = mode == DisputeMode.Arbitrator ? "an arbitrator will rule" : "stakers vote on it";
            Both(outbox, buyerId, sellerId, NotificationKind.DisputeOpened, $"dispute-opened:{subject}", $"Dispute opened on escrow #{m.EscrowId}",
                $"The buyer disputed {what} (bond {m.DisputeBond}); {how}. Both sides can add statements and evidence on the escrow page.", link);
            if (mode == DisputeMode.Arbitrator)
            {
                foreach (var arbitrator in arbitrators.Where(a => a != buyerId && a != sellerId))
                {
                    outbox.Add(new(arbitrator, NotificationKind.DisputeNewCase, $"dispute-case:{subject}", $"New arbitration case: escrow #{m.EscrowId}",
                        $"A buyer disputed {what} ({m.Amount} held). Review both sides and rule.", $"/arbitration/{m.EscrowId}"));
                }
            }

            foreach (var v in votes.Where(v => v.EscrowId == m.EscrowId))
            {
                Both(outbox, buyerId, sellerId, NotificationKind.DisputeVote, $"dispute-vote:{subject}:{v.Voter.Value.ToLowerInvariant()}", $"A staker voted on escrow #{m.EscrowId}",
                    $"{v.Voter.ToShortString()} voted for the {(v.ForSeller ? "seller" : "buyer")} with a weight of {v.Weight}.", link);
            }

            if (m.State == MirrorEscrowState.Resolved && m.SellerBps is { } bps)
            {
                resolvedLogs.TryGetValue(m.EscrowId, out var resolvedLog);
                var arbitratorAddress = resolvedLog?.Event.Address("arbitrator");
                Guid? arbitratorId = arbitratorAddress is { IsZero: false } a && users.TryGetValue(a, out var aid) ? aid : null;
                if (arbitratorAddress is { IsZero: false } && arbitratorId is null)
                {
                    arbitratorId = await UserOfAddressAsync(db, arbitratorAddress, ct);
                }

                var summary = Summary(resolvedLog, bps);
                if (dispute.RecordChainOutcome(bps, arbitratorId, summary, now))
                {
                    changed.Add(buyerId);
                    changed.Add(sellerId);
                }

                Both(outbox, buyerId, sellerId, NotificationKind.DisputeRuled, $"dispute-ruled:{subject}", $"Dispute on escrow #{m.EscrowId} decided",
                    $"{Outcome(bps)}: the seller receives {m.SellerAmount}, the buyer {m.BuyerAmount}. {dispute.RulingReason}", link);
            }
        }

        await db.SaveChangesAsync(ct);
    }

    internal static string Outcome(int sellerBps) => sellerBps switch
    {
        10_000 => "Released to the seller",
        0 => "Refunded to the buyer",
        _ => $"Split {sellerBps / 100m:0.##}% to the seller, {(10_000 - sellerBps) / 100m:0.##}% to the buyer",
    };

    private static string Summary(EscrowLogEntry? resolved, int sellerBps)
    {
        var resolution = resolved?.Event.Small("resolution");
        var bond = resolved is null
            ? string.Empty
            : $" Bond: {resolved.Event.Amount("bondReturned")} returned to the buyer, {resolved.Event.Amount("bondToArbitrator")} to the arbitrator, {resolved.Event.Amount("bondBurned")} burned.";
        return resolution switch
        {
            0 => $"Ruled by an arbitrator: {Outcome(sellerBps)}.{bond}",
            1 => $"No ruling before the ruling deadline: the default 50/50 split applies.{bond}",
            2 => $"Decided by a vote of stakers: {Outcome(sellerBps)}.{bond}",
            3 => $"The vote reached no quorum or tied: the default 50/50 split applies.{bond}",
            _ => $"{Outcome(sellerBps)}.",
        };
    }

    private static void Both(List<NotificationRequest> outbox, Guid? buyer, Guid? seller, NotificationKind kind, string key, string title, string body, string link)
    {
        if (buyer is { } b)
        {
            outbox.Add(new(b, kind, key, title, body, link));
        }

        if (seller is { } s && s != buyer)
        {
            outbox.Add(new(s, kind, key, title, body, link));
        }
    }

    internal static async Task<Dictionary<EthAddress, Guid>> UsersByAddressAsync(NeuroDataDbContext db, IReadOnlyCollection<EthAddress> addresses, CancellationToken ct)
    {
        var links = await db.WalletLinks.AsNoTracking().Where(w => addresses.Contains(w.Address)).Select(w => new { w.Address, w.UserId }).ToListAsync(ct);
        return links.GroupBy(l => l.Address).ToDictionary(g => g.Key, g => g.First().UserId);
    }

    private static async Task<Guid?> UserOfAddressAsync(NeuroDataDbContext db, EthAddress address, CancellationToken ct) =>
        await db.WalletLinks.AsNoTracking().Where(w => w.Address == address).Select(w => (Guid?)w.UserId).FirstOrDefaultAsync(ct);

    internal static async Task<Dictionary<long, string>> TitlesByListingAsync(NeuroDataDbContext db, IReadOnlyCollection<long> listingIds, CancellationToken ct)
    {
        var rows = await (from l in db.Set<Domain.Datasets.DatasetListing>().AsNoTracking()
                          join d in db.Datasets.AsNoTracking() on l.DatasetId equals d.Id
                          where listingIds.Contains(l.ChainListingId)
                          select new { l.ChainListingId, d.Title }).ToListAsync(ct);
        return rows.GroupBy(r => r.ChainListingId).ToDictionary(g => g.Key, g => $"“{g.First().Title}”");
    }

    internal static async Task<List<Guid>> ArbitratorsAsync(NeuroDataDbContext db, CancellationToken ct) =>
        await (from ur in db.UserRoles
               join r in db.Roles on ur.RoleId equals r.Id
               where r.Name == RoleNames.Arbitrator
               select ur.UserId).Distinct().ToListAsync(ct);
}
