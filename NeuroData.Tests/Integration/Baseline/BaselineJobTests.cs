using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Ingest;
using NeuroData.Infrastructure.Jobs;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Training;
using NeuroData.Infrastructure.Training.Baseline;
using NeuroData.Tests.Integration.Downloads;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Unit.Training;
using Quartz;
using Quartz.Impl.Matchers;

namespace NeuroData.Tests.Integration.Baseline;

/// <summary>
/// Try before you buy end to end below the page: a seller declares a label on a version ingested by the real inspector
/// (typed training form, stored encrypted), the real <c>training.baseline</c> Quartz job trains from the stored form and
/// keeps the metrics or a failure reason on the version, on SQLite and PostgreSQL.
/// </summary>
public sealed class BaselineJobTests : PersistenceTest, IDisposable
{
    private readonly PostgresCluster cluster;
    private readonly TestDatabases databases;
    private readonly TrainingFiles files = new();
    private readonly string tempFolder = Directory.CreateTempSubdirectory("nd-baseline-temp-").FullName;

    public BaselineJobTests(PostgresCluster cluster, TestDatabases databases)
        : base(cluster, databases)
    {
        this.cluster = cluster;
        this.databases = databases;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public void Dispose()
    {
        files.Dispose();
        Directory.Delete(tempFolder, true);
    }

    /// <summary>A host with the scheduler (not started), the engine and the baseline registrations, on the provider's test database.</summary>
    private async Task<IHost> HostAsync(DbProvider provider, InMemoryDatasetStorage storage)
    {
        var settings = await databases.GetAsync(provider, cluster);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development", ContentRootPath = tempFolder });
        builder.Configuration["NeuroData:Jobs:Enabled"] = "false";
        builder.Configuration["NeuroData:Training:Baseline:TempPath"] = tempFolder;
        builder.Configuration["NeuroData:Training:Baseline:SweepIntervalSeconds"] = "3600";
        builder.AddJobs();
        builder.Services.Configure<QuartzOptions>(o => o.SchedulerName = "baseline-tests-" + Guid.NewGuid().ToString("N"));
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSingleton<IDbContextFactory<NeuroDataDbContext>>(new NeuroDataDbContextFactory(settings, Clock));
        builder.Services.AddSingleton<IDatasetStorage>(storage);
        builder.Services.AddTrainingEngine(builder.Configuration);
        builder.Services.AddBaselines(builder.Configuration);
        var host = builder.Build();
        Quartz.Logging.LogContext.SetCurrentLogProvider(NullLoggerFactory.Instance);
        return host;
    }

    /// <summary>The service from a host whose scheduler is not started: declaring a label queues the job but nothing runs
    /// until the test runs a pass itself (as the job does).</summary>
    private async Task<(IHost Host, BaselineService Service)> ServiceAsync(DbProvider provider, InMemoryDatasetStorage storage)
    {
        var host = await HostAsync(provider, storage);
        return (host, host.Services.GetRequiredService<BaselineService>());
    }

    /// <summary>A ready version of a new dataset of a new seller, ingested from <paramref name="csvPath"/> by the real inspector.</summary>
    private async Task<(Guid Seller, Guid VersionId)> SeedAsync(DbProvider provider, InMemoryDatasetStorage storage, string csvPath)
    {
        using var form = new MemoryStream();
        var profile = await new DatasetInspector(new IngestOptions()).InspectAsync(csvPath, "data.csv", form, 5, Ct);
        form.Position = 0;
        var original = await storage.StoreAsync(new MemoryStream(await File.ReadAllBytesAsync(csvPath, Ct)), Ct);
        var training = await storage.StoreAsync(form, Ct);

        var seller = await SeedUserAsync(provider, "seller");
        var dataset = new Dataset(seller, "Outcomes", UniqueSlug("outcomes"), "Rows.", "MIT", null, TokenAmount.FromTokens(5), TimeSpan.FromDays(3),
            DatasetAccessTypes.Download, Now);
        var version = dataset.AddVersion(original.Cid, original.SizeBytes, DatasetFormat.Csv, original.Sha256Hex, original.WrappedKey, Now);
        version.AttachStorage(original.StorageCid, training.StorageCid, training.WrappedKey);
        version.MarkReady(JsonSerializer.Serialize(profile.Schema, Web), JsonSerializer.Serialize(profile, Web), profile.RowCount);
        await using var db = await ContextAsync(provider);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Ct);
        return (seller, version.Id);
    }

    private async Task<DatasetVersion> VersionAsync(DbProvider provider, Guid id)
    {
        await using var db = await ContextAsync(provider);
        return await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == id, Ct);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Declaring_a_label_fires_the_job_which_stores_a_baseline_that_beats_chance(DbProvider provider)
    {
        var storage = new InMemoryDatasetStorage();
        using var host = await HostAsync(provider, storage);
        var (seller, versionId) = await SeedAsync(provider, storage, files.Separable(rows: 400));
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);
        var ran = new JobDone();
        scheduler.ListenerManager.AddJobListener(ran, KeyMatcher<JobKey>.KeyEquals(BaselineJob.Key));
        await scheduler.Start(Ct);
        try
        {
            var choice = await host.Services.GetRequiredService<BaselineService>().DeclareLabelAsync(seller, versionId, "label", Ct);

            choice.Status.ShouldBe(BaselineStatus.Pending);
            choice.Columns.Select(c => c.Name).ShouldBe(["x1", "x2", "noise", "colour", "label"]);
            var error = await ran.Completed.WaitAsync(TimeSpan.FromMinutes(3), Ct);
            error.ShouldBeNull();
        }
        finally
        {
            await scheduler.Shutdown(true, Ct);
        }

        var version = await VersionAsync(provider, versionId);
        version.BaselineStatus.ShouldBe(BaselineStatus.Computed);
        version.BaselineComputedAt.ShouldBe(Now);
        version.BaselineFailureReason.ShouldBeNull();
        var metrics = BaselineTrainer.Read(version)!;
        metrics.Task.ShouldBe(TrainingTask.BinaryClassification);
        metrics.Label.ShouldBe("label");
        metrics.TestRows.ShouldBe(80);
        metrics.Binary!.Auc.ShouldBeGreaterThan(0.9);
        Directory.EnumerateFileSystemEntries(tempFolder).ShouldBeEmpty("the decrypted training form is deleted after training");

        var view = await host.Services.GetRequiredService<BaselineService>().GetAsync(version.DatasetId, version.VersionNumber, Ct);
        view!.Status.ShouldBe(BaselineStatus.Computed);
        view.Metrics!.PrimaryValue.ShouldBe(metrics.PrimaryValue);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_label_with_one_distinct_value_fails_with_the_reason_in_plain_words(DbProvider provider)
    {
        var storage = new InMemoryDatasetStorage();
        var csv = files.Write("constant.csv", ["x", "constant"], Enumerable.Range(0, 50).Select(i => new object?[] { i * 0.5, 1 }));
        var (seller, versionId) = await SeedAsync(provider, storage, csv);
        var (host, service) = await ServiceAsync(provider, storage);
        using var disposeHost = host;
        await service.DeclareLabelAsync(seller, versionId, "constant", Ct);

        var pass = await service.RunPendingAsync(Ct);

        pass.Failed.ShouldBeGreaterThanOrEqualTo(1);
        var version = await VersionAsync(provider, versionId);
        version.BaselineStatus.ShouldBe(BaselineStatus.Failed);
        version.BaselineFailureReason!.ShouldContain("'constant' has 1 distinct value");
        version.BaselineMetricsJson.ShouldBeNull();
        version.BaselineComputedAt.ShouldBe(Now);
        Directory.EnumerateFileSystemEntries(tempFolder).ShouldBeEmpty();

        // A second pass does not retry it; declaring the label again does.
        await service.RunPendingAsync(Ct);
        (await VersionAsync(provider, versionId)).BaselineStatus.ShouldBe(BaselineStatus.Failed);
        (await service.DeclareLabelAsync(seller, versionId, "constant", Ct)).Status.ShouldBe(BaselineStatus.Pending);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Relabelling_drops_the_old_baseline_and_the_next_pass_computes_the_new_one(DbProvider provider)
    {
        var storage = new InMemoryDatasetStorage();
        var (seller, versionId) = await SeedAsync(provider, storage, files.Linear());
        var (host, service) = await ServiceAsync(provider, storage);
        using var disposeHost = host;
        await service.DeclareLabelAsync(seller, versionId, "y", Ct);
        (await service.RunPendingAsync(Ct)).Computed.ShouldBeGreaterThanOrEqualTo(1);
        var first = BaselineTrainer.Read(await VersionAsync(provider, versionId))!;
        first.Task.ShouldBe(TrainingTask.Regression);
        first.Regression!.RSquared.ShouldBeGreaterThan(0.9);

        var choice = await service.DeclareLabelAsync(seller, versionId, "x1", Ct);

        choice.Status.ShouldBe(BaselineStatus.Pending);
        var relabelled = await VersionAsync(provider, versionId);
        relabelled.LabelColumn.ShouldBe("x1");
        relabelled.BaselineMetricsJson.ShouldBeNull();
        relabelled.BaselineComputedAt.ShouldBeNull();

        (await service.RunPendingAsync(Ct)).Computed.ShouldBeGreaterThanOrEqualTo(1);
        var second = BaselineTrainer.Read(await VersionAsync(provider, versionId))!;
        second.Label.ShouldBe("x1");
        second.Features.ShouldNotContain("x1");
        second.Features.ShouldContain("y");

        // Declaring the same label again keeps the computed baseline; clearing it removes it.
        (await service.DeclareLabelAsync(seller, versionId, "x1", Ct)).Status.ShouldBe(BaselineStatus.Computed);
        (await service.DeclareLabelAsync(seller, versionId, "", Ct)).Status.ShouldBe(BaselineStatus.NotApplicable);
        var cleared = await VersionAsync(provider, versionId);
        cleared.LabelColumn.ShouldBeNull();
        cleared.BaselineMetricsJson.ShouldBeNull();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task An_unknown_column_or_another_sellers_version_is_refused_and_nothing_changes(DbProvider provider)
    {
        var storage = new InMemoryDatasetStorage();
        var (seller, versionId) = await SeedAsync(provider, storage, files.Linear());
        var (host, service) = await ServiceAsync(provider, storage);
        using var disposeHost = host;
        await service.DeclareLabelAsync(seller, versionId, "y", Ct);
        var stranger = await SeedUserAsync(provider, "stranger");

        (await Should.ThrowAsync<DomainException>(() => service.DeclareLabelAsync(seller, versionId, "price", Ct)))
            .Message.ShouldBe("Version 1 has no column 'price'. Its columns are: x1, x2, y.");
        (await Should.ThrowAsync<DomainException>(() => service.DeclareLabelAsync(stranger, versionId, "x1", Ct)))
            .Message.ShouldBe("There is no such version of your datasets.");
        (await service.GetLabelChoiceAsync(stranger, versionId, Ct)).ShouldBeNull();

        var version = await VersionAsync(provider, versionId);
        version.LabelColumn.ShouldBe("y");
        version.BaselineStatus.ShouldBe(BaselineStatus.Pending);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_pass_stopped_by_shutdown_leaves_the_baseline_pending_for_the_next_pass(DbProvider provider)
    {
        var storage = new InMemoryDatasetStorage();
        var (seller, versionId) = await SeedAsync(provider, storage, files.Separable());
        var (host, service) = await ServiceAsync(provider, storage);
        using var disposeHost = host;
        await service.DeclareLabelAsync(seller, versionId, "label", Ct);
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => service.RunPendingAsync(stopping.Token));
        (await VersionAsync(provider, versionId)).BaselineStatus.ShouldBe(BaselineStatus.Pending);

        // After a restart (a new service on the same database) the pending baseline is picked up.
        var (restartedHost, restarted) = await ServiceAsync(provider, storage);
        using var disposeRestarted = restartedHost;
        (await restarted.RunPendingAsync(Ct)).Computed.ShouldBeGreaterThanOrEqualTo(1);
        (await VersionAsync(provider, versionId)).BaselineStatus.ShouldBe(BaselineStatus.Computed);
    }

    /// <summary>Signals the end of the baseline job's first run (with its error, if any).</summary>
    private sealed class JobDone : IJobListener
    {
        private readonly TaskCompletionSource<JobExecutionException?> done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<JobExecutionException?> Completed => done.Task;

        public string Name => "baseline-test-listener";

        public Task JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            done.TrySetResult(jobException);
            return Task.CompletedTask;
        }
    }
}
