using System.Text.RegularExpressions;
using NeuroData.Tests.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>The real app in a real browser: the home page renders, its styles and the Blazor script load.</summary>
[Collection(E2ECollection.Name)]
public sealed class HomePageSmokeTests(AppServerFixture app, BrowserFixture browser)
{
    [Fact]
    public async Task HomePage_RendersWithTitle_StylesAndBlazorScript()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;

        var response = await PageChecks.GotoAsync(page, "/");

        response.Status.ShouldBe(200);
        await Expect(page).ToHaveTitleAsync(new Regex("NeuroData"));
        await Expect(page.GetByText("NeuroData").First).ToBeVisibleAsync();
        await PageChecks.WaitForBlazorAsync(page);
        (await page.EvaluateAsync<bool>("() => window.Blazor !== undefined")).ShouldBeTrue("blazor.web.js did not start");
        var assets = session.Responses.Where(r => r.ResourceType is "stylesheet" or "script").ToList();
        assets.ShouldContain(r => r.ResourceType == "stylesheet", "the page should load a stylesheet (MudBlazor's)");
        assets.ShouldContain(r => r.Url.Contains("blazor.web", StringComparison.Ordinal), "the page should load blazor.web.js");
        assets.Where(r => r.Status != 200).ShouldBeEmpty("every stylesheet and script should load");
        session.Errors.Where(e => e.Text.StartsWith("uncaught:", StringComparison.Ordinal)).ShouldBeEmpty();
        await session.ScreenshotAsync("smoke-home");
    }
}
