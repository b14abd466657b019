using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using NeuroData.Domain.Common;
using NeuroData.Tests.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// Try before you buy in a real browser against the real app: a seller uploads a CSV with a separable yes/no column,
/// declares it as the label in the wizard, and the dataset page shows the baseline the platform's job computed
/// (AUC well above chance), on a desktop and on a phone without sideways scrolling.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class BaselineTests(AppServerFixture app, BrowserFixture browser)
{
    private static readonly LocatorAssertionsToHaveTextOptions Processing = new() { Timeout = 120_000 };

    /// <summary>label = yes when x1 + x2 &gt; 0, with a noise column (fixed seed).</summary>
    private static byte[] SeparableCsv()
    {
        var random = new Random(11);
        var sb = new StringBuilder("x1,x2,noise,label\n");
        for (var i = 0; i < 600; i++)
        {
            double x1 = random.NextDouble() * 2 - 1, x2 = random.NextDouble() * 2 - 1;
            sb.Append(CultureInfo.InvariantCulture, $"{x1:0.0000},{x2:0.0000},{random.NextDouble():0.0000},{(x1 + x2 > 0 ? "yes" : "no")}\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Fact]
    public async Task Seller_declares_the_label_when_publishing_and_the_dataset_page_shows_the_platforms_baseline()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        await AccountPages.CreateConfirmedUserAndSignInAsync(page, "baseline");
        var title = "Separable outcomes " + Guid.NewGuid().ToString("N")[..6];

        await PageChecks.GotoAsync(page, "/datasets/publish");
        await PageChecks.WaitForBlazorAsync(page);
        await page.Locator("#publish-title").FillAsync(title);
        await page.Locator("#publish-description").FillAsync("Two signals and a yes/no outcome.");
        await page.Locator("#publish-license").SelectOptionAsync("CC-BY-4.0");
        await page.Locator("#wizard-next").ClickAsync();
        await page.Locator("#upload-file").SetInputFilesAsync(new FilePayload { Name = "outcomes.csv", MimeType = "text/csv", Buffer = SeparableCsv() });
        await Expect(page.Locator("#upload-status")).ToHaveTextAsync("Ready", Processing);
        await page.Locator("#wizard-next").ClickAsync();

        await Expect(page.Locator("#profile-summary")).ToContainTextAsync("600 rows");
        await page.Locator("#label-column").SelectOptionAsync("label");
        await Expect(page.Locator("#label-column-help")).ToContainTextAsync("predicting 'label'");
        await session.ScreenshotAsync("baseline-1-label");
        await page.Locator("#wizard-next").ClickAsync();
        await page.Locator("#publish-price").FillAsync("3");
        await page.Locator("#publish-review-days").FillAsync("3");
        await page.Locator("#wizard-next").ClickAsync();
        await page.Locator("#publish-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/datasets/mine/?$"));

        var url = "/datasets/" + Slug.From(title);
        await PageChecks.GotoAsync(page, url);
        await PageChecks.WaitForBlazorAsync(page);
        var section = page.Locator("#baseline-metrics");
        await Expect(section).ToHaveAttributeAsync("data-status", "computed", new() { Timeout = 120_000 });
        await Expect(page.Locator("#baseline-primary-name")).ToHaveTextAsync("AUC");
        var auc = double.Parse(await page.Locator("#baseline-primary-value").InnerTextAsync(), CultureInfo.InvariantCulture);
        auc.ShouldBeGreaterThan(0.9);
        await Expect(page.Locator("#baseline-details")).ToContainTextAsync("hold-out rows");
        await Expect(page.Locator("#baseline-note")).ToContainTextAsync("cannot edit these numbers");
        await Expect(page.Locator("#label-column")).ToHaveValueAsync("label");
        await section.ScrollIntoViewIfNeededAsync();
        await session.ScreenshotAsync("baseline-2-dataset-page");
        session.Errors.ShouldBeEmpty();

        await using var phone = await browser.NewSessionAsync(app, Viewport.Phone, await page.Context.StorageStateAsync());
        await PageChecks.GotoAsync(phone.Page, url);
        await PageChecks.WaitForBlazorAsync(phone.Page);
        await Expect(phone.Page.Locator("#baseline-metrics")).ToHaveAttributeAsync("data-status", "computed");
        await phone.Page.Locator("#baseline-metrics").ScrollIntoViewIfNeededAsync();
        await phone.ScreenshotAsync("baseline-2-dataset-page");
        var overflow = await PageChecks.HorizontalOverflowAsync(phone.Page);
        overflow.ShouldBe(0, string.Join(", ", await PageChecks.OverflowingElementsAsync(phone.Page)));
        phone.Errors.ShouldBeEmpty();
    }
}
