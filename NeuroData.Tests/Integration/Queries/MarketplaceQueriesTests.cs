using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Queries;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Persistence;

namespace NeuroData.Tests.Integration.Queries;

/// <summary>
/// The marketplace query on both providers. Each test works in its own new category (the class shares one database),
/// so counts are exact.
/// </summary>
public sealed class MarketplaceQueriesTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Search_ReturnsOnlyLiveDatasets_WithCategoryAndSellerNames(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider, "Climate");
        await using (var db = await ContextAsync(provider))
        {
            db.UserProfiles.Add(new UserProfile(seller, "Weather Works", Now));
            db.Datasets.Add(Live(seller, moderator, category, "Live rainfall", "# Rain\nHourly **rain** in Berlin.", 5));
            db.Datasets.Add(Draft(seller, category, "Draft only"));
            var rejected = Draft(seller, category, "Rejected one", withVersion: true);
            rejected.SubmitForReview(Now);
            rejected.Reject(moderator, "Blurry", Now);
            db.Datasets.Add(rejected);
            var delisted = Live(seller, moderator, category, "Delisted one", "Gone.", 2);
            delisted.Delist(moderator, "Licence problem", Now);
            db.Datasets.Add(delisted);
            await db.SaveChangesAsync(Ct);
        }

        var result = await Queries(provider).SearchAsync(new MarketplaceSearch(CategoryId: category), Ct);

        result.TotalCount.ShouldBe(1);
        var card = result.Items.ShouldHaveSingleItem();
        card.Title.ShouldBe("Live rainfall");
        card.CategoryName.ShouldBe("Climate");
        card.SellerName.ShouldBe("Weather Works");
        card.Price.ShouldBe(TokenAmount.FromTokens(5));
        card.Summary.ShouldBe("Hourly rain in Berlin.");
        card.AccessTypes.ShouldBe(DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Search_MatchesTitleOrDescription_CaseInsensitive_AndTreatsWildcardsLiterally(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider, "Text");
        await using (var db = await ContextAsync(provider))
        {
            db.Datasets.Add(Live(seller, moderator, category, "Ocean TEMPERATURES", "Buoys.", 1));
            db.Datasets.Add(Live(seller, moderator, category, "Traffic counts", "Cars and temperatures at crossings.", 1));
            db.Datasets.Add(Live(seller, moderator, category, "Discounts 100%", "Shop data.", 1));
            db.Datasets.Add(Live(seller, moderator, category, "Stock prices", "Daily closes.", 1));
            await db.SaveChangesAsync(Ct);
        }

        var queries = Queries(provider);
        var temps = await queries.SearchAsync(new MarketplaceSearch("temperatures", category), Ct);
        temps.Items.Select(i => i.Title).ShouldBe(["Ocean TEMPERATURES", "Traffic counts"], ignoreOrder: true);

        var percent = await queries.SearchAsync(new MarketplaceSearch("100%", category), Ct);
        percent.Items.ShouldHaveSingleItem().Title.ShouldBe("Discounts 100%");

        var literalPercent = await queries.SearchAsync(new MarketplaceSearch("%", category), Ct);
        literalPercent.Items.ShouldHaveSingleItem().Title.ShouldBe("Discounts 100%");

        var none = await queries.SearchAsync(new MarketplaceSearch("zebra", category), Ct);
        none.TotalCount.ShouldBe(0);
        none.Items.ShouldBeEmpty();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Search_SortsByExactPrice_EvenBeyondLongRange(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider, "Prices");
        // 10^30 base units does not fit a long: the order must come from the exact stored value.
        var huge = TokenAmount.FromUnits(System.Numerics.BigInteger.Pow(10, 30));
        await using (var db = await ContextAsync(provider))
        {
            db.Datasets.Add(Live(seller, moderator, category, "Nine", "n", price: TokenAmount.FromTokens(9)));
            db.Datasets.Add(Live(seller, moderator, category, "Huge", "h", price: huge));
            db.Datasets.Add(Live(seller, moderator, category, "Half", "h", price: TokenAmount.ParseTokens("0.5")));
            db.Datasets.Add(Live(seller, moderator, category, "Ten", "t", price: TokenAmount.FromTokens(10)));
            await db.SaveChangesAsync(Ct);
        }

        var queries = Queries(provider);
        var up = await queries.SearchAsync(new MarketplaceSearch(CategoryId: category, Sort: MarketplaceSort.PriceLowToHigh), Ct);
        up.Items.Select(i => i.Title).ShouldBe(["Half", "Nine", "Ten", "Huge"]);
        var down = await queries.SearchAsync(new MarketplaceSearch(CategoryId: category, Sort: MarketplaceSort.PriceHighToLow), Ct);
        down.Items.Select(i => i.Title).ShouldBe(["Huge", "Ten", "Nine", "Half"]);
        down.Items[0].Price.ShouldBe(huge);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Search_SortsByNewest_Popularity_AndRating(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider, "Sorting");
        await using (var db = await ContextAsync(provider))
        {
            var old = Live(seller, moderator, category, "Old", "o", 1, approvedAt: Now.AddDays(-3));
            old.RecordPurchase();
            old.RecordPurchase();
            old.RecordReview(3);
            var mid = Live(seller, moderator, category, "Mid", "m", 1, approvedAt: Now.AddDays(-2));
            mid.RecordReview(5);
            mid.RecordReview(4);
            var fresh = Live(seller, moderator, category, "Fresh", "f", 1, approvedAt: Now.AddDays(-1));
            fresh.RecordPurchase();
            db.Datasets.AddRange(old, mid, fresh);
            await db.SaveChangesAsync(Ct);
        }

        var queries = Queries(provider);
        (await queries.SearchAsync(new MarketplaceSearch(CategoryId: category), Ct)).Items.Select(i => i.Title).ShouldBe(["Fresh", "Mid", "Old"]);
        (await queries.SearchAsync(new MarketplaceSearch(CategoryId: category, Sort: MarketplaceSort.MostPurchased), Ct))
            .Items.Select(i => i.Title).ShouldBe(["Old", "Fresh", "Mid"]);
        var rated = await queries.SearchAsync(new MarketplaceSearch(CategoryId: category, Sort: MarketplaceSort.TopRated), Ct);
        rated.Items.Select(i => i.Title).ShouldBe(["Mid", "Old", "Fresh"]);
        rated.Items[0].AverageRating.ShouldBe(4.5);
        rated.Items[2].AverageRating.ShouldBeNull();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Search_PagesThroughResults_WithoutGapsOrRepeats(DbProvider provider)
    {
        var (seller, moderator, category) = await SetupAsync(provider, "Paging");
        await using (var db = await ContextAsync(provider))
        {
            for (var i = 0; i < 7; i++)
            {
                db.Datasets.Add(Live(seller, moderator, category, $"Set {i}", "s", 1, approvedAt: Now.AddMinutes(-i)));
            }

            await db.SaveChangesAsync(Ct);
        }

        var queries = Queries(provider);
        var pages = new List<PagedResult<DatasetCard>>();
        for (var page = 1; page <= 4; page++)
        {
            pages.Add(await queries.SearchAsync(new MarketplaceSearch(CategoryId: category, Page: page, PageSize: 3), Ct));
        }

        pages.ShouldAllBe(p => p.TotalCount == 7 && p.PageCount == 3);
        pages.Select(p => p.Items.Count).ShouldBe([3, 3, 1, 0]);
        pages.SelectMany(p => p.Items).Select(i => i.Title).ShouldBe(Enumerable.Range(0, 7).Select(i => $"Set {i}"));

        var clamped = await queries.SearchAsync(new MarketplaceSearch(CategoryId: category, Page: -5, PageSize: 1000), Ct);
        clamped.Page.ShouldBe(1);
        clamped.PageSize.ShouldBe(MarketplaceQueries.MaxPageSize);
        clamped.Items.Count.ShouldBe(7);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Categories_AreListedByName(DbProvider provider)
    {
        var (_, _, zeta) = await SetupAsync(provider, "Zeta things");
        var (_, _, alpha) = await SetupAsync(provider, "Alpha things");

        var categories = await Queries(provider).CategoriesAsync(Ct);

        var ours = categories.Where(c => c.Id == zeta || c.Id == alpha).Select(c => c.Name).ToList();
        ours.ShouldBe(["Alpha things", "Zeta things"]);
    }

    [Fact]
    public void Summarize_StripsMarkdown_AndShortensLongText()
    {
        MarketplaceQueries.Summarize("## Title\n\n* **bold** and `code` [link]").ShouldBe("bold and code link");
        MarketplaceQueries.Summarize("# Only a heading").ShouldBe("Only a heading");
        MarketplaceQueries.Summarize(null).ShouldBe(string.Empty);
        var longText = MarketplaceQueries.Summarize(new string('a', 500));
        longText.Length.ShouldBe(MarketplaceQueries.SummaryLength);
        longText.ShouldEndWith("…");
    }

    private MarketplaceQueries Queries(DbProvider provider) => new(new ContextFactory(() => ContextAsync(provider)));

    private async Task<(Guid Seller, Guid Moderator, Guid Category)> SetupAsync(DbProvider provider, string categoryName)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var category = new Category(categoryName, UniqueSlug("cat"), null, null);
        await using var db = await ContextAsync(provider);
        db.Categories.Add(category);
        await db.SaveChangesAsync(Ct);
        return (seller, moderator, category.Id);
    }

    private Dataset Draft(Guid seller, Guid category, string title, bool withVersion = false)
    {
        var d = new Dataset(seller, title, UniqueSlug("ds"), "Draft.", "CC-BY-4.0", category, TokenAmount.FromTokens(1),
            TimeSpan.FromDays(3), DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly, Now);
        if (withVersion)
        {
            d.AddVersion(TestData.RandomCidV0(), 100, DatasetFormat.Csv, TestData.Sha256Hex(2), [1], Now).MarkReady("{}", "{}", 1);
        }

        return d;
    }

    private Dataset Live(Guid seller, Guid moderator, Guid category, string title, string description, long tokens = 1, TokenAmount? price = null, DateTimeOffset? approvedAt = null)
    {
        var d = new Dataset(seller, title, UniqueSlug("ds"), description, "CC-BY-4.0", category, price ?? TokenAmount.FromTokens(tokens),
            TimeSpan.FromDays(3), DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly, Now);
        d.AddVersion(TestData.RandomCidV0(), 100, DatasetFormat.Csv, TestData.Sha256Hex(1), [1], Now).MarkReady("{}", "{}", 1);
        d.SubmitForReview(Now);
        d.Approve(moderator, approvedAt ?? Now);
        return d;
    }
}
