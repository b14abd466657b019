using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Web;

namespace NeuroData.Tests.Integration.Downloads;

/// <summary>GET /api/v1/datasets/{id}/versions/{n}/download against the real app on SQLite and PostgreSQL.</summary>
public sealed class DownloadEndpointTests(PostgresCluster cluster, DownloadFactories factories) : IClassFixture<DownloadFactories>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void TestStorage_ComputesTheCidIpfsAddPrints()
    {
        InMemoryDatasetStorage.SingleChunkCid("hello world\n"u8.ToArray()).Value.ShouldBe("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Seller_DownloadsExactBytes_AsAttachment_WithCid_AndTheAccessIsLogged(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var seed = await SeedAsync(app, DatasetStatus.Draft);

        using var response = await GetAsync(app, seed.Url, seed.Seller);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(seed.Content);
        response.Content.Headers.ContentLength.ShouldBe(seed.Content.Length);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var disposition = response.Content.Headers.ContentDisposition!;
        disposition.DispositionType.ShouldBe("attachment");
        disposition.FileName!.Trim('"').ShouldBe($"{seed.Slug}-v1.csv");
        disposition.FileNameStar.ShouldBe($"{seed.Slug}-v1.csv");
        response.Headers.GetValues("X-Content-Cid").ShouldHaveSingleItem().ShouldBe(seed.Cid.Value);
        response.Headers.ETag!.Tag.ShouldBe($"\"{seed.Cid.Value}\"");
        response.Headers.GetValues("X-Content-Type-Options").ShouldContain("nosniff");
        response.Headers.AcceptRanges.ShouldContain("bytes");

        await using var db = await app.ContextAsync(Ct);
        var access = await db.DatasetAccesses.AsNoTracking().Where(a => a.DatasetId == seed.DatasetId).ToListAsync(Ct);
        access.ShouldHaveSingleItem().Kind.ShouldBe(DatasetAccessKind.Download);
        access[0].UserId.ShouldBe(seed.Seller);
        access[0].IpAddress.ShouldBe(ClientAddressFilter.Address);
        (await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == seed.DatasetId, Ct)).DownloadCount.ShouldBe(1);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Range_Returns206_WithTheRequestedBytes(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var seed = await SeedAsync(app, DatasetStatus.Live);

        using var middle = await GetAsync(app, seed.Url, seed.Seller, "bytes=100000-100099");
        using var open = await GetAsync(app, seed.Url, seed.Seller, "bytes=199990-");
        using var suffix = await GetAsync(app, seed.Url, seed.Seller, "bytes=-5");

        middle.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        middle.Content.Headers.ContentRange!.ToString().ShouldBe($"bytes 100000-100099/{seed.Content.Length}");
        (await middle.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(seed.Content[100000..100100]);
        open.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        (await open.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(seed.Content[199990..]);
        suffix.StatusCode.ShouldBe(HttpStatusCode.PartialContent);
        (await suffix.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(seed.Content[^5..]);

        await using var db = await app.ContextAsync(Ct);
        (await db.DatasetAccesses.CountAsync(a => a.DatasetId == seed.DatasetId, Ct)).ShouldBe(3, "every access is logged, ranges too");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Range_BeyondTheEnd_Returns416_WithTheSize(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var seed = await SeedAsync(app, DatasetStatus.Live);

        using var response = await GetAsync(app, seed.Url, seed.Seller, $"bytes={seed.Content.Length}-");

        response.StatusCode.ShouldBe(HttpStatusCode.RequestedRangeNotSatisfiable);
        response.Content.Headers.ContentRange!.ToString().ShouldBe($"bytes */{seed.Content.Length}");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Stranger_Gets403_WithAClearMessage_OnALiveDataset_And404_OnADraft(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var live = await SeedAsync(app, DatasetStatus.Live);
        var draft = await SeedAsync(app, DatasetStatus.Draft);
        var stranger = await app.SeedUserAsync("stranger", Ct);

        using var forbidden = await GetAsync(app, live.Url, stranger);
        using var hidden = await GetAsync(app, draft.Url, stranger);
        using var missing = await GetAsync(app, $"/api/v1/datasets/{Guid.NewGuid()}/versions/1/download", stranger);
        using var noVersion = await GetAsync(app, live.Url.Replace("/versions/1/", "/versions/7/", StringComparison.Ordinal), live.Seller);

        forbidden.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        forbidden.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await Detail(forbidden)).ShouldContain("not entitled to download");
        hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        noVersion.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Detail(noVersion)).ShouldContain("no version 7");
        await using var db = await app.ContextAsync(Ct);
        (await db.DatasetAccesses.CountAsync(a => a.UserId == stranger, Ct)).ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Anonymous_Gets401(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var seed = await SeedAsync(app, DatasetStatus.Live);

        using var response = await GetAsync(app, seed.Url, null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Admin_AndBuyerWithDownloadAccess_AreEntitled_TrainingOnlyBuyerIsNot(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var seed = await SeedAsync(app, DatasetStatus.Live);
        var admin = await app.SeedUserAsync("admin", Ct);
        var buyer = await app.SeedUserAsync("buyer", Ct);
        var trainer = await app.SeedUserAsync("trainer", Ct);
        await using (var db = await app.ContextAsync(Ct))
        {
            var dataset = await db.Datasets.Include(d => d.Versions).SingleAsync(d => d.Id == seed.DatasetId, Ct);
            var version = dataset.Versions.Single();
            var bought = Purchase.Start(dataset, version, buyer, DatasetAccessTypes.Download, 25, DateTimeOffset.UtcNow);
            bought.Confirm(1, 1, DateTimeOffset.UtcNow);
            var training = Purchase.Start(dataset, version, trainer, DatasetAccessTypes.TrainingOnly, 25, DateTimeOffset.UtcNow);
            training.Confirm(2, 2, DateTimeOffset.UtcNow);
            db.Purchases.AddRange(bought, training);
            await db.SaveChangesAsync(Ct);
        }

        using var asAdmin = await GetAsync(app, seed.Url, admin, roles: RoleNames.Admin);
        using var asBuyer = await GetAsync(app, seed.Url, buyer);
        using var asTrainer = await GetAsync(app, seed.Url, trainer);
        using var asModerator = await GetAsync(app, seed.Url, admin, roles: RoleNames.Moderator);

        asAdmin.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asAdmin.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(seed.Content);
        asBuyer.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asBuyer.Content.ReadAsByteArrayAsync(Ct)).ShouldBe(seed.Content);
        asTrainer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        asModerator.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "moderating is not owning: moderators are not entitled to files");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task TamperedStoredContent_AbortsTheDownload_BeforeTheBodyIsComplete(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var seed = await SeedAsync(app, DatasetStatus.Live);
        app.Storage.Tamper(seed.StorageCid, 150_000);

        var failure = await Should.ThrowAsync<Exception>(async () =>
        {
            using var response = await GetAsync(app, seed.Url, seed.Seller);
            var body = await response.Content.ReadAsByteArrayAsync(Ct);
            body.Length.ShouldBeLessThan(seed.Content.Length);
            throw new IOException($"Got {body.Length} bytes of {seed.Content.Length}.");
        });

        failure.ShouldNotBeOfType<ShouldAssertException>();
    }

    private sealed record Seed(Guid DatasetId, Guid Seller, string Slug, byte[] Content, Cid Cid, Cid StorageCid, string Url);

    private static async Task<Seed> SeedAsync(DownloadWebFactory app, DatasetStatus status)
    {
        var seller = await app.SeedUserAsync("seller", Ct);
        var moderator = await app.SeedUserAsync("moderator", Ct);
        var content = RandomNumberGenerator.GetBytes(200_000);
        var stored = await app.Storage.StoreAsync(new MemoryStream(content), Ct);
        var slug = "weather-" + Guid.NewGuid().ToString("N")[..10];
        var now = DateTimeOffset.UtcNow;
        var dataset = new Dataset(seller, "Weather", slug, "Rows.", "MIT", null, TokenAmount.FromTokens(5), TimeSpan.FromDays(3),
            DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly, now);
        var version = dataset.AddVersion(stored.Cid, stored.SizeBytes, DatasetFormat.Csv, stored.Sha256Hex, stored.WrappedKey, now);
        version.AttachStorage(stored.StorageCid, null, null);
        version.MarkReady(null, null, 1000);
        if (status == DatasetStatus.Live)
        {
            dataset.SubmitForReview(now);
            dataset.Approve(moderator, now);
        }

        await using var db = await app.ContextAsync(Ct);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Ct);
        return new Seed(dataset.Id, seller, slug, content, stored.Cid, stored.StorageCid, $"/api/v1/datasets/{dataset.Id}/versions/1/download");
    }

    private static async Task<HttpResponseMessage> GetAsync(DownloadWebFactory app, string url, Guid? user, string? range = null, params string[] roles)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (user is { } id)
        {
            request.Headers.Add(TestAuthHandler.Header, TestAuthHandler.HeaderValue(id, $"{id:N}@example.test", roles));
        }

        if (range is not null)
        {
            request.Headers.Add("Range", range);
        }

        return await client.SendAsync(request, Ct);
    }

    private static async Task<string> Detail(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("detail").GetString() ?? string.Empty;
    }
}
