using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Queries;
using NeuroData.Infrastructure.Search.Index;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Queries;
using static NeuroData.Tests.Integration.Search.SearchTestData;

namespace NeuroData.Tests.Integration.Search;

/// <summary>
/// Full-text search, filters, sorts and paging of the marketplace on both providers (real SQLite file with FTS5,
/// real PostgreSQL with tsvector). Each test works in its own category and with its own words.
/// </summary>
public class DatasetSearchTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases), IDisposable
{
    private readonly List<MarketplaceSearchIndex> _indexes = [];

    /// <summary>False: the database engine; the derived class runs every test against the in-memory index.</summary>
    protected virtual bool UseMemoryIndex => false;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<DbProvider, string> HostileInputs()
    {
        string[] inputs =
        [
            "\"", "\"\"\"", "*", "weather*", "NEAR(", "NEAR(a b", "title:", "Title: rain", "'; drop table \"Datasets\"; --",
            "a OR", "AND", "NOT", "-", "^rain", "(", ")", "{col1 col2}:x", "🌧️ rain ☔", "🌧️", "%", "_", "\\", "\0", "rain\0rain", "\ud800 lone surrogate", "\u202e\r\n\t",
            "ünïcödé 東京 данные", new string('x', 10 * 1024), string.Concat(Enumerable.Repeat("rain \"*: ", 1200)),
        ];
        var data = new TheoryData<DbProvider, string>();
        foreach (var provider in new[] { DbProvider.Sqlite, DbProvider.Postgres })
        {
            foreach (var input in inputs)
            {
                data.Add(provider, input);
            }
        }

        return data;
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Relevance_PutsTitleMatchAboveTagMatchAboveDescriptionMatch(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        var word = UniqueWord("kelp");
        await using (var db = await ContextAsync(provider))
        {
            var tag = new Tag(word);
            db.Tags.Add(tag);
            // Inserted description-first so that insertion order cannot explain the result.
            db.Datasets.Add(Live(seller, moderator, category, "Ocean buoys", $"Readings near {word} forests and more.", Now));
            db.Datasets.Add(Live(seller, moderator, category, "Coastal survey", "Plain text.", Now, tags: [tag]));
            db.Datasets.Add(Live(seller, moderator, category, $"{word} growth rates", "Measured weekly.", Now));
            await db.SaveChangesAsync(Ct);
        }

        var result = await (await QueriesAsync(provider)).SearchAsync(new MarketplaceSearch(word, Sort: MarketplaceSort.Relevance), Ct);

        result.Items.Select(i => i.Title).ShouldBe([$"{word} growth rates", "Coastal survey", "Ocean buoys"]);
        result.TotalCount.ShouldBe(3);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Search_RequiresEveryWord_StemsWords_AndFollowsRenamedTagsAndCategories(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        var word = UniqueWord("wind");
        var other = UniqueWord("gust");
        Tag tag;
        await using (var db = await ContextAsync(provider))
        {
            tag = new Tag(UniqueWord("tagold"));
            db.Tags.Add(tag);
            db.Datasets.Add(Live(seller, moderator, category, $"{word} speeds", $"Hourly {other} measurements.", Now, tags: [tag]));
            db.Datasets.Add(Live(seller, moderator, category, $"{word} only", "Nothing else.", Now));
            await db.SaveChangesAsync(Ct);
        }

        var queries = await QueriesAsync(provider);
        (await queries.SearchAsync(new MarketplaceSearch($"{word} {other}"), Ct)).Items.ShouldHaveSingleItem().Title.ShouldBe($"{word} speeds");
        (await queries.SearchAsync(new MarketplaceSearch(word.ToUpperInvariant()), Ct)).TotalCount.ShouldBe(2);
        (await queries.SearchAsync(new MarketplaceSearch("measurement " + other), Ct)).TotalCount.ShouldBe(1, "stemming: measurement ~ measurements");
        (await queries.SearchAsync(new MarketplaceSearch(tag.Name), Ct)).TotalCount.ShouldBe(1);

        var renamed = UniqueWord("tagnew");
        var categoryName = UniqueWord("catname");
        await using (var db = await ContextAsync(provider))
        {
            // Renames go through raw SQL: Tag has no rename method, and the index must follow whoever writes the rows.
            await db.Database.ExecuteSqlAsync($"""UPDATE "Tags" SET "Name" = {renamed} WHERE "Id" = {tag.Id}""", Ct);
            var c = await db.Categories.SingleAsync(x => x.Id == category, Ct);
            c.Rename(categoryName, null);
            await db.SaveChangesAsync(Ct);
        }

        await RefreshIndexesAsync(); // the raw SQL rename reaches the in-memory index through its refresh pass
        (await queries.SearchAsync(new MarketplaceSearch(renamed), Ct)).TotalCount.ShouldBe(1);
        (await queries.SearchAsync(new MarketplaceSearch(tag.Name), Ct)).TotalCount.ShouldBe(0);
        (await queries.SearchAsync(new MarketplaceSearch(categoryName), Ct)).TotalCount.ShouldBe(2);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Search_NeverReturnsDatasetsThatAreNotLive(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        var word = UniqueWord("hidden");
        await using (var db = await ContextAsync(provider))
        {
            db.Datasets.Add(Draft(seller, category, $"{word} draft", "x", Now));
            var pending = Live(seller, moderator, category, $"{word} delisted", "x", Now);
            pending.Delist(moderator, "Licence problem", Now);
            db.Datasets.Add(pending);
            var rejected = Draft(seller, category, $"{word} rejected", "x", Now);
            var v = rejected.AddVersion(Persistence.TestData.RandomCidV0(), 10, DatasetFormat.Csv, Persistence.TestData.Sha256Hex(2), [1], Now);
            v.MarkReady("[]", "{}", 1);
            rejected.SubmitForReview(Now);
            db.Datasets.Add(rejected);
            db.Datasets.Add(Live(seller, moderator, category, $"{word} live", "x", Now));
            await db.SaveChangesAsync(Ct);
        }

        var queries = await QueriesAsync(provider);
        (await queries.SearchAsync(new MarketplaceSearch(word), Ct)).Items.ShouldHaveSingleItem().Title.ShouldBe($"{word} live");
        (await queries.SearchAsync(new MarketplaceSearch(CategoryId: category), Ct)).Items.ShouldHaveSingleItem().Title.ShouldBe($"{word} live");
    }

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public async Task HostileInput_ReturnsResultsOrNone_NeverAnError(DbProvider provider, string input)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        await using (var db = await ContextAsync(provider))
        {
            db.Datasets.Add(Live(seller, moderator, category, "Rain in Berlin", "Hourly rain, title: weather \"quoted\" NEAR(x).", Now));
            await db.SaveChangesAsync(Ct);
        }

        var queries = await QueriesAsync(provider);
        foreach (var sort in Enum.GetValues<MarketplaceSort>())
        {
            var result = await queries.SearchAsync(new MarketplaceSearch(input, category, sort), Ct);
            result.TotalCount.ShouldBeInRange(0, 1);
            result.Items.Count.ShouldBe(result.TotalCount);
        }

        // The datasets table is still there.
        (await queries.SearchAsync(new MarketplaceSearch(CategoryId: category), Ct)).TotalCount.ShouldBe(1);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task EachFilter_KeepsOnlyMatchingDatasets(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        var child = new Category("Child", UniqueSlug("child"), null, category);
        var nlp = new Tag(UniqueWord("nlp"));
        var vision = new Tag(UniqueWord("vision"));
        await using (var db = await ContextAsync(provider))
        {
            db.Categories.Add(child);
            db.Tags.AddRange(nlp, vision);
            db.Datasets.Add(Live(seller, moderator, category, "Cheap csv", "x", Now, priceTokens: 1, format: DatasetFormat.Csv, sizeBytes: 100, access: DatasetAccessTypes.Download, tags: [nlp]));
            var rated = Live(seller, moderator, child.Id, "Mid parquet", "x", Now, priceTokens: 10, format: DatasetFormat.Parquet, sizeBytes: 5_000, access: DatasetAccessTypes.TrainingOnly, tags: [nlp, vision]);
            rated.RecordReview(5);
            rated.RecordReview(4);
            db.Datasets.Add(rated);
            var poor = Live(seller, moderator, category, "Dear jsonl", "x", Now, priceTokens: 100, format: DatasetFormat.JsonLines, sizeBytes: 1_000_000, access: DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly);
            poor.RecordReview(2);
            poor.SetFeatured(true);
            db.Datasets.Add(poor);
            await db.SaveChangesAsync(Ct);
        }

        var q = await QueriesAsync(provider);
        async Task<string[]> Titles(MarketplaceSearch s) =>
            [.. (await q.SearchAsync(s.CategoryId is null && s.CategorySlug is null ? s with { CategoryId = category } : s, Ct)).Items.Select(i => i.Title).Order(StringComparer.Ordinal)];

        (await Titles(new MarketplaceSearch())).ShouldBe(["Cheap csv", "Dear jsonl", "Mid parquet"], "the category includes its sub-category");
        (await Titles(new MarketplaceSearch(CategoryId: child.Id))).ShouldBe(["Mid parquet"]);
        (await Titles(new MarketplaceSearch { CategorySlug = child.Slug })).ShouldBe(["Mid parquet"]);
        (await Titles(new MarketplaceSearch { CategorySlug = "no-such-category" })).ShouldBeEmpty();
        (await Titles(new MarketplaceSearch { TagSlugs = [nlp.Slug] })).ShouldBe(["Cheap csv", "Mid parquet"]);
        (await Titles(new MarketplaceSearch { TagSlugs = [nlp.Slug, vision.Slug] })).ShouldBe(["Mid parquet"]);
        (await Titles(new MarketplaceSearch { TagSlugs = ["no-such-tag"] })).ShouldBeEmpty();
        (await Titles(new MarketplaceSearch { MinPrice = TokenAmount.FromTokens(10) })).ShouldBe(["Dear jsonl", "Mid parquet"]);
        (await Titles(new MarketplaceSearch { MaxPrice = TokenAmount.FromTokens(10) })).ShouldBe(["Cheap csv", "Mid parquet"]);
        (await Titles(new MarketplaceSearch { MinPrice = TokenAmount.FromUnits(TokenAmount.FromTokens(10).Units + 1) })).ShouldBe(["Dear jsonl"], "exact base units");
        (await Titles(new MarketplaceSearch { MinPrice = TokenAmount.FromTokens(2), MaxPrice = TokenAmount.FromTokens(99) })).ShouldBe(["Mid parquet"]);
        (await Titles(new MarketplaceSearch { Format = DatasetFormat.Parquet })).ShouldBe(["Mid parquet"]);
        (await Titles(new MarketplaceSearch { Format = DatasetFormat.Zip })).ShouldBeEmpty();
        (await Titles(new MarketplaceSearch { MinSizeBytes = 1_000 })).ShouldBe(["Dear jsonl", "Mid parquet"]);
        (await Titles(new MarketplaceSearch { MaxSizeBytes = 5_000 })).ShouldBe(["Cheap csv", "Mid parquet"]);
        (await Titles(new MarketplaceSearch { MinRating = 4 })).ShouldBe(["Mid parquet"]);
        (await Titles(new MarketplaceSearch { MinRating = 2 })).ShouldBe(["Dear jsonl", "Mid parquet"]);
        (await Titles(new MarketplaceSearch { AccessType = DatasetAccessTypes.TrainingOnly })).ShouldBe(["Dear jsonl", "Mid parquet"]);
        (await Titles(new MarketplaceSearch { AccessType = DatasetAccessTypes.Download })).ShouldBe(["Cheap csv", "Dear jsonl"]);
        (await Titles(new MarketplaceSearch { FeaturedOnly = true })).ShouldBe(["Dear jsonl"]);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task EachSort_OrdersAsAsked(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        await using (var db = await ContextAsync(provider))
        {
            var old = Live(seller, moderator, category, "Old", "x", Now.AddDays(-3), priceTokens: 3);
            old.RecordPurchase();
            old.RecordView();
            old.RecordReview(3);
            var mid = Live(seller, moderator, category, "Mid", "x", Now.AddDays(-2), priceTokens: 1);
            mid.RecordPurchase();
            mid.RecordView();
            mid.RecordView();
            mid.RecordReview(5);
            var fresh = Live(seller, moderator, category, "Fresh", "x", Now.AddDays(-1), priceTokens: 2);
            fresh.RecordView();
            fresh.RecordView();
            fresh.RecordView();
            db.Datasets.AddRange(old, mid, fresh);
            await db.SaveChangesAsync(Ct);
        }

        var q = await QueriesAsync(provider);
        async Task<string[]> Titles(MarketplaceSort sort) =>
            [.. (await q.SearchAsync(new MarketplaceSearch(CategoryId: category, Sort: sort), Ct)).Items.Select(i => i.Title)];

        (await Titles(MarketplaceSort.Newest)).ShouldBe(["Fresh", "Mid", "Old"]);
        (await Titles(MarketplaceSort.Relevance)).ShouldBe(["Fresh", "Mid", "Old"], "without words relevance means newest");
        (await Titles(MarketplaceSort.PriceLowToHigh)).ShouldBe(["Mid", "Fresh", "Old"]);
        (await Titles(MarketplaceSort.PriceHighToLow)).ShouldBe(["Old", "Fresh", "Mid"]);
        (await Titles(MarketplaceSort.MostPurchased)).ShouldBe(["Mid", "Old", "Fresh"], "purchases first, then views");
        (await Titles(MarketplaceSort.TopRated)).ShouldBe(["Mid", "Old", "Fresh"]);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Pagination_IsStable_WhenSortKeysTie_AndWithFullText(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        var word = UniqueWord("page");
        await using (var db = await ContextAsync(provider))
        {
            for (var i = 0; i < 45; i++)
            {
                // Same time, price and text: only the id tells them apart.
                db.Datasets.Add(Live(seller, moderator, category, $"{word} set", "Same.", Now));
            }

            await db.SaveChangesAsync(Ct);
        }

        var q = await QueriesAsync(provider);
        foreach (var sort in Enum.GetValues<MarketplaceSort>())
        {
            foreach (var text in new string?[] { null, word })
            {
                var seen = new List<Guid>();
                for (var page = 1; page <= 3; page++)
                {
                    var result = await q.SearchAsync(new MarketplaceSearch(text, category, sort, page), Ct);
                    result.TotalCount.ShouldBe(45);
                    result.PageSize.ShouldBe(MarketplaceQueries.DefaultPageSize);
                    result.Items.Count.ShouldBe(page < 3 ? 20 : 5);
                    var again = await q.SearchAsync(new MarketplaceSearch(text, category, sort, page), Ct);
                    again.Items.Select(i => i.Id).ShouldBe(result.Items.Select(i => i.Id));
                    seen.AddRange(result.Items.Select(i => i.Id));
                }

                seen.Distinct().Count().ShouldBe(45, $"sort {sort}, text '{text}': no dataset twice, none skipped");
            }
        }
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task FeaturedAndPopular_ListLiveDatasets(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider);
        Dataset featured;
        await using (var db = await ContextAsync(provider))
        {
            featured = Live(seller, moderator, category, "Featured one", "x", Now);
            featured.SetFeatured(true);
            for (var i = 0; i < 100; i++)
            {
                featured.RecordPurchase();
            }

            db.Datasets.Add(featured);
            await db.SaveChangesAsync(Ct);
        }

        var q = await QueriesAsync(provider);
        (await q.FeaturedAsync(50, Ct)).ShouldContain(c => c.Id == featured.Id);
        (await q.FeaturedAsync(50, Ct)).ShouldAllBe(c => c.IsFeatured);
        (await q.PopularAsync(1, Ct)).ShouldHaveSingleItem().PurchaseCount.ShouldBeGreaterThanOrEqualTo(100);
    }

    public void Dispose()
    {
        foreach (var index in _indexes)
        {
            index.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Queries of the engine under test (the in-memory index loaded from the test's database).</summary>
    private async Task<MarketplaceQueries> QueriesAsync(DbProvider provider)
    {
        var factory = new ContextFactory(() => ContextAsync(provider));
        if (!UseMemoryIndex)
        {
            return new MarketplaceQueries(factory);
        }

        var index = new MarketplaceSearchIndex(factory);
        _indexes.Add(index);
        await index.LoadAsync(Ct);
        index.IsReady.ShouldBeTrue();
        return new MarketplaceQueries(factory, index: index);
    }

    /// <summary>What the periodic pass does for writes made behind the application's back (nothing for the database).</summary>
    private async Task RefreshIndexesAsync()
    {
        foreach (var index in _indexes)
        {
            await index.RefreshAsync(Ct);
        }
    }

    private async Task<(Guid Seller, Guid Moderator, Guid Category)> SetupAsync(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var category = new Category("Search tests", UniqueSlug("cat"), null, null);
        await using var db = await ContextAsync(provider);
        db.Categories.Add(category);
        await db.SaveChangesAsync(Ct);
        return (seller, moderator, category.Id);
    }
}

/// <summary>Every test of <see cref="DatasetSearchTests"/> against the in-memory index (engine "memory").</summary>
public sealed class DatasetSearchMemoryIndexTests(PostgresCluster cluster, TestDatabases databases) : DatasetSearchTests(cluster, databases)
{
    protected override bool UseMemoryIndex => true;
}
