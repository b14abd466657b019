using NeuroData.Domain.Commerce;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Queries;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Persistence;

namespace NeuroData.Tests.Integration.Queries;

public sealed class DashboardQueriesTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task NewUser_HasZeroCounts_AndNoActivity(DbProvider provider)
    {
        var user = await SeedUserAsync(provider, "new");

        var summary = await Queries(provider).GetAsync(user, Ct);

        summary.Purchases.ShouldBe(0);
        summary.Sales.ShouldBe(0);
        summary.Datasets.ShouldBe(0);
        summary.LiveDatasets.ShouldBe(0);
        summary.TrainingRuns.ShouldBe(0);
        summary.RecentActivity.ShouldBeEmpty();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Counts_AreThoseOfTheUser_ByStatus(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var buyer = await SeedUserAsync(provider, "buyer");
        var other = await SeedUserAsync(provider, "other");
        var moderator = await SeedUserAsync(provider, "moderator");
        await using (var db = await ContextAsync(provider))
        {
            var live = TestData.LiveDataset(seller, moderator, UniqueSlug("live"), Now);
            var draft = TestData.NewDataset(seller, UniqueSlug("draft"), Now);
            var othersDataset = TestData.LiveDataset(other, moderator, UniqueSlug("other"), Now);
            db.Datasets.AddRange(live, draft, othersDataset);
            var version = live.LatestReadyVersion!;

            // Buyer: one paid, one completed, one pending, one failed (not counted) purchase of the seller's dataset.
            var paid = Purchase.Start(live, version, buyer, DatasetAccessTypes.Download, 25, Now);
            paid.Confirm(Random.Shared.NextInt64(1, long.MaxValue), Random.Shared.NextInt64(1, long.MaxValue), Now);
            var completed = Purchase.Start(live, version, buyer, DatasetAccessTypes.TrainingOnly, 25, Now);
            completed.Confirm(Random.Shared.NextInt64(1, long.MaxValue), Random.Shared.NextInt64(1, long.MaxValue), Now);
            completed.Complete(Now);
            var pending = Purchase.Start(live, version, buyer, DatasetAccessTypes.Download, 25, Now);
            var failed = Purchase.Start(live, version, buyer, DatasetAccessTypes.Download, 25, Now);
            failed.MarkFailed("Reverted", Now);
            // The seller bought somebody else's dataset once.
            var sellersOwn = Purchase.Start(othersDataset, othersDataset.LatestReadyVersion!, seller, DatasetAccessTypes.Download, 25, Now);
            db.Purchases.AddRange(paid, completed, pending, failed, sellersOwn);

            db.TrainingRuns.Add(new TrainingRun(buyer, version.Id, TrainingTask.Regression, "LightGbm", "temp", ["wind"], null, Now));
            db.TrainingRuns.Add(new TrainingRun(buyer, version.Id, TrainingTask.Clustering, "KMeans", null, ["wind", "rain"], null, Now));
            db.TrainingRuns.Add(new TrainingRun(other, version.Id, TrainingTask.Clustering, "KMeans", null, ["wind"], null, Now));
            await db.SaveChangesAsync(Ct);
        }

        var queries = Queries(provider);
        var sellerView = await queries.GetAsync(seller, Ct);
        sellerView.Datasets.ShouldBe(2);
        sellerView.LiveDatasets.ShouldBe(1);
        sellerView.Sales.ShouldBe(2);
        sellerView.Purchases.ShouldBe(1);
        sellerView.TrainingRuns.ShouldBe(0);

        var buyerView = await queries.GetAsync(buyer, Ct);
        buyerView.Purchases.ShouldBe(3);
        buyerView.Sales.ShouldBe(0);
        buyerView.Datasets.ShouldBe(0);
        buyerView.TrainingRuns.ShouldBe(2);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task RecentActivity_IsTheUsersOwn_NewestFirst_AndLimited(DbProvider provider)
    {
        var user = await SeedUserAsync(provider, "active");
        var stranger = await SeedUserAsync(provider, "stranger");
        await using (var db = await ContextAsync(provider))
        {
            for (var i = 0; i < DashboardQueries.RecentActivityCount + 2; i++)
            {
                db.UserActivities.Add(new UserActivity(user, UserActivityKind.SignedIn, Now.AddMinutes(i), "198.51.100.1", "ua", $"sign-in {i}"));
            }

            db.UserActivities.Add(new UserActivity(stranger, UserActivityKind.PasswordChanged, Now.AddHours(1), null, null, "not yours"));
            await db.SaveChangesAsync(Ct);
        }

        var activity = (await Queries(provider).GetAsync(user, Ct)).RecentActivity;

        activity.Count.ShouldBe(DashboardQueries.RecentActivityCount);
        activity[0].Detail.ShouldBe($"sign-in {DashboardQueries.RecentActivityCount + 1}");
        activity[0].At.ShouldBe(Now.AddMinutes(DashboardQueries.RecentActivityCount + 1));
        activity[0].IpAddress.ShouldBe("198.51.100.1");
        activity.Select(a => a.At).ShouldBeInOrder(SortDirection.Descending);
        activity.ShouldAllBe(a => a.Kind == UserActivityKind.SignedIn);
    }

    private DashboardQueries Queries(DbProvider provider) => new(new ContextFactory(() => ContextAsync(provider)));
}
