using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NeuroData.Tests.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// The publish wizard in a real browser against the real app: a seller describes a dataset, uploads a real CSV file
/// through the chunked upload API (the progress bar reaches 100 %), waits until it is processed (status Ready, with the
/// real storage and inspector), chooses the preview, sets price and access, and submits it for review.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class PublishTests(AppServerFixture app, BrowserFixture browser)
{
    private static readonly LocatorAssertionsToHaveTextOptions Processing = new() { Timeout = 120_000 };

    /// <summary>A CSV of about 1.5 MB with whole numbers, decimals and text.</summary>
    private static byte[] CsvFile()
    {
        var sb = new StringBuilder("station,hour,temperature,condition\n");
        for (var i = 0; i < 40_000; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"berlin-{i % 12},{i % 24},{(i % 300) / 10.0:0.0},{(i % 3 == 0 ? "sunny" : "cloudy")}\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Fact]
    public async Task Seller_PublishesACsv_ProgressReaches100_StatusReady_AndSubmitsForReview()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        await AccountPages.CreateConfirmedUserAndSignInAsync(page, "publish");

        await PageChecks.GotoAsync(page, "/datasets/publish");
        await PageChecks.WaitForBlazorAsync(page);
        await page.Locator("#publish-title").FillAsync("Berlin weather " + Guid.NewGuid().ToString("N")[..6]);
        await page.Locator("#publish-description").FillAsync("Hourly readings from **twelve** stations.");
        await page.Locator("#publish-license").SelectOptionAsync("CC-BY-4.0");
        await session.ScreenshotAsync("publish-1-details");
        await page.Locator("#wizard-next").ClickAsync();
        await Expect(page).ToHaveURLAsync(DraftUrl());

        var file = CsvFile();
        await page.Locator("#upload-file").SetInputFilesAsync(new FilePayload { Name = "berlin-weather.csv", MimeType = "text/csv", Buffer = file });

        await Expect(page.Locator("#upload-progress")).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = 60_000 });
        await Expect(page.Locator("#upload-status")).ToHaveTextAsync("Ready", Processing);
        await Expect(page.Locator("#upload-bytes")).ToHaveTextAsync("923.3 kB of 923.3 kB");
        await session.ScreenshotAsync("publish-2-uploaded");

        await page.Locator("#wizard-next").ClickAsync();
        await Expect(page.Locator("#profile-summary")).ToContainTextAsync("40,000 rows");
        await Expect(page.Locator("#profile-columns")).ToContainTextAsync("temperature");
        await page.Locator("#preview-rows").FillAsync("5");
        await session.ScreenshotAsync("publish-3-profile");
        await page.Locator("#wizard-next").ClickAsync();

        await page.Locator("#publish-price").FillAsync("12.5");
        await page.Locator("#publish-review-days").FillAsync("7");
        await page.Locator("#publish-access-training").CheckAsync();
        await page.Locator("#wizard-next").ClickAsync();

        await Expect(page.Locator("#publish-review")).ToContainTextAsync("12.5 NCR");
        await Expect(page.Locator("#publish-review")).ToContainTextAsync("preview 5 rows");
        await session.ScreenshotAsync("publish-4-review");
        await page.Locator("#publish-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(MineUrl());
        session.Errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Publish_OnAPhone_ShowsTheFirstStepWithoutSidewaysScrolling_AndExplainsMissingFields()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Phone);
        var page = session.Page;
        await AccountPages.CreateConfirmedUserAndSignInAsync(page, "publish-phone");

        await PageChecks.GotoAsync(page, "/datasets/publish");
        await PageChecks.WaitForBlazorAsync(page);
        await session.ScreenshotAsync("publish-phone-start");
        await page.Locator("#wizard-next").ClickAsync();

        await Expect(page.Locator("body")).ToContainTextAsync("Enter a title.");
        await Expect(page.Locator("#publish-license-error")).ToHaveTextAsync("Choose a license.");
        await Expect(page).ToHaveURLAsync(PublishUrl());
        await session.ScreenshotAsync("publish-phone-details");
        var overflow = await PageChecks.HorizontalOverflowAsync(page);
        overflow.ShouldBe(0, string.Join(", ", await PageChecks.OverflowingElementsAsync(page)));
    }

    [GeneratedRegex(@"/datasets/publish\?draft=[0-9a-f-]{36}$", RegexOptions.IgnoreCase)]
    private static partial Regex DraftUrl();

    [GeneratedRegex(@"/datasets/publish/?$", RegexOptions.IgnoreCase)]
    private static partial Regex PublishUrl();

    [GeneratedRegex(@"/datasets/mine/?$", RegexOptions.IgnoreCase)]
    private static partial Regex MineUrl();
}
