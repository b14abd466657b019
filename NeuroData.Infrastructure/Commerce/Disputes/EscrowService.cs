using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Commerce.Disputes;

/// <summary>
/// The escrow page: the escrow as the chain mirror holds it, its timeline from the raw logs, its dispute, and the
/// unsigned transactions the viewer may sign (confirm, dispute, agree to refund, release after the deadline).
/// Only the buyer, the seller, arbitrators and admins see an escrow; for anyone else it does not exist (null).
/// </summary>
public sealed class EscrowService(
    IDbContextFactory<NeuroDataDbContext> contexts,
    IChainGateway gateway,
    IWalletTransactionBuilder transactions,
    IContentStore content,
    DisputeChainReader reader,
    TimeProvider clock)
{
    /// <summary>Largest evidence file (10 MiB).</summary>
    public const long MaxEvidenceBytes = 10L * 1024 * 1024;

    public async Task<EscrowView?> GetAsync(EscrowViewer viewer, long escrowId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var m = await db.Set<MirrorEscrow>().AsNoTracking().FirstOrDefaultAsync(e => e.ChainId == gateway.ChainId && e.EscrowId == escrowId, ct);
        if (m is null)
        {
            return null;
        }

        var wallets = await db.WalletLinks.AsNoTracking().Where(w => w.UserId == viewer.UserId).Select(w => w.Address).ToListAsync(ct);
        var isBuyer = wallets.Contains(m.Buyer);
        var isSeller = wallets.Contains(m.Seller);
        if (!isBuyer && !isSeller && !viewer.MayOversee)
        {
            return null;
        }

        var dataset = await (from l in db.Set<DatasetListing>().AsNoTracking()
                             join d in db.Datasets.AsNoTracking() on l.DatasetId equals d.Id
                             where l.ChainListingId == m.ListingId
                             select new { d.Id, d.Title }).FirstOrDefaultAsync(ct);
        var logs = await EscrowLogs.ForEscrowAsync(db, gateway.ChainId, escrowId, ct);
        var times = await SafeBlockTimesAsync(logs.Select(l => l.BlockNumber), ct);
        var timeline = logs.Select(l => new EscrowTimelineEntry(l.Event.Name, Describe(l.Event), l.BlockNumber, times.TryGetValue(l.BlockNumber, out var t) ? t : null, l.TxHash)).ToList();
        var tranches = Tranches(m.Amount, m.Tranches, m.TranchesReleased, m.FeeBps, m.State);
        var fee = tranches.Aggregate(TokenAmount.Zero, (sum, x) => sum + x.Fee);
        var dispute = await DisputeViewAsync(db, m, ct);
        var chainNow = await ChainNowAsync(ct);
        return new EscrowView(
            m.ChainId, m.EscrowId, m.ListingId, dataset?.Title, dataset?.Id, m.Buyer, m.Seller, isBuyer, isSeller, viewer.MayOversee,
            m.Amount, m.FeeBps, fee, m.Amount - fee, m.Released, m.Deadline, m.State, tranches, dispute, timeline, chainNow);
    }

    /// <summary>The tranches as the contract pays them: amount / tranches each, the last one the rest; fee per tranche rounded down.</summary>
    public static IReadOnlyList<EscrowTrancheView> Tranches(TokenAmount amount, int count, int released, int feeBps, MirrorEscrowState state)
    {
        count = Math.Max(count, 1);
        var each = amount.Units / count;
        var list = new List<EscrowTrancheView>(count);
        for (var i = 0; i < count; i++)
        {
            var gross = i == count - 1 ? amount.Units - (each * (count - 1)) : each;
            var fee = gross * feeBps / 10_000;
            list.Add(new EscrowTrancheView(i, TokenAmount.FromUnits(gross), TokenAmount.FromUnits(fee), state == MirrorEscrowState.Released || i < released));
        }

        return list;
    }

    public async Task<UnsignedTransaction> BuildConfirmAsync(EscrowViewer viewer, long escrowId, EthAddress account, CancellationToken ct = default)
    {
        var view = await RequireAsync(viewer, escrowId, ct);
        RequireAccount(account, view.Buyer, "buyer");
        if (!view.CanConfirm)
        {
            throw new DomainException($"Escrow #{escrowId} is {Describe(view.State)}; only a funded escrow can be confirmed, by its buyer.");
        }

        return await transactions.ConfirmReceiptAsync(account, escrowId, ct);
    }

    public async Task<UnsignedTransaction> BuildAgreeRefundAsync(EscrowViewer viewer, long escrowId, EthAddress account, CancellationToken ct = default)
    {
        var view = await RequireAsync(viewer, escrowId, ct);
        RequireAccount(account, view.Seller, "seller");
        if (!view.CanAgreeRefund)
        {
            throw new DomainException($"Escrow #{escrowId} is {Describe(view.State)}; the seller can only refund a funded escrow that is not disputed.");
        }

        return await transactions.AgreeRefundAsync(account, escrowId, ct);
    }

    public async Task<UnsignedTransaction> BuildReleaseAsync(EscrowViewer viewer, long escrowId, EthAddress account, CancellationToken ct = default)
    {
        var view = await RequireAsync(viewer, escrowId, ct);
        if (!view.CanRelease)
        {
            throw new DomainException(view.IsFunded
                ? $"The review period of escrow #{escrowId} ends at {view.Deadline:yyyy-MM-dd HH:mm:ss} UTC; it can be released after that."
                : $"Escrow #{escrowId} is {Describe(view.State)}; there is nothing left to release.");
        }

        return await transactions.ReleaseAfterDeadlineAsync(account, escrowId, ct);
    }

    /// <summary>
    /// Records the buyer's statement and evidence (stored content-addressed) and returns what to sign: an approve of
    /// the bond when the allowance is short, then openDispute. Nothing is stored when the input is invalid.
    /// </summary>
    public async Task<DisputePreparation> PrepareDisputeAsync(
        EscrowViewer viewer, long escrowId, EthAddress account, string reason, DisputeMode mode, IReadOnlyList<EvidenceUpload> evidence, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var view = await RequireAsync(viewer, escrowId, ct);
        RequireAccount(account, view.Buyer, "buyer");
        if (!view.CanDispute)
        {
            throw new DomainException(view.IsFunded
                ? $"The review period of escrow #{escrowId} ended at {view.Deadline:yyyy-MM-dd HH:mm} UTC; it can no longer be disputed."
                : $"Escrow #{escrowId} is {Describe(view.State)}; only a funded escrow can be disputed.");
        }

        if (evidence.Count > Dispute.MaxEvidence)
        {
            throw new DomainException($"A dispute holds at most {Dispute.MaxEvidence} pieces of evidence.");
        }

        var claim = new DisputeClaim(gateway.ChainId, escrowId, viewer.UserId, reason, mode, clock.GetUtcNow()); // validates the reason first
        var cids = new List<Cid>();
        foreach (var file in evidence)
        {
            var cid = await StoreEvidenceAsync(file, ct);
            claim.AddEvidence(cid, FileLabel(file.FileName));
            cids.Add(cid);
        }

        var bond = await reader.BondForAsync(view.Held, ct);
        var contracts = await gateway.GetContractsAsync(ct);
        var allowance = await gateway.GetTokenAllowanceAsync(account, contracts.EscrowManager, ct);
        var approve = allowance < bond ? await transactions.ApproveTokenAsync(account, ChainSpender.EscrowManager, bond, ct) : null;
        var open = await transactions.OpenDisputeAsync(account, escrowId, mode, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Add(claim);
        await db.SaveChangesAsync(ct);
        return new DisputePreparation(claim.Id, bond, approve, open, cids);
    }

    /// <summary>The bond a dispute of this escrow would require now.</summary>
    public async Task<TokenAmount> BondAsync(EscrowView view, CancellationToken ct = default) => await reader.BondForAsync(view.Held, ct);

    /// <summary>A party adds an evidence file to an open dispute.</summary>
    public async Task<Cid> AddEvidenceAsync(EscrowViewer viewer, long escrowId, EvidenceUpload file, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var view = await RequireAsync(viewer, escrowId, ct);
        if (!view.CanAddEvidence)
        {
            throw new DomainException("Only the buyer or the seller can add evidence, and only while the dispute is open.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var dispute = await db.Disputes.Include(d => d.Evidence).FirstAsync(d => d.Id == view.Dispute!.DisputeId, ct);
        if (dispute.Evidence.Count >= Dispute.MaxEvidence)
        {
            throw new DomainException($"A dispute holds at most {Dispute.MaxEvidence} pieces of evidence.");
        }

        var cid = await StoreEvidenceAsync(file, ct);
        dispute.AddEvidence(cid, viewer.UserId, FileLabel(file.FileName), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return cid;
    }

    /// <summary>The seller writes their side of an open dispute.</summary>
    public async Task SubmitSellerStatementAsync(EscrowViewer viewer, long escrowId, string statement, CancellationToken ct = default)
    {
        var view = await RequireAsync(viewer, escrowId, ct);
        if (view.Dispute is null)
        {
            throw new DomainException($"Escrow #{escrowId} has no dispute to answer.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var dispute = await db.Disputes.FirstAsync(d => d.Id == view.Dispute.DisputeId, ct);
        dispute.SubmitSellerStatement(viewer.UserId, statement, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Opens an evidence file of this escrow's dispute (or of the buyer's own claim), for a viewer allowed to see the escrow; null otherwise.</summary>
    public async Task<Stream?> OpenEvidenceAsync(EscrowViewer viewer, long escrowId, Cid cid, CancellationToken ct = default)
    {
        var view = await GetAsync(viewer, escrowId, ct);
        if (view is null)
        {
            return null;
        }

        var attached = view.Dispute?.Evidence.Any(e => e.Cid == cid) == true;
        if (!attached && view.ViewerIsBuyer)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            attached = await db.Set<DisputeClaim>().AnyAsync(c => c.ChainId == gateway.ChainId && c.EscrowOnChainId == escrowId && c.BuyerId == viewer.UserId && c.Evidence.Any(e => e.Cid == cid), ct);
        }

        return attached ? await content.OpenReadAsync(cid, ct) : null;
    }

    internal async Task<DateTimeOffset> ChainNowAsync(CancellationToken ct)
    {
        try
        {
            return await reader.LatestBlockTimeAsync(ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcClientTimeoutException)
        {
            return clock.GetUtcNow(); // the node is unreachable: judge by the server clock (the contract still decides)
        }
    }

    private async Task<IReadOnlyDictionary<long, DateTimeOffset>> SafeBlockTimesAsync(IEnumerable<long> blocks, CancellationToken ct)
    {
        try
        {
            return await reader.BlockTimesAsync(blocks, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcClientTimeoutException)
        {
            return new Dictionary<long, DateTimeOffset>();
        }
    }

    internal static async Task<DisputeView?> DisputeViewAsync(NeuroDataDbContext db, MirrorEscrow m, CancellationToken ct)
    {
        var escrowRowId = await db.Escrows.AsNoTracking().Where(e => e.ChainId == m.ChainId && e.OnChainId == m.EscrowId).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);
        if (escrowRowId is null)
        {
            return null;
        }

        var d = await db.Disputes.AsNoTracking().Include(x => x.Evidence).FirstOrDefaultAsync(x => x.EscrowId == escrowRowId, ct);
        if (d is null)
        {
            return null;
        }

        var evidence = d.Evidence.OrderBy(e => e.AddedAt)
            .Select(e => new EvidenceView(e.Cid, e.Description, e.AddedById == d.BuyerId ? "buyer" : e.AddedById == d.SellerId ? "seller" : "other", e.AddedAt)).ToList();
        return new DisputeView(d.Id, d.Mode, d.Status, d.Bond, d.Reason, d.SellerStatement, evidence, d.OpenedAt, d.SellerShareBps, d.RulingReason, d.RuledAt,
            m.SellerAmount, m.BuyerAmount, m.VoteEnd);
    }

    private async Task<EscrowView> RequireAsync(EscrowViewer viewer, long escrowId, CancellationToken ct) =>
        await GetAsync(viewer, escrowId, ct) ?? throw new DomainException($"Escrow #{escrowId} does not exist or is not yours.");

    private static void RequireAccount(EthAddress account, EthAddress expected, string role)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account != expected)
        {
            throw new DomainException($"Select the {role}'s wallet ({expected.ToShortString()}) in your wallet; the connected account {account.ToShortString()} cannot do this.");
        }
    }

    private async Task<Cid> StoreEvidenceAsync(EvidenceUpload file, CancellationToken ct)
    {
        await using var stream = file.Open();
        if (stream.CanSeek && stream.Length > MaxEvidenceBytes)
        {
            throw new DomainException($"“{file.FileName}” is larger than {MaxEvidenceBytes / 1024 / 1024} MiB.");
        }

        if (stream.CanSeek && stream.Length == 0)
        {
            throw new DomainException($"“{file.FileName}” is empty.");
        }

        var cid = await content.AddAsync(stream, ct);
        await content.PinAsync(cid, ct);
        return cid;
    }

    private static string FileLabel(string name)
    {
        var clean = Path.GetFileName(name ?? string.Empty).Trim();
        if (clean.Length == 0)
        {
            return "evidence";
        }

        return clean.Length > DisputeEvidence.DescriptionMaxLength ? clean[..DisputeEvidence.DescriptionMaxLength] : clean;
    }

    public static string Describe(MirrorEscrowState state) => state switch
    {
        MirrorEscrowState.Funded => "funded (held in escrow)",
        MirrorEscrowState.Released => "released to the seller",
        MirrorEscrowState.Refunded => "refunded to the buyer",
        MirrorEscrowState.Disputed => "disputed",
        MirrorEscrowState.Resolved => "resolved",
        _ => state.ToString(),
    };

    /// <summary>A sentence for a timeline entry, with exact amounts.</summary>
    public static string Describe(DecodedEvent e) => e.Name switch
    {
        "EscrowOpened" => $"Paid {e.Amount("amount")} into escrow; review period until {e.Time("deadline"):yyyy-MM-dd HH:mm} UTC, {e.Whole("tranches")} tranche(s).",
        "TrancheReleased" => $"Tranche {e.Whole("trancheIndex") + 1} released: {e.Amount("gross")} (fee {e.Amount("fee")}).",
        "EscrowReleased" => $"Released {e.Amount("gross")} to the seller (fee {e.Amount("fee")}) by {e.Address("by").ToShortString()}.",
        "EscrowRefunded" => $"The seller agreed to refund {e.Amount("amount")} to the buyer.",
        "DisputeOpened" => e.Small("mode") == 0
            ? $"Dispute opened for an arbitrator (bond {e.Amount("bond")}); ruling due by {e.Time("rulingDeadline"):yyyy-MM-dd HH:mm} UTC."
            : $"Dispute opened for a vote of stakers (bond {e.Amount("bond")}); voting until {e.Time("voteEnd"):yyyy-MM-dd HH:mm} UTC, snapshot block {e.Whole("snapshotBlock")}.",
        "VoteCast" => $"{e.Address("voter").ToShortString()} voted for the {(e.Bool("forSeller") ? "seller" : "buyer")} (weight {e.Amount("weight")}).",
        "DisputeResolved" => $"{DisputeReconciler.Outcome(e.Small("sellerBps"))}: seller {e.Amount("sellerAmount")} (fee {e.Amount("fee")}), buyer {e.Amount("buyerAmount")}; bond returned {e.Amount("bondReturned")}, to the arbitrator {e.Amount("bondToArbitrator")}, burned {e.Amount("bondBurned")}.",
        "Credited" => $"{e.Amount("amount")} credited to {e.Address("account").ToShortString()} (withdrawable).",
        _ => e.Name,
    };
}
