using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Datasets.Publishing;

/// <summary>What the seller enters in the publish wizard (texts as typed; checked by the service).</summary>
public sealed record DatasetDetailsInput(
    string Title,
    string DescriptionMarkdown,
    string LicenseSpdxId,
    Guid? CategoryId,
    IReadOnlyList<string> Tags,
    string PriceText,
    int ReviewPeriodDays,
    DatasetAccessTypes AccessTypes,
    bool ModelDownloadAllowed = false);

public sealed record CategoryOption(Guid Id, string Name);

/// <summary>A dataset as the wizard edits it.</summary>
public sealed record DatasetDraft(
    Guid Id,
    string Slug,
    DatasetStatus Status,
    DatasetDetailsInput Details,
    IReadOnlyList<VersionSummary> Versions);

/// <summary>A version as the wizard shows it after processing.</summary>
public sealed record VersionSummary(
    Guid Id,
    int VersionNumber,
    DatasetVersionStatus Status,
    DatasetFormat Format,
    long SizeBytes,
    long? RowCount,
    IReadOnlyList<ColumnSchema> Columns,
    int PreviewRowsAvailable,
    int PreviewRowsShown,
    string Cid);

/// <summary>
/// The seller's side of publishing: drafts, their details, the preview choice, submission for review. Pages call this
/// (never the DbContext); every call checks that the dataset belongs to the caller.
/// </summary>
public sealed class DatasetPublishingService(IDbContextFactory<NeuroDataDbContext> dbFactory, TimeProvider time)
{
    public const int MinReviewDays = 1;
    public const int MaxReviewDays = 30;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<CategoryOption>> CategoriesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var all = await db.Categories.AsNoTracking().Select(c => new CategoryOption(c.Id, c.Name)).ToListAsync(ct);
        return [.. all.OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>Parses an NCR price typed as decimal text ("12.5") exactly, without floating point.</summary>
    public static TokenAmount ParsePrice(string? text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            throw new DomainException("Enter a price in NCR (for example 25 or 12.5).");
        }

        if (!TokenAmount.TryParseTokens(trimmed, out var amount, out var error))
        {
            throw new DomainException($"'{trimmed}' is not a price in NCR: {error}");
        }

        return amount;
    }

    /// <summary>Creates a draft dataset of the caller; returns its id.</summary>
    public async Task<DatasetDraft> CreateDraftAsync(Guid userId, DatasetDetailsInput input, CancellationToken ct = default)
    {
        var (license, price, review, categoryId) = Check(input);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await RequireCategoryAsync(db, categoryId, ct);
            var slug = await UniqueSlugAsync(db, input.Title, null, ct);
            var dataset = new Dataset(userId, input.Title, slug, input.DescriptionMarkdown, license, categoryId, price, review, input.AccessTypes, time.GetUtcNow());
            dataset.SetModelTerms(input.ModelDownloadAllowed);
            dataset.SetTags(await TagsAsync(db, input.Tags, ct));
            db.Datasets.Add(dataset);
            try
            {
                await db.SaveChangesAsync(ct);
                return ToDraft(dataset);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another dataset took the slug (or tag) between the check and the insert: pick again.
            }
        }
    }

    /// <summary>Changes the details of the caller's draft (or rejected/delisted dataset).</summary>
    public async Task<DatasetDraft> UpdateDraftAsync(Guid userId, Guid datasetId, DatasetDetailsInput input, CancellationToken ct = default)
    {
        var (license, price, review, categoryId) = Check(input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await LoadAsync(db, userId, datasetId, ct);
        await RequireCategoryAsync(db, categoryId, ct);
        var slug = string.Equals(dataset.Title, input.Title.Trim(), StringComparison.Ordinal) ? dataset.Slug : await UniqueSlugAsync(db, input.Title, dataset.Id, ct);
        dataset.UpdateDetails(input.Title, slug, input.DescriptionMarkdown, license, categoryId, price, review, input.AccessTypes);
        dataset.SetModelTerms(input.ModelDownloadAllowed);
        dataset.SetTags(await TagsAsync(db, input.Tags, ct));
        await db.SaveChangesAsync(ct);
        return ToDraft(dataset);
    }

    /// <summary>The caller's dataset as the wizard edits it; null when it is not theirs or does not exist.</summary>
    public async Task<DatasetDraft?> GetAsync(Guid userId, Guid datasetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await db.Datasets.AsNoTracking().Include(d => d.Versions).Include(d => d.Tags)
            .SingleOrDefaultAsync(d => d.Id == datasetId && d.SellerId == userId, ct);
        if (dataset is null)
        {
            return null;
        }

        var tagIds = dataset.Tags.Select(t => t.TagId).ToList();
        var tagNames = await db.Tags.AsNoTracking().Where(t => tagIds.Contains(t.Id)).Select(t => t.Name).ToListAsync(ct);
        return ToDraft(dataset, tagNames);
    }

    /// <summary>A version of the caller's dataset, with what processing found.</summary>
    public async Task<VersionSummary?> GetVersionAsync(Guid userId, Guid versionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await (from v in db.DatasetVersions.AsNoTracking()
                             join d in db.Datasets on v.DatasetId equals d.Id
                             where v.Id == versionId && d.SellerId == userId
                             select v).SingleOrDefaultAsync(ct);
        return version is null ? null : ToSummary(version);
    }

    /// <summary>How many of the preview rows kept at ingest visitors see (0 hides the preview).</summary>
    public async Task<VersionSummary> SetPreviewRowsAsync(Guid userId, Guid versionId, int rowsShown, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await (from v in db.DatasetVersions
                             join d in db.Datasets on v.DatasetId equals d.Id
                             where v.Id == versionId && d.SellerId == userId
                             select v).SingleOrDefaultAsync(ct)
            ?? throw new DomainException("There is no such version of your datasets.");
        var available = PreviewCount(version.PreviewJson);
        if (rowsShown < 0 || rowsShown > Math.Min(available, DatasetVersion.MaxPreviewRows))
        {
            throw new DomainException($"Choose between 0 and {Math.Min(available, DatasetVersion.MaxPreviewRows)} preview rows.");
        }

        version.SetPreview(version.PreviewJson, rowsShown);
        await db.SaveChangesAsync(ct);
        return ToSummary(version);
    }

    /// <summary>Sends the caller's dataset to the moderators' queue.</summary>
    public async Task SubmitForReviewAsync(Guid userId, Guid datasetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await LoadAsync(db, userId, datasetId, ct);
        dataset.SubmitForReview(time.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    private static (string License, TokenAmount Price, TimeSpan Review, Guid? CategoryId) Check(DatasetDetailsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!SpdxLicenses.IsKnown(input.LicenseSpdxId))
        {
            throw new DomainException("Choose a license from the list.");
        }

        var price = ParsePrice(input.PriceText);
        if (input.ReviewPeriodDays is < MinReviewDays or > MaxReviewDays)
        {
            throw new DomainException($"The review period is {MinReviewDays} to {MaxReviewDays} days.");
        }

        if (input.Tags.Count > Dataset.MaxTags)
        {
            throw new DomainException($"A dataset can have at most {Dataset.MaxTags} tags.");
        }

        return (input.LicenseSpdxId, price, TimeSpan.FromDays(input.ReviewPeriodDays), input.CategoryId == Guid.Empty ? null : input.CategoryId);
    }

    private static async Task RequireCategoryAsync(NeuroDataDbContext db, Guid? categoryId, CancellationToken ct)
    {
        if (categoryId is { } id && !await db.Categories.AnyAsync(c => c.Id == id, ct))
        {
            throw new DomainException("Choose a category from the list.");
        }
    }

    private static async Task<Dataset> LoadAsync(NeuroDataDbContext db, Guid userId, Guid datasetId, CancellationToken ct) =>
        await db.Datasets.Include(d => d.Versions).Include(d => d.Tags).SingleOrDefaultAsync(d => d.Id == datasetId && d.SellerId == userId, ct)
        ?? throw new DomainException("There is no such dataset of yours.");

    private static async Task<string> UniqueSlugAsync(NeuroDataDbContext db, string title, Guid? exceptId, CancellationToken ct)
    {
        var stem = Slug.From(title ?? string.Empty);
        if (stem.Length < 2)
        {
            stem = "dataset";
        }

        stem = stem.Length > Slug.MaxLength - 6 ? stem[..(Slug.MaxLength - 6)].TrimEnd('-') : stem;
        var taken = await db.Datasets.AsNoTracking()
            .Where(d => (d.Slug == stem || d.Slug.StartsWith(stem + "-")) && d.Id != exceptId)
            .Select(d => d.Slug).ToListAsync(ct);
        var set = taken.ToHashSet(StringComparer.Ordinal);
        if (!set.Contains(stem))
        {
            return stem;
        }

        for (var n = 2; ; n++)
        {
            var candidate = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}");
            if (!set.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    private static async Task<List<Tag>> TagsAsync(NeuroDataDbContext db, IReadOnlyList<string> names, CancellationToken ct)
    {
        var wanted = names.Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        var bySlug = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in wanted)
        {
            var slug = Slug.From(name);
            if (slug.Length < 2)
            {
                throw new DomainException($"'{name}' is not a usable tag (use letters or digits).");
            }

            bySlug.TryAdd(slug, name);
        }

        var slugs = bySlug.Keys.ToList();
        var existing = await db.Tags.Where(t => slugs.Contains(t.Slug)).ToListAsync(ct);
        var result = new List<Tag>(existing);
        foreach (var (slug, name) in bySlug.Where(p => existing.All(t => t.Slug != p.Key)))
        {
            var tag = new Tag(name);
            db.Tags.Add(tag);
            result.Add(tag);
        }

        return result;
    }

    private static int PreviewCount(string? previewJson)
    {
        if (previewJson is null)
        {
            return 0;
        }

        using var doc = JsonDocument.Parse(previewJson);
        return doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.GetArrayLength() : 0;
    }

    private static VersionSummary ToSummary(DatasetVersion v)
    {
        var columns = v.SchemaJson is null ? [] : JsonSerializer.Deserialize<List<ColumnSchema>>(v.SchemaJson, Json) ?? [];
        return new VersionSummary(v.Id, v.VersionNumber, v.Status, v.Format, v.SizeBytes, v.RowCount, columns, PreviewCount(v.PreviewJson), v.PreviewRowCount, v.Cid.Value);
    }

    private static DatasetDraft ToDraft(Dataset d, IReadOnlyList<string>? tagNames = null) =>
        new(
            d.Id,
            d.Slug,
            d.Status,
            new DatasetDetailsInput(
                d.Title,
                d.DescriptionMarkdown,
                d.LicenseSpdxId,
                d.CategoryId,
                tagNames ?? [],
                d.Price.ToTokenString(),
                (int)Math.Round(d.ReviewPeriod.TotalDays),
                d.AccessTypes,
                d.ModelDownloadAllowed),
            [.. d.Versions.OrderBy(v => v.VersionNumber).Select(ToSummary)]);
}
