using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Commerce.Disputes;

/// <summary>One open arbitration case in the queue.</summary>
public sealed record ArbitrationQueueItem(long EscrowId, string? DatasetTitle, TokenAmount Held, TokenAmount Bond, DateTimeOffset OpenedAt, bool HasSellerStatement, int EvidenceCount, Guid? ArbitratorId);

/// <summary>The facts of the dataset in dispute: what was sold, how it profiles, what the preview showed.</summary>
public sealed record DatasetFacts(Guid DatasetId, string Title, int? VersionNumber, string? Format, long? SizeBytes, long? RowCount, Cid? Cid, IReadOnlyList<string> Columns, int PreviewRowCount, string AccessType);

/// <summary>An arbitration case page.</summary>
public sealed record ArbitrationCase(EscrowView Escrow, DisputeView Dispute, DatasetFacts? Dataset, DateTimeOffset? RulingDeadline, int? ProposedSellerBps, string? ProposedReason);

/// <summary>
/// Arbitration (role Arbitrator): the queue of open arbitrator disputes, the case page, and the ruling the arbitrator
/// signs with their own wallet (the contract checks ARBITRATOR_ROLE and that they are not a party). An arbitrator
/// never sees a case they are party to.
/// </summary>
public sealed class ArbitrationService(
    IDbContextFactory<NeuroDataDbContext> contexts,
    IChainGateway gateway,
    IWalletTransactionBuilder transactions,
    EscrowService escrows,
    DisputeChainReader reader)
{
    public async Task<IReadOnlyList<ArbitrationQueueItem>> QueueAsync(EscrowViewer viewer, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (!viewer.IsArbitrator)
        {
            return [];
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await (from d in db.Disputes.AsNoTracking()
                          join e in db.Escrows.AsNoTracking() on d.EscrowId equals e.Id
                          where d.Mode == DisputeMode.Arbitrator && d.Status == DisputeStatus.Open && e.ChainId == gateway.ChainId
                                && d.BuyerId != viewer.UserId && d.SellerId != viewer.UserId
                          select new { d.Id, e.OnChainId, d.Bond, d.OpenedAt, HasSeller = d.SellerStatement != null, Evidence = d.Evidence.Count, d.ArbitratorId })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.OnChainId).ToList();
        var mirror = await db.Set<MirrorEscrow>().AsNoTracking().Where(m => m.ChainId == gateway.ChainId && ids.Contains(m.EscrowId)).ToDictionaryAsync(m => m.EscrowId, ct);
        var titles = await DisputeReconciler.TitlesByListingAsync(db, mirror.Values.Select(m => m.ListingId).Distinct().ToList(), ct);
        var wallets = await db.WalletLinks.AsNoTracking().Where(w => w.UserId == viewer.UserId).Select(w => w.Address).ToListAsync(ct);
        return rows.Where(r => mirror.TryGetValue(r.OnChainId, out var m) && !wallets.Contains(m.Buyer) && !wallets.Contains(m.Seller))
            .Select(r =>
            {
                var m = mirror[r.OnChainId];
                return new ArbitrationQueueItem(r.OnChainId, titles.GetValueOrDefault(m.ListingId), m.Amount - m.Released, r.Bond, r.OpenedAt, r.HasSeller, r.Evidence, r.ArbitratorId);
            })
            .OrderBy(r => r.OpenedAt).ToList();
    }

    /// <summary>The case, or null when there is no arbitrator dispute on this escrow or the viewer is a party (or not an arbitrator).</summary>
    public async Task<ArbitrationCase?> GetCaseAsync(EscrowViewer viewer, long escrowId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (!viewer.IsArbitrator)
        {
            return null;
        }

        var view = await escrows.GetAsync(viewer, escrowId, ct);
        if (view?.Dispute is not { Mode: DisputeMode.Arbitrator } dispute || view.ViewerIsBuyer || view.ViewerIsSeller)
        {
            return null;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Disputes.AsNoTracking().FirstAsync(d => d.Id == dispute.DisputeId, ct);
        if (row.IsParty(viewer.UserId))
        {
            return null;
        }

        var facts = await DatasetFactsAsync(db, view.ListingId, ct);
        DateTimeOffset? rulingDeadline = null;
        try
        {
            rulingDeadline = (await reader.GetDisputeAsync(escrowId, ct)).RulingDeadline;
        }
        catch (Exception ex) when (ex is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException)
        {
            // shown as unknown
        }

        return new ArbitrationCase(view, dispute, facts, rulingDeadline, row.ArbitratorId == viewer.UserId ? row.ProposedSellerBps : null, row.ArbitratorId == viewer.UserId ? row.ProposedReason : null);
    }

    /// <summary>
    /// Records the arbitrator's written reason and intended share, and returns the <c>rule</c> transaction their wallet
    /// signs. The reason becomes the dispute's ruling reason once the chain's ruling (indexed) matches it.
    /// </summary>
    public async Task<UnsignedTransaction> PrepareRulingAsync(EscrowViewer viewer, long escrowId, EthAddress account, int sellerBps, string reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var c = await GetCaseAsync(viewer, escrowId, ct) ?? throw new DomainException($"There is no arbitration case for escrow #{escrowId} that you may rule on.");
        if (c.Dispute.Status != DisputeStatus.Open)
        {
            throw new DomainException("This dispute was already ruled; a ruling is final.");
        }

        if (account == c.Escrow.Buyer || account == c.Escrow.Seller)
        {
            throw new DomainException("The connected wallet is a party to this escrow; an arbitrator can never rule on their own case.");
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var dispute = await db.Disputes.FirstAsync(d => d.Id == c.Dispute.DisputeId, ct);
        dispute.ProposeRuling(viewer.UserId, sellerBps, reason);
        var tx = await transactions.RuleOnDisputeAsync(account, escrowId, sellerBps, ct);
        await db.SaveChangesAsync(ct);
        return tx;
    }

    private static async Task<DatasetFacts?> DatasetFactsAsync(NeuroDataDbContext db, long listingId, CancellationToken ct)
    {
        var listing = await db.Set<DatasetListing>().AsNoTracking().FirstOrDefaultAsync(l => l.ChainListingId == listingId, ct);
        if (listing is null)
        {
            return null;
        }

        var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == listing.DatasetId, ct);
        var version = await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == listing.VersionId, ct);
        return new DatasetFacts(
            dataset.Id, dataset.Title, version?.VersionNumber, version?.Format.ToString(), version?.SizeBytes, version?.RowCount, version?.Cid,
            Columns(version?.SchemaJson), version?.PreviewRowCount ?? 0, listing.AccessType == DatasetAccessTypes.TrainingOnly ? "training only" : "download");
    }

    private static List<string> Columns(string? schemaJson)
    {
        if (string.IsNullOrWhiteSpace(schemaJson))
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(schemaJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            return doc.RootElement.EnumerateArray().Select(c =>
            {
                var name = Prop(c, "name") ?? "?";
                var type = Prop(c, "type");
                return type is null ? name : $"{name} ({type})";
            }).ToList();
        }
        catch (JsonException)
        {
            return [];
        }

        static string? Prop(JsonElement e, string name)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var p in e.EnumerateObject())
            {
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.ToString();
                }
            }

            return null;
        }
    }
}
