using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Queries;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Persistence;

namespace NeuroData.Tests.Integration.Queries;

public sealed class TrainingQueriesTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task ListForUser_ShowsOnlyTheUsersRuns_NewestFirst_WithDatasetTitles(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var user = await SeedUserAsync(provider, "trainer");
        var other = await SeedUserAsync(provider, "other");
        await using (var db = await ContextAsync(provider))
        {
            var dataset = TestData.LiveDataset(seller, moderator, UniqueSlug("train"), Now);
            db.Datasets.Add(dataset);
            var version = dataset.LatestReadyVersion!;
            var first = new TrainingRun(user, version.Id, TrainingTask.Regression, "LightGbm", "temp", ["wind"], null, Now.AddMinutes(-10));
            first.Start(Now.AddMinutes(-9));
            first.Succeed("{\"rSquared\":0.81}", Now.AddMinutes(-5));
            var second = new TrainingRun(user, version.Id, TrainingTask.BinaryClassification, "FastTree", "rain", ["wind"], null, Now.AddMinutes(-2));
            second.Start(Now.AddMinutes(-1));
            second.ReportProgress(40);
            var failed = new TrainingRun(user, version.Id, TrainingTask.Clustering, "KMeans", null, ["wind"], null, Now.AddMinutes(-20));
            failed.Fail("Out of memory", Now.AddMinutes(-19));
            db.TrainingRuns.AddRange(first, second, failed);
            db.TrainingRuns.Add(new TrainingRun(other, version.Id, TrainingTask.Regression, "Sdca", "temp", ["wind"], null, Now));
            await db.SaveChangesAsync(Ct);
        }

        var runs = await Queries(provider).ListForUserAsync(user, cancellationToken: Ct);

        runs.TotalCount.ShouldBe(3);
        runs.Items.Select(r => r.Trainer).ShouldBe(["FastTree", "LightGbm", "KMeans"]);
        runs.Items.ShouldAllBe(r => r.DatasetTitle == "Berlin weather 2024" && r.VersionNumber == 1);
        runs.Items[0].Status.ShouldBe(TrainingRunStatus.Running);
        runs.Items[0].ProgressPercent.ShouldBe(40);
        runs.Items[1].Status.ShouldBe(TrainingRunStatus.Succeeded);
        runs.Items[1].FinishedAt.ShouldBe(Now.AddMinutes(-5));
        runs.Items[2].FailureReason.ShouldBe("Out of memory");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task ListForUser_WithoutRuns_IsEmpty_AndPagesAreClamped(DbProvider provider)
    {
        var user = await SeedUserAsync(provider, "idle");

        var runs = await Queries(provider).ListForUserAsync(user, page: 0, pageSize: 10_000, cancellationToken: Ct);

        runs.TotalCount.ShouldBe(0);
        runs.Items.ShouldBeEmpty();
        runs.Page.ShouldBe(1);
        runs.PageSize.ShouldBe(TrainingQueries.MaxPageSize);
        runs.PageCount.ShouldBe(1);
    }

    private TrainingQueries Queries(DbProvider provider) => new(new ContextFactory(() => ContextAsync(provider)));
}
