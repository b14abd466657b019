using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Queries;
using NeuroData.Infrastructure.Search;
using NeuroData.Infrastructure.Search.Index;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Queries;
using static NeuroData.Tests.Integration.Search.SearchTestData;

namespace NeuroData.Tests.Integration.Search;

/// <summary>
/// The in-memory index against the database engine on the same data (a differential test over random searches), and
/// its freshness: application writes show at once, writes behind the application's back after a refresh pass.
/// </summary>
public sealed class SearchIndexTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private static readonly string[] Words = ["river", "forest", "traffic", "market", "ocean", "cloud", "solar", "wind", "harbor", "glacier", "meadow", "canyon"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task EveryFilterAndSort_GivesTheDatabaseEnginesIdsAndTotals_OnRandomSearches(DbProvider provider)
    {
        var random = new Random(20261203);
        var seller = await SeedUserAsync(provider, "seller");
        var otherSeller = await SeedUserAsync(provider, "seller2");
        var moderator = await SeedUserAsync(provider, "moderator");
        var root = new Category("Index root", UniqueSlug("iroot"), null, null);
        var child = new Category("Index child", UniqueSlug("ichild"), null, root.Id);
        var tags = Enumerable.Range(0, 4).Select(i => new Tag(UniqueWord("itag"))).ToArray();
        var formats = Enum.GetValues<DatasetFormat>();
        await using (var db = await ContextAsync(provider))
        {
            db.Categories.AddRange(root, child);
            db.Tags.AddRange(tags);
            for (var i = 0; i < 240; i++)
            {
                string Text(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => Words[random.Next(Words.Length)]));
                var d = Live(
                    random.Next(4) == 0 ? otherSeller : seller, moderator, random.Next(3) == 0 ? child.Id : root.Id,
                    Text(1 + random.Next(3)), "notes " + Text(random.Next(8)), Now.AddMinutes(-random.Next(40)), // ties on purpose
                    priceTokens: 1 + random.Next(12), format: formats[random.Next(formats.Length)], sizeBytes: 1_000 * (1 + random.Next(5)),
                    access: random.Next(3) switch { 0 => DatasetAccessTypes.Download, 1 => DatasetAccessTypes.TrainingOnly, _ => DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly },
                    tags: tags.Where(_ => random.Next(3) == 0));
                for (var r = random.Next(3); r > 0; r--)
                {
                    d.RecordReview(1 + random.Next(5));
                }

                for (var p = random.Next(3); p > 0; p--)
                {
                    d.RecordPurchase();
                }

                d.SetFeatured(random.Next(5) == 0);
                db.Datasets.Add(d);
            }

            db.Datasets.Add(Draft(seller, root.Id, "river draft", "river", Now)); // never found
            await db.SaveChangesAsync(Ct);
        }

        var factory = new ContextFactory(() => ContextAsync(provider));
        var options = new SearchOptions { CountCap = 60, CacheSeconds = 0 };
        using var index = new MarketplaceSearchIndex(factory);
        await index.LoadAsync(Ct);
        var memory = new MarketplaceQueries(factory, options, Clock, index);
        var database = new MarketplaceQueries(factory, new SearchOptions { CountCap = 60, CacheSeconds = 0, Engine = SearchOptions.DatabaseEngine }, Clock);

        var sorts = Enum.GetValues<MarketplaceSort>();
        for (var n = 0; n < 250; n++)
        {
            var text = random.Next(3) switch
            {
                0 => null,
                1 => Words[random.Next(Words.Length)],
                _ => Words[random.Next(Words.Length)] + " " + Words[random.Next(Words.Length)],
            };
            var search = new MarketplaceSearch(text, random.Next(4) == 0 ? child.Id : root.Id, sorts[random.Next(sorts.Length)], 1 + random.Next(4), 5 + random.Next(20))
            {
                TagSlugs = random.Next(4) == 0 ? [tags[random.Next(tags.Length)].Slug] : [],
                MinPrice = random.Next(4) == 0 ? TokenAmount.FromTokens(random.Next(1, 8)) : null,
                MaxPrice = random.Next(4) == 0 ? TokenAmount.FromTokens(random.Next(4, 13)) : null,
                Format = random.Next(5) == 0 ? formats[random.Next(formats.Length)] : null,
                MinSizeBytes = random.Next(6) == 0 ? 2_000 : null,
                MaxSizeBytes = random.Next(6) == 0 ? 4_000 : null,
                MinRating = random.Next(5) == 0 ? random.Next(1, 6) : null,
                AccessType = random.Next(5) == 0 ? DatasetAccessTypes.TrainingOnly : null,
                FeaturedOnly = random.Next(6) == 0,
                SellerId = random.Next(6) == 0 ? otherSeller : null,
            };

            var expected = await database.SearchAsync(search, Ct);
            var actual = await memory.SearchAsync(search, Ct);
            var what = $"search {n}: {search}";
            actual.TotalCount.ShouldBe(expected.TotalCount, what);
            actual.TotalIsCapped.ShouldBe(expected.TotalIsCapped, what);
            if (search.Sort == MarketplaceSort.Relevance && text is not null)
            {
                // The ranking functions differ (ts_rank_cd on PostgreSQL; bm25 over every dataset, not only the live ones, in
                // FTS5): the same page holds the same datasets only when one page holds them all.
                if (expected.TotalCount <= search.PageSize && search.Page == 1)
                {
                    actual.Items.Select(i => i.Id).ShouldBe(expected.Items.Select(i => i.Id), ignoreOrder: true, what);
                }
            }
            else
            {
                actual.Items.Select(i => i.Id).ShouldBe(expected.Items.Select(i => i.Id), what);
                actual.Items.ShouldBe(expected.Items, what + " (the index's cards equal the database's)");
            }
        }
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task AppWrites_ShowAtOnce_PublishDelistPriceReviewAndTags(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var word = UniqueWord("fresh");
        var tag = new Tag(UniqueWord("ftag"));
        var first = Live(seller, moderator, null, $"{word} one", "x", Now);
        await using (var db = await ContextAsync(provider))
        {
            db.Datasets.Add(first);
            await db.SaveChangesAsync(Ct);
        }

        var (q, index) = await MemoryQueriesAsync(provider);
        using var _ = index;
        (await q.SearchAsync(new MarketplaceSearch(word), Ct)).TotalCount.ShouldBe(1);

        var second = Live(seller, moderator, null, $"{word} two", "x", Now);
        await using (var db = await ContextAsync(provider))
        {
            db.Datasets.Add(second);
            await db.SaveChangesAsync(Ct);
        }

        (await q.SearchAsync(new MarketplaceSearch(word), Ct)).TotalCount.ShouldBe(2, "published");

        await ChangeAsync(provider, first.Id, d => d.ChangePrice(TokenAmount.FromTokens(99)));
        (await q.SearchAsync(new MarketplaceSearch(word) { MinPrice = TokenAmount.FromTokens(50) }, Ct)).Items.ShouldHaveSingleItem().Id.ShouldBe(first.Id);

        await ChangeAsync(provider, second.Id, d => d.RecordReview(5));
        (await q.SearchAsync(new MarketplaceSearch(word) { MinRating = 5 }, Ct)).Items.ShouldHaveSingleItem().Id.ShouldBe(second.Id);

        await using (var db = await ContextAsync(provider))
        {
            var d = await db.Datasets.Include(x => x.Tags).SingleAsync(x => x.Id == first.Id, Ct);
            db.Tags.Add(tag); // a tag the index has never seen: its slug must filter at once
            d.SetTags([tag]);
            await db.SaveChangesAsync(Ct);
        }

        (await q.SearchAsync(new MarketplaceSearch(word) { TagSlugs = [tag.Slug] }, Ct)).Items.ShouldHaveSingleItem().Id.ShouldBe(first.Id);
        (await q.SearchAsync(new MarketplaceSearch($"{word} {tag.Name}"), Ct)).Items.ShouldHaveSingleItem().Id.ShouldBe(first.Id, "tag names are keywords");

        await using (var db = await ContextAsync(provider))
        {
            var profile = new UserProfile(seller, "Old seller name", Now);
            db.UserProfiles.Add(profile);
            await db.SaveChangesAsync(Ct);
            profile.UpdateProfile("Renamed seller", null, null);
            await db.SaveChangesAsync(Ct);
        }

        var cards = (await q.SearchAsync(new MarketplaceSearch(word), Ct)).Items;
        cards.Select(c => c.SellerName).ShouldBe(["Renamed seller", "Renamed seller"], "a profile saved through the app shows on the cards at once");

        await ChangeAsync(provider, first.Id, d => d.Delist(moderator, "Gone", Now));
        (await q.SearchAsync(new MarketplaceSearch(word), Ct)).Items.ShouldHaveSingleItem().Id.ShouldBe(second.Id, "delisted");
        (await q.SearchAsync(new MarketplaceSearch(word) { TagSlugs = [tag.Slug] }, Ct)).TotalCount.ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task WritesBehindTheAppsBack_ShowAfterTheRefreshPass(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var word = UniqueWord("behind");
        var a = Live(seller, moderator, null, $"{word} a", "x", Now, priceTokens: 5);
        var b = Live(seller, moderator, null, $"{word} b", "x", Now, priceTokens: 6);
        await using (var db = await ContextAsync(provider))
        {
            db.Datasets.AddRange(a, b);
            db.UserProfiles.Add(new UserProfile(seller, "Before", Now));
            await db.SaveChangesAsync(Ct);
        }

        var (q, index) = await MemoryQueriesAsync(provider);
        using var _ = index;
        var byPrice = new MarketplaceSearch(word, Sort: MarketplaceSort.PriceHighToLow);
        (await q.SearchAsync(byPrice, Ct)).Items.Select(i => i.Id).ShouldBe([b.Id, a.Id]);

        await using (var db = await ContextAsync(provider))
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE "Datasets" SET "Status" = 'Delisted' WHERE "Id" = {b.Id}""", Ct);
            await db.Database.ExecuteSqlAsync($"""UPDATE "Datasets" SET "PurchaseCount" = 7 WHERE "Id" = {a.Id}""", Ct);
        }

        await using (var db = await ContextAsync(provider))
        {
            await db.Database.ExecuteSqlAsync($"""UPDATE "UserProfiles" SET "DisplayName" = 'Renamed behind the app' WHERE "Id" = {seller}""", Ct);
        }

        (await q.SearchAsync(byPrice, Ct)).TotalCount.ShouldBe(2, "not seen before the refresh pass (the documented staleness)");

        (await index.RefreshAsync(Ct)).ShouldBeGreaterThanOrEqualTo(2);
        var after = await q.SearchAsync(byPrice with { Sort = MarketplaceSort.MostPurchased }, Ct);
        after.Items.ShouldHaveSingleItem().Id.ShouldBe(a.Id);
        after.Items[0].PurchaseCount.ShouldBe(7);
        after.Items[0].SellerName.ShouldBe("Renamed behind the app");
        (await index.RefreshAsync(Ct)).ShouldBe(0, "nothing left to reload");
    }

    private async Task<(MarketplaceQueries Queries, MarketplaceSearchIndex Index)> MemoryQueriesAsync(DbProvider provider)
    {
        var factory = new ContextFactory(() => ContextAsync(provider));
        var index = new MarketplaceSearchIndex(factory);
        await index.LoadAsync(Ct);
        return (new MarketplaceQueries(factory, SearchOptions.NoCache, Clock, index), index);
    }

    private async Task ChangeAsync(DbProvider provider, Guid id, Action<Dataset> change)
    {
        await using var db = await ContextAsync(provider);
        var d = await db.Datasets.SingleAsync(x => x.Id == id, Ct);
        change(d);
        await db.SaveChangesAsync(Ct);
    }
}
