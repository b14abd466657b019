using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Datasets.Engagement;
using NeuroData.Infrastructure.Queries;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Queries;
using static NeuroData.Tests.Integration.Search.SearchTestData;

namespace NeuroData.Tests.Integration.Search;

/// <summary>The dataset page data, views, reviews by verified buyers and favourites, on both providers.</summary>
public sealed class DatasetEngagementTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private static long _chainIds = Random.Shared.Next(1_000_000, 2_000_000) * 1000L;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Review_ByNonBuyer_IsRefused_AndChangesNothing(DbProvider provider)
    {
        var (dataset, _, _) = await LiveDatasetAsync(provider);
        var stranger = await SeedUserAsync(provider, "stranger");
        var pendingBuyer = await SeedUserAsync(provider, "pending");
        await AddPurchaseAsync(provider, dataset, pendingBuyer, confirm: false);
        var refundedBuyer = await SeedUserAsync(provider, "refunded");
        await AddPurchaseAsync(provider, dataset, refundedBuyer, confirm: true, refund: true);
        var service = Service(provider);

        foreach (var user in new[] { stranger, pendingBuyer, refundedBuyer })
        {
            var ex = await Should.ThrowAsync<DomainException>(() => service.SubmitReviewAsync(user, dataset, 5, "Great", Ct));
            ex.Message.ShouldContain("verified buyers");
        }

        await using var db = await ContextAsync(provider);
        (await db.DatasetReviews.CountAsync(r => r.DatasetId == dataset, Ct)).ShouldBe(0);
        (await db.Datasets.SingleAsync(d => d.Id == dataset, Ct)).ReviewCount.ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Review_SecondTimeEditsTheFirst_AndTheAverageFollows(DbProvider provider)
    {
        var (dataset, seller, _) = await LiveDatasetAsync(provider);
        var alice = await SeedUserAsync(provider, "alice");
        var bob = await SeedUserAsync(provider, "bob");
        await AddPurchaseAsync(provider, dataset, alice, confirm: true);
        await AddPurchaseAsync(provider, dataset, bob, confirm: true, complete: true);
        var service = Service(provider);

        await service.SubmitReviewAsync(alice, dataset, 2, "Meh", Ct);
        await service.SubmitReviewAsync(bob, dataset, 5, "Great", Ct);
        var edited = await service.SubmitReviewAsync(alice, dataset, 4, "Better after the update", Ct);

        edited.Rating.ShouldBe(4);
        edited.EditedAt.ShouldNotBeNull();
        await using (var db = await ContextAsync(provider))
        {
            (await db.DatasetReviews.CountAsync(r => r.DatasetId == dataset, Ct)).ShouldBe(2);
            var d = await db.Datasets.SingleAsync(x => x.Id == dataset, Ct);
            d.ReviewCount.ShouldBe(2);
            d.RatingSum.ShouldBe(9);
            d.AverageRating.ShouldBe(4.5);
        }

        (await Should.ThrowAsync<DomainException>(() => service.SubmitReviewAsync(alice, dataset, 6, null, Ct))).Message.ShouldContain("1 to 5");
        (await Should.ThrowAsync<DomainException>(() => service.SubmitReviewAsync(seller, dataset, 5, null, Ct))).Message.ShouldContain("own dataset");

        var page = await service.GetAsync(await SlugAsync(provider, dataset), new DatasetViewer(alice, false), Ct);
        page.ShouldNotBeNull();
        page.Viewer.CanReview.ShouldBeTrue();
        page.Viewer.OwnReview.ShouldNotBeNull().Text.ShouldBe("Better after the update");
        page.Reviews.Count.ShouldBe(2);
        page.AverageRating.ShouldBe(4.5);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Favorite_IsIdempotent_InBothDirections(DbProvider provider)
    {
        var (dataset, _, _) = await LiveDatasetAsync(provider);
        var user = await SeedUserAsync(provider, "fan");
        var service = Service(provider);

        (await service.SetFavoriteAsync(user, dataset, true, Ct)).ShouldBe(1);
        (await service.SetFavoriteAsync(user, dataset, true, Ct)).ShouldBe(1);
        await using (var db = await ContextAsync(provider))
        {
            (await db.Favorites.CountAsync(f => f.DatasetId == dataset, Ct)).ShouldBe(1);
        }

        (await service.GetAsync(await SlugAsync(provider, dataset), new DatasetViewer(user, false), Ct))!.Viewer.IsFavorite.ShouldBeTrue();
        (await service.SetFavoriteAsync(user, dataset, false, Ct)).ShouldBe(0);
        (await service.SetFavoriteAsync(user, dataset, false, Ct)).ShouldBe(0);
        await using (var db = await ContextAsync(provider))
        {
            (await db.Favorites.CountAsync(f => f.DatasetId == dataset, Ct)).ShouldBe(0);
            (await db.Datasets.SingleAsync(d => d.Id == dataset, Ct)).FavoriteCount.ShouldBe(0);
        }

        (await service.GetAsync(await SlugAsync(provider, dataset), new DatasetViewer(user, false), Ct))!.Viewer.IsFavorite.ShouldBeFalse();
        await Should.ThrowAsync<DomainException>(() => service.SetFavoriteAsync(user, Guid.CreateVersion7(), true, Ct));
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task NonLiveDataset_IsVisibleOnlyToSellerModeratorsAndAdmins(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var stranger = await SeedUserAsync(provider, "stranger");
        var draft = Draft(seller, null, "Secret draft", "x", Now);
        await using (var db = await ContextAsync(provider))
        {
            db.Datasets.Add(draft);
            await db.SaveChangesAsync(Ct);
        }

        var service = Service(provider);
        (await service.GetAsync(draft.Slug, DatasetViewer.Anonymous, Ct)).ShouldBeNull();
        (await service.GetAsync(draft.Slug, new DatasetViewer(stranger, false), Ct)).ShouldBeNull();
        (await service.GetAsync(draft.Slug, new DatasetViewer(seller, false), Ct)).ShouldNotBeNull().Viewer.IsSeller.ShouldBeTrue();
        (await service.GetAsync(draft.Slug, new DatasetViewer(stranger, true), Ct)).ShouldNotBeNull().Status.ShouldBe(DatasetStatus.Draft);
        (await service.GetAsync("no-such-dataset", DatasetViewer.Anonymous, Ct)).ShouldBeNull();
        await Should.ThrowAsync<DomainException>(() => service.SetFavoriteAsync(stranger, draft.Id, true, Ct));
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Views_CountOncePerSignedInUser_AndNeverForTheSeller(DbProvider provider)
    {
        var (dataset, seller, _) = await LiveDatasetAsync(provider);
        var user = await SeedUserAsync(provider, "viewer");
        var service = Service(provider);

        (await service.RecordViewAsync(dataset, user, "127.0.0.1", Ct)).ShouldBeTrue();
        (await service.RecordViewAsync(dataset, user, "127.0.0.1", Ct)).ShouldBeFalse();
        (await service.RecordViewAsync(dataset, seller, null, Ct)).ShouldBeFalse();
        (await service.RecordViewAsync(dataset, null, null, Ct)).ShouldBeTrue();

        await using var db = await ContextAsync(provider);
        (await db.Datasets.SingleAsync(d => d.Id == dataset, Ct)).ViewCount.ShouldBe(2);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Page_ShowsProfilePreviewRowsChosenBySeller_SchemaVersionsAndSellersOtherDatasets(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var profile = new DatasetProfile(
            DatasetFormat.Csv, 3,
            [new ColumnProfile("temp", ColumnType.Number, 0, 3, false, new NumericStatistics(1, 3, 2, 1, 2), [], [new HistogramBin(1, 2, 1), new HistogramBin(2, 3, 2)])],
            [["1"], ["2"], ["=HYPERLINK(\"x\")"]], []);
        var json = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        var d = new Dataset(seller, "Profiled", $"ds-{Guid.NewGuid():N}", "desc", "MIT", null, TokenAmount.FromTokens(3), TimeSpan.FromDays(1), DatasetAccessTypes.Download, Now);
        var v = d.AddVersion(Persistence.TestData.RandomCidV0(), 77, DatasetFormat.Csv, Persistence.TestData.Sha256Hex(3), [1], Now);
        v.SetPreview(System.Text.Json.JsonSerializer.Serialize(profile.PreviewRows, json), 2);
        v.MarkReady(System.Text.Json.JsonSerializer.Serialize(profile.Schema, json), System.Text.Json.JsonSerializer.Serialize(profile, json), 3);
        d.SubmitForReview(Now);
        d.Approve(moderator, Now);
        var other = Live(seller, moderator, null, "Other of seller", "x", Now);
        await using (var db = await ContextAsync(provider))
        {
            db.UserProfiles.Add(new UserProfile(seller, "Acme Data", Now));
            db.Datasets.AddRange(d, other);
            await db.SaveChangesAsync(Ct);
        }

        var page = await Service(provider).GetAsync(d.Slug.ToUpperInvariant(), DatasetViewer.Anonymous, Ct);

        page.ShouldNotBeNull();
        page.Seller.DisplayName.ShouldBe("Acme Data");
        page.Seller.OtherDatasets.Select(o => o.Title).ShouldBe(["Other of seller"]);
        var latest = page.Latest.ShouldNotBeNull();
        latest.Cid.ShouldBe(v.Cid);
        latest.Preview.Count.ShouldBe(2, "only the rows the seller chose to show");
        latest.Schema.ShouldHaveSingleItem().ShouldBe(new ColumnSchema("temp", ColumnType.Number));
        latest.Profile.ShouldNotBeNull().Columns.ShouldHaveSingleItem().Histogram.Count.ShouldBe(2);
        page.Versions.ShouldHaveSingleItem().Number.ShouldBe(1);
    }

    private DatasetEngagement Service(DbProvider provider)
    {
        var factory = new ContextFactory(() => ContextAsync(provider));
        return new DatasetEngagement(factory, new MarketplaceQueries(factory), Clock);
    }

    private async Task<string> SlugAsync(DbProvider provider, Guid dataset)
    {
        await using var db = await ContextAsync(provider);
        return await db.Datasets.Where(d => d.Id == dataset).Select(d => d.Slug).SingleAsync(Ct);
    }

    private async Task<(Guid Dataset, Guid Seller, Guid Moderator)> LiveDatasetAsync(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var d = Live(seller, moderator, null, "Engagement", "x", Now);
        await using var db = await ContextAsync(provider);
        db.Datasets.Add(d);
        await db.SaveChangesAsync(Ct);
        return (d.Id, seller, moderator);
    }

    private async Task AddPurchaseAsync(DbProvider provider, Guid datasetId, Guid buyer, bool confirm, bool complete = false, bool refund = false)
    {
        await using var db = await ContextAsync(provider);
        var dataset = await db.Datasets.Include(d => d.Versions).SingleAsync(d => d.Id == datasetId, Ct);
        var purchase = Purchase.Start(dataset, dataset.LatestReadyVersion!, buyer, DatasetAccessTypes.Download, 25, Now);
        if (confirm)
        {
            var id = Interlocked.Increment(ref _chainIds);
            purchase.Confirm(id, id, Now);
        }

        if (complete)
        {
            purchase.Complete(Now);
        }

        if (refund)
        {
            purchase.MarkRefunded(Now);
        }

        db.Purchases.Add(purchase);
        await db.SaveChangesAsync(Ct);
    }
}
