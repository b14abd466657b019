using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.E2E.Infrastructure;
using NeuroData.Tests.Integration.Persistence;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// Discovery in a real browser: a live dataset seeded straight into the running app's SQLite database is found by
/// searching from the marketplace, and its page shows the title, CID, neutralised preview, schema and charts, at
/// desktop and phone width (screenshots of both).
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class DiscoveryTests(AppServerFixture app, BrowserFixture browser)
{
    public static TheoryData<string> Viewports() => [.. Viewport.All.Select(v => v.Name)];

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task SearchFromMarketplace_FindsSeededDataset_AndOpensItsPage(string viewportName)
    {
        var viewport = Viewport.All.Single(v => v.Name == viewportName);
        var word = "zephyr" + Guid.NewGuid().ToString("N")[..8].Replace('0', 'q').Replace('1', 'r');
        var (title, slug, cid) = await SeedLiveDatasetAsync(word);

        await using var session = await browser.NewSessionAsync(app, viewport);
        var page = session.Page;
        (await PageChecks.GotoAsync(page, "/marketplace")).Status.ShouldBe(200);
        await PageChecks.WaitForBlazorAsync(page);

        await Expect(page.Locator("#search-form[data-interactive='true']")).ToBeAttachedAsync();
        await page.Locator("#search-input").FillAsync(word + " measurements");
        await page.Locator("#search-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"q={word}"));
        var cards = page.Locator(".dataset-card");
        await Expect(cards).ToHaveCountAsync(1);
        await Expect(cards.First).ToContainTextAsync(title);
        (await PageChecks.HorizontalOverflowAsync(page)).ShouldBe(0, string.Join(", ", await PageChecks.OverflowingElementsAsync(page)));
        await session.ScreenshotAsync("discovery-search");

        await cards.First.Locator("a").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/datasets/{slug}$"));
        await Expect(page.Locator("#dataset-title")).ToHaveTextAsync(title);
        await Expect(page.Locator("#dataset-cid")).ToHaveTextAsync(cid);
        await Expect(page.Locator("#dataset-preview tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#dataset-preview")).ToContainTextAsync("'=HYPERLINK(\"http://evil.test\")");
        await Expect(page.Locator("#dataset-schema")).ToContainTextAsync("temperature");
        (await page.Locator("#dataset-charts .nd-column-fill").CountAsync()).ShouldBe(3);
        await Expect(page.Locator("#dataset-versions")).ToContainTextAsync(cid);
        await Expect(page.Locator("#dataset-reviews")).ToBeVisibleAsync();
        await Expect(page.Locator("#dataset-actions")).ToBeAttachedAsync();
        await Expect(page.Locator("#favorite-button")).ToBeVisibleAsync();
        await Expect(page.Locator("#dataset-description strong")).ToHaveTextAsync("Hourly");
        (await page.Locator("#dataset-description script").CountAsync()).ShouldBe(0);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        (await PageChecks.HorizontalOverflowAsync(page)).ShouldBe(0, string.Join(", ", await PageChecks.OverflowingElementsAsync(page)));
        await session.ScreenshotAsync("discovery-dataset");
        session.Errors.Where(e => e.Text.StartsWith("uncaught:", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public async Task UnknownDataset_GetsTheNotFoundPage()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var response = await session.Page.GotoAsync("/datasets/no-such-dataset-" + Guid.NewGuid().ToString("N")[..8]);

        response.ShouldNotBeNull().Status.ShouldBe(404);
        await Expect(session.Page.Locator("#page-title")).ToHaveTextAsync("Page not found");
    }

    /// <summary>Writes a live dataset (seller, moderator, version with profile and preview) into the app's database.</summary>
    private async Task<(string Title, string Slug, string Cid)> SeedLiveDatasetAsync(string word)
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(app.DataDirectory, "neurodata.db");
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = path, ForeignKeys = true, Pooling = false }.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        var seller = NewUser("seller");
        var moderator = NewUser("moderator");
        var title = $"{word} weather station";
        var slug = $"{word}-weather-station";
        var profile = new DatasetProfile(
            DatasetFormat.Csv, 3,
            [
                new ColumnProfile("temperature", ColumnType.Number, 0, 3, false, new NumericStatistics(1, 9, 4, 2, 3), [],
                    [new HistogramBin(1, 3, 1), new HistogramBin(3, 6, 1), new HistogramBin(6, 9, 1)]),
                new ColumnProfile("note", ColumnType.Text, 1, 2, false, null, [new ValueCount("ok", 1)], []),
            ],
            [["1", "ok"], ["9", "=HYPERLINK(\"http://evil.test\")"], ["4", "hidden third row"]],
            []);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var dataset = new Dataset(seller.Id, title, slug, $"**Hourly** {word} measurements.\n\n<script>alert(1)</script>", "CC-BY-4.0", null,
            TokenAmount.FromTokens(12), TimeSpan.FromDays(3), DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly, now);
        var version = dataset.AddVersion(TestData.RandomCidV0(), 2048, DatasetFormat.Csv, TestData.Sha256Hex(5), [1, 2], now);
        version.SetPreview(JsonSerializer.Serialize(profile.PreviewRows, json), 2);
        version.MarkReady(JsonSerializer.Serialize(profile.Schema, json), JsonSerializer.Serialize(profile, json), 3);
        dataset.SubmitForReview(now);
        dataset.Approve(moderator.Id, now);

        await using var db = new NeuroDataDbContextFactory(settings).CreateDbContext();
        db.Users.AddRange(seller, moderator);
        db.UserProfiles.Add(new UserProfile(seller.Id, "Station Seller", now));
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(ct);
        return (title, slug, version.Cid.ToString());
    }

    private static ApplicationUser NewUser(string stem)
    {
        var id = Guid.CreateVersion7();
        var name = $"{stem}-{id:N}@example.test";
        return new ApplicationUser
        {
            Id = id,
            UserName = name,
            NormalizedUserName = name.ToUpperInvariant(),
            Email = name,
            NormalizedEmail = name.ToUpperInvariant(),
            EmailConfirmed = true,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }
}
