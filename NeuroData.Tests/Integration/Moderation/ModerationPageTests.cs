using System.Net;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Tests.Integration.Downloads;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Persistence;
using NeuroData.Tests.Integration.Web;

namespace NeuroData.Tests.Integration.Moderation;

/// <summary>The moderation pages and "My datasets" as the server renders them (prerendered HTML), on SQLite.</summary>
public sealed class ModerationPageTests(PostgresCluster cluster, DownloadFactories factories) : IClassFixture<DownloadFactories>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/moderation")]
    [InlineData("/moderation/0196f0c4-0000-7000-8000-000000000001")]
    public async Task ModerationPages_AreForbidden_ToAMemberWithoutTheRole_AndNeedSignIn(string path)
    {
        var app = await factories.GetAsync(DbProvider.Sqlite, cluster);
        var member = await app.SeedUserAsync("member", Ct);

        using var asMember = await SendAsync(app, path, member);
        using var anonymous = await SendAsync(app, path, null);

        asMember.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Queue_ListsThePendingDataset_ForAModerator_AndTheCaseShowsWhyApprovalWaits()
    {
        var app = await factories.GetAsync(DbProvider.Sqlite, cluster);
        var seller = await app.SeedUserAsync("seller", Ct);
        var moderator = await app.SeedUserAsync("moderator", Ct);
        var dataset = await SeedAsync(app, seller, "Queue sample", d => d.SubmitForReview(DateTimeOffset.UtcNow));

        using var queue = await SendAsync(app, "/moderation", moderator, RoleNames.Moderator);
        using var page = await SendAsync(app, $"/moderation/{dataset}", moderator, RoleNames.Moderator);
        using var own = await SendAsync(app, $"/moderation/{dataset}", seller, RoleNames.Moderator);

        queue.StatusCode.ShouldBe(HttpStatusCode.OK);
        var queueHtml = await queue.Content.ReadAsStringAsync(Ct);
        queueHtml.ShouldContain($"id=\"queue-item-{dataset}\"");
        queueHtml.ShouldContain("not listed yet");
        var caseHtml = await page.Content.ReadAsStringAsync(Ct);
        caseHtml.ShouldContain("id=\"approve-blocked\"");
        caseHtml.ShouldContain("has not listed version 1 on chain yet");
        (await own.Content.ReadAsStringAsync(Ct)).ShouldContain("id=\"own-dataset\"");
    }

    [Fact]
    public async Task MyDatasets_ShowsEachState_AndTheRejectionReason_OnlyForTheSignedInSeller()
    {
        var app = await factories.GetAsync(DbProvider.Sqlite, cluster);
        var seller = await app.SeedUserAsync("seller", Ct);
        var moderator = await app.SeedUserAsync("moderator", Ct);
        var stranger = await app.SeedUserAsync("stranger", Ct);
        var draft = await SeedAsync(app, seller, "Draft one", _ => { });
        var rejected = await SeedAsync(app, seller, "Rejected one", d =>
        {
            d.SubmitForReview(DateTimeOffset.UtcNow);
            d.Reject(moderator, "Column names are missing.", DateTimeOffset.UtcNow);
        });
        var live = await SeedAsync(app, seller, "Live one", d =>
        {
            d.SubmitForReview(DateTimeOffset.UtcNow);
            d.Approve(moderator, DateTimeOffset.UtcNow);
        });

        using var mine = await SendAsync(app, "/datasets/mine", seller);
        using var theirs = await SendAsync(app, "/datasets/mine", stranger);
        using var anonymous = await SendAsync(app, "/datasets/mine", null);

        mine.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await mine.Content.ReadAsStringAsync(Ct);
        StatusOf(html, draft).ShouldBe("draft");
        StatusOf(html, rejected).ShouldBe("rejected");
        StatusOf(html, live).ShouldBe("live");
        html.ShouldContain("Rejected: Column names are missing.");
        html.ShouldContain($"href=\"/datasets/publish?id={draft}\"");
        html.ShouldContain($"id=\"delist-{live}\"");
        (await theirs.Content.ReadAsStringAsync(Ct)).ShouldContain("id=\"no-datasets\"");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static string StatusOf(string html, Guid id)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"id=\"dataset-status-{id}\"[^>]*>(?:<[^>]+>)*\\s*([a-z ]+?)\\s*<", System.Text.RegularExpressions.RegexOptions.Singleline);
        match.Success.ShouldBeTrue($"status chip of {id} not found");
        return match.Groups[1].Value;
    }

    private static async Task<Guid> SeedAsync(DownloadWebFactory app, Guid seller, string title, Action<Dataset> shape)
    {
        var now = DateTimeOffset.UtcNow;
        var dataset = new Dataset(seller, title, "page-" + Guid.NewGuid().ToString("N")[..12], "Rows.", "MIT", null, TokenAmount.FromTokens(4),
            TimeSpan.FromDays(3), DatasetAccessTypes.Download, now);
        var version = dataset.AddVersion(TestData.RandomCidV0(), 4096, DatasetFormat.Csv, TestData.Sha256Hex(3), [1, 2], now);
        version.MarkReady(null, null, 12);
        shape(dataset);
        await using var db = await app.ContextAsync(Ct);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Ct);
        return dataset.Id;
    }

    private static async Task<HttpResponseMessage> SendAsync(DownloadWebFactory app, string path, Guid? user, params string[] roles)
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (user is { } id)
        {
            request.Headers.Add(TestAuthHandler.Header, TestAuthHandler.HeaderValue(id, $"{id:N}@example.test", roles));
        }

        return await client.SendAsync(request, Ct);
    }
}
