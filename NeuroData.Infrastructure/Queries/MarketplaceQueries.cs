using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Search;
using NeuroData.Infrastructure.Search.Index;

namespace NeuroData.Infrastructure.Queries;

/// <summary>Orders of the marketplace. Each ends with the dataset id, so pages never overlap or skip.</summary>
public enum MarketplaceSort
{
    Newest,
    PriceLowToHigh,
    PriceHighToLow,

    /// <summary>Popular: most purchases, then most views.</summary>
    MostPurchased,

    /// <summary>Highest average rating, then most reviews.</summary>
    TopRated,

    /// <summary>Best full-text match first (only with words to search; otherwise newest).</summary>
    Relevance,
}

/// <summary>What a visitor asks the marketplace for.</summary>
/// <param name="Text">Words to find (title weighs most, then tags and category, then description); blank = everything.</param>
/// <param name="CategoryId">Only this category and its sub-categories; null = all.</param>
/// <param name="Sort">Order of the results.</param>
/// <param name="Page">1-based page; values below 1 mean 1.</param>
/// <param name="PageSize">Rows per page, 1 to <see cref="MarketplaceQueries.MaxPageSize"/>.</param>
public sealed record MarketplaceSearch(string? Text = null, Guid? CategoryId = null, MarketplaceSort Sort = MarketplaceSort.Newest, int Page = 1, int PageSize = MarketplaceQueries.DefaultPageSize)
{
    /// <summary>Only the category with this slug (and its sub-categories); an unknown slug finds nothing.</summary>
    public string? CategorySlug { get; init; }

    /// <summary>Tag slugs the dataset must all carry; an unknown tag finds nothing.</summary>
    public IReadOnlyList<string> TagSlugs { get; init; } = [];

    /// <summary>Lowest price (inclusive).</summary>
    public TokenAmount? MinPrice { get; init; }

    /// <summary>Highest price (inclusive).</summary>
    public TokenAmount? MaxPrice { get; init; }

    /// <summary>File format of the latest ready version.</summary>
    public DatasetFormat? Format { get; init; }

    /// <summary>Smallest file size in bytes of the latest ready version (inclusive).</summary>
    public long? MinSizeBytes { get; init; }

    /// <summary>Largest file size in bytes of the latest ready version (inclusive).</summary>
    public long? MaxSizeBytes { get; init; }

    /// <summary>Minimum average rating, 1 to 5 stars (datasets without reviews are left out).</summary>
    public int? MinRating { get; init; }

    /// <summary>The access type the listing must offer.</summary>
    public DatasetAccessTypes? AccessType { get; init; }

    /// <summary>Only datasets a moderator featured.</summary>
    public bool FeaturedOnly { get; init; }

    /// <summary>Only datasets of this seller.</summary>
    public Guid? SellerId { get; init; }

    /// <summary>Leave this dataset out (e.g. "the seller's other datasets").</summary>
    public Guid? ExcludeDatasetId { get; init; }
}

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

    /// <summary>Format of the latest ready version (null if none).</summary>
    public DatasetFormat? Format { get; init; }

    /// <summary>Size in bytes of the latest ready version (null if none).</summary>
    public long? SizeBytes { get; init; }

    public int ViewCount { get; init; }

    public bool IsFeatured { get; init; }
}

public sealed record CategoryOption(Guid Id, string Name)
{
    public string Slug { get; init; } = string.Empty;

    public Guid? ParentId { get; init; }

    public string? Description { get; init; }
}

public sealed record TagOption(Guid Id, string Name, string Slug);

/// <summary>
/// Reads the public marketplace: only datasets a moderator approved (live). Counts stop at
/// <see cref="SearchOptions.CountCap"/>; identical searches may be served from a short-lived cache (see
/// <see cref="SearchResultCache{T}"/>; off when built without options).
/// </summary>
public sealed class MarketplaceQueries(
    IDbContextFactory<NeuroDataDbContext> factory, SearchOptions? options = null, TimeProvider? clock = null, MarketplaceSearchIndex? index = null)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 48;
    public const int MaxSearchLength = SearchText.MaxInputLength;
    public const int SummaryLength = 180;

    private readonly SearchOptions _options = (options ?? SearchOptions.NoCache).Validate();
    private readonly SearchResultCache<PagedResult<DatasetCard>> _cache = new((options ?? SearchOptions.NoCache).Validate(), clock ?? TimeProvider.System);

    /// <summary>Matches counted at most (a larger result reports this many and <see cref="PagedResult{T}.TotalIsCapped"/>).</summary>
    public int CountCap => _options.CountCap;

    /// <summary>Categories for the filter, by name.</summary>
    public async Task<IReadOnlyList<CategoryOption>> CategoriesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var list = await db.Categories.AsNoTracking()
            .Select(c => new CategoryOption(c.Id, c.Name) { Slug = c.Slug, ParentId = c.ParentId, Description = c.Description })
            .ToListAsync(cancellationToken);
        return [.. list.OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>Tags that at least one live dataset carries, by name.</summary>
    public async Task<IReadOnlyList<TagOption>> TagsInUseAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var list = await db.Tags.AsNoTracking()
            .Where(t => db.Datasets.Any(d => d.Status == DatasetStatus.Live && d.Tags.Any(dt => dt.TagId == t.Id)))
            .Select(t => new TagOption(t.Id, t.Name, t.Slug))
            .ToListAsync(cancellationToken);
        return [.. list.OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>The category with this slug, or null.</summary>
    public async Task<CategoryOption?> CategoryAsync(string slug, CancellationToken cancellationToken = default)
    {
        var categories = await CategoriesAsync(cancellationToken);
        return categories.FirstOrDefault(c => string.Equals(c.Slug, slug, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The tag with this slug, or null.</summary>
    public async Task<TagOption?> TagAsync(string slug, CancellationToken cancellationToken = default)
    {
        var normalized = slug.Trim().ToLowerInvariant();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Tags.AsNoTracking().Where(t => t.Slug == normalized)
            .Select(t => new TagOption(t.Id, t.Name, t.Slug)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Featured live datasets (most popular first).</summary>
    public async Task<IReadOnlyList<DatasetCard>> FeaturedAsync(int count, CancellationToken cancellationToken = default) =>
        (await SearchAsync(new MarketplaceSearch(Sort: MarketplaceSort.MostPurchased, PageSize: count) { FeaturedOnly = true }, cancellationToken)).Items;

    /// <summary>The most popular live datasets (purchases, then views).</summary>
    public async Task<IReadOnlyList<DatasetCard>> PopularAsync(int count, CancellationToken cancellationToken = default) =>
        (await SearchAsync(new MarketplaceSearch(Sort: MarketplaceSort.MostPurchased, PageSize: count), cancellationToken)).Items;

    /// <summary>One page of live datasets matching the search.</summary>
    public async Task<PagedResult<DatasetCard>> SearchAsync(MarketplaceSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        if (!_cache.Enabled)
        {
            return await SearchUncachedAsync(search, cancellationToken);
        }

        var key = CacheKey(search);
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }

        var generation = SearchChanges.Generation;
        var result = await SearchUncachedAsync(search, cancellationToken);
        _cache.Set(key, result, generation);
        return result;
    }

    private async Task<PagedResult<DatasetCard>> SearchUncachedAsync(MarketplaceSearch search, CancellationToken cancellationToken)
    {
        var page = Math.Max(1, search.Page);
        var pageSize = Math.Clamp(search.PageSize, 1, MaxPageSize);
        var empty = new PagedResult<DatasetCard>([], 0, page, pageSize);

        if (index is not null && _options.UsesMemoryIndex && await index.SearchAsync(search, _options.CountCap, cancellationToken) is { } found)
        {
            if (found.Total == 0)
            {
                return empty;
            }

            return new PagedResult<DatasetCard>(found.Cards, found.Total, page, pageSize) { TotalIsCapped = found.TotalIsCapped };
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Datasets.AsNoTracking().Where(d => d.Status == DatasetStatus.Live);

        var categoryIds = await CategoryFilterAsync(db, search, cancellationToken);
        if (categoryIds is { Count: 0 })
        {
            return empty;
        }

        if (categoryIds is not null)
        {
            query = query.Where(d => d.CategoryId != null && categoryIds.Contains(d.CategoryId.Value));
        }

        if (search.TagSlugs.Count > 0)
        {
            var slugs = search.TagSlugs.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct().ToList();
            var tagIds = await db.Tags.AsNoTracking().Where(t => slugs.Contains(t.Slug)).Select(t => t.Id).ToListAsync(cancellationToken);
            if (tagIds.Count < slugs.Count)
            {
                return empty;
            }

            foreach (var tagId in tagIds)
            {
                // "Id IN (datasets of the tag)": the database starts from the tag's rows instead of probing every dataset.
                var tagged = db.Set<DatasetTag>().Where(dt => dt.TagId == tagId).Select(dt => dt.DatasetId);
                query = query.Where(d => tagged.Contains(d.Id));
            }
        }

        if (search.MinPrice is { } minPrice)
        {
            query = query.Where(d => d.Price >= minPrice);
        }

        if (search.MaxPrice is { } maxPrice)
        {
            query = query.Where(d => d.Price <= maxPrice);
        }

        if (search.Format is { } format)
        {
            query = query.Where(d => d.LatestFormat == format);
        }

        if (search.MinSizeBytes is { } minSize)
        {
            query = query.Where(d => d.LatestSizeBytes >= minSize);
        }

        if (search.MaxSizeBytes is { } maxSize)
        {
            query = query.Where(d => d.LatestSizeBytes <= maxSize);
        }

        if (search.MinRating is { } minRating)
        {
            // Exact: RatingAverage is RatingSum / ReviewCount rounded monotonically, whole stars are exact doubles.
            double stars = Math.Clamp(minRating, 1, 5);
            query = query.Where(d => d.RatingAverage >= stars);
        }

        if (search.AccessType is { } access && access != DatasetAccessTypes.None)
        {
            var bits = (int)access;
            query = query.Where(d => ((int)d.AccessTypes & bits) == bits);
        }

        if (search.FeaturedOnly)
        {
            query = query.Where(d => d.IsFeatured);
        }

        if (search.SellerId is { } sellerId)
        {
            query = query.Where(d => d.SellerId == sellerId);
        }

        if (search.ExcludeDatasetId is { } excluded)
        {
            query = query.Where(d => d.Id != excluded);
        }

        var byRelevance = search.Sort == MarketplaceSort.Relevance && FullTextSearch.Hits(db, search.Text) is not null;
        if (byRelevance)
        {
            var filtered = categoryIds is not null || search.TagSlugs.Count > 0 || search.MinPrice is not null || search.MaxPrice is not null
                || search.Format is not null || search.MinSizeBytes is not null || search.MaxSizeBytes is not null || search.MinRating is not null
                || search.AccessType is not null || search.FeaturedOnly || search.SellerId is not null || search.ExcludeDatasetId is not null;
            return await RelevancePageAsync(db, query, search, filtered, page, pageSize, cancellationToken);
        }

        if (FullTextSearch.Matches(db, search.Text) is { } matches)
        {
            query = query.Where(d => matches.Any(m => m.DatasetId == d.Id));
        }
        else if (SearchText.Clean(search.Text) is { } text)
        {
            // Nothing the full-text index could match (only punctuation or symbols, e.g. "%"): fall back to a
            // literal, case-insensitive substring match so such input still finds what contains it.
            var pattern = "%" + EscapeLike(text.ToLowerInvariant()) + "%";
#pragma warning disable CA1304, CA1311 // translated to SQL lower(); no .NET culture is involved
            query = query.Where(d =>
                EF.Functions.Like(d.Title.ToLower(), pattern, "\\") ||
                EF.Functions.Like(d.DescriptionMarkdown.ToLower(), pattern, "\\"));
#pragma warning restore CA1304, CA1311
        }

        var (total, capped) = await CountAsync(query, cancellationToken);
        if (total == 0)
        {
            return empty;
        }

        IOrderedQueryable<Dataset> ordered = search.Sort switch
        {
            MarketplaceSort.PriceLowToHigh => query.OrderBy(d => d.Price),
            MarketplaceSort.PriceHighToLow => query.OrderByDescending(d => d.Price),
            MarketplaceSort.MostPurchased => query.OrderByDescending(d => d.PurchaseCount).ThenByDescending(d => d.ViewCount),
            MarketplaceSort.TopRated => query.OrderByDescending(d => d.RatingAverage).ThenByDescending(d => d.ReviewCount),
            _ => query.OrderByDescending(d => d.PublishedAt),
        };

        var ids = await ordered.ThenBy(d => d.Id).Skip((page - 1) * pageSize).Take(pageSize).Select(d => d.Id).ToListAsync(cancellationToken);
        var cards = await CardsAsync(db, ids, cancellationToken);
        return new PagedResult<DatasetCard>(cards, total, page, pageSize) { TotalIsCapped = capped };
    }

    /// <summary>
    /// Relevance order (best match, then newest, then id). With filters, first the datasets that pass them and match
    /// (at most the count cap + 1, found without ranking): when that is all of them, only they are ranked. Otherwise the
    /// fast path: rank every match inside the full-text index but read only the best ones; the page is exact when the
    /// candidates that pass the filters fill it with ranks strictly above the weakest one read (nothing outside could
    /// come before them), or when those were all the matches. Otherwise the full join of every match decides.
    /// </summary>
    private async Task<PagedResult<DatasetCard>> RelevancePageAsync(
        NeuroDataDbContext db, IQueryable<Dataset> query, MarketplaceSearch search, bool filtered, int page, int pageSize, CancellationToken cancellationToken)
    {
        var matches = FullTextSearch.Matches(db, search.Text)!;
        if (filtered)
        {
            var passing = await query.Where(d => matches.Any(m => m.DatasetId == d.Id))
                .Select(d => new Candidate(d.Id, d.PublishedAt))
                .Take(_options.CountCap + 1)
                .ToListAsync(cancellationToken);
            if (passing.Count <= _options.CountCap)
            {
                if (passing.Count == 0)
                {
                    return new PagedResult<DatasetCard>([], 0, page, pageSize);
                }

                var passingIds = passing.Select(c => c.Id).ToList();
                var ranks = await FullTextSearch.Hits(db, search.Text)!.Where(h => EF.Parameter(passingIds).Contains(h.DatasetId)).ToListAsync(cancellationToken);
                var rankOfPassing = ranks.GroupBy(h => h.DatasetId).ToDictionary(g => g.Key, g => g.First().Rank);
                var pageIds = Order(passing, rankOfPassing).Skip((page - 1) * pageSize).Take(pageSize).Select(c => c.Id).ToList();
                return new PagedResult<DatasetCard>(await CardsAsync(db, pageIds, cancellationToken), passing.Count, page, pageSize);
            }
        }

        var need = page * pageSize;
        var limit = Math.Max(_options.CountCap + 1, (need * 2) + 50);
        var top = (await FullTextSearch.TopAsync(db, search.Text, limit, cancellationToken))!;
        if (top.Count == 0)
        {
            return new PagedResult<DatasetCard>([], 0, page, pageSize);
        }

        var rankOf = new Dictionary<Guid, double>(top.Count);
        foreach (var hit in top)
        {
            rankOf.TryAdd(hit.DatasetId, hit.Rank);
        }

        var candidateIds = rankOf.Keys.ToList();
        // One array parameter (not one parameter per id): a thousand ids would otherwise make a new statement each time.
        var candidates = await query.Where(d => EF.Parameter(candidateIds).Contains(d.Id))
            .Select(d => new Candidate(d.Id, d.PublishedAt))
            .ToListAsync(cancellationToken);
        var sorted = Order(candidates, rankOf);

        var complete = top.Count < limit;
        var weakest = top.Min(h => h.Rank);
        var exact = complete || (sorted.Count >= need && rankOf[sorted[need - 1].Id] > weakest);
        if (!exact)
        {
            return await RelevanceFullAsync(db, query, search, page, pageSize, cancellationToken);
        }

        int total;
        bool capped;
        if (sorted.Count > _options.CountCap)
        {
            (total, capped) = (_options.CountCap, true);
        }
        else if (complete)
        {
            (total, capped) = (sorted.Count, false);
        }
        else
        {
            (total, capped) = await CountAsync(query.Where(d => matches.Any(m => m.DatasetId == d.Id)), cancellationToken);
        }

        var ids = sorted.Skip((page - 1) * pageSize).Take(pageSize).Select(c => c.Id).ToList();
        var cards = await CardsAsync(db, ids, cancellationToken);
        return new PagedResult<DatasetCard>(cards, total, page, pageSize) { TotalIsCapped = capped };
    }

    /// <summary>Relevance order computed by the database over every match (filters that leave few of the best matches).</summary>
    private async Task<PagedResult<DatasetCard>> RelevanceFullAsync(
        NeuroDataDbContext db, IQueryable<Dataset> query, MarketplaceSearch search, int page, int pageSize, CancellationToken cancellationToken)
    {
        var hits = FullTextSearch.Hits(db, search.Text)!;
        var ranked = query.Join(hits, d => d.Id, h => h.DatasetId, (d, h) => new RankedDataset { Dataset = d, Rank = h.Rank });
        var matches = FullTextSearch.Matches(db, search.Text)!;
        var (total, capped) = await CountAsync(query.Where(d => matches.Any(m => m.DatasetId == d.Id)), cancellationToken);
        if (total == 0)
        {
            return new PagedResult<DatasetCard>([], 0, page, pageSize);
        }

        var ids = await ranked
            .OrderByDescending(r => r.Rank).ThenByDescending(r => r.Dataset.PublishedAt).ThenBy(r => r.Dataset.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(r => r.Dataset.Id)
            .ToListAsync(cancellationToken);
        var cards = await CardsAsync(db, ids, cancellationToken);
        return new PagedResult<DatasetCard>(cards, total, page, pageSize) { TotalIsCapped = capped };
    }

    /// <summary>
    /// Best rank first, then newest, then id in the databases' order (SQLite compares the upper-case text, PostgreSQL the
    /// bytes of a uuid: both the order of the hexadecimal digits).
    /// </summary>
    private static List<Candidate> Order(List<Candidate> candidates, Dictionary<Guid, double> rankOf) =>
        [.. candidates
            .Where(c => rankOf.ContainsKey(c.Id))
            .OrderByDescending(c => rankOf[c.Id])
            .ThenByDescending(c => c.PublishedAt)
            .ThenBy(c => c.Id.ToString("N"), StringComparer.Ordinal)];

    /// <summary>How many rows match, counting at most <see cref="SearchOptions.CountCap"/> + 1.</summary>
    private async Task<(int Total, bool Capped)> CountAsync(IQueryable<Dataset> query, CancellationToken cancellationToken)
    {
        var cap = _options.CountCap;
        var count = await query.Select(d => d.Id).Take(cap + 1).CountAsync(cancellationToken);
        return count > cap ? (cap, true) : (count, false);
    }

    /// <summary>The cards of these datasets, in this order.</summary>
    private static async Task<List<DatasetCard>> CardsAsync(NeuroDataDbContext db, List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await db.Datasets.AsNoTracking()
            .Where(d => ids.Contains(d.Id))
            .Select(d => new
            {
                d.Id,
                d.Title,
                d.Slug,
                Description = d.DescriptionMarkdown.Substring(0, CardDescriptionLength),
                CategoryName = db.Categories.Where(c => c.Id == d.CategoryId).Select(c => c.Name).FirstOrDefault(),
                SellerName = db.UserProfiles.Where(p => p.Id == d.SellerId).Select(p => p.DisplayName).FirstOrDefault(),
                d.Price,
                d.AccessTypes,
                d.PublishedAt,
                d.PurchaseCount,
                d.ReviewCount,
                d.RatingSum,
                d.ViewCount,
                d.IsFeatured,
                d.LatestFormat,
                d.LatestSizeBytes,
            })
            .ToListAsync(cancellationToken);

        var byId = rows.ToDictionary(r => r.Id);
        return [.. ids.Where(byId.ContainsKey).Select(id => byId[id]).Select(r => new DatasetCard(
            r.Id, r.Title, r.Slug, Summarize(r.Description), r.CategoryName, r.SellerName ?? UnnamedSeller,
            r.Price, r.AccessTypes, r.PublishedAt, r.PurchaseCount, r.ReviewCount, r.RatingSum)
        {
            Format = r.LatestFormat,
            SizeBytes = r.LatestSizeBytes,
            ViewCount = r.ViewCount,
            IsFeatured = r.IsFeatured,
        })];
    }

    /// <summary>Everything that decides a search's result, as one string (the cache key).</summary>
    private static string CacheKey(MarketplaceSearch s) => string.Join('\u001f',
        s.Text ?? string.Empty, s.CategoryId?.ToString("N") ?? string.Empty, s.CategorySlug ?? string.Empty,
        string.Join('\u001e', s.TagSlugs), s.Sort.ToString(), s.Page.ToString(System.Globalization.CultureInfo.InvariantCulture),
        s.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        s.MinPrice?.ToUnitsString() ?? string.Empty, s.MaxPrice?.ToUnitsString() ?? string.Empty, s.Format?.ToString() ?? string.Empty,
        s.MinSizeBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
        s.MaxSizeBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
        s.MinRating?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, s.AccessType?.ToString() ?? string.Empty,
        s.FeaturedOnly ? "f" : string.Empty, s.SellerId?.ToString("N") ?? string.Empty, s.ExcludeDatasetId?.ToString("N") ?? string.Empty);

    /// <summary>
    /// Plain text from the start of a Markdown description: heading lines skipped (the card shows the title already)
    /// unless there is nothing else, markup characters dropped, whitespace folded, shortened to <see cref="SummaryLength"/>.
    /// </summary>
    /// <summary>Shown for a seller without a profile.</summary>
    public const string UnnamedSeller = "Unnamed seller";

    /// <summary>Characters of the description a card's summary is made from (the card query reads no more).</summary>
    public const int CardDescriptionLength = 400;

    /// <summary>A card's summary of a whole description: <see cref="Summarize"/> of its first <see cref="CardDescriptionLength"/> characters, as the card query reads it.</summary>
    public static string CardSummary(string? markdown) =>
        Summarize(markdown is { Length: > CardDescriptionLength } ? markdown[..CardDescriptionLength] : markdown);

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

    /// <summary>The category ids to filter on (the category and its descendants); null = no category filter.</summary>
    private static async Task<List<Guid>?> CategoryFilterAsync(NeuroDataDbContext db, MarketplaceSearch search, CancellationToken cancellationToken)
    {
        if (search.CategoryId is null && string.IsNullOrWhiteSpace(search.CategorySlug))
        {
            return null;
        }

        var all = await db.Categories.AsNoTracking().Select(c => new { c.Id, c.ParentId, c.Slug }).ToListAsync(cancellationToken);
        var root = search.CategoryId
            ?? all.FirstOrDefault(c => string.Equals(c.Slug, search.CategorySlug!.Trim(), StringComparison.OrdinalIgnoreCase))?.Id;
        if (root is null || all.All(c => c.Id != root))
        {
            return [];
        }

        var ids = new List<Guid> { root.Value };
        for (var i = 0; i < ids.Count && ids.Count <= all.Count; i++)
        {
            ids.AddRange(all.Where(c => c.ParentId == ids[i] && !ids.Contains(c.Id)).Select(c => c.Id));
        }

        return ids;
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);

    private sealed class RankedDataset
    {
        public required Dataset Dataset { get; init; }

        public double Rank { get; init; }
    }

    private sealed record Candidate(Guid Id, DateTimeOffset? PublishedAt);
}
