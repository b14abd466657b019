using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Commerce.Purchases;

/// <summary>One row of My purchases or My sales.</summary>
/// <param name="Fee">The platform's fee on the price (included in it).</param>
/// <param name="SellerShare">Price minus fee.</param>
/// <param name="Refunded">What came back to the buyer (refund or the buyer's share of a split).</param>
public sealed record PurchaseRow(
    Guid PurchaseId,
    Guid DatasetId,
    string DatasetTitle,
    string DatasetSlug,
    DatasetAccessTypes AccessType,
    int VersionNumber,
    TokenAmount Price,
    TokenAmount Fee,
    TokenAmount SellerShare,
    PurchaseStatus Status,
    EscrowState? EscrowState,
    long? EscrowId,
    DateTimeOffset? Deadline,
    DateTimeOffset CreatedAt,
    string? FailureReason,
    TokenAmount Refunded,
    string Counterparty);

/// <summary>Reads for the My purchases and My sales pages (only the viewer's own rows: the user id is the filter).</summary>
public sealed class PurchaseQueries(IDbContextFactory<NeuroDataDbContext> dbFactory)
{
    public const int MaxRows = 500;

    public Task<IReadOnlyList<PurchaseRow>> ForBuyerAsync(Guid buyerId, CancellationToken cancellationToken = default) =>
        ListAsync(p => p.BuyerId == buyerId, buyer: true, cancellationToken);

    public Task<IReadOnlyList<PurchaseRow>> ForSellerAsync(Guid sellerId, CancellationToken cancellationToken = default) =>
        ListAsync(p => p.SellerId == sellerId && p.Status != PurchaseStatus.Failed, buyer: false, cancellationToken);

    private async Task<IReadOnlyList<PurchaseRow>> ListAsync(System.Linq.Expressions.Expression<Func<Purchase, bool>> filter, bool buyer, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var purchases = await db.Purchases.AsNoTracking().Where(filter)
            .OrderByDescending(p => p.CreatedAt).Take(MaxRows).ToListAsync(ct);
        var ids = purchases.Select(p => p.Id).ToList();
        var datasetIds = purchases.Select(p => p.DatasetId).Distinct().ToList();
        var versionIds = purchases.Select(p => p.DatasetVersionId).Distinct().ToList();
        var people = purchases.Select(p => buyer ? p.SellerId : p.BuyerId).Distinct().ToList();
        var datasets = await db.Datasets.AsNoTracking().Where(d => datasetIds.Contains(d.Id))
            .Select(d => new { d.Id, d.Title, d.Slug }).ToDictionaryAsync(d => d.Id, ct);
        var versions = await db.DatasetVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id))
            .Select(v => new { v.Id, v.VersionNumber }).ToDictionaryAsync(v => v.Id, v => v.VersionNumber, ct);
        var escrows = (await db.Escrows.AsNoTracking().Where(e => e.PurchaseId != null && ids.Contains(e.PurchaseId.Value)).ToListAsync(ct))
            .ToDictionary(e => e.PurchaseId!.Value);
        var refunds = (await db.Refunds.AsNoTracking().Where(r => ids.Contains(r.PurchaseId)).ToListAsync(ct))
            .GroupBy(r => r.PurchaseId).ToDictionary(g => g.Key, g => g.Aggregate(TokenAmount.Zero, (sum, r) => sum + r.Amount));
        var names = await db.UserProfiles.AsNoTracking().Where(u => people.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);

        return purchases.Select(p =>
        {
            var d = datasets.GetValueOrDefault(p.DatasetId);
            var e = escrows.GetValueOrDefault(p.Id);
            var other = buyer ? p.SellerId : p.BuyerId;
            return new PurchaseRow(
                p.Id, p.DatasetId, d?.Title ?? "(removed dataset)", d?.Slug ?? string.Empty, p.AccessType,
                versions.GetValueOrDefault(p.DatasetVersionId), p.Price, p.Fee, p.Price - p.Fee, p.Status,
                e?.State, e?.OnChainId ?? p.OnChainEscrowId, e?.Deadline, p.CreatedAt, p.FailureReason,
                refunds.GetValueOrDefault(p.Id, TokenAmount.Zero), names.GetValueOrDefault(other) ?? "a user");
        }).ToList();
    }
}
