using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Queries;

namespace NeuroData.Infrastructure.Datasets.Engagement;

/// <summary>Who is looking at a dataset page: signed in or not, and whether they moderate.</summary>
/// <param name="UserId">The signed-in user; null for a visitor.</param>
/// <param name="IsModeratorOrAdmin">Moderators and admins also see datasets that are not live.</param>
public sealed record DatasetViewer(Guid? UserId, bool IsModeratorOrAdmin)
{
    public static readonly DatasetViewer Anonymous = new(null, false);
}

/// <summary>The seller as the dataset page shows them.</summary>
public sealed record SellerSummary(Guid Id, string DisplayName, int Reputation, int DatasetsSold, DateTimeOffset? MemberSince, IReadOnlyList<DatasetCard> OtherDatasets);

/// <summary>One row of the versions history.</summary>
public sealed record VersionRow(int Number, Cid Cid, long SizeBytes, DatasetFormat Format, long? RowCount, DateTimeOffset CreatedAt, DatasetVersionStatus Status);

/// <summary>What profiling found for the version shown (the latest ready one).</summary>
/// <param name="Preview">Only the rows the seller chose to show, raw (neutralise when rendering).</param>
public sealed record VersionInsight(
    int Number,
    Cid Cid,
    long SizeBytes,
    DatasetFormat Format,
    long? RowCount,
    IReadOnlyList<ColumnSchema> Schema,
    DatasetProfile? Profile,
    IReadOnlyList<IReadOnlyList<string?>> Preview);

/// <summary>A published review.</summary>
public sealed record ReviewRow(Guid Id, Guid BuyerId, string ReviewerName, int Rating, string? Text, DateTimeOffset CreatedAt, DateTimeOffset? EditedAt);

/// <summary>What the viewer may do with reviews and favourites.</summary>
/// <param name="CanReview">The viewer bought the dataset (a purchase that grants access).</param>
/// <param name="OwnReview">The viewer's existing review, to edit.</param>
/// <param name="IsFavorite">The viewer has the dataset among their favourites.</param>
/// <param name="IsSeller">The viewer is the seller.</param>
public sealed record ViewerState(bool CanReview, ReviewRow? OwnReview, bool IsFavorite, bool IsSeller);

/// <summary>Everything the public dataset page shows.</summary>
public sealed record DatasetDetails(
    Guid Id,
    string Title,
    string Slug,
    string DescriptionMarkdown,
    string LicenseSpdxId,
    DatasetStatus Status,
    CategoryOption? Category,
    IReadOnlyList<TagOption> Tags,
    TokenAmount Price,
    DatasetAccessTypes AccessTypes,
    TimeSpan ReviewPeriod,
    DateTimeOffset? PublishedAt,
    int ViewCount,
    int PurchaseCount,
    int FavoriteCount,
    int ReviewCount,
    int RatingSum,
    SellerSummary Seller,
    IReadOnlyList<VersionRow> Versions,
    VersionInsight? Latest,
    IReadOnlyList<ReviewRow> Reviews,
    ViewerState Viewer)
{
    public double? AverageRating => ReviewCount == 0 ? null : (double)RatingSum / ReviewCount;
}
