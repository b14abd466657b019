using Microsoft.Playwright;

namespace NeuroData.Tests.E2E.Infrastructure;

/// <summary>
/// One headless Chromium for the E2E run: Microsoft.Playwright driving Debian's <c>chromium</c> package
/// (<c>NEURODATA_CHROMIUM</c> overrides the path; <c>playwright install</c> is never used). Launched on first use.
/// When the browser is missing, <see cref="RequireAsync"/> fails the calling test if CI=true and skips it otherwise.
/// </summary>
public sealed class BrowserFixture : IAsyncDisposable
{
    /// <summary>Chromium flags that work on the CI machines (root, no GPU, no network beyond loopback).</summary>
    public static readonly IReadOnlyList<string> ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _unavailable;
    private string? _launchFailure;

    /// <summary>The Chromium binary: <c>NEURODATA_CHROMIUM</c>, default <c>/usr/bin/chromium</c>.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("NEURODATA_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    /// <summary>The launched browser; fails (CI) or skips (elsewhere) the calling test when Chromium is missing.</summary>
    public async Task<IBrowser> RequireAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_browser is null && _unavailable is null && _launchFailure is null)
            {
                if (!File.Exists(ExecutablePath))
                {
                    _unavailable = $"Chromium was not found at {ExecutablePath} (install the Debian packages chromium and chromium-driver, or run ./test.sh)";
                }
                else
                {
                    try
                    {
                        _playwright = await Playwright.CreateAsync();
                        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                        {
                            ExecutablePath = ExecutablePath,
                            Headless = true,
                            Args = ChromiumArgs,
                            Timeout = 60_000,
                        });
                    }
                    catch (PlaywrightException ex)
                    {
                        _launchFailure = ex.Message;
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (_launchFailure is not null)
        {
            Assert.Fail($"Chromium at {ExecutablePath} failed to launch: {_launchFailure}");
        }

        if (_unavailable is not null)
        {
            if (TestEnvironment.IsCi)
            {
                Assert.Fail($"Browser tests cannot run and CI=true: {_unavailable}.");
            }

            Assert.Skip($"Browser tests skipped: {_unavailable}. With CI=true this fails instead.");
        }

        return _browser!;
    }

    /// <summary>A fresh browser context (own cookies) at the given viewport, with a page that records console errors.</summary>
    public async Task<BrowserSession> NewSessionAsync(AppServerFixture app, Viewport viewport, string? storageState = null)
    {
        var browser = await RequireAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl,
            ViewportSize = new ViewportSize { Width = viewport.Width, Height = viewport.Height },
            IsMobile = viewport.IsMobile,
            HasTouch = viewport.IsMobile,
            DeviceScaleFactor = 1,
            StorageState = storageState,
            Locale = "en-US",
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page, viewport);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }
}
