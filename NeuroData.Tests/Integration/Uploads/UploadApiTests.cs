using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Datasets.Publishing;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Uploads;

/// <summary>The chunked upload API and ingest, against the real app on SQLite and on PostgreSQL.</summary>
public sealed class UploadApiTests(PostgresCluster cluster, UploadHosts hosts) : IClassFixture<UploadHosts>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Csv(int rows)
    {
        var sb = new StringBuilder("id,city,reading\n");
        for (var i = 1; i <= rows; i++)
        {
            sb.Append(i).Append(",city-").Append(i % 7).Append(',').Append(i * 3).Append('\n');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private async Task<Seller> SellerAsync(DbProvider provider, bool withAntiforgery = true) =>
        await Seller.CreateAsync(await hosts.GetAsync(provider, cluster), withAntiforgery);

    private static async Task<UploadAnswer> CreatedAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<UploadAnswer>(Ct))!;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(status, text);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<int> VersionCountAsync(Seller seller, Guid datasetId)
    {
        await using var db = await seller.Host.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        return await db.DatasetVersions.CountAsync(v => v.DatasetId == datasetId, Ct);
    }

    private static async Task<bool> SessionRowExistsAsync(Seller seller, Guid session)
    {
        await using var db = await seller.Host.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        return await db.Set<UploadSession>().AnyAsync(s => s.Id == session, Ct);
    }

    private static string TempFile(Seller seller, Guid session) => seller.Host.Services.GetRequiredService<UploadOptions>().TempFilePath(session);

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Create_chunks_complete_makes_a_ready_version_with_the_exact_bytes_profile_and_preview(DbProvider provider)
    {
        using var seller = await SellerAsync(provider);
        var dataset = await seller.DraftAsync();
        var file = Csv(300); // several chunks
        var created = await CreatedAsync(await seller.CreateUploadAsync(dataset, "readings.csv", file.Length));
        created.ChunkSize.ShouldBe(UploadWebFactory.ChunkBytes);
        created.Received.ShouldBe(0);
        File.Exists(TempFile(seller, created.Id)).ShouldBeTrue();

        await seller.SendFromAsync(created.Id, file, 0);
        (await seller.StateAsync(created.Id)).Received.ShouldBe(file.Length);
        using (var complete = await seller.Client.PostAsync($"/api/v1/uploads/{created.Id}/complete", null, Ct))
        {
            complete.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var done = await seller.WaitForIngestAsync(created.Id);
        done.Status.ShouldBe("Ready", done.Error);
        done.VersionId.ShouldNotBeNull();
        File.Exists(TempFile(seller, created.Id)).ShouldBeFalse();

        await using var db = await seller.Host.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        var version = await db.DatasetVersions.SingleAsync(v => v.Id == done.VersionId, Ct);
        version.Status.ShouldBe(DatasetVersionStatus.Ready);
        version.DatasetId.ShouldBe(dataset);
        version.VersionNumber.ShouldBe(1);
        version.RowCount.ShouldBe(300);
        version.SizeBytes.ShouldBe(file.Length);
        version.ContentSha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file)));
        (await seller.Host.ReadStoredAsync(version.StorageCid!, version.WrappedKey, Ct)).ShouldBe(file);
        version.TrainingDataCid.ShouldNotBeNull();
        version.TrainingDataWrappedKey.ShouldNotBeNull();
        version.PreviewRowCount.ShouldBe(UploadService.DefaultPreviewRows);
        JsonDocument.Parse(version.PreviewJson!).RootElement.GetArrayLength().ShouldBe(DatasetVersion.MaxPreviewRows);
        JsonDocument.Parse(version.PreviewJson!).RootElement[0][1].GetString().ShouldBe("city-1");
        var schema = JsonSerializer.Deserialize<List<ColumnSchema>>(version.SchemaJson!, Web)!;
        schema.ShouldBe([new("id", ColumnType.WholeNumber), new("city", ColumnType.Text), new("reading", ColumnType.WholeNumber)]);
        JsonDocument.Parse(version.ProfileJson!).RootElement.GetProperty("rowCount").GetInt64().ShouldBe(300);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task An_interrupted_chunk_keeps_nothing_of_it_and_the_upload_resumes_from_received(DbProvider provider)
    {
        using var seller = await SellerAsync(provider);
        var dataset = await seller.DraftAsync();
        var file = Csv(300);
        var created = await CreatedAsync(await seller.CreateUploadAsync(dataset, "readings.csv", file.Length));
        using (var first = await seller.PutChunkAsync(created.Id, file, 0, 1023))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // The connection "drops" after 500 of the 1024 declared bytes.
        using (var cut = await seller.PutChunkAsync(created.Id, file, 1024, 2047, body: file[1024..1524]))
        {
            var problem = await ProblemAsync(cut, HttpStatusCode.BadRequest);
            problem.GetProperty("detail").GetString()!.ShouldContain("ended after 500 of the 1024 bytes");
        }

        new FileInfo(TempFile(seller, created.Id)).Length.ShouldBe(1024);
        var state = await seller.StateAsync(created.Id);
        state.Received.ShouldBe(1024);

        // Re-sending a chunk the server already holds is accepted and changes nothing.
        using (var again = await seller.PutChunkAsync(created.Id, file, 0, 1023))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await again.Content.ReadFromJsonAsync<UploadAnswer>(Ct))!.Received.ShouldBe(1024);
        }

        await seller.SendFromAsync(created.Id, file, state.Received);
        using (var complete = await seller.Client.PostAsync($"/api/v1/uploads/{created.Id}/complete", null, Ct))
        {
            complete.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var done = await seller.WaitForIngestAsync(created.Id);
        done.Status.ShouldBe("Ready", done.Error);
        await using var db = await seller.Host.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        var version = await db.DatasetVersions.SingleAsync(v => v.Id == done.VersionId, Ct);
        (await seller.Host.ReadStoredAsync(version.StorageCid!, version.WrappedKey, Ct)).ShouldBe(file);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_chunk_that_does_not_start_at_received_is_a_conflict_naming_the_offset(DbProvider provider)
    {
        using var seller = await SellerAsync(provider);
        var file = Csv(300);
        var created = await CreatedAsync(await seller.CreateUploadAsync(await seller.DraftAsync(), "readings.csv", file.Length));

        using var response = await seller.PutChunkAsync(created.Id, file, 1024, 2047);

        var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
        problem.GetProperty("received").GetInt64().ShouldBe(0);
        problem.GetProperty("detail").GetString()!.ShouldContain("must start at byte 0");
        (await seller.StateAsync(created.Id)).Received.ShouldBe(0);
        new FileInfo(TempFile(seller, created.Id)).Length.ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Oversize_declarations_and_bodies_are_refused_with_a_reason_and_keep_nothing(DbProvider provider)
    {
        using var seller = await SellerAsync(provider);
        var dataset = await seller.DraftAsync();

        using (var tooBig = await seller.CreateUploadAsync(dataset, "huge.csv", UploadWebFactory.MaxFileBytes + 1))
        {
            (await ProblemAsync(tooBig, HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString()!.ShouldContain("largest file accepted is 64 KiB");
        }

        using (var empty = await seller.CreateUploadAsync(dataset, "empty.csv", 0))
        {
            (await ProblemAsync(empty, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!.ShouldContain("empty");
        }

        var file = Csv(300);
        var created = await CreatedAsync(await seller.CreateUploadAsync(dataset, "readings.csv", file.Length));

        using (var bigChunk = await seller.PutChunkAsync(created.Id, file, 0, 2047))
        {
            (await ProblemAsync(bigChunk, HttpStatusCode.RequestEntityTooLarge)).GetProperty("detail").GetString()!.ShouldContain("at most 1024 bytes");
        }

        using (var beyond = await seller.PutChunkAsync(created.Id, file, 0, 1023, body: new byte[1100]))
        {
            (await ProblemAsync(beyond, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!.ShouldContain("more bytes than its Content-Range");
        }

        // A range past the declared size (the total matches, the end does not).
        using (var content = new ByteArrayContent(new byte[10]))
        {
            content.Headers.TryAddWithoutValidation("Content-Range", $"bytes {file.Length}-{file.Length + 9}/{file.Length}").ShouldBeTrue();
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/uploads/{created.Id}") { Content = content };
            using var past = await seller.Client.SendAsync(request, Ct);
            (await ProblemAsync(past, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!.ShouldContain("beyond the declared file size");
        }

        (await seller.StateAsync(created.Id)).Received.ShouldBe(0);
        new FileInfo(TempFile(seller, created.Id)).Length.ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Another_users_session_is_not_found_for_every_verb(DbProvider provider)
    {
        using var owner = await SellerAsync(provider);
        using var stranger = await SellerAsync(provider);
        var file = Csv(10);
        var created = await CreatedAsync(await owner.CreateUploadAsync(await owner.DraftAsync(), "readings.csv", file.Length));

        using (var get = await stranger.Client.GetAsync($"/api/v1/uploads/{created.Id}", Ct))
        {
            await ProblemAsync(get, HttpStatusCode.NotFound);
        }

        using (var put = await stranger.PutChunkAsync(created.Id, file, 0, file.Length - 1))
        {
            await ProblemAsync(put, HttpStatusCode.NotFound);
        }

        using (var complete = await stranger.Client.PostAsync($"/api/v1/uploads/{created.Id}/complete", null, Ct))
        {
            await ProblemAsync(complete, HttpStatusCode.NotFound);
        }

        using (var delete = await stranger.Client.DeleteAsync($"/api/v1/uploads/{created.Id}", Ct))
        {
            await ProblemAsync(delete, HttpStatusCode.NotFound);
        }

        // Nor may a stranger upload into the owner's dataset.
        using (var into = await stranger.CreateUploadAsync(created.DatasetId, "mine.csv", 10))
        {
            await ProblemAsync(into, HttpStatusCode.NotFound);
        }

        (await owner.StateAsync(created.Id)).Received.ShouldBe(0);
        File.Exists(TempFile(owner, created.Id)).ShouldBeTrue();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Without_the_antiforgery_token_writes_are_a_400_problem_and_create_nothing(DbProvider provider)
    {
        using var seller = await SellerAsync(provider, withAntiforgery: false);
        var dataset = await seller.DraftAsync();

        using var response = await seller.CreateUploadAsync(dataset, "readings.csv", 100);

        (await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("title").GetString()!.ShouldContain("antiforgery");
        await using var db = await seller.Host.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        (await db.Set<UploadSession>().AnyAsync(s => s.OwnerId == seller.Id, Ct)).ShouldBeFalse();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Cancel_removes_the_temp_file_and_the_row(DbProvider provider)
    {
        using var seller = await SellerAsync(provider);
        var file = Csv(300);
        var created = await CreatedAsync(await seller.CreateUploadAsync(await seller.DraftAsync(), "readings.csv", file.Length));
        foreach (var from in new long[] { 0, 1024 })
        {
            using var put = await seller.PutChunkAsync(created.Id, file, from, from + 1023);
            put.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        new FileInfo(TempFile(seller, created.Id)).Length.ShouldBe(2048);
        using (var delete = await seller.Client.DeleteAsync($"/api/v1/uploads/{created.Id}", Ct))
        {
            delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        File.Exists(TempFile(seller, created.Id)).ShouldBeFalse();
        (await SessionRowExistsAsync(seller, created.Id)).ShouldBeFalse();
        using var get = await seller.Client.GetAsync($"/api/v1/uploads/{created.Id}", Ct);
        get.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("report\r\n.csv", "control characters")]
    [InlineData("invoice\u202Evsc.exe", "U+202E")]
    [InlineData("CON.csv", "reserved device name")]
    [InlineData("../../etc/passwd", "path separators")]
    [InlineData("C:\\data\\x.csv", "path separators")]
    public async Task Hostile_file_names_are_refused_at_create_with_the_reason(string name, string reason)
    {
        using var seller = await SellerAsync(DbProvider.Sqlite);

        using var response = await seller.CreateUploadAsync(await seller.DraftAsync(), name, 100);

        (await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!.ShouldContain(reason);
    }

    [Fact]
    public async Task A_file_name_over_255_characters_is_refused()
    {
        using var seller = await SellerAsync(DbProvider.Sqlite);

        using var response = await seller.CreateUploadAsync(await seller.DraftAsync(), new string('a', 252) + ".csv", 100);

        (await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("detail").GetString()!.ShouldContain("too long");
    }

    [Fact]
    public async Task More_open_uploads_than_allowed_are_refused()
    {
        using var seller = await SellerAsync(DbProvider.Sqlite);
        var dataset = await seller.DraftAsync();
        (await CreatedAsync(await seller.CreateUploadAsync(dataset, "a.csv", 10))).Status.ShouldBe("Uploading");
        (await CreatedAsync(await seller.CreateUploadAsync(dataset, "b.csv", 10))).Status.ShouldBe("Uploading");

        using var third = await seller.CreateUploadAsync(dataset, "c.csv", 10);

        (await ProblemAsync(third, (HttpStatusCode)429)).GetProperty("detail").GetString()!.ShouldContain("at most 2");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_file_that_fails_inspection_leaves_no_version_no_temp_file_and_says_why(DbProvider provider)
    {
        using var seller = await SellerAsync(provider);
        var dataset = await seller.DraftAsync();
        var file = Encoding.UTF8.GetBytes("a,b,c\n1,2,3\n4,5\n");
        var storedBefore = seller.Host.PinnedCount;
        var created = await CreatedAsync(await seller.CreateUploadAsync(dataset, "ragged.csv", file.Length));
        await seller.SendFromAsync(created.Id, file, 0);
        using (var complete = await seller.Client.PostAsync($"/api/v1/uploads/{created.Id}/complete", null, Ct))
        {
            complete.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var done = await seller.WaitForIngestAsync(created.Id);

        done.Status.ShouldBe("Failed");
        done.Error!.ShouldContain("has 2 columns but the header has 3");
        done.VersionId.ShouldBeNull();
        (await VersionCountAsync(seller, dataset)).ShouldBe(0);
        File.Exists(TempFile(seller, created.Id)).ShouldBeFalse();
        File.Exists(seller.Host.Services.GetRequiredService<UploadOptions>().TrainingFormPath(created.Id)).ShouldBeFalse();
        seller.Host.PinnedCount.ShouldBe(storedBefore);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_failure_after_storing_removes_everything_stored_and_writes_no_version(DbProvider provider)
    {
        using var seller = await SellerAsync(provider);
        var dataset = await seller.DraftAsync();
        var file = Csv(20);

        async Task<UploadAnswer> UploadAsync()
        {
            var created = await CreatedAsync(await seller.CreateUploadAsync(dataset, "readings.csv", file.Length));
            await seller.SendFromAsync(created.Id, file, 0);
            using var complete = await seller.Client.PostAsync($"/api/v1/uploads/{created.Id}/complete", null, Ct);
            return await seller.WaitForIngestAsync(created.Id);
        }

        (await UploadAsync()).Status.ShouldBe("Ready");
        var storedAfterFirst = seller.Host.PinnedCount;

        // The same content again: stored (original and training form), then the dataset refuses a duplicate CID.
        var second = await UploadAsync();

        second.Status.ShouldBe("Failed");
        second.Error!.ShouldContain("is already version 1 of this dataset");
        (await VersionCountAsync(seller, dataset)).ShouldBe(1);
        seller.Host.PinnedCount.ShouldBe(storedAfterFirst);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Abandoned_uploads_are_removed_with_their_files_and_fresh_ones_are_kept(DbProvider provider)
    {
        using var seller = await SellerAsync(provider);
        var dataset = await seller.DraftAsync();
        var old = await CreatedAsync(await seller.CreateUploadAsync(dataset, "old.csv", 100));
        var options = seller.Host.Services.GetRequiredService<UploadOptions>();
        var dbFactory = seller.Host.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cleanup = new UploadCleanup(dbFactory, options, clock, NullLogger<UploadCleanup>.Instance);

        clock.Advance(TimeSpan.FromHours(23));
        await cleanup.RunOnceAsync(Ct);
        (await SessionRowExistsAsync(seller, old.Id)).ShouldBeTrue("23 hours idle is not abandoned yet");

        var fresh = await CreatedAsync(await seller.CreateUploadAsync(dataset, "fresh.csv", 100));
        await using (var db = await dbFactory.CreateDbContextAsync(Ct))
        {
            // The fresh one was touched "now" on the fake clock's scale: 23 h after the old one.
            await db.Set<UploadSession>().Where(s => s.Id == fresh.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.UpdatedAt, clock.GetUtcNow()), Ct);
        }

        clock.Advance(TimeSpan.FromHours(2));
        await cleanup.RunOnceAsync(Ct);

        (await SessionRowExistsAsync(seller, old.Id)).ShouldBeFalse();
        File.Exists(options.TempFilePath(old.Id)).ShouldBeFalse();
        (await SessionRowExistsAsync(seller, fresh.Id)).ShouldBeTrue();
        File.Exists(options.TempFilePath(fresh.Id)).ShouldBeTrue();
    }
}
