using System.Text.RegularExpressions;
using NeuroData.Tests.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// Every main page at desktop and phone width: it answers with the right status, renders without console errors,
/// does not scroll sideways on a phone, and leaves a screenshot in TestResults/screenshots for review.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class PageScreenshotTests(AppServerFixture app, BrowserFixture browser)
{
    private static readonly SemaphoreSlim SignInGate = new(1, 1);
    private static string? _signedInState;

    [Theory]
    [InlineData("/", "home")]
    [InlineData("/marketplace", "marketplace")]
    [InlineData("/Account/Login", "login")]
    [InlineData("/Account/Register", "register")]
    public async Task PublicPage_RendersCleanly_OnDesktopAndPhone(string path, string name)
    {
        foreach (var viewport in Viewport.All)
        {
            await using var session = await CheckPageAsync(path, name, viewport, storageState: null, expectedStatus: 200);
        }
    }

    [Fact]
    public async Task UnknownUrl_ShowsFriendlyNotFoundPage_OnDesktopAndPhone()
    {
        foreach (var viewport in Viewport.All)
        {
            await using var session = await CheckPageAsync("/no-such-page-" + Guid.NewGuid().ToString("N")[..8], "not-found", viewport, storageState: null, expectedStatus: 404);
            await Expect(session.Page.Locator("body")).ToContainTextAsync(NotFoundText(), IgnoreCase);
        }
    }

    [Theory]
    [InlineData("/dashboard", "dashboard")]
    [InlineData("/training", "training")]
    [InlineData("/staking", "staking")]
    public async Task SignedInPage_RendersCleanly_OnDesktopAndPhone(string path, string name)
    {
        var state = await SignedInStateAsync();
        foreach (var viewport in Viewport.All)
        {
            await using var session = await CheckPageAsync(path, name, viewport, state, expectedStatus: 200);
            session.Page.Url.ShouldNotContain("/Account/Login", Case.Insensitive, "a signed-in user should not be sent to the login page");
        }
    }

    [Theory]
    [InlineData("/admin/users", "admin-users")]
    [InlineData("/admin/chain", "admin-chain")]
    public async Task AdminPage_RendersCleanly_OnDesktopAndPhone(string path, string name)
    {
        string state;
        await using (var signIn = await browser.NewSessionAsync(app, Viewport.Desktop))
        {
            await AccountPages.SignInAsync(signIn.Page, AppServerFixture.AdminEmail, AppServerFixture.AdminPassword);
            state = await signIn.Context.StorageStateAsync();
        }

        foreach (var viewport in Viewport.All)
        {
            await using var session = await CheckPageAsync(path, name, viewport, state, expectedStatus: 200);
            session.Page.Url.ShouldNotContain("/Account/Login", Case.Insensitive);
            if (path == "/admin/chain")
            {
                // The indexer mirrors the dev chain's deployment (mints, reserve funding) within seconds of start.
                await Expect(session.Page.Locator("#indexer-last-block")).ToHaveTextAsync(new Regex(@"^\d+$"), new() { Timeout = 30_000 });
                await Expect(session.Page.Locator("#mirror-events")).Not.ToHaveTextAsync("0", new() { Timeout = 30_000 });
                await session.ScreenshotAsync($"page-{name}-loaded");
            }
        }
    }

    /// <summary>Opens the page in a fresh context, checks it and saves its screenshot; returns the session (for more checks).</summary>
    private async Task<BrowserSession> CheckPageAsync(string path, string name, Viewport viewport, string? storageState, int expectedStatus)
    {
        var session = await browser.NewSessionAsync(app, viewport, storageState);
        try
        {
            var page = session.Page;
            var response = await PageChecks.GotoAsync(page, path);
            response.Status.ShouldBe(expectedStatus, $"GET {path}");
            await PageChecks.WaitForBlazorAsync(page);
            await session.ScreenshotAsync($"page-{name}");

            if (viewport.IsMobile)
            {
                var overflow = await PageChecks.HorizontalOverflowAsync(page);
                if (overflow > 1)
                {
                    var culprits = await PageChecks.OverflowingElementsAsync(page);
                    Assert.Fail($"{path} scrolls sideways by {overflow}px at {viewport.Width}px width; elements past the right edge: {string.Join(", ", culprits)}");
                }
            }

            // The browser logs the 404 of the document itself as a console error: that one is the point of the page.
            var errors = session.Errors
                .Where(e => !(expectedStatus == 404 && e.Location.StartsWith(response.Url, StringComparison.Ordinal) && e.Text.Contains("404", StringComparison.Ordinal)))
                .ToList();
            errors.ShouldBeEmpty($"console errors on {path} at {viewport.Name} width");
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Cookies of a user registered, confirmed and signed in once for this class (through the UI).</summary>
    private async Task<string> SignedInStateAsync()
    {
        await SignInGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_signedInState is null)
            {
                await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
                await AccountPages.CreateConfirmedUserAndSignInAsync(session.Page, "pages");
                _signedInState = await session.Context.StorageStateAsync();
            }

            return _signedInState;
        }
        finally
        {
            SignInGate.Release();
        }
    }

    /// <summary>Case-insensitive text match (the option wins over the .NET regex's own flags).</summary>
    private static readonly Microsoft.Playwright.LocatorAssertionsToContainTextOptions IgnoreCase = new() { IgnoreCase = true };

    [GeneratedRegex("not found|404|doesn't exist|does not exist", RegexOptions.IgnoreCase)]
    private static partial Regex NotFoundText();
}
