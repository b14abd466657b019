using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Queries;
using NeuroData.Infrastructure.Search;
using NeuroData.Infrastructure.Search.Index;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Persistence;
using NeuroData.Tests.Integration.Queries;
using static NeuroData.Tests.Integration.Search.SearchTestData;

namespace NeuroData.Tests.Integration.Search;

/// <summary>
/// What makes search fast, on both providers: the capped count, the stored latest format/size and average rating,
/// the relevance fast path (and its fallback), and the result cache with its invalidation.
/// </summary>
public class SearchPerformanceTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases), IDisposable
{
    private readonly List<MarketplaceSearchIndex> _indexes = [];

    /// <summary>False: the database engine; the derived class runs every test against the in-memory index.</summary>
    protected virtual bool UseMemoryIndex => false;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Count_StopsAtTheCap_SaysSo_AndPagesThroughTheFirstOnes(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        var word = UniqueWord("capped");
        await using (var db = await ContextAsync(provider))
        {
            for (var i = 0; i < 7; i++)
            {
                db.Datasets.Add(Live(seller, moderator, category, $"{word} set {i}", "Same text.", Now.AddMinutes(-i), priceTokens: 1 + i));
            }

            await db.SaveChangesAsync(Ct);
        }

        var q = await QueriesAsync(provider, countCap: 5);
        foreach (var sort in Enum.GetValues<MarketplaceSort>())
        {
            var browse = await q.SearchAsync(new MarketplaceSearch(CategoryId: category, Sort: sort, PageSize: 2), Ct);
            browse.TotalCount.ShouldBe(5, $"{sort}");
            browse.TotalIsCapped.ShouldBeTrue($"{sort}");
            browse.PageCount.ShouldBe(3);

            var text = await q.SearchAsync(new MarketplaceSearch(word, Sort: sort, PageSize: 2), Ct);
            text.TotalCount.ShouldBe(5, $"{sort}");
            text.TotalIsCapped.ShouldBeTrue($"{sort}");
        }

        var third = await q.SearchAsync(new MarketplaceSearch(CategoryId: category, Sort: MarketplaceSort.PriceLowToHigh, Page: 3, PageSize: 2), Ct);
        third.Items.Select(i => i.Title).ShouldBe([$"{word} set 4", $"{word} set 5"]);

        var exact = await q.SearchAsync(new MarketplaceSearch(CategoryId: category) { MaxPrice = TokenAmount.FromTokens(5) }, Ct);
        exact.TotalCount.ShouldBe(5);
        exact.TotalIsCapped.ShouldBeFalse("exactly the cap is still an exact count");
        var fewer = await q.SearchAsync(new MarketplaceSearch(word, Sort: MarketplaceSort.Relevance) { MaxPrice = TokenAmount.FromTokens(2) }, Ct);
        fewer.TotalCount.ShouldBe(2);
        fewer.TotalIsCapped.ShouldBeFalse();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Relevance_WhenFiltersDropTheBestMatches_StillFindsAndOrdersTheRest(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        var other = await OtherCategoryAsync(provider);
        var word = UniqueWord("reef");
        await using (var db = await ContextAsync(provider))
        {
            // 60 strong matches (word in the title) outside the filter: more than the fast path reads for page 1 of size 1.
            for (var i = 0; i < 60; i++)
            {
                db.Datasets.Add(Live(seller, moderator, other, $"{word} {word} atlas {i}", $"{word} everywhere.", Now));
            }

            db.Datasets.Add(Live(seller, moderator, category, "Weak match", $"Mentions {word} once among many other words here.", Now.AddDays(-1)));
            db.Datasets.Add(Live(seller, moderator, category, $"{word} survey", "Plain.", Now.AddDays(-2)));
            await db.SaveChangesAsync(Ct);
        }

        var small = await QueriesAsync(provider, countCap: 5); // reads the best 52 matches first: all outside the category
        var first = await small.SearchAsync(new MarketplaceSearch(word, CategoryId: category, Sort: MarketplaceSort.Relevance, PageSize: 1), Ct);
        first.Items.ShouldHaveSingleItem().Title.ShouldBe($"{word} survey");
        first.TotalCount.ShouldBe(2);
        var second = await small.SearchAsync(new MarketplaceSearch(word, CategoryId: category, Sort: MarketplaceSort.Relevance, Page: 2, PageSize: 1), Ct);
        second.Items.ShouldHaveSingleItem().Title.ShouldBe("Weak match");
        (await small.SearchAsync(new MarketplaceSearch(word, Sort: MarketplaceSort.Relevance, PageSize: 48), Ct)).TotalIsCapped.ShouldBeTrue();

        var q = await QueriesAsync(provider);

        var all = await q.SearchAsync(new MarketplaceSearch(word, Sort: MarketplaceSort.Relevance, PageSize: 48), Ct);
        all.TotalCount.ShouldBe(62);
        all.Items.Count.ShouldBe(48);
        all.Items.ShouldNotContain(i => i.Title == "Weak match" || i.Title == $"{word} survey");
        var last = await q.SearchAsync(new MarketplaceSearch(word, Sort: MarketplaceSort.Relevance, Page: 2, PageSize: 48), Ct);
        last.Items.Select(i => i.Title).TakeLast(2).ShouldBe([$"{word} survey", "Weak match"]);
        all.Items.Concat(last.Items).Select(i => i.Id).Distinct().Count().ShouldBe(62, "pages neither overlap nor skip");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task LatestFormatAndSize_FollowANewReadyVersion_AndAWithdrawnOne_ThroughTheDatabase(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        Dataset dataset;
        await using (var db = await ContextAsync(provider))
        {
            dataset = Live(seller, moderator, category, "Versioned", "x", Now, format: DatasetFormat.Csv, sizeBytes: 1_000);
            dataset.AddVersion(TestData.RandomCidV0(), 7_000_000, DatasetFormat.Parquet, TestData.Sha256Hex(2), [1], Now); // processing
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(Ct);
        }

        var q = await QueriesAsync(provider);
        (await StoredAsync(provider, dataset.Id)).ShouldBe((DatasetFormat.Csv, 1_000L));
        (await q.SearchAsync(new MarketplaceSearch(CategoryId: category) { Format = DatasetFormat.Parquet }, Ct)).Items.ShouldBeEmpty();

        // Loaded afresh (as the ingest does): the version finds its dataset through EF and keeps it right.
        await using (var db = await ContextAsync(provider))
        {
            var loaded = await db.Datasets.Include(d => d.Versions).SingleAsync(d => d.Id == dataset.Id, Ct);
            loaded.Versions.Single(v => v.VersionNumber == 2).MarkReady("[]", "{}", 5);
            await db.SaveChangesAsync(Ct);
        }

        (await StoredAsync(provider, dataset.Id)).ShouldBe((DatasetFormat.Parquet, 7_000_000L));
        var card = (await q.SearchAsync(new MarketplaceSearch(CategoryId: category) { Format = DatasetFormat.Parquet, MinSizeBytes = 6_000_000 }, Ct)).Items.ShouldHaveSingleItem();
        card.Format.ShouldBe(DatasetFormat.Parquet);
        card.SizeBytes.ShouldBe(7_000_000);
        (await q.SearchAsync(new MarketplaceSearch(CategoryId: category) { Format = DatasetFormat.Csv }, Ct)).Items.ShouldBeEmpty();

        await using (var db = await ContextAsync(provider))
        {
            var loaded = await db.Datasets.Include(d => d.Versions).SingleAsync(d => d.Id == dataset.Id, Ct);
            loaded.Versions.Single(v => v.VersionNumber == 2).Withdraw();
            await db.SaveChangesAsync(Ct);
        }

        (await StoredAsync(provider, dataset.Id)).ShouldBe((DatasetFormat.Csv, 1_000L));
        (await q.SearchAsync(new MarketplaceSearch(CategoryId: category) { Format = DatasetFormat.Csv, MaxSizeBytes = 1_000 }, Ct)).Items.ShouldHaveSingleItem().SizeBytes.ShouldBe(1_000);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task RatingAverage_FollowsNewAndEditedReviews_ForTheFilterAndTheSort(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        Dataset a, b;
        await using (var db = await ContextAsync(provider))
        {
            a = Live(seller, moderator, category, "A", "x", Now);
            b = Live(seller, moderator, category, "B", "x", Now);
            b.RecordReview(4);
            db.Datasets.AddRange(a, b);
            await db.SaveChangesAsync(Ct);
        }

        var q = await QueriesAsync(provider);
        async Task<string[]> TopRated(int? minRating = null) =>
            [.. (await q.SearchAsync(new MarketplaceSearch(CategoryId: category, Sort: MarketplaceSort.TopRated) { MinRating = minRating }, Ct)).Items.Select(i => i.Title)];

        (await TopRated()).ShouldBe(["B", "A"]);
        (await TopRated(4)).ShouldBe(["B"]);

        await ReviewAsync(provider, a.Id, 5, null); // a: 5.0
        (await StoredRatingAsync(provider, a.Id)).ShouldBe(5.0);
        (await TopRated()).ShouldBe(["A", "B"]);
        (await TopRated(5)).ShouldBe(["A"]);

        await ReviewAsync(provider, a.Id, 3, null); // a: (5 + 3) / 2 = 4.0, two reviews: above b (4.0, one review)
        (await StoredRatingAsync(provider, a.Id)).ShouldBe(4.0);
        (await TopRated()).ShouldBe(["A", "B"]);
        (await TopRated(5)).ShouldBeEmpty();

        await ReviewAsync(provider, a.Id, 1, previous: 3); // edited: (5 + 1) / 2 = 3.0
        (await StoredRatingAsync(provider, a.Id)).ShouldBe(3.0);
        (await TopRated()).ShouldBe(["B", "A"]);
        (await TopRated(4)).ShouldBe(["B"]);
        (await TopRated(3)).ShouldBe(["B", "A"]);
    }

    public void Dispose()
    {
        foreach (var index in _indexes)
        {
            index.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private async Task<MarketplaceQueries> QueriesAsync(DbProvider provider, int countCap = 1000, int cacheSeconds = 0)
    {
        var factory = new ContextFactory(() => ContextAsync(provider));
        var options = new SearchOptions { CountCap = countCap, CacheSeconds = cacheSeconds };
        if (!UseMemoryIndex)
        {
            return new MarketplaceQueries(factory, options, Clock);
        }

        var index = new MarketplaceSearchIndex(factory);
        _indexes.Add(index);
        await index.LoadAsync(Ct);
        return new MarketplaceQueries(factory, options, Clock, index);
    }

    private async Task ReviewAsync(DbProvider provider, Guid datasetId, int rating, int? previous)
    {
        await using var db = await ContextAsync(provider);
        var dataset = await db.Datasets.SingleAsync(d => d.Id == datasetId, Ct);
        dataset.RecordReview(rating, previous);
        await db.SaveChangesAsync(Ct);
    }

    private async Task<(DatasetFormat?, long?)> StoredAsync(DbProvider provider, Guid datasetId)
    {
        await using var db = await ContextAsync(provider);
        var row = await db.Datasets.AsNoTracking().Where(d => d.Id == datasetId).Select(d => new { d.LatestFormat, d.LatestSizeBytes }).SingleAsync(Ct);
        return (row.LatestFormat, row.LatestSizeBytes);
    }

    private async Task<double> StoredRatingAsync(DbProvider provider, Guid datasetId)
    {
        await using var db = await ContextAsync(provider);
        return await db.Datasets.AsNoTracking().Where(d => d.Id == datasetId).Select(d => d.RatingAverage).SingleAsync(Ct);
    }

    private async Task<Guid> OtherCategoryAsync(DbProvider provider)
    {
        var category = new Category("Other search tests", UniqueSlug("other"), null, null);
        await using var db = await ContextAsync(provider);
        db.Categories.Add(category);
        await db.SaveChangesAsync(Ct);
        return category.Id;
    }

    private async Task<(Guid Seller, Guid Moderator, Guid Category)> SetupAsync(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var category = new Category("Search performance tests", UniqueSlug("perf"), null, null);
        await using var db = await ContextAsync(provider);
        db.Categories.Add(category);
        await db.SaveChangesAsync(Ct);
        return (seller, moderator, category.Id);
    }
}

/// <summary>Every test of <see cref="SearchPerformanceTests"/> against the in-memory index (engine "memory").</summary>
public sealed class SearchPerformanceMemoryIndexTests(PostgresCluster cluster, TestDatabases databases) : SearchPerformanceTests(cluster, databases)
{
    protected override bool UseMemoryIndex => true;
}

/// <summary>Runs alone: the cache is voided by any save in the process, so parallel tests would make it unpredictable.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SearchCacheCollection
{
    public const string Name = "Search cache (not parallel)";
}

/// <summary>The search result cache: identical searches served from it, emptied by saves, stale raw SQL writes bounded by its lifetime.</summary>
[Collection(SearchCacheCollection.Name)]
public sealed class SearchCacheTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Cache_ServesIdenticalSearches_IsEmptiedBySaves_AndOutlivesRawSqlOnlyUntilItExpires(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        Guid? category = null;
        var word = UniqueWord("cached");
        Dataset first;
        await using (var db = await ContextAsync(provider))
        {
            first = Live(seller, moderator, category, $"{word} one", "x", Now);
            db.Datasets.Add(first);
            await db.SaveChangesAsync(Ct);
        }

        var q = new MarketplaceQueries(new ContextFactory(() => ContextAsync(provider)), new SearchOptions { CacheSeconds = 30 }, Clock);
        var search = new MarketplaceSearch(word, Sort: MarketplaceSort.Relevance);
        var before = await q.SearchAsync(search, Ct);
        before.TotalCount.ShouldBe(1);
        (await q.SearchAsync(search with { }, Ct)).ShouldBeSameAs(before, "an identical search is served from the cache");

        await using (var db = await ContextAsync(provider))
        {
            db.Datasets.Add(Live(seller, moderator, category, $"{word} two", "x", Now));
            await db.SaveChangesAsync(Ct);
        }

        (await q.SearchAsync(search, Ct)).TotalCount.ShouldBe(2, "a save through the application empties the cache");

        // Raw SQL bypasses the application's saves: the result may be stale, but only for the cache's lifetime.
        await using (var db = await ContextAsync(provider))
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE "Datasets" SET "Status" = 'Delisted' WHERE "Id" = {first.Id}""", Ct);
        }

        (await q.SearchAsync(search, Ct)).TotalCount.ShouldBe(2);
        Clock.Advance(TimeSpan.FromSeconds(30));
        (await q.SearchAsync(search, Ct)).TotalCount.ShouldBe(1);
    }

}
