using System.Globalization;
using System.Text.Json;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;
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
using NeuroData.Web.Components.Datasets;
using Quartz;

namespace NeuroData.Tests.Components.Baseline;

/// <summary>
/// The dataset page's baseline section (bUnit + MudBlazor) over the real baseline service and a real SQLite database:
/// computed, pending (refreshing until computed), failed, no label for visitors and for the seller, who declares the label.
/// </summary>
public sealed class BaselineMetricsTests : PersistenceTest, IAsyncLifetime
{
    private readonly PostgresCluster cluster;
    private readonly TestDatabases databases;
    private readonly BunitContext bunit = new();
    private readonly TrainingFiles files = new();
    private IHost? host;

    public BaselineMetricsTests(PostgresCluster cluster, TestDatabases databases)
        : base(cluster, databases)
    {
        this.cluster = cluster;
        this.databases = databases;
        bunit.Services.AddMudServices();
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private const DbProvider Provider = DbProvider.Sqlite;

    public async ValueTask InitializeAsync()
    {
        // The app's registrations with the scheduler not started: a declared label queues the job, nothing trains here.
        var settings = await databases.GetAsync(Provider, cluster);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development", ContentRootPath = files.Folder });
        builder.Configuration["NeuroData:Jobs:Enabled"] = "false";
        builder.AddJobs();
        builder.Services.Configure<QuartzOptions>(o => o.SchedulerName = "baseline-bunit-" + Guid.NewGuid().ToString("N"));
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSingleton<IDbContextFactory<NeuroDataDbContext>>(new NeuroDataDbContextFactory(settings, Clock));
        builder.Services.AddSingleton<IDatasetStorage>(new InMemoryDatasetStorage());
        builder.Services.AddTrainingEngine(builder.Configuration);
        builder.Services.AddBaselines(builder.Configuration);
        host = builder.Build();
        Quartz.Logging.LogContext.SetCurrentLogProvider(NullLoggerFactory.Instance);
        bunit.Services.AddSingleton(host.Services.GetRequiredService<BaselineService>());
    }

    public async ValueTask DisposeAsync()
    {
        await bunit.DisposeAsync();
        host?.Dispose();
        files.Dispose();
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>A ready version (profile of a small CSV with columns x1, x2, y), changed by <paramref name="arrange"/>.</summary>
    private async Task<(Guid Seller, DatasetVersion Version)> SeedAsync(Action<DatasetVersion>? arrange = null)
    {
        var csv = files.Write($"data-{Guid.NewGuid():N}.csv", ["x1", "x2", "y"], Enumerable.Range(0, 20).Select(i => new object?[] { i, i % 3, i * 2.5 }));
        using var form = new MemoryStream();
        var profile = await new DatasetInspector(new IngestOptions()).InspectAsync(csv, "data.csv", form, 5, Ct);
        var seller = await SeedUserAsync(Provider, "seller");
        var dataset = new Dataset(seller, "Outcomes", UniqueSlug("outcomes"), "Rows.", "MIT", null, TokenAmount.FromTokens(5), TimeSpan.FromDays(3),
            DatasetAccessTypes.Download, Now);
        var version = dataset.AddVersion(Cid.Parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"), 100, DatasetFormat.Csv, new string('a', 64), [1, 2, 3], Now);
        version.MarkReady(JsonSerializer.Serialize(profile.Schema, Web), JsonSerializer.Serialize(profile, Web), profile.RowCount);
        arrange?.Invoke(version);
        await using var db = await ContextAsync(Provider);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Ct);
        return (seller, version);
    }

    private static string BinaryMetricsJson() => JsonSerializer.Serialize(new TrainingMetrics
    {
        Task = TrainingTask.BinaryClassification,
        Trainer = TrainerCatalog.LightGbm,
        Parameters = new Dictionary<string, double> { ["trees"] = 50, ["leaves"] = 15, ["minLeaf"] = 5 },
        Validation = "hold-out 20%",
        Seed = 1,
        TrainingRows = 320,
        TestRows = 80,
        Features = ["x1", "x2"],
        Label = "y",
        PrimaryMetric = "AUC",
        PrimaryValue = 0.9731,
        HigherIsBetter = true,
        Seconds = 0.4,
        Binary = new BinaryMetrics("yes", "no", 0.9731, 0.9125, 0.9, 0.93, 0.87, 0.25,
            new ConfusionMatrix(["no", "yes"], [[40, 2], [5, 33]]), [new RocPoint(0, 0, 1), new RocPoint(1, 1, 0)]),
    }, MlNetTrainer.Json);

    private IRenderedComponent<BaselineMetrics> Render(DatasetVersion version, Guid? viewer = null, bool isSeller = false, TimeSpan? refresh = null) =>
        bunit.Render<BaselineMetrics>(p => p
            .Add(x => x.DatasetId, version.DatasetId)
            .Add(x => x.VersionNumber, version.VersionNumber)
            .Add(x => x.IsSeller, isSeller)
            .Add(x => x.UserId, viewer)
            .Add(x => x.RefreshInterval, refresh ?? TimeSpan.FromSeconds(5)));

    private static string Normalized(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();

    private string Today => Now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Computed_baseline_shows_the_primary_metric_big_the_others_small_the_validation_and_that_the_seller_cannot_edit_it()
    {
        var (_, version) = await SeedAsync(v =>
        {
            v.DeclareLabelColumn("y");
            v.SetBaselineMetrics(BinaryMetricsJson(), Now);
        });

        var cut = Render(version);

        var section = cut.Find("#baseline-metrics");
        section.GetAttribute("data-status").ShouldBe("computed");
        section.TextContent.ShouldContain("Baseline computed by NeuroData");
        cut.Find("#baseline-task").TextContent.ShouldBe("Predicting y · binary classification");
        cut.Find("#baseline-primary-name").TextContent.ShouldBe("AUC");
        cut.Find("#baseline-primary-value").TextContent.ShouldBe("0.973");
        cut.Find("#baseline-others").TextContent.ShouldContain("Accuracy 0.913");
        cut.Find("#baseline-others").TextContent.ShouldContain("Log-loss 0.25");
        var details = cut.Find("#baseline-details").TextContent;
        details.ShouldContain("LightGBM (50 trees, 15 leaves)");
        details.ShouldContain("validated on 80 hold-out rows");
        details.ShouldContain($"computed {Today}");
        cut.Find("#baseline-note").TextContent.ShouldContain("cannot edit these numbers");
        cut.FindAll("#label-column").ShouldBeEmpty("a visitor cannot change the label");
    }

    [Fact]
    public async Task Pending_baseline_says_it_is_being_computed_and_shows_the_metrics_once_the_job_stored_them()
    {
        var (_, version) = await SeedAsync(v => v.DeclareLabelColumn("y"));

        var cut = Render(version, refresh: TimeSpan.FromMilliseconds(50));

        cut.Find("#baseline-metrics").GetAttribute("data-status").ShouldBe("pending");
        cut.Find("#baseline-pending").TextContent.ShouldContain("predicting y is being computed");
        cut.FindAll("#baseline-primary").ShouldBeEmpty();

        await using (var db = await ContextAsync(Provider))
        {
            var stored = await db.DatasetVersions.SingleAsync(v => v.Id == version.Id, Ct);
            stored.SetBaselineMetrics(BinaryMetricsJson(), Now);
            await db.SaveChangesAsync(Ct);
        }

        cut.WaitForElement("#baseline-primary-value", TimeSpan.FromSeconds(10)).TextContent.ShouldBe("0.973");
        cut.Find("#baseline-metrics").GetAttribute("data-status").ShouldBe("computed");
    }

    [Fact]
    public async Task Failed_baseline_shows_the_reason()
    {
        var (_, version) = await SeedAsync(v =>
        {
            v.DeclareLabelColumn("y");
            v.MarkBaselineFailed("The label column 'y' has 1 distinct value ('1'): a model cannot learn anything from it", Now);
        });

        var cut = Render(version);

        cut.Find("#baseline-metrics").GetAttribute("data-status").ShouldBe("failed");
        Normalized(cut.Find("#baseline-failed").TextContent).ShouldBe("No baseline for y: The label column 'y' has 1 distinct value ('1'): a model cannot learn anything from it");
        cut.FindAll("#baseline-primary").ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_a_label_visitors_see_nothing_and_the_seller_sees_a_hint_and_declares_the_label()
    {
        var (seller, version) = await SeedAsync();

        Render(version, viewer: Guid.NewGuid()).Markup.Trim().ShouldBeEmpty();

        var cut = Render(version, viewer: seller, isSeller: true);
        cut.Find("#baseline-metrics").GetAttribute("data-status").ShouldBe("notapplicable");
        cut.Find("#baseline-hint").TextContent.ShouldContain("Only you see this");
        cut.FindAll("#label-column option").Select(o => o.GetAttribute("value")).ShouldBe(["", "x1", "x2", "y"]);

        cut.Find("#label-column").Change("y");

        cut.WaitForElement("#baseline-pending").TextContent.ShouldContain("predicting y is being computed");
        await using var db = await ContextAsync(Provider);
        var stored = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == version.Id, Ct);
        stored.LabelColumn.ShouldBe("y");
        stored.BaselineStatus.ShouldBe(BaselineStatus.Pending);
    }

    [Fact]
    public async Task The_picker_shows_the_error_for_a_column_the_version_does_not_have_and_changes_nothing()
    {
        var (seller, version) = await SeedAsync(v => v.DeclareLabelColumn("x2"));

        var cut = bunit.Render<LabelColumnPicker>(p => p.Add(x => x.UserId, seller).Add(x => x.VersionId, version.Id));
        cut.Find("#label-column").GetAttribute("value").ShouldBe("x2");
        cut.Find("#label-column").Change("nope");

        cut.Find("#label-column-error").TextContent.ShouldBe("Version 1 has no column 'nope'. Its columns are: x1, x2, y.");
        await using var db = await ContextAsync(Provider);
        var stored = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == version.Id, Ct);
        stored.LabelColumn.ShouldBe("x2");
        stored.BaselineStatus.ShouldBe(BaselineStatus.Pending);
    }
}
