using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Training;
using NeuroData.Infrastructure.Training.Runs;
using NeuroData.Tests.Integration.Downloads;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Web;

namespace NeuroData.Tests.Integration.Models;

/// <summary>
/// The app with test sign-in and in-memory dataset storage (SQLite or PostgreSQL), a small batch limit
/// (<see cref="MaxBatchBytes"/>) and the batch temp folder inside the data directory, plus helpers that seed datasets,
/// purchases and models trained for real with ML.NET.
/// </summary>
public sealed class ModelsWebFactory(string? postgres) : NeuroDataWebFactory
{
    public const long MaxBatchBytes = 64 * 1024;

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    public InMemoryDatasetStorage Storage { get; } = new();

    public string BatchTempPath => Path.Combine(DataDirectory, "prediction-temp");

    protected override string? Postgres => postgres;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        builder.UseSetting("NeuroData:Commerce:DownloadConfirmations", "0");
        builder.UseSetting("NeuroData:Training:Models:MaxBatchBytes", MaxBatchBytes.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("NeuroData:Training:Models:TempPath", BatchTempPath);
        builder.ConfigureTestServices(services =>
        {
            services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, _ => { });
            services.PostConfigure<AuthenticationOptions>(o =>
            {
                o.DefaultScheme = TestAuthHandler.SchemeName;
                o.DefaultAuthenticateScheme = TestAuthHandler.SchemeName;
                o.DefaultChallengeScheme = TestAuthHandler.SchemeName;
                o.DefaultForbidScheme = TestAuthHandler.SchemeName;
            });
            services.AddSingleton<IStartupFilter, ClientAddressFilter>();
            services.RemoveAll<IDatasetStorage>();
            services.AddSingleton<IDatasetStorage>(Storage);
        });
    }

    public async Task<NeuroDataDbContext> ContextAsync(CancellationToken ct) =>
        await Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(ct);

    public async Task<Guid> SeedUserAsync(string name)
    {
        var id = Guid.CreateVersion7();
        var userName = $"{name}-{id:N}@example.test";
        await using var db = await ContextAsync(Ct);
        db.Users.Add(new ApplicationUser
        {
            Id = id,
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            Email = userName,
            NormalizedEmail = userName.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(Ct);
        return id;
    }

    /// <summary>A live dataset whose one version is <see cref="ModelData.Csv"/> (stored), with a 3-row public preview.</summary>
    public async Task<SeededDataset> SeedDatasetAsync(bool modelDownloadAllowed = false)
    {
        var seller = await SeedUserAsync("seller");
        var moderator = await SeedUserAsync("moderator");
        var content = Encoding.UTF8.GetBytes(ModelData.Csv);
        var stored = await Storage.StoreAsync(new MemoryStream(content), Ct);
        var slug = "outcomes-" + Guid.NewGuid().ToString("N")[..10];
        var now = DateTimeOffset.UtcNow;
        var dataset = new Dataset(seller, "Outcomes", slug, "Rows.", "CC-BY-4.0", null, TokenAmount.FromTokens(5), TimeSpan.FromDays(3),
            DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly, now);
        dataset.SetModelTerms(modelDownloadAllowed);
        var version = dataset.AddVersion(stored.Cid, stored.SizeBytes, DatasetFormat.Csv, stored.Sha256Hex, stored.WrappedKey, now);
        version.AttachStorage(stored.StorageCid, null, null);
        version.MarkReady(JsonSerializer.Serialize(ModelData.Schema, WebJson), null, ModelData.Rows);
        version.SetPreview(JsonSerializer.Serialize(ModelData.Lines.Skip(1).Take(10).Select(l => l.Split(',')).ToList()), ModelData.PreviewRows);
        dataset.SubmitForReview(now);
        dataset.Approve(moderator, now);
        await using var db = await ContextAsync(Ct);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Ct);
        return new SeededDataset(dataset.Id, version.Id, seller, slug, content);
    }

    /// <summary>A confirmed purchase of the version (training-only or download).</summary>
    public async Task BuyAsync(SeededDataset seeded, Guid buyer, DatasetAccessTypes access)
    {
        await using var db = await ContextAsync(Ct);
        var dataset = await db.Datasets.Include(d => d.Versions).SingleAsync(d => d.Id == seeded.DatasetId, Ct);
        var purchase = Purchase.Start(dataset, dataset.Versions.Single(), buyer, access, 25, DateTimeOffset.UtcNow);
        purchase.Confirm(Random.Shared.NextInt64(1, long.MaxValue / 2), Random.Shared.NextInt64(1, long.MaxValue / 2), DateTimeOffset.UtcNow);
        db.Purchases.Add(purchase);
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>A model of <paramref name="userId"/> on the version: a real ML.NET model file in the app's model store,
    /// its succeeded run and its TrainedModel row (as the run queue writes them).</summary>
    public async Task<Guid> SeedModelAsync(Guid userId, Guid versionId, string name = "churn")
    {
        var trained = await ModelData.TrainedAsync();
        var store = Services.GetRequiredService<ModelStore>();
        var copy = Path.Combine(DataDirectory, $"incoming-{Guid.NewGuid():N}.zip");
        Directory.CreateDirectory(DataDirectory);
        File.Copy(trained.ModelPath!, copy);
        var relative = store.Import(userId, Guid.CreateVersion7(), copy);
        var now = DateTimeOffset.UtcNow;
        var run = new TrainingRun(userId, versionId, TrainingTask.BinaryClassification, "lightgbm", "y", ModelData.Features.Select(f => f.Name), "{}", now);
        run.Start(now);
        run.Succeed(trained.MetricsJson, now);
        var model = new TrainedModel(run, name, 1, relative, new FileInfo(store.FullPath(relative)).Length, null, null, now);
        await using var db = await ContextAsync(Ct);
        db.TrainingRuns.Add(run);
        db.TrainedModels.Add(model);
        await db.SaveChangesAsync(Ct);
        return model.Id;
    }

    /// <summary>A client signed in as the user (roles optional), with the antiforgery cookie and header when asked.</summary>
    public HttpClient ClientFor(Guid? userId, bool antiforgery = true, params string[] roles)
    {
        var client = CreateClient();
        if (userId is not { } id)
        {
            return client;
        }

        var email = $"{id:N}@example.test";
        client.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.HeaderValue(id, email, roles));
        if (antiforgery)
        {
            var service = Services.GetRequiredService<IAntiforgery>();
            var options = Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
            var context = new DefaultHttpContext { RequestServices = Services };
            context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [
                    new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, id.ToString()),
                    new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, email),
                    new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Email, email),
                    .. roles.Select(r => new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, r)),
                ],
                TestAuthHandler.SchemeName));
            var tokens = service.GetTokens(context);
            client.DefaultRequestHeaders.Add("Cookie", $"{options.Cookie.Name}={tokens.CookieToken}");
            client.DefaultRequestHeaders.Add(options.HeaderName!, tokens.RequestToken);
        }

        return client;
    }
}

public sealed record SeededDataset(Guid DatasetId, Guid VersionId, Guid Seller, string Slug, byte[] Content)
{
    public string DownloadUrl => $"/api/v1/datasets/{DatasetId}/versions/1/download";
}

/// <summary>One app per provider for a test class, created on first use (PostgreSQL fails under CI=true when missing).</summary>
public sealed class ModelsFactories : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<DbProvider, ModelsWebFactory> _factories = [];

    public async Task<ModelsWebFactory> GetAsync(DbProvider provider, PostgresCluster cluster)
    {
        if (provider == DbProvider.Postgres)
        {
            await cluster.RequireAsync();
        }

        await _gate.WaitAsync();
        try
        {
            if (!_factories.TryGetValue(provider, out var factory))
            {
                var postgres = provider == DbProvider.Postgres ? await cluster.CreateDatabaseAsync("nd_models") : null;
                factory = new ModelsWebFactory(postgres);
                await factory.InitializeAsync();
                _factories[provider] = factory;
            }

            return factory;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var factory in _factories.Values)
        {
            await factory.DisposeAsync();
        }

        _gate.Dispose();
    }
}

/// <summary>
/// The generated table the model tests train on: x (number), color (red/green/blue), member (true/false), zone (whole
/// number 1-4, retyped as a category), note (a unique text per row, never a feature: it marks raw rows) and the label
/// y (yes/no, driven by x, color and member). The model is trained once per test process.
/// </summary>
public static class ModelData
{
    public const int Rows = 300;
    public const int PreviewRows = 3;
    public const string RowMarker = "row-secret-";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TrainingOutcome? _trained;

    public static IReadOnlyList<FeatureColumn> Features { get; } =
        [new("x"), new("color"), new("member"), new("zone", ColumnType.Text)];

    public static IReadOnlyList<string> Lines { get; } = Generate();

    /// <summary>The ingest schema of the table (as ingest stores it on the version).</summary>
    public static IReadOnlyList<ColumnSchema> Schema { get; } =
    [
        new("x", ColumnType.Number), new("color", ColumnType.Text), new("member", ColumnType.Boolean), new("zone", ColumnType.WholeNumber),
        new("note", ColumnType.Text), new("y", ColumnType.Text),
    ];

    public static string Csv { get; } = string.Join('\n', Lines) + "\n";

    public static async Task<TrainingOutcome> TrainedAsync()
    {
        await Gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_trained is not null)
            {
                return _trained;
            }

            var folder = Path.Combine(Path.GetTempPath(), "nd-model-tests-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(folder);
            var csv = Path.Combine(folder, "data.csv");
            await File.WriteAllTextAsync(csv, Csv, TestContext.Current.CancellationToken);
            var request = new TrainingRequest(csv, TrainingDataFormat.Csv, TrainingTask.BinaryClassification, "lightgbm", "y", Features,
                new Dictionary<string, double> { ["trees"] = 30, ["leaves"] = 8, ["minLeaf"] = 5 }, ValidationPlan.HoldOut(0.2), 1, null,
                Path.Combine(folder, "model.zip"));
            _trained = await new MlNetTrainer().TrainAsync(request, null, TestContext.Current.CancellationToken);
            File.Delete(csv);
            return _trained;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static List<string> Generate()
    {
        var random = new Random(7);
        string[] colors = ["red", "green", "blue"];
        var lines = new List<string> { "x,color,member,zone,note,y" };
        for (var i = 0; i < Rows; i++)
        {
            var x = Math.Round((random.NextDouble() * 4) - 2, 3);
            var color = colors[i % 3];
            var member = random.Next(2) == 1;
            var zone = 1 + random.Next(4);
            var score = x + (color == "red" ? 1.5 : 0) + (member ? 0.5 : 0) + ((random.NextDouble() - 0.5) * 0.4);
            lines.Add(string.Join(',', x.ToString(CultureInfo.InvariantCulture), color, member ? "true" : "false", zone.ToString(CultureInfo.InvariantCulture),
                RowMarker + i.ToString(CultureInfo.InvariantCulture), score > 0.5 ? "yes" : "no"));
        }

        return lines;
    }
}
