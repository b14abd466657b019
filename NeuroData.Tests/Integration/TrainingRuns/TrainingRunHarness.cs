using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Infrastructure.Ingest;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Storage;
using NeuroData.Infrastructure.Training;
using NeuroData.Infrastructure.Training.Runs;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Unit.Training;

namespace NeuroData.Tests.Integration.TrainingRuns;

/// <summary>
/// The run queue wired as the app wires it, on a real database (the provider's), real encrypted storage (local
/// blockstore + platform key), the real ML.NET engine and a model store in a temp folder. <see cref="Restart"/> builds
/// a new set of services on the same database and folders, as a new process would.
/// </summary>
public sealed class TrainingRunHarness : IDisposable
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private readonly string _root = Directory.CreateTempSubdirectory("nd-runs-").FullName;
    private readonly LocalBlockstore _blocks;
    private readonly PlatformKeyRing _keys = new(RandomNumberGenerator.GetBytes(32));

    public TrainingRunHarness(DatabaseSettings settings, FixedClock clock, Action<TrainingRunOptions>? configure = null)
    {
        Clock = clock;
        Factory = new NeuroDataDbContextFactory(settings, clock);
        _blocks = new LocalBlockstore(Path.Combine(_root, "blocks"));
        Storage = new DatasetStorage(_blocks, _keys);
        Models = new ModelStore(Path.Combine(_root, "models"));
        Options = new TrainingRunOptions { TempPath = Path.Combine(_root, "training-tmp"), DispatchIntervalSeconds = 1, ProgressSaveSeconds = 0.2 };
        configure?.Invoke(Options);
        Restart();
    }

    public FixedClock Clock { get; }

    public NeuroDataDbContextFactory Factory { get; }

    public DatasetStorage Storage { get; }

    public ModelStore Models { get; }

    public TrainingRunOptions Options { get; }

    public string TempPath => Options.TempPath;

    public TrainingRunRegistry Registry { get; private set; } = null!;

    public TrainingRunNotifier Notifier { get; private set; } = null!;

    public TrainingRunSignal Signal { get; private set; } = null!;

    public TrainingRunService Runs { get; private set; } = null!;

    public TrainingRunDispatcher Dispatcher { get; private set; } = null!;

    /// <summary>New services on the same database and folders (what a restarted process has).</summary>
    public void Restart()
    {
        Dispatcher?.Dispose();
        var entitlements = new EntitlementService(Factory, new CommerceSettings { DownloadConfirmations = 0 });
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Registry = new TrainingRunRegistry();
        Notifier = new TrainingRunNotifier(TimeProvider.System);
        Signal = new TrainingRunSignal();
        var executor = new TrainingRunExecutor(Factory, Storage, new MlNetTrainer(), Models, entitlements, Registry, Notifier, options, Clock, NullLogger<TrainingRunExecutor>.Instance);
        Dispatcher = new TrainingRunDispatcher(Factory, executor, Registry, Notifier, Signal, options, Clock, NullLogger<TrainingRunDispatcher>.Instance);
        Runs = new TrainingRunService(Factory, entitlements, Registry, Notifier, Signal, options, Clock);
    }

    /// <summary>Files left in the training temp folder (must be none once runs end).</summary>
    public IReadOnlyList<string> TempFiles() => Directory.Exists(TempPath) ? [.. Directory.EnumerateFiles(TempPath)] : [];

    /// <summary>A seller's dataset whose version was ingested from <paramref name="csvPath"/> by the real inspector and stored encrypted.</summary>
    public Task<(Guid DatasetId, Guid VersionId)> SeedDatasetAsync(Guid sellerId, string csvPath, CancellationToken ct) =>
        SeedDatasetAsync(Factory, Storage, Clock.Now, sellerId, csvPath, ct);

    /// <summary>The same on any database and storage (the app's, in the app-level test).</summary>
    public static async Task<(Guid DatasetId, Guid VersionId)> SeedDatasetAsync(
        Microsoft.EntityFrameworkCore.IDbContextFactory<NeuroDataDbContext> factory, Domain.Ports.IDatasetStorage storage, DateTimeOffset now, Guid sellerId, string csvPath, CancellationToken ct)
    {
        using var form = new MemoryStream();
        var profile = await new DatasetInspector(new IngestOptions()).InspectAsync(csvPath, "data.csv", form, 5, ct);
        form.Position = 0;
        await using var original = File.OpenRead(csvPath);
        var stored = await storage.StoreAsync(original, ct);
        var training = await storage.StoreAsync(form, ct);

        var dataset = new Dataset(sellerId, "Outcomes", $"outcomes-{Guid.NewGuid():N}", "Rows.", "MIT", null, TokenAmount.FromTokens(5), TimeSpan.FromDays(3),
            DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly, now);
        var version = dataset.AddVersion(stored.Cid, stored.SizeBytes, DatasetFormat.Csv, stored.Sha256Hex, stored.WrappedKey, now);
        version.AttachStorage(stored.StorageCid, training.StorageCid, training.WrappedKey);
        version.MarkReady(JsonSerializer.Serialize(profile.Schema, Web), JsonSerializer.Serialize(profile, Web), profile.RowCount);
        version.DeclareLabelColumn("label");
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(ct);
        return (dataset.Id, version.Id);
    }

    /// <summary>An indexed (confirmed) purchase of the version with the given access.</summary>
    public async Task BuyAsync(Guid buyerId, Guid sellerId, Guid datasetId, Guid versionId, DatasetAccessTypes access, CancellationToken ct)
    {
        await using var db = Factory.CreateDbContext();
        db.Purchases.Add(Purchase.FromChain(buyerId, sellerId, datasetId, versionId, access, TokenAmount.FromTokens(5), TokenAmount.FromTokens(0),
            Random.Shared.NextInt64(1, long.MaxValue / 2), Clock.Now));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A LightGBM binary request on <see cref="TrainingFiles.Separable"/> data (small and quick).</summary>
    public static TrainingRunRequest Binary(Guid versionId, string modelName = "Churn", string trainer = TrainerCatalog.LightGbm, Dictionary<string, double>? parameters = null) =>
        new(versionId, TrainingTask.BinaryClassification, trainer, "label",
            [new FeatureColumn("x1"), new FeatureColumn("x2"), new FeatureColumn("noise"), new FeatureColumn("colour")],
            parameters ?? new Dictionary<string, double> { ["trees"] = 20, ["leaves"] = 8, ["minLeaf"] = 5 },
            ValidationPlan.HoldOut(0.25), 3, modelName);

    public void Dispose()
    {
        Dispatcher?.Dispose();
        _blocks.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
