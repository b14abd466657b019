using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Queries;

public enum MarketplaceSort
{
    Newest,
    PriceLowToHigh,
    PriceHighToLow,
    MostPurchased,
    TopRated,
}

/// <summary>What a visitor asks the marketplace for.</summary>
/// <param name="Text">Words to find in the title or description (case-insensitive); blank = everything.</param>
/// <param name="CategoryId">Only this category; null = all.</param>
/// <param name="Sort">Order of the results.</param>
/// <param name="Page">1-based page; values below 1 mean 1.</param>
/// <param name="PageSize">Rows per page, 1 to <see cref="MarketplaceQueries.MaxPageSize"/>.</param>
public sealed record MarketplaceSearch(string? Text = null, Guid? CategoryId = null, MarketplaceSort Sort = MarketplaceSort.Newest, int Page = 1, int PageSize = 12);

/// <summary>A dataset as a marketplace card shows it.</summary>
public sealed record DatasetCard(
    Guid Id,
    string Title,
    string Slug,
    string Summary,
    string? CategoryName,
    string SellerName,
    TokenAmount Price,
    DatasetAccessTypes AccessTypes,
    DateTimeOffset? PublishedAt,
    int PurchaseCount,
    int ReviewCount,
    int RatingSum)
{
    /// <summary>Average of the reviews (1–5), null without reviews.</summary>
    public double? AverageRating => ReviewCount == 0 ? null : (double)RatingSum / ReviewCount;
}

public sealed record CategoryOption(Guid Id, string Name);

/// <summary>Reads the public marketplace: only datasets a moderator approved (live).</summary>
public sealed class MarketplaceQueries(IDbContextFactory<NeuroDataDbContext> factory)
{
    public const int MaxPageSize = 48;
    public const int MaxSearchLength = 100;
    public const int SummaryLength = 180;

    /// <summary>Categories for the filter, by name.</summary>
    public async Task<IReadOnlyList<CategoryOption>> CategoriesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var list = await db.Categories.AsNoTracking().Select(c => new CategoryOption(c.Id, c.Name)).ToListAsync(cancellationToken);
        return [.. list.OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>One page of live datasets matching the search.</summary>
    public async Task<PagedResult<DatasetCard>> SearchAsync(MarketplaceSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var page = Math.Max(1, search.Page);
        var pageSize = Math.Clamp(search.PageSize, 1, MaxPageSize);

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Datasets.AsNoTracking().Where(d => d.Status == DatasetStatus.Live);

        var text = search.Text?.Trim();
        if (!string.IsNullOrEmpty(text))
        {
            if (text.Length > MaxSearchLength)
            {
                text = text[..MaxSearchLength];
            }

            var pattern = "%" + EscapeLike(text.ToLowerInvariant()) + "%";
#pragma warning disable CA1304, CA1311 // translated to SQL lower(); no .NET culture is involved
            query = query.Where(d =>
                EF.Functions.Like(d.Title.ToLower(), pattern, "\\") ||
                EF.Functions.Like(d.DescriptionMarkdown.ToLower(), pattern, "\\"));
#pragma warning restore CA1304, CA1311
        }

        if (search.CategoryId is { } categoryId)
        {
            query = query.Where(d => d.CategoryId == categoryId);
        }

        var total = await query.CountAsync(cancellationToken);

        IOrderedQueryable<Dataset> ordered = search.Sort switch
        {
            MarketplaceSort.PriceLowToHigh => query.OrderBy(d => d.Price),
            MarketplaceSort.PriceHighToLow => query.OrderByDescending(d => d.Price),
            MarketplaceSort.MostPurchased => query.OrderByDescending(d => d.PurchaseCount),
            MarketplaceSort.TopRated => query
                .OrderByDescending(d => d.ReviewCount == 0 ? 0.0 : (double)d.RatingSum / d.ReviewCount)
                .ThenByDescending(d => d.ReviewCount),
            _ => query.OrderByDescending(d => d.PublishedAt),
        };

        var rows = await ordered
            .ThenBy(d => d.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(d => new
            {
                d.Id,
                d.Title,
                d.Slug,
                Description = d.DescriptionMarkdown.Substring(0, 400),
                CategoryName = db.Categories.Where(c => c.Id == d.CategoryId).Select(c => c.Name).FirstOrDefault(),
                SellerName = db.UserProfiles.Where(p => p.Id == d.SellerId).Select(p => p.DisplayName).FirstOrDefault(),
                d.Price,
                d.AccessTypes,
                d.PublishedAt,
                d.PurchaseCount,
                d.ReviewCount,
                d.RatingSum,
            })
            .ToListAsync(cancellationToken);

        var cards = rows.Select(r => new DatasetCard(
            r.Id, r.Title, r.Slug, Summarize(r.Description), r.CategoryName, r.SellerName ?? "Unnamed seller",
            r.Price, r.AccessTypes, r.PublishedAt, r.PurchaseCount, r.ReviewCount, r.RatingSum)).ToList();
        return new PagedResult<DatasetCard>(cards, total, page, pageSize);
    }

    /// <summary>
    /// Plain text from the start of a Markdown description: heading lines skipped (the card shows the title already)
    /// unless there is nothing else, markup characters dropped, whitespace folded, shortened to <see cref="SummaryLength"/>.
    /// </summary>
    public static string Summarize(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return string.Empty;
        }

        var lines = markdown.Split('\n');
        var body = lines.Where(l => !l.TrimStart().StartsWith('#')).ToArray();
        var source = string.Join(' ', body.Any(l => !string.IsNullOrWhiteSpace(l)) ? body : lines);
        var chars = source.Where(c => c is not ('#' or '*' or '_' or '`' or '>' or '|' or '[' or ']')).ToArray();
        var text = string.Join(' ', new string(chars).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= SummaryLength ? text : text[..(SummaryLength - 1)].TrimEnd() + "…";
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
