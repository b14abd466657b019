using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Datasets.Publishing;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Storage;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Web;

namespace NeuroData.Tests.Integration.Uploads;

/// <summary>
/// The app in memory with the test sign-in scheme, small upload limits (1 KiB chunks, 64 KiB files, 2 open uploads per
/// user) and the storage/inspection test doubles (until the real adapters are merged).
/// </summary>
public sealed class UploadWebFactory(string? postgres) : NeuroDataWebFactory
{
    public const int ChunkBytes = 1024;
    public const long MaxFileBytes = 64 * 1024;

    /// <summary>Roots pinned in the real local blockstore (each stored file and training form is one).</summary>
    public int PinnedCount => Services.GetRequiredService<LocalBlockstore>().Pins().Count;

    /// <summary>The plaintext of a stored file, decrypted through the real storage.</summary>
    public async Task<byte[]> ReadStoredAsync(Cid storageCid, byte[] wrappedKey, CancellationToken cancellationToken)
    {
        await using var stream = await Services.GetRequiredService<IDatasetStorage>().OpenAsync(storageCid, wrappedKey, 0, cancellationToken);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }

    protected override string? Postgres => postgres;

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        builder.UseSetting("NeuroData:Uploads:ChunkBytes", ChunkBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("NeuroData:Uploads:MaxFileBytes", MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("NeuroData:Uploads:MaxConcurrentSessionsPerUser", "2");
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
        });
    }
}

/// <summary>One upload-enabled app per database provider for a test class, created on first use.</summary>
public sealed class UploadHosts : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<DbProvider, UploadWebFactory> _hosts = [];
    private string? _postgresDatabase;
    private PostgresCluster? _cluster;

    public async Task<UploadWebFactory> GetAsync(DbProvider provider, PostgresCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (provider == DbProvider.Postgres)
        {
            await cluster.RequireAsync();
        }

        await _gate.WaitAsync();
        try
        {
            if (!_hosts.TryGetValue(provider, out var host))
            {
                string? pg = null;
                if (provider == DbProvider.Postgres)
                {
                    pg = _postgresDatabase = await cluster.CreateDatabaseAsync("nd_upload");
                    _cluster = cluster;
                }

                host = new UploadWebFactory(pg);
                await host.InitializeAsync();

                // The host's start-up work (database check, ingest recovery, cleanup) opened pooled SQLite connections
                // before the fixture migrated; such a connection can keep the empty schema ("no such table").
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                _hosts[provider] = host;
            }

            return host;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            await host.DisposeAsync();
        }

        if (_postgresDatabase is not null && _cluster is not null)
        {
            await _cluster.DropDatabaseAsync(_postgresDatabase);
        }

        _gate.Dispose();
    }
}

/// <summary>A signed-in seller of one test: an HTTP client that sends the test identity and a valid antiforgery pair.</summary>
public sealed class Seller : IDisposable
{
    private Seller(UploadWebFactory host, Guid id, string email, HttpClient client)
    {
        Host = host;
        Id = id;
        Email = email;
        Client = client;
    }

    public UploadWebFactory Host { get; }

    public Guid Id { get; }

    public string Email { get; }

    public HttpClient Client { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates the user row and a client signed in as them, with the antiforgery cookie and header set.</summary>
    public static async Task<Seller> CreateAsync(UploadWebFactory host, bool withAntiforgery = true)
    {
        var id = Guid.CreateVersion7();
        var email = $"seller-{id:N}@example.test";
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct))
        {
            db.Users.Add(new ApplicationUser
            {
                Id = id,
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }

        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add(TestAuthHandler.Header, TestAuthHandler.HeaderValue(id, email));
        if (withAntiforgery)
        {
            AddAntiforgery(host, client, id, email);
        }

        return new Seller(host, id, email, client);
    }

    /// <summary>A token pair issued for this identity, the way the publish page gets it for its JS.</summary>
    private static void AddAntiforgery(UploadWebFactory host, HttpClient client, Guid id, string email)
    {
        var antiforgery = host.Services.GetRequiredService<IAntiforgery>();
        var options = host.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        var context = new DefaultHttpContext { RequestServices = host.Services };
        context.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, id.ToString()), new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.Email, email)],
            TestAuthHandler.SchemeName));
        var tokens = antiforgery.GetTokens(context);
        client.DefaultRequestHeaders.Add("Cookie", $"{options.Cookie.Name}={tokens.CookieToken}");
        client.DefaultRequestHeaders.Add(options.HeaderName!, tokens.RequestToken);
    }

    /// <summary>A draft dataset of this seller, through the publishing service.</summary>
    public async Task<Guid> DraftAsync(string title = "Weather readings")
    {
        var publishing = Host.Services.GetRequiredService<DatasetPublishingService>();
        var draft = await publishing.CreateDraftAsync(Id, new DatasetDetailsInput(title, "Hourly *readings*.", "CC-BY-4.0", null, ["weather"], "12.5", 7, DatasetAccessTypes.Download), Ct);
        return draft.Id;
    }

    public Task<HttpResponseMessage> CreateUploadAsync(Guid datasetId, string fileName, long size) =>
        Client.PostAsJsonAsync("/api/v1/uploads", new { fileName, sizeBytes = size, datasetId }, Ct);

    public async Task<HttpResponseMessage> PutChunkAsync(Guid session, byte[] file, long from, long to, byte[]? body = null)
    {
        using var content = new ByteArrayContent(body ?? file[(int)from..(int)(to + 1)]);
        content.Headers.ContentRange = new ContentRangeHeaderValue(from, to, file.Length);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/uploads/{session}") { Content = content };
        return await Client.SendAsync(request, Ct);
    }

    /// <summary>Sends the file from <paramref name="start"/> in chunk-size pieces; every answer must be 200.</summary>
    public async Task SendFromAsync(Guid session, byte[] file, long start)
    {
        for (var from = start; from < file.Length; from += UploadWebFactory.ChunkBytes)
        {
            var to = Math.Min(file.Length, from + UploadWebFactory.ChunkBytes) - 1;
            using var response = await PutChunkAsync(session, file, from, to);
            response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        }
    }

    public async Task<UploadAnswer> StateAsync(Guid session)
    {
        using var response = await Client.GetAsync($"/api/v1/uploads/{session}", Ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new ShouldAssertException($"GET upload {session} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}\nApp log:\n{AppLog()}");
        }

        return (await response.Content.ReadFromJsonAsync<UploadAnswer>(Ct))!;
    }

    private string AppLog() => Host.RecentLog();

    /// <summary>
    /// Polls until ingest ends (Ready or Failed). The limit only detects a hung ingest: on a 2-core CI machine the
    /// single ingest worker shares the CPU with the E2E app and in-process training tests, and once waited over 30 s.
    /// </summary>
    public async Task<UploadAnswer> WaitForIngestAsync(Guid session)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var state = await StateAsync(session);
            if (state.Status is "Ready" or "Failed")
            {
                return state;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new ShouldAssertException($"ingest of {session} did not end; last status {state.Status}\nApp log:\n{AppLog()}");
            }

            await Task.Delay(50, Ct);
        }
    }

    public void Dispose() => Client.Dispose();
}

/// <summary>The JSON of an upload session.</summary>
public sealed record UploadAnswer(Guid Id, Guid DatasetId, string FileName, long SizeBytes, int ChunkSize, long Received, string Status, string? Error, Guid? VersionId, long IngestedBytes);
