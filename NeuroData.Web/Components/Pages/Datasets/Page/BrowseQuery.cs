using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Queries;

namespace NeuroData.Web.Components.Pages.Datasets.Page;

/// <summary>
/// The marketplace's search, filters, sort and page as they appear in the address (shareable links):
/// <c>q, category, tags (comma-separated slugs), minPrice, maxPrice (NCR), format, minSize, maxSize (MB), rating (1–5),
/// access (download|training), sort (relevance|newest|popular|price-asc|price-desc|rating), page</c>.
/// Unknown or malformed values are ignored.
/// </summary>
public sealed record BrowseQuery
{
    public string? Text { get; init; }

    public string? Category { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? MinPrice { get; init; }

    public string? MaxPrice { get; init; }

    public DatasetFormat? Format { get; init; }

    public int? MinSizeMb { get; init; }

    public int? MaxSizeMb { get; init; }

    public int? MinRating { get; init; }

    public DatasetAccessTypes? Access { get; init; }

    /// <summary>The sort asked for; null = relevance when searching words, newest otherwise.</summary>
    public MarketplaceSort? Sort { get; init; }

    public int Page { get; init; } = 1;

    public static readonly IReadOnlyDictionary<string, MarketplaceSort> SortNames = new Dictionary<string, MarketplaceSort>(StringComparer.OrdinalIgnoreCase)
    {
        ["relevance"] = MarketplaceSort.Relevance,
        ["newest"] = MarketplaceSort.Newest,
        ["popular"] = MarketplaceSort.MostPurchased,
        ["price-asc"] = MarketplaceSort.PriceLowToHigh,
        ["price-desc"] = MarketplaceSort.PriceHighToLow,
        ["rating"] = MarketplaceSort.TopRated,
    };

    public static readonly IReadOnlyDictionary<string, DatasetFormat> FormatNames = new Dictionary<string, DatasetFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["csv"] = DatasetFormat.Csv,
        ["tsv"] = DatasetFormat.Tsv,
        ["jsonl"] = DatasetFormat.JsonLines,
        ["parquet"] = DatasetFormat.Parquet,
        ["zip"] = DatasetFormat.Zip,
    };

    /// <summary>The sort in effect.</summary>
    public MarketplaceSort EffectiveSort => Sort ?? (string.IsNullOrWhiteSpace(Text) ? MarketplaceSort.Newest : MarketplaceSort.Relevance);

    /// <summary>True when anything narrows the list (words or a filter).</summary>
    public bool IsFiltered =>
        !string.IsNullOrWhiteSpace(Text) || Category is not null || Tags.Count > 0 || MinPrice is not null || MaxPrice is not null
        || Format is not null || MinSizeMb is not null || MaxSizeMb is not null || MinRating is not null || Access is not null;

    /// <summary>Reads the query string of an absolute or relative URI.</summary>
    public static BrowseQuery Parse(string uri)
    {
        var queryStart = uri.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart < 0 ? [] : QueryHelpers.ParseQuery(uri[queryStart..].Split('#')[0]);
        string? Get(string key) => query.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        int? Int(string key, int min, int max) =>
            int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= min && i <= max ? i : null;

        return new BrowseQuery
        {
            Text = Get("q") is { } q && q.Length > MarketplaceQueries.MaxSearchLength ? q[..MarketplaceQueries.MaxSearchLength] : Get("q"),
            Category = Get("category"),
            Tags = Get("tags")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(Dataset.MaxTags).ToList() ?? [],
            MinPrice = ValidPrice(Get("minPrice")),
            MaxPrice = ValidPrice(Get("maxPrice")),
            Format = Get("format") is { } f && FormatNames.TryGetValue(f, out var format) ? format : null,
            MinSizeMb = Int("minSize", 0, 10_000_000),
            MaxSizeMb = Int("maxSize", 0, 10_000_000),
            MinRating = Int("rating", 1, 5),
            Access = Get("access")?.ToLowerInvariant() switch
            {
                "download" => DatasetAccessTypes.Download,
                "training" => DatasetAccessTypes.TrainingOnly,
                _ => null,
            },
            Sort = Get("sort") is { } s && SortNames.TryGetValue(s, out var sort) ? sort : null,
            Page = Int("page", 1, 100_000) ?? 1,
        };
    }

    /// <summary>The query-string parameters (null removes one), for <c>NavigationManager.GetUriWithQueryParameters</c>.</summary>
    public IReadOnlyDictionary<string, object?> ToParameters() => new Dictionary<string, object?>
    {
        ["q"] = string.IsNullOrWhiteSpace(Text) ? null : Text.Trim(),
        ["category"] = Category,
        ["tags"] = Tags.Count == 0 ? null : string.Join(',', Tags),
        ["minPrice"] = MinPrice,
        ["maxPrice"] = MaxPrice,
        ["format"] = Format is { } f ? FormatNames.First(p => p.Value == f).Key : null,
        ["minSize"] = MinSizeMb,
        ["maxSize"] = MaxSizeMb,
        ["rating"] = MinRating,
        ["access"] = Access switch
        {
            DatasetAccessTypes.Download => "download",
            DatasetAccessTypes.TrainingOnly => "training",
            _ => null,
        },
        ["sort"] = Sort is { } s ? SortNames.First(p => p.Value == s).Key : null,
        ["page"] = Page <= 1 ? null : Page,
    };

    /// <summary>The search for the query service (a fixed category or tag of the page wins over the address).</summary>
    public MarketplaceSearch ToSearch(string? fixedCategory, string? fixedTag, int pageSize) =>
        new(Text, null, EffectiveSort, Page, pageSize)
        {
            CategorySlug = fixedCategory ?? Category,
            TagSlugs = fixedTag is null ? Tags : [.. Tags.Append(fixedTag).Distinct(StringComparer.OrdinalIgnoreCase)],
            MinPrice = MinPrice is null ? null : TokenAmount.ParseTokens(MinPrice),
            MaxPrice = MaxPrice is null ? null : TokenAmount.ParseTokens(MaxPrice),
            Format = Format,
            MinSizeBytes = MinSizeMb is { } min ? min * 1024L * 1024L : null,
            MaxSizeBytes = MaxSizeMb is { } max ? ((max + 1) * 1024L * 1024L) - 1 : null,
            MinRating = MinRating,
            AccessType = Access,
        };

    private static string? ValidPrice(string? text) =>
        text is not null && TokenAmount.TryParseTokens(text, out var amount, out _) && amount >= TokenAmount.Zero ? text : null;
}
