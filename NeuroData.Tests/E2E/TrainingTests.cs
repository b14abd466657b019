using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NeuroData.Infrastructure.Seeding;
using NeuroData.Tests.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// Training in a real browser against the real app and its real run queue: the demo seller opens /training/new, picks
/// their churn dataset (seeded through the real pipeline), trains LightGBM, watches the run page until the ROC chart
/// shows, trains a second model with FastTree, compares both and predicts with the first; screenshots at desktop and phone width.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class TrainingTests(AppServerFixture app, BrowserFixture browser)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Training = new() { Timeout = 180_000 };

    [Fact]
    public async Task The_seller_trains_two_models_on_their_dataset_watches_them_compares_them_and_predicts()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        await AccountPages.SignInAsync(page, DevelopmentSeeder.DemoAccounts.Single(a => a.DisplayName == "Demo Seller").Email, DevelopmentSeeder.DemoPassword);

        // The demo seeder publishes its datasets in the background: wait until the churn data can be trained on.
        var churn = DemoDatasets.All[0].Title;
        var option = page.Locator("#training-dataset option", new() { HasTextString = churn });
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            await PageChecks.GotoAsync(page, "/training/new");
            await PageChecks.WaitForBlazorAsync(page);
            try
            {
                await Expect(option).ToHaveCountAsync(1, new() { Timeout = 10_000 });
                break;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                // not processed yet
            }
        }

        var versionId = await option.GetAttributeAsync("value");
        versionId.ShouldNotBeNullOrEmpty();
        await page.Locator("#training-dataset").SelectOptionAsync(versionId);
        await page.Locator("#training-task").SelectOptionAsync("BinaryClassification");
        await page.Locator("#training-label").SelectOptionAsync("churned");
        await Expect(page.Locator("#training-features tr[data-column='churned']")).ToHaveCountAsync(0);
        await page.Locator("#training-features tr[data-column='customer_id'] .feature-include").UncheckAsync();
        await page.Locator("#training-trainer").SelectOptionAsync("lightgbm");
        await page.Locator("#param-trees").FillAsync("60");
        await page.Locator("#training-model-name").FillAsync("Churn LightGBM");
        await CheckBothWidthsAsync(session, "training-1-new", reload: false); // a reload would clear the filled form

        await page.Locator("#training-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(RunUrl(), new() { Timeout = 30_000 });
        var first = page.Url;

        // Queued, then running with live progress (pushed, no reload), then the results.
        await Expect(page.Locator("#run-status")).ToHaveTextAsync(new Regex("Queued|Running|Succeeded"));
        await Expect(page.Locator("#run-queue-position, #run-progress, #run-metrics").First).ToBeVisibleAsync();
        await session.ScreenshotAsync("training-2-progress");
        await Expect(page.Locator("#chart-roc svg")).ToBeVisibleAsync(Training);
        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
        await Expect(page.Locator("#run-failure")).ToHaveCountAsync(0);
        var auc = double.Parse(await page.Locator("#metric-auc .nd-metric-value").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        auc.ShouldBeGreaterThan(0.6, "the churn data has real signal; a broken pipeline scores about 0.5");
        await Expect(page.Locator("#chart-roc [data-role='diagonal']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#chart-confusion")).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-importance")).ToContainTextAsync("contract");
        await Expect(page.Locator("#run-lineage")).ToContainTextAsync(churn);
        await Expect(page.Locator("#run-model-link")).ToHaveAttributeAsync("href", ModelUrl());
        await CheckBothWidthsAsync(session, "training-3-results");

        // A second run on the same version with another trainer.
        await PageChecks.GotoAsync(page, $"/training/new?version={versionId}");
        await PageChecks.WaitForBlazorAsync(page);
        await page.Locator("#training-task").SelectOptionAsync("BinaryClassification");
        await page.Locator("#training-label").SelectOptionAsync("churned");
        await page.Locator("#training-features tr[data-column='customer_id'] .feature-include").UncheckAsync();
        await page.Locator("#training-trainer").SelectOptionAsync("fasttree");
        await page.Locator("#param-trees").FillAsync("40");
        await page.Locator("#training-model-name").FillAsync("Churn FastTree");
        await page.Locator("#training-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(RunUrl(), new() { Timeout = 30_000 });
        page.Url.ShouldNotBe(first);
        await Expect(page.Locator("#chart-roc svg")).ToBeVisibleAsync(Training);

        // Both on the runs list; tick them and compare.
        await PageChecks.GotoAsync(page, "/training");
        await PageChecks.WaitForBlazorAsync(page);
        var lightGbmRow = page.Locator("#training-runs tbody tr", new() { HasTextString = "Churn LightGBM" }).First;
        var fastTreeRow = page.Locator("#training-runs tbody tr", new() { HasTextString = "Churn FastTree" }).First;
        await Expect(lightGbmRow).ToContainTextAsync("AUC");
        await CheckBothWidthsAsync(session, "training-4-runs");
        await lightGbmRow.Locator(".run-select input").CheckAsync();
        await fastTreeRow.Locator(".run-select input").CheckAsync();
        await page.Locator("#training-compare").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/training/compare\\?runs="));
        await Expect(page.Locator("#compare-table")).ToContainTextAsync("Churn LightGBM");
        await Expect(page.Locator("#compare-table")).ToContainTextAsync("Churn FastTree");
        await Expect(page.Locator("#compare-table tr[data-row='metric-auc'] td")).ToHaveCountAsync(2);
        await Expect(page.Locator("#compare-roc polyline")).ToHaveCountAsync(2);
        await CheckBothWidthsAsync(session, "training-5-compare");

        // Use the first model: the run page links to it, its form is generated from the training columns.
        await PageChecks.GotoAsync(page, first);
        await PageChecks.WaitForBlazorAsync(page);
        await page.Locator("#run-model-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/models/[0-9a-f-]{36}$"));
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator(".nd-predict-field[data-column=customer_id]")).ToHaveCountAsync(0);
        foreach (var (column, value) in new[] { ("tenure_months", "2"), ("monthly_charges", "98.5"), ("support_calls", "5") })
        {
            var input = page.Locator($".nd-predict-field[data-column={column}] input");
            await input.FillAsync(value);
            await input.BlurAsync();
        }

        await page.Locator("#predict-submit").ClickAsync();
        await Expect(page.Locator("#predict-label")).ToHaveTextAsync(new Regex("^(true|false)$", RegexOptions.IgnoreCase));
        await Expect(page.Locator("#predict-probabilities .nd-bar-row")).ToHaveCountAsync(2);
        await session.ScreenshotAsync("training-6-predict");
        session.Errors.ShouldBeEmpty();
    }

    /// <summary>Screenshots at desktop and phone width; the phone never scrolls sideways.</summary>
    private static async Task CheckBothWidthsAsync(BrowserSession session, string name, bool reload = true)
    {
        var page = session.Page;
        await session.ScreenshotAsync(name);
        await page.SetViewportSizeAsync(Viewport.Phone.Width, Viewport.Phone.Height);
        if (reload)
        {
            await page.ReloadAsync(); // as a phone opens it (the navigation drawer closed)
            await PageChecks.WaitForBlazorAsync(page);
        }

        await Screenshots.SaveAsync(page, name, Viewport.Phone);
        (await PageChecks.HorizontalOverflowAsync(page)).ShouldBe(0, string.Join(", ", await PageChecks.OverflowingElementsAsync(page)));
        await page.SetViewportSizeAsync(Viewport.Desktop.Width, Viewport.Desktop.Height);
        if (reload)
        {
            await page.ReloadAsync();
            await PageChecks.WaitForBlazorAsync(page);
        }
    }

    [GeneratedRegex(@"/training/runs/[0-9a-f-]{36}$")]
    private static partial Regex RunUrl();

    [GeneratedRegex(@"^/models/[0-9a-f-]{36}$")]
    private static partial Regex ModelUrl();
}
