using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Queries;

namespace NeuroData.Infrastructure.Datasets.Engagement;

/// <summary>
/// The dataset page and what visitors do there: read it (only live datasets, except for the seller, moderators and
/// admins), count views, review (verified buyers only, one review per buyer, editable) and keep favourites. Every
/// rule is checked here, on the server; the page only shows what is allowed.
/// </summary>
public sealed class DatasetEngagement(IDbContextFactory<NeuroDataDbContext> factory, MarketplaceQueries marketplace, TimeProvider clock)
{
    public const int MaxReviewsShown = 50;
    public const int OtherDatasetsShown = 4;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The page of the dataset with this slug, or null when it does not exist or the viewer may not see it.</summary>
    public async Task<DatasetDetails?> GetAsync(string slug, DatasetViewer viewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        if (string.IsNullOrWhiteSpace(slug) || slug.Length > Slug.MaxLength)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var normalized = slug.Trim().ToLowerInvariant();
        var dataset = await db.Datasets.AsNoTracking().AsSplitQuery()
            .Include(d => d.Versions)
            .Include(d => d.Tags)
            .FirstOrDefaultAsync(d => d.Slug == normalized, cancellationToken);
        if (dataset is null || !MaySee(dataset, viewer))
        {
            return null;
        }

        var category = dataset.CategoryId is { } categoryId
            ? await db.Categories.AsNoTracking().Where(c => c.Id == categoryId)
                .Select(c => new CategoryOption(c.Id, c.Name) { Slug = c.Slug, ParentId = c.ParentId, Description = c.Description })
                .FirstOrDefaultAsync(cancellationToken)
            : null;
        var tagIds = dataset.Tags.Select(t => t.TagId).ToList();
        var tags = await db.Tags.AsNoTracking().Where(t => tagIds.Contains(t.Id)).Select(t => new TagOption(t.Id, t.Name, t.Slug)).ToListAsync(cancellationToken);

        var profile = await db.UserProfiles.AsNoTracking().Where(p => p.Id == dataset.SellerId)
            .Select(p => new { p.DisplayName, p.Reputation, p.DatasetsSold, p.CreatedAt })
            .FirstOrDefaultAsync(cancellationToken);
        var others = await marketplace.SearchAsync(
            new MarketplaceSearch(Sort: MarketplaceSort.MostPurchased, PageSize: OtherDatasetsShown) { SellerId = dataset.SellerId, ExcludeDatasetId = dataset.Id },
            cancellationToken);
        var seller = new SellerSummary(dataset.SellerId, profile?.DisplayName ?? "Unnamed seller", profile?.Reputation ?? 0, profile?.DatasetsSold ?? 0, profile?.CreatedAt, others.Items);

        var reviews = await (
            from r in db.DatasetReviews.AsNoTracking()
            where r.DatasetId == dataset.Id
            orderby r.CreatedAt descending, r.Id
            select new ReviewRow(
                r.Id, r.BuyerId,
                db.UserProfiles.Where(p => p.Id == r.BuyerId).Select(p => p.DisplayName).FirstOrDefault() ?? "Buyer",
                r.Rating, r.Text, r.CreatedAt, r.EditedAt))
            .Take(MaxReviewsShown)
            .ToListAsync(cancellationToken);

        var viewerState = new ViewerState(false, null, false, viewer.UserId == dataset.SellerId);
        if (viewer.UserId is { } userId)
        {
            var own = reviews.FirstOrDefault(r => r.BuyerId == userId)
                ?? await db.DatasetReviews.AsNoTracking().Where(r => r.DatasetId == dataset.Id && r.BuyerId == userId)
                    .Select(r => new ReviewRow(r.Id, r.BuyerId, "You", r.Rating, r.Text, r.CreatedAt, r.EditedAt))
                    .FirstOrDefaultAsync(cancellationToken);
            viewerState = viewerState with
            {
                CanReview = await IsVerifiedBuyerAsync(db, dataset.Id, userId, cancellationToken),
                OwnReview = own,
                IsFavorite = await db.Favorites.AnyAsync(f => f.DatasetId == dataset.Id && f.UserId == userId, cancellationToken),
            };
        }

        var versions = dataset.Versions.OrderByDescending(v => v.VersionNumber)
            .Select(v => new VersionRow(v.VersionNumber, v.Cid, v.SizeBytes, v.Format, v.RowCount, v.CreatedAt, v.Status))
            .ToList();

        return new DatasetDetails(
            dataset.Id, dataset.Title, dataset.Slug, dataset.DescriptionMarkdown, dataset.LicenseSpdxId, dataset.Status,
            category, [.. tags.OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase)], dataset.Price, dataset.AccessTypes,
            dataset.ReviewPeriod, dataset.PublishedAt, dataset.ViewCount, dataset.PurchaseCount, dataset.FavoriteCount,
            dataset.ReviewCount, dataset.RatingSum, seller, versions, Insight(dataset.LatestReadyVersion), reviews, viewerState);
    }

    /// <summary>
    /// Counts a view of a live dataset. A signed-in user counts once per dataset ever (recorded as a preview access);
    /// the seller's own visits do not count. Visitors are counted by the caller once per session.
    /// </summary>
    /// <returns>True when the view was counted.</returns>
    public async Task<bool> RecordViewAsync(Guid datasetId, Guid? userId, string? ipAddress = null, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().Where(d => d.Id == datasetId)
            .Select(d => new { d.Status, d.SellerId }).FirstOrDefaultAsync(cancellationToken);
        if (dataset is null || dataset.Status != DatasetStatus.Live || dataset.SellerId == userId)
        {
            return false;
        }

        if (userId is { } user)
        {
            var seen = await db.DatasetAccesses.AnyAsync(a => a.DatasetId == datasetId && a.UserId == user && a.Kind == DatasetAccessKind.Preview, cancellationToken);
            if (seen)
            {
                return false;
            }

            db.DatasetAccesses.Add(new DatasetAccess(user, datasetId, null, DatasetAccessKind.Preview, clock.GetUtcNow(), ipAddress));
            await db.SaveChangesAsync(cancellationToken);
        }

        // One atomic UPDATE: concurrent views of a popular dataset never overwrite each other's count.
        await db.Datasets.Where(d => d.Id == datasetId).ExecuteUpdateAsync(s => s.SetProperty(d => d.ViewCount, d => d.ViewCount + 1), cancellationToken);
        return true;
    }

    /// <summary>
    /// Writes the buyer's review: the first time a new review, afterwards an edit of the same one (the average follows).
    /// Only a user with a purchase of the dataset that grants access may review.
    /// </summary>
    /// <exception cref="DomainException">Not a verified buyer, unknown dataset, or an invalid rating/text.</exception>
    public async Task<ReviewRow> SubmitReviewAsync(Guid userId, Guid datasetId, int rating, string? text, CancellationToken cancellationToken = default)
    {
        Guard.Id(userId, "The reviewer");
        DatasetReview.ValidateRating(rating);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var dataset = await db.Datasets.FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken)
                ?? throw new DomainException("This dataset does not exist.");
            if (dataset.SellerId == userId)
            {
                throw new DomainException("Sellers cannot review their own dataset.");
            }

            if (!await IsVerifiedBuyerAsync(db, datasetId, userId, cancellationToken))
            {
                throw new DomainException("Only verified buyers can review this dataset: buy it first.");
            }

            var now = clock.GetUtcNow();
            var review = await db.DatasetReviews.FirstOrDefaultAsync(r => r.DatasetId == datasetId && r.BuyerId == userId, cancellationToken);
            if (review is null)
            {
                review = new DatasetReview(datasetId, userId, rating, text, now);
                db.DatasetReviews.Add(review);
                dataset.RecordReview(rating);
            }
            else
            {
                var previous = review.Rating;
                review.Edit(rating, text, now);
                dataset.RecordReview(rating, previous);
            }

            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            var name = await db.UserProfiles.Where(p => p.Id == userId).Select(p => p.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? "Buyer";
            return new ReviewRow(review.Id, userId, name, review.Rating, review.Text, review.CreatedAt, review.EditedAt);
        });
    }

    /// <summary>
    /// Makes the dataset a favourite of the user or not. Idempotent: asking for the state it is already in changes
    /// nothing (no second row, no count drift). Only datasets the user may see can be favourited.
    /// </summary>
    /// <returns>The favourite count of the dataset afterwards.</returns>
    public async Task<int> SetFavoriteAsync(Guid userId, Guid datasetId, bool favorite, CancellationToken cancellationToken = default)
    {
        Guard.Id(userId, "The user");
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            return await strategy.ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
                var dataset = await db.Datasets.FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken)
                    ?? throw new DomainException("This dataset does not exist.");
                var existing = await db.Favorites.FirstOrDefaultAsync(f => f.DatasetId == datasetId && f.UserId == userId, cancellationToken);
                if (favorite && existing is null)
                {
                    if (dataset.Status != DatasetStatus.Live && dataset.SellerId != userId)
                    {
                        throw new DomainException("Only datasets on the marketplace can be added to favourites.");
                    }

                    db.Favorites.Add(new Favorite(userId, datasetId, clock.GetUtcNow()));
                    dataset.RecordFavoriteAdded();
                }
                else if (!favorite && existing is not null)
                {
                    db.Favorites.Remove(existing);
                    dataset.RecordFavoriteRemoved();
                }

                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
                return dataset.FavoriteCount;
            });
        }
        catch (DbUpdateException)
        {
            // A concurrent request of the same user added the same favourite first (unique user + dataset): the
            // state asked for holds already.
            await using var again = await factory.CreateDbContextAsync(cancellationToken);
            return await again.Datasets.Where(d => d.Id == datasetId).Select(d => d.FavoriteCount).FirstAsync(cancellationToken);
        }
    }

    /// <summary>The user's favourite live datasets, newest favourite first.</summary>
    public async Task<IReadOnlyList<Guid>> FavoriteIdsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Favorites.AsNoTracking().Where(f => f.UserId == userId)
            .OrderByDescending(f => f.CreatedAt).Select(f => f.DatasetId).ToListAsync(cancellationToken);
    }

    internal static bool MaySee(Dataset dataset, DatasetViewer viewer) =>
        dataset.Status == DatasetStatus.Live || viewer.IsModeratorOrAdmin || (viewer.UserId is { } id && id == dataset.SellerId);

    private static Task<bool> IsVerifiedBuyerAsync(NeuroDataDbContext db, Guid datasetId, Guid userId, CancellationToken cancellationToken) =>
        // Mirrors Purchase.GrantsAccess (Confirmed or Completed), which is not translatable to SQL.
        db.Purchases.AnyAsync(
            p => p.DatasetId == datasetId && p.BuyerId == userId && (p.Status == PurchaseStatus.Confirmed || p.Status == PurchaseStatus.Completed),
            cancellationToken);

    private static VersionInsight? Insight(DatasetVersion? version)
    {
        if (version is null)
        {
            return null;
        }

        var profile = Parse<DatasetProfile>(version.ProfileJson);
        var schema = Parse<List<ColumnSchema>>(version.SchemaJson) ?? (IReadOnlyList<ColumnSchema>?)profile?.Schema ?? [];
        var preview = version.PreviewRowCount > 0 ? Parse<List<List<string?>>>(version.PreviewJson) ?? [] : [];
        IReadOnlyList<IReadOnlyList<string?>> shown = [.. preview.Take(version.PreviewRowCount)];
        return new VersionInsight(version.VersionNumber, version.Cid, version.SizeBytes, version.Format, version.RowCount, schema, profile, shown);
    }

    private static T? Parse<T>(string? json)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
