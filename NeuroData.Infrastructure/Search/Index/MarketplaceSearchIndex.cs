using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Queries;

namespace NeuroData.Infrastructure.Search.Index;

/// <summary>
/// The in-memory search index of the live datasets (see docs/search.md, "In-memory index"). Readers use an immutable
/// <see cref="IndexSnapshot"/>; every change builds the next snapshot (copy-on-write). Changes saved through this process
/// (<see cref="SearchChangeFeed"/>) are applied before the next search is answered; other writes are found by
/// <see cref="RefreshAsync"/>, which the hosted service runs every <see cref="SearchOptions.IndexRefreshSeconds"/>.
/// </summary>
public sealed partial class MarketplaceSearchIndex : IDisposable
{
    private const int IdsPerQuery = 500;

    private readonly IDbContextFactory<NeuroDataDbContext> _factory;
    private readonly ILogger _logger;
    private readonly Action<SearchChangeSet> _sink;
    private readonly SemaphoreSlim _update = new(1, 1);
    private readonly Lock _gate = new();
    private SearchChangeSet _pending = new();
    private long _pendingVersion;
    private long _appliedVersion;
    private volatile IndexSnapshot? _snapshot;

    public MarketplaceSearchIndex(IDbContextFactory<NeuroDataDbContext> factory, ILogger<MarketplaceSearchIndex>? logger = null)
    {
        _factory = factory;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _sink = OnChanges;
        SearchChangeFeed.Subscribe(_sink);
    }

    public void Dispose() => _update.Dispose();

    /// <summary>True once the first load finished (until then searches use the database).</summary>
    public bool IsReady => _snapshot is not null;

    /// <summary>Live datasets in the index (0 before the first load).</summary>
    public int Count => _snapshot?.Live ?? 0;

    /// <summary>Distinct terms in the index.</summary>
    public int TermCount => _snapshot?.Terms.Count ?? 0;

    /// <summary>How long the last full load took.</summary>
    public TimeSpan LastLoadDuration { get; private set; }

    /// <summary>Reads every live dataset and replaces the index (the first load, or a rebuild).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        await _update.WaitAsync(cancellationToken);
        try
        {
            var watch = Stopwatch.StartNew();
            long version;
            lock (_gate)
            {
                // Everything committed before this point is read by the load below.
                _pending = new SearchChangeSet();
                version = _pendingVersion;
            }

            await using var db = await _factory.CreateDbContextAsync(cancellationToken);
            var (categories, tags) = await CatalogAsync(db, cancellationToken);
            var loaded = await ReadAsync(db, null, categories, tags, cancellationToken);
            _snapshot = IndexBuilder.Apply(null, [], loaded, categories, tags);
            _appliedVersion = version;
            LastLoadDuration = watch.Elapsed;
            LogLoaded(_logger, loaded.Count, _snapshot.Terms.Count, (long)watch.Elapsed.TotalMilliseconds);
        }
        finally
        {
            _update.Release();
        }
    }

    /// <summary>
    /// Answers a search from the index, or null when the index cannot (not loaded yet, or nothing indexable in the
    /// words: the database's substring fallback decides those). Changes saved through this process are applied first.
    /// </summary>
    public async Task<IndexResult?> SearchAsync(MarketplaceSearch search, int countCap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        if (_snapshot is null)
        {
            return null;
        }

        var terms = IndexText.QueryTerms(search.Text);
        if (terms.Count == 0 && SearchText.Clean(search.Text) is not null)
        {
            return null;
        }

        var snapshot = await CurrentAsync(cancellationToken);
        var found = IndexSearcher.Search(snapshot, search, terms, countCap);
        return found with { Cards = Cards(snapshot, found.Ids) };
    }

    /// <summary>The result cards of <paramref name="ids"/> from the snapshot's documents (what the database path reads by id).</summary>
    private static List<DatasetCard> Cards(IndexSnapshot snapshot, IReadOnlyList<Guid> ids)
    {
        var cards = new List<DatasetCard>(ids.Count);
        foreach (var id in ids)
        {
            if (!snapshot.OrdinalOf.TryGetValue(id, out var ordinal) || snapshot.Documents[ordinal] is not { } d)
            {
                continue;
            }

            var category = d.CategoryId is { } c && snapshot.Categories.TryGetValue(c, out var known) ? known.Name : null;
            cards.Add(new DatasetCard(
                d.Id, d.Title, d.Slug, d.Summary, category, d.SellerName ?? MarketplaceQueries.UnnamedSeller,
                d.Price, d.AccessTypes, d.PublishedAt, d.PurchaseCount, d.ReviewCount, d.RatingSum)
            {
                Format = d.Format,
                SizeBytes = d.SizeBytes,
                ViewCount = d.ViewCount,
                IsFeatured = d.IsFeatured,
            });
        }

        return cards;
    }

    /// <summary>The snapshot with every change saved through this process so far applied.</summary>
    public async Task<IndexSnapshot> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = _snapshot ?? throw new InvalidOperationException("The search index is not loaded yet.");
        if (Interlocked.Read(ref _pendingVersion) == Interlocked.Read(ref _appliedVersion))
        {
            return snapshot;
        }

        await _update.WaitAsync(cancellationToken);
        try
        {
            SearchChangeSet changes;
            long version;
            lock (_gate)
            {
                changes = _pending;
                version = _pendingVersion;
                _pending = new SearchChangeSet();
            }

            if (!changes.IsEmpty)
            {
                try
                {
                    await ApplyAsync(changes, cancellationToken);
                }
                catch
                {
                    lock (_gate)
                    {
                        _pending.Add(changes);
                    }

                    throw;
                }
            }

            Interlocked.Exchange(ref _appliedVersion, Math.Max(version, Interlocked.Read(ref _appliedVersion)));
            return _snapshot!;
        }
        finally
        {
            _update.Release();
        }
    }

    /// <summary>
    /// Finds writes made behind the application's back (raw SQL, another instance): compares id, UpdatedAt, ratings,
    /// review, purchase and view counts and status of every dataset with the index, tag and category names, and
    /// reloads what differs. Returns the number of datasets reloaded or removed.
    /// </summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken = default)
    {
        if (_snapshot is null)
        {
            await LoadAsync(cancellationToken);
            return Count;
        }

        await _update.WaitAsync(cancellationToken);
        try
        {
            var snapshot = _snapshot;
            await using var db = await _factory.CreateDbContextAsync(cancellationToken);
            var rows = await db.Datasets.AsNoTracking().Where(d => d.Status == DatasetStatus.Live)
                .Select(d => new
                {
                    d.Id, d.UpdatedAt, d.RatingSum, d.ReviewCount, d.PurchaseCount, d.ViewCount,
                    SellerName = db.UserProfiles.Where(p => p.Id == d.SellerId).Select(p => p.DisplayName).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            var changes = new SearchChangeSet();
            var seen = new HashSet<Guid>(rows.Count);
            foreach (var row in rows)
            {
                seen.Add(row.Id);
                if (!snapshot.OrdinalOf.TryGetValue(row.Id, out var ordinal)
                    || snapshot.Documents[ordinal] is not { } doc
                    || doc.UpdatedAt != row.UpdatedAt || doc.RatingSum != row.RatingSum || doc.ReviewCount != row.ReviewCount
                    || doc.PurchaseCount != row.PurchaseCount || doc.ViewCount != row.ViewCount
                    || !string.Equals(doc.SellerName, row.SellerName, StringComparison.Ordinal))
                {
                    changes.Datasets.Add(row.Id);
                }
            }

            foreach (var id in snapshot.OrdinalOf.Keys)
            {
                if (!seen.Contains(id))
                {
                    changes.Datasets.Add(id);
                }
            }

            var (categories, tags) = await CatalogAsync(db, cancellationToken);
            foreach (var (id, tag) in snapshot.Tags)
            {
                if (!tags.TryGetValue(id, out var now) || now != tag)
                {
                    changes.Tags.Add(id);
                }
            }

            foreach (var (id, category) in snapshot.Categories)
            {
                if (!categories.TryGetValue(id, out var now) || now != category)
                {
                    changes.Categories.Add(id);
                }
            }

            var catalogChanged = tags.Count != snapshot.Tags.Count || categories.Count != snapshot.Categories.Count;
            if (changes.IsEmpty && !catalogChanged)
            {
                return 0;
            }

            var reloaded = await ApplyAsync(changes, cancellationToken, forceCatalog: true);
            LogRefreshed(_logger, reloaded);
            return reloaded;
        }
        finally
        {
            _update.Release();
        }
    }

    private void OnChanges(SearchChangeSet changes)
    {
        lock (_gate)
        {
            _pending.Add(changes);
            Interlocked.Increment(ref _pendingVersion);
        }
    }

    /// <summary>Reloads the changed datasets (and those carrying a changed tag or category); caller holds the update lock.</summary>
    private async Task<int> ApplyAsync(SearchChangeSet changes, CancellationToken cancellationToken, bool forceCatalog = false)
    {
        var snapshot = _snapshot!;
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var categories = snapshot.Categories;
        var tags = snapshot.Tags;
        var ids = new HashSet<Guid>(changes.Datasets);
        if (forceCatalog || changes.Tags.Count > 0 || changes.Categories.Count > 0)
        {
            (categories, tags) = await CatalogAsync(db, cancellationToken);
            foreach (var tag in changes.Tags)
            {
                if (snapshot.TagPostings.TryGetValue(tag, out var carriers))
                {
                    ids.UnionWith(carriers.Where(o => snapshot.Documents[o] is not null).Select(o => snapshot.Documents[o]!.Id));
                }
            }

            if (changes.Categories.Count > 0)
            {
                for (var o = 0; o < snapshot.Used; o++)
                {
                    if (snapshot.Documents[o] is { CategoryId: { } category } doc && changes.Categories.Contains(category))
                    {
                        ids.Add(doc.Id);
                    }
                }
            }
        }

        if (changes.Sellers.Count > 0)
        {
            for (var o = 0; o < snapshot.Used; o++)
            {
                if (snapshot.Documents[o] is { } doc && changes.Sellers.Contains(doc.SellerId))
                {
                    ids.Add(doc.Id);
                }
            }
        }

        var loaded = new List<LoadedDataset>();
        foreach (var chunk in ids.Chunk(IdsPerQuery))
        {
            loaded.AddRange(await ReadAsync(db, chunk, categories, tags, cancellationToken));
        }

        _snapshot = IndexBuilder.Apply(snapshot, ids, loaded, categories, tags);
        return ids.Count;
    }

    private static async Task<(IReadOnlyDictionary<Guid, IndexedCategory> Categories, IReadOnlyDictionary<Guid, IndexedTag> Tags)> CatalogAsync(
        NeuroDataDbContext db, CancellationToken cancellationToken)
    {
        var categories = await db.Categories.AsNoTracking()
            .Select(c => new IndexedCategory(c.Id, c.ParentId, c.Slug, c.Name)).ToListAsync(cancellationToken);
        var tags = await db.Tags.AsNoTracking().Select(t => new IndexedTag(t.Id, t.Slug, t.Name)).ToListAsync(cancellationToken);
        return (categories.ToDictionary(c => c.Id), tags.ToDictionary(t => t.Id));
    }

    /// <summary>The live datasets among <paramref name="ids"/> (all live ones when null) with their text.</summary>
    private static async Task<List<LoadedDataset>> ReadAsync(
        NeuroDataDbContext db, Guid[]? ids, IReadOnlyDictionary<Guid, IndexedCategory> categories, IReadOnlyDictionary<Guid, IndexedTag> tags,
        CancellationToken cancellationToken)
    {
        var datasets = db.Datasets.AsNoTracking().Where(d => d.Status == DatasetStatus.Live);
        if (ids is not null)
        {
            datasets = datasets.Where(d => ids.Contains(d.Id));
        }

        var rows = await datasets.Select(d => new
        {
            d.Id, d.Title, d.Slug, d.DescriptionMarkdown, d.PublishedAt, d.Price, d.CategoryId, d.LatestFormat, d.LatestSizeBytes, d.RatingAverage,
            d.ReviewCount, d.RatingSum, d.PurchaseCount, d.ViewCount, d.AccessTypes, d.IsFeatured, d.SellerId, d.UpdatedAt,
            SellerName = db.UserProfiles.Where(p => p.Id == d.SellerId).Select(p => p.DisplayName).FirstOrDefault(),
        }).ToListAsync(cancellationToken);

        var links = await db.Set<DatasetTag>().AsNoTracking()
            .Where(dt => datasets.Any(d => d.Id == dt.DatasetId))
            .Select(dt => new { dt.DatasetId, dt.TagId })
            .ToListAsync(cancellationToken);
        var tagsOf = links.GroupBy(l => l.DatasetId).ToDictionary(g => g.Key, g => g.Select(l => l.TagId).Distinct().ToArray());

        var result = new List<LoadedDataset>(rows.Count);
        foreach (var r in rows)
        {
            var tagIds = tagsOf.GetValueOrDefault(r.Id) ?? [];
            var keywords = string.Join(' ', tagIds.Select(t => tags.TryGetValue(t, out var tag) ? tag.Name : string.Empty));
            if (r.CategoryId is { } category && categories.TryGetValue(category, out var c))
            {
                keywords += " " + c.Name;
            }

            var (high, low) = IndexedDataset.Split(r.Id);
            var doc = new IndexedDataset
            {
                Id = r.Id,
                IdHigh = high,
                IdLow = low,
                PublishedTicks = r.PublishedAt?.UtcTicks ?? 0,
                Price = r.Price,
                CategoryId = r.CategoryId,
                TagIds = tagIds,
                Format = r.LatestFormat,
                SizeBytes = r.LatestSizeBytes,
                RatingAverage = r.RatingAverage,
                ReviewCount = r.ReviewCount,
                RatingSum = r.RatingSum,
                PurchaseCount = r.PurchaseCount,
                ViewCount = r.ViewCount,
                AccessTypes = r.AccessTypes,
                IsFeatured = r.IsFeatured,
                SellerId = r.SellerId,
                UpdatedAt = r.UpdatedAt,
                Title = r.Title,
                Slug = r.Slug,
                Summary = MarketplaceQueries.CardSummary(r.DescriptionMarkdown),
                PublishedAt = r.PublishedAt,
                SellerName = r.SellerName,
            };
            result.Add(new LoadedDataset(doc, r.Title, keywords, r.DescriptionMarkdown));
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index loaded: {Datasets} live datasets, {Terms} terms in {Milliseconds} ms")]
    private static partial void LogLoaded(ILogger logger, int datasets, int terms, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index refresh reloaded {Datasets} datasets changed outside this process")]
    private static partial void LogRefreshed(ILogger logger, int datasets);
}
