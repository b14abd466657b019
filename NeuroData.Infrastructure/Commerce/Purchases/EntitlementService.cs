using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Datasets.Listings;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Commerce.Purchases;

/// <summary>What one user may do with one version of a dataset.</summary>
/// <param name="CanTrain">The user may train on the version (seller, admin, or an indexed purchase of any access type that was not refunded).</param>
/// <param name="CanDownload">The data key may be released (seller, admin, or a download purchase deep enough on chain, deliverable).</param>
/// <param name="Reason">Why not, written for the user (empty when allowed).</param>
/// <param name="PurchaseId">The purchase the access comes from (null for the seller and admins).</param>
/// <param name="ConfirmationsMissing">Blocks still to wait before a download purchase releases the key (0 otherwise).</param>
/// <param name="DeliveryProblem">Set when the buyer paid for a download the platform cannot deliver as listed.</param>
public sealed record Entitlement(bool CanTrain, bool CanDownload, string Reason, Guid? PurchaseId, int ConfirmationsMissing, string? DeliveryProblem)
{
    public static Entitlement Owner { get; } = new(true, true, string.Empty, null, 0, null);
}

/// <summary>A paid download the platform cannot deliver as listed (<see cref="ClaimedAt"/>: the buyer claimed a refund).</summary>
public sealed record DeliveryIssue(Guid PurchaseId, long? EscrowId, string Problem, DateTimeOffset? ClaimedAt);

/// <summary>
/// The one place that decides who may train on or download a dataset version. Training access comes as soon as the
/// purchase is indexed (Confirmed or Completed, not Refunded); the data key for a download only once the escrow is
/// <see cref="CommerceSettings.DownloadConfirmations"/> blocks deep, and only for download purchases of that version
/// whose on-chain content digest matches the version the platform stores. Training-only purchases never download.
/// </summary>
public sealed class EntitlementService(IDbContextFactory<NeuroDataDbContext> dbFactory, CommerceSettings settings, IndexerStatus? indexerStatus = null, TimeProvider? clock = null)
{
    public const string NotDeliveredReason = "not delivered";

    /// <summary>The viewer's paid download purchases of the dataset that the platform cannot deliver as listed.</summary>
    public async Task<IReadOnlyList<DeliveryIssue>> DeliveryIssuesAsync(Guid buyerId, Guid datasetId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var purchases = await db.Purchases.AsNoTracking()
            .Where(p => p.BuyerId == buyerId && p.DatasetId == datasetId && p.AccessType == DatasetAccessTypes.Download && p.Status == PurchaseStatus.Confirmed)
            .ToListAsync(cancellationToken);
        var issues = new List<DeliveryIssue>();
        foreach (var purchase in purchases)
        {
            var check = await CheckDownloadAsync(db, purchase, purchase.DatasetVersionId, cancellationToken);
            if (check.Problem is not null)
            {
                issues.Add(new DeliveryIssue(purchase.Id, purchase.OnChainEscrowId, check.Problem, purchase.DeliveryClaimedAt));
            }
        }

        return issues;
    }

    /// <summary>
    /// The buyer's one-click refund claim ("not delivered"): re-checks on the server that the platform really cannot
    /// deliver, then records it on the purchase (the dispute itself is opened on chain from the escrow page).
    /// </summary>
    public async Task<DeliveryIssue> ClaimNotDeliveredAsync(Guid buyerId, Guid purchaseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var purchase = await db.Purchases.FirstOrDefaultAsync(p => p.Id == purchaseId && p.BuyerId == buyerId, cancellationToken)
            ?? throw new Domain.Common.DomainException("No such purchase.");
        var check = purchase.AccessType == DatasetAccessTypes.Download
            ? await CheckDownloadAsync(db, purchase, purchase.DatasetVersionId, cancellationToken)
            : (0, null);
        if (check.Problem is null)
        {
            throw new Domain.Common.DomainException("The platform can deliver this purchase: download it from the dataset page.");
        }

        purchase.ClaimNotDelivered(check.Problem, (clock ?? TimeProvider.System).GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return new DeliveryIssue(purchase.Id, purchase.OnChainEscrowId, check.Problem, purchase.DeliveryClaimedAt);
    }

    /// <summary>
    /// The delivery problem of the buyer's download purchase behind an escrow (for the escrow page's "claim a refund"),
    /// or null when the viewer is not that buyer, the purchase is not a paid download, or the platform can deliver it.
    /// </summary>
    public async Task<DeliveryIssue?> DeliveryIssueForEscrowAsync(Guid buyerId, long escrowId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var purchase = await db.Purchases.AsNoTracking()
            .Where(p => p.BuyerId == buyerId && p.OnChainEscrowId == escrowId && p.AccessType == DatasetAccessTypes.Download && p.Status == PurchaseStatus.Confirmed)
            .FirstOrDefaultAsync(cancellationToken);
        if (purchase is null)
        {
            return null;
        }

        var check = await CheckDownloadAsync(db, purchase, purchase.DatasetVersionId, cancellationToken);
        return check.Problem is null ? null : new DeliveryIssue(purchase.Id, purchase.OnChainEscrowId, check.Problem, purchase.DeliveryClaimedAt);
    }

    /// <summary>The dispute reason a "not delivered" refund claim opens with: the platform's own finding.</summary>
    public static string DisputeReasonFor(DeliveryIssue issue) =>
        $"Not delivered: {issue.Problem} I claim a refund of the price.";

    public async Task<Entitlement> GetAsync(Guid userId, bool isAdmin, Guid datasetId, Guid versionId, CancellationToken cancellationToken = default)
    {
        if (userId == Guid.Empty)
        {
            return new(false, false, "Sign in first.", null, 0, null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sellerId = await db.Datasets.AsNoTracking().Where(d => d.Id == datasetId).Select(d => (Guid?)d.SellerId).FirstOrDefaultAsync(cancellationToken);
        if (sellerId is null)
        {
            return new(false, false, "No such dataset.", null, 0, null);
        }

        if (isAdmin || sellerId == userId)
        {
            return Entitlement.Owner;
        }

        var purchases = await db.Purchases.AsNoTracking()
            .Where(p => p.BuyerId == userId && p.DatasetId == datasetId && p.DatasetVersionId == versionId
                && (p.Status == PurchaseStatus.Confirmed || p.Status == PurchaseStatus.Completed))
            .ToListAsync(cancellationToken);
        if (purchases.Count == 0)
        {
            return new(false, false, "You have not bought this version, or your purchase was refunded.", null, 0, null);
        }

        var downloadPurchases = purchases.Where(p => p.AccessType == DatasetAccessTypes.Download).OrderBy(p => p.ConfirmedAt).ToList();
        var training = purchases.OrderBy(p => p.ConfirmedAt).First();
        if (downloadPurchases.Count == 0)
        {
            return new(true, false, "You bought training-only access: the files stay on the platform and cannot be downloaded.", training.Id, 0, null);
        }

        string? lastReason = null;
        var missing = 0;
        string? problem = null;
        foreach (var purchase in downloadPurchases)
        {
            var check = await CheckDownloadAsync(db, purchase, versionId, cancellationToken);
            if (check.Problem is not null)
            {
                problem = check.Problem;
                lastReason = check.Problem;
                continue;
            }

            if (check.Missing > 0)
            {
                missing = missing == 0 ? check.Missing : Math.Min(missing, check.Missing);
                lastReason = $"Your purchase needs {check.Missing} more block confirmation{(check.Missing == 1 ? string.Empty : "s")} on chain before the download opens.";
                continue;
            }

            return new(true, true, string.Empty, purchase.Id, 0, null);
        }

        return new(true, false, lastReason ?? "Download not available yet.", downloadPurchases[0].Id, missing, problem);
    }

    /// <summary>Training access to a version (used by training: any indexed, not refunded purchase, the seller, admins).</summary>
    public async Task<bool> CanTrainAsync(Guid userId, bool isAdmin, Guid datasetId, Guid versionId, CancellationToken cancellationToken = default) =>
        (await GetAsync(userId, isAdmin, datasetId, versionId, cancellationToken)).CanTrain;

    /// <summary>The versions of the dataset the user bought with an access-granting purchase (newest version first).</summary>
    public async Task<IReadOnlyList<Guid>> PurchasedVersionsAsync(Guid userId, Guid datasetId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Purchases.AsNoTracking()
            .Where(p => p.BuyerId == userId && p.DatasetId == datasetId && (p.Status == PurchaseStatus.Confirmed || p.Status == PurchaseStatus.Completed))
            .Join(db.DatasetVersions, p => p.DatasetVersionId, v => v.Id, (p, v) => new { v.Id, v.VersionNumber })
            .OrderByDescending(v => v.VersionNumber)
            .Select(v => v.Id)
            .Distinct()
            .ToListAsync(cancellationToken);
    }

    private async Task<(int Missing, string? Problem)> CheckDownloadAsync(NeuroDataDbContext db, Purchase purchase, Guid versionId, CancellationToken ct)
    {
        var version = await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, ct);
        if (version?.StorageCid is null)
        {
            return (0, "The platform does not hold the files of the version you bought.");
        }

        MirrorEscrow? escrow = null;
        if (purchase.OnChainEscrowId is { } escrowId)
        {
            escrow = await db.Set<MirrorEscrow>().AsNoTracking()
                .Where(e => e.EscrowId == escrowId)
                .OrderByDescending(e => e.OpenedBlock)
                .FirstOrDefaultAsync(ct);
        }

        if (escrow is not null)
        {
            var listing = await db.Set<MirrorListing>().AsNoTracking()
                .FirstOrDefaultAsync(l => l.ChainId == escrow.ChainId && l.ListingId == escrow.ListingId, ct);
            if (listing is not null && version.Cid.Version == 0
                && !string.Equals(listing.ContentDigest, ContentDigest.ToHex(ContentDigest.FromCid(version.Cid)), StringComparison.OrdinalIgnoreCase))
            {
                return (0, $"The files the platform holds (CID {version.Cid}) are not the ones the seller listed on chain.");
            }
        }

        if (settings.DownloadConfirmations <= 0)
        {
            return (0, null);
        }

        if (escrow is null)
        {
            return (settings.DownloadConfirmations, null);
        }

        var head = indexerStatus?.Snapshot.ChainHead
            ?? await db.Set<IndexerCursor>().AsNoTracking().Where(c => c.ChainId == escrow.ChainId).Select(c => (long?)c.LastBlock).FirstOrDefaultAsync(ct)
            ?? escrow.OpenedBlock;
        var confirmations = head - escrow.OpenedBlock + 1;
        return ((int)Math.Max(0, settings.DownloadConfirmations - confirmations), null);
    }
}
