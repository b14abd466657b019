using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Ingest;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Training;
using NeuroData.Tests.Integration.Downloads;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Unit.Training;

namespace NeuroData.Tests.Integration.Training;

/// <summary>The try-before-you-buy baseline on a version ingested by the real inspector (typed Parquet training form),
/// stored (in the test storage), and trained from the stored form.</summary>
public sealed class BaselineTrainerTests : PersistenceTest
{
    private readonly PostgresCluster cluster;
    private readonly TestDatabases databases;

    public BaselineTrainerTests(PostgresCluster cluster, TestDatabases databases)
        : base(cluster, databases)
    {
        this.cluster = cluster;
        this.databases = databases;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private async Task<(BaselineTrainer Trainer, Guid VersionId)> SeedAsync(DbProvider provider, string csvPath)
    {
        var storage = new InMemoryDatasetStorage();
        var settings = await databases.GetAsync(provider, cluster);
        var factory = new NeuroDataDbContextFactory(settings, Clock);

        using var form = new MemoryStream();
        var profile = await new DatasetInspector(new IngestOptions()).InspectAsync(csvPath, "data.csv", form, 5, Ct);
        form.Position = 0;
        var original = await storage.StoreAsync(new MemoryStream(await File.ReadAllBytesAsync(csvPath, Ct)), Ct);
        var training = await storage.StoreAsync(form, Ct);

        var seller = await SeedUserAsync(provider, "seller");
        var dataset = new Dataset(seller, "Outcomes", UniqueSlug("outcomes"), "Rows.", "MIT", null, TokenAmount.FromTokens(5), TimeSpan.FromDays(3),
            DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly, Now);
        var version = dataset.AddVersion(original.Cid, original.SizeBytes, DatasetFormat.Csv, original.Sha256Hex, original.WrappedKey, Now);
        version.AttachStorage(original.StorageCid, training.StorageCid, training.WrappedKey);
        version.MarkReady(JsonSerializer.Serialize(profile.Schema, Web), JsonSerializer.Serialize(profile, Web), profile.RowCount);
        await using (var db = await ContextAsync(provider))
        {
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(Ct);
        }

        var trainer = new BaselineTrainer(factory, storage, new MlNetTrainer(), Options.Create(new BaselineOptions()), NullLogger<BaselineTrainer>.Instance);
        return (trainer, version.Id);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Baseline_trains_on_the_stored_training_form_and_keeps_its_metrics_on_the_version(DbProvider provider)
    {
        using var files = new TrainingFiles();
        var (baseline, versionId) = await SeedAsync(provider, files.Separable());

        await baseline.DeclareLabelAsync(versionId, "label", Ct);
        var metrics = await baseline.ComputeAsync(versionId, Ct);

        metrics.Task.ShouldBe(TrainingTask.BinaryClassification);
        metrics.Trainer.ShouldBe(TrainerCatalog.LightGbm);
        metrics.Binary!.Auc.ShouldBeGreaterThan(0.9);
        metrics.Features.ShouldBe(["x1", "x2", "noise", "colour"]);
        await using var db = await ContextAsync(provider);
        var version = await db.DatasetVersions.SingleAsync(v => v.Id == versionId, Ct);
        version.LabelColumn.ShouldBe("label");
        BaselineTrainer.Read(version)!.Binary!.Auc.ShouldBe(metrics.Binary.Auc);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Baseline_picks_regression_for_a_numeric_label_and_changing_the_label_drops_it(DbProvider provider)
    {
        using var files = new TrainingFiles();
        var (baseline, versionId) = await SeedAsync(provider, files.Linear());
        await baseline.DeclareLabelAsync(versionId, "y", Ct);

        var metrics = await baseline.ComputeAsync(versionId, Ct);
        metrics.Task.ShouldBe(TrainingTask.Regression);
        metrics.Regression!.RSquared.ShouldBeGreaterThan(0.9);

        await baseline.DeclareLabelAsync(versionId, "x1", Ct);
        await using var db = await ContextAsync(provider);
        var version = await db.DatasetVersions.SingleAsync(v => v.Id == versionId, Ct);
        version.LabelColumn.ShouldBe("x1");
        version.BaselineMetricsJson.ShouldBeNull();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Without_a_label_or_with_an_unknown_column_nothing_is_stored(DbProvider provider)
    {
        using var files = new TrainingFiles();
        var (baseline, versionId) = await SeedAsync(provider, files.Linear());

        (await Should.ThrowAsync<TrainingException>(() => baseline.ComputeAsync(versionId, Ct))).Message.ShouldContain("declared no label column");
        (await Should.ThrowAsync<TrainingException>(() => baseline.DeclareLabelAsync(versionId, "price", Ct))).Message.ShouldContain("has no column 'price'");
        await using var db = await ContextAsync(provider);
        var version = await db.DatasetVersions.SingleAsync(v => v.Id == versionId, Ct);
        version.LabelColumn.ShouldBeNull();
        version.BaselineMetricsJson.ShouldBeNull();
    }
}
