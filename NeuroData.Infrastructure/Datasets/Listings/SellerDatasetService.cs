using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Datasets.Listings;

/// <summary>One of the seller's datasets on "My datasets".</summary>
public sealed record SellerDatasetItem(
    Guid Id,
    string Title,
    string Slug,
    DatasetStatus Status,
    string? ModerationReason,
    TokenAmount Price,
    DatasetAccessTypes AccessTypes,
    int? LatestVersion,
    int VersionCount,
    bool HasProcessingVersion,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<DatasetListingView> Listings,
    IReadOnlyList<DatasetAccessTypes> MissingListings);

/// <summary>The seller's own view and actions on their datasets (delist, change price); every query is scoped to the seller.</summary>
public sealed class SellerDatasetService(IDbContextFactory<NeuroDataDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<SellerDatasetItem>> GetMineAsync(Guid sellerId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var datasets = await db.Datasets.AsNoTracking().Include(d => d.Versions)
            .Where(d => d.SellerId == sellerId)
            .ToListAsync(cancellationToken);
        var listings = await DatasetListingService.ListingsAsync(db, datasets.Select(d => d.Id).ToList(), cancellationToken);
        return datasets
            .OrderByDescending(d => d.UpdatedAt)
            .Select(d =>
            {
                var own = listings.Where(l => d.Versions.Any(v => v.Id == l.VersionId)).ToList();
                var latest = d.LatestReadyVersion;
                var missing = latest is null || d.Status is not (DatasetStatus.PendingReview or DatasetStatus.Live)
                    ? []
                    : DatasetListingService.OfferedTypes(d.AccessTypes)
                        .Where(t => !own.Any(l => l.VersionId == latest.Id && l.AccessType == t && l.Status is DatasetListingStatus.Pending or DatasetListingStatus.Approved))
                        .ToList();
                return new SellerDatasetItem(
                    d.Id, d.Title, d.Slug, d.Status, d.ModerationReason, d.Price, d.AccessTypes, latest?.VersionNumber, d.Versions.Count,
                    d.Versions.Any(v => v.Status == DatasetVersionStatus.Processing), d.UpdatedAt, own, missing);
            })
            .ToList();
    }

    /// <summary>The seller takes their live dataset off the marketplace (the chain listings are delisted from their wallet).</summary>
    public async Task DelistAsync(Guid sellerId, Guid datasetId, string reason, CancellationToken cancellationToken = default)
    {
        var why = Guard.Text(reason, "A delisting reason", Dataset.ReasonMaxLength);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await OwnAsync(db, sellerId, datasetId, cancellationToken);
        if (dataset.Status == DatasetStatus.Delisted)
        {
            return;
        }

        var now = clock.GetUtcNow();
        dataset.Delist(sellerId, why, now);
        db.Add(new ModerationLogEntry(dataset.Id, sellerId, ModerationAction.Delisted, why, "by the seller", now));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Changes the dataset's price (open chain listings change with the seller's updatePrice transactions).</summary>
    public async Task ChangePriceAsync(Guid sellerId, Guid datasetId, TokenAmount price, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await OwnAsync(db, sellerId, datasetId, cancellationToken);
        if (price.IsZero)
        {
            throw new DomainException("Set a price above zero.");
        }

        if (dataset.Price == price)
        {
            return;
        }

        dataset.ChangePrice(price);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<Dataset> OwnAsync(NeuroDataDbContext db, Guid sellerId, Guid datasetId, CancellationToken cancellationToken)
    {
        var dataset = await db.Datasets.Include(d => d.Versions).FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken);
        return dataset is not null && dataset.SellerId == sellerId ? dataset : throw new DomainException("Dataset not found among your datasets.");
    }
}
