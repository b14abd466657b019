using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NeuroData.Domain.Common;
using NeuroData.Tests.E2E.Infrastructure;
using Parquet;
using Parquet.Schema;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// The whole life of a dataset in Chromium against the real app (real storage, inspector, anvil): a seller with a
/// linked wallet publishes a CSV and a Parquet file through the wizard (progress bar to 100 %), lists the CSV on chain
/// from their wallet, a moderator approves it, a visitor finds it by full-text search and sees its preview and charts,
/// and the seller downloads the file: the bytes are the uploaded ones and their CIDv0, computed by Debian's
/// <c>ipfs_cid</c>, is the one the page shows.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class DatasetLifecycleTests(AppServerFixture app, BrowserFixture browser)
{
    /// <summary>anvil's dev account #6: a wallet no other test links.</summary>
    private static readonly EthAddress SellerWallet = EthAddress.Parse("0x976EA74026E726554dB657fA54763abd0C3a0aa9");

    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 120_000 };

    [Fact]
    public async Task Seller_publishes_CSV_and_Parquet_moderator_approves_search_finds_it_and_the_download_matches_its_CID()
    {
        var word = "lifecycle" + Guid.NewGuid().ToString("N")[..8];
        var csv = CsvFile();
        await using var seller = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = seller.Page;
        await InjectedWallet.InstallAsync(page, app, SellerWallet);
        await AccountPages.CreateConfirmedUserAndSignInAsync(page, "lifecycle");
        await LinkWalletAsync(page);

        // 1. The CSV dataset, through the wizard, then listed on chain from the wallet.
        await PublishAsync(seller, $"Orchard yields {word}", "orchard-yields.csv", "text/csv", csv, "12", "lifecycle-csv");
        var csvCard = page.Locator(".my-dataset").Filter(new() { HasText = $"Orchard yields {word}" });
        await Expect(csvCard.Locator(".dataset-status")).ToHaveTextAsync(new Regex("review", RegexOptions.IgnoreCase));
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(csvCard.Locator("#list-on-chain-download")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await csvCard.Locator("#list-on-chain-download").ClickAsync();
        await Expect(csvCard.Locator(".listing-status")).ToHaveTextAsync(new Regex("pending|waiting", RegexOptions.IgnoreCase), Slow);
        await seller.ScreenshotAsync("lifecycle-2-listed-on-chain");

        // 2. The Parquet dataset: detected from its content, profiled, ready.
        await PublishAsync(seller, $"Orchard sensors {word}", "orchard-sensors.parquet", "application/octet-stream", await ParquetFileAsync(), "8", "lifecycle-parquet");

        // 3. The moderator approves the CSV dataset (the approval goes on chain with the operator key).
        var datasetId = await csvCard.GetAttributeAsync("id") is { } cardId ? cardId["my-dataset-".Length..] : throw new InvalidOperationException("no card id");
        await using (var moderator = await browser.NewSessionAsync(app, Viewport.Desktop))
        {
            await AccountPages.SignInAsync(moderator.Page, AppServerFixture.AdminEmail, AppServerFixture.AdminPassword);
            await PageChecks.GotoAsync(moderator.Page, $"/moderation/{datasetId}");
            await PageChecks.WaitForBlazorAsync(moderator.Page);
            await Expect(moderator.Page.Locator("#approve-button")).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await moderator.Page.Locator("#approve-button").ClickAsync();
            await Expect(moderator.Page.Locator("body")).ToContainTextAsync("Approved", new() { Timeout = 60_000 });
            await moderator.ScreenshotAsync("lifecycle-3-approved");
        }

        string datasetUrl;

        // 4. A visitor finds it by a word of its title and opens it: preview rows and profile charts.
        await using (var visitor = await browser.NewSessionAsync(app, Viewport.Phone))
        {
            await PageChecks.GotoAsync(visitor.Page, "/marketplace");
            await PageChecks.WaitForBlazorAsync(visitor.Page);
            await Expect(visitor.Page.Locator("#search-form[data-interactive='true']")).ToBeAttachedAsync(new() { Timeout = 30_000 });
            await visitor.Page.Locator("#search-input").FillAsync(word);
            await visitor.Page.Locator("#search-submit").ClickAsync();
            var card = visitor.Page.Locator(".dataset-card").Filter(new() { HasText = word });
            await Expect(card).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await card.Locator("a").First.ClickAsync();
            await Expect(visitor.Page.Locator("#dataset-title")).ToHaveTextAsync($"Orchard yields {word}");
            datasetUrl = new Uri(visitor.Page.Url).PathAndQuery;
            await Expect(visitor.Page.Locator("#dataset-preview")).ToContainTextAsync("'=SUM(A1:A2)"); // neutralised
            await Expect(visitor.Page.Locator("#dataset-charts")).ToBeVisibleAsync();
            await visitor.ScreenshotAsync("lifecycle-4-dataset-page");
            (await PageChecks.HorizontalOverflowAsync(visitor.Page)).ShouldBe(0);
        }

        // 5. The seller downloads the file from the dataset page: same bytes, and ipfs_cid agrees with the page's CID.
        await PageChecks.GotoAsync(page, datasetUrl);
        var shownCid = (await page.Locator("#dataset-cid").InnerTextAsync()).Trim();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-button").ClickAsync());
        var path = Path.Combine(Path.GetTempPath(), $"nd-e2e-{Guid.NewGuid():N}.csv");
        try
        {
            await download.SaveAsAsync(path);
            (await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)).ShouldBe(csv);
            (await IpfsCidAsync(path)).ShouldBe(shownCid);
        }
        finally
        {
            File.Delete(path);
        }

        await seller.ScreenshotAsync("lifecycle-5-download");
        seller.Errors.ShouldBeEmpty();
    }

    private static async Task LinkWalletAsync(IPage page)
    {
        await PageChecks.GotoAsync(page, "/Account/Manage/Wallets");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#wallet-signin")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#wallet-signin").ClickAsync();
        await Expect(page.Locator($"[data-wallet='{SellerWallet.Value}']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    private static async Task PublishAsync(BrowserSession session, string title, string fileName, string mimeType, byte[] content, string price, string shot)
    {
        var page = session.Page;
        await PageChecks.GotoAsync(page, "/datasets/publish");
        await PageChecks.WaitForBlazorAsync(page);
        await page.Locator("#publish-title").FillAsync(title);
        await page.Locator("#publish-description").FillAsync("Yields per tree, measured **weekly**.");
        await page.Locator("#publish-license").SelectOptionAsync("CC-BY-4.0");
        await page.Locator("#wizard-next").ClickAsync();

        await page.Locator("#upload-file").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = mimeType, Buffer = content });
        await Expect(page.Locator("#upload-progress")).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = 60_000 });
        await Expect(page.Locator("#upload-status")).ToHaveTextAsync("Ready", Slow);
        await session.ScreenshotAsync(shot + "-uploaded");
        await page.Locator("#wizard-next").ClickAsync();
        await Expect(page.Locator("#profile-summary")).ToContainTextAsync("2,000 rows");
        await page.Locator("#preview-rows").FillAsync("10");
        await page.Locator("#wizard-next").ClickAsync();
        await page.Locator("#publish-price").FillAsync(price);
        await page.Locator("#publish-review-days").FillAsync("3");
        await page.Locator("#wizard-next").ClickAsync();
        await page.Locator("#publish-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(MineUrl());
    }

    /// <summary>2,000 rows; the first data row carries a formula that must be neutralised wherever it is shown.</summary>
    private static byte[] CsvFile()
    {
        var sb = new StringBuilder("tree,variety,week,yield_kg,note\n");
        for (var i = 0; i < 2000; i++)
        {
            var note = i == 0 ? "=SUM(A1:A2)" : i % 7 == 0 ? "pruned" : string.Empty;
            sb.Append(CultureInfo.InvariantCulture, $"T{i % 40:000},{(i % 3 == 0 ? "Gala" : i % 3 == 1 ? "Fuji" : "Braeburn")},{i / 40},{10 + (i % 17) * 0.75:0.00},{note}\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static async Task<byte[]> ParquetFileAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var tree = new DataField<int>("tree");
        var moisture = new DataField<double>("soil_moisture");
        var station = new DataField<string>("station");
        using var ms = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(tree, moisture, station), ms, cancellationToken: ct))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<int>(tree, Enumerable.Range(0, 2000).ToArray().AsMemory(), null, null, ct);
            await group.WriteAsync<double>(moisture, Enumerable.Range(0, 2000).Select(i => 0.2 + (i % 50 / 100.0)).ToArray().AsMemory(), null, null, ct);
            await group.WriteAsync(station, Enumerable.Range(0, 2000).Select(i => $"S{i % 5}").ToArray(), null);
        }

        return ms.ToArray();
    }

    private static async Task<string> IpfsCidAsync(string path)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("ipfs_cid") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(path);
        using var process = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException("ipfs_cid did not start");
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(output).RootElement.GetProperty("CIDv0").GetString()!;
    }

    [GeneratedRegex(@"/datasets/mine/?$", RegexOptions.IgnoreCase)]
    private static partial Regex MineUrl();
}
