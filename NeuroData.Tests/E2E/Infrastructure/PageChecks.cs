using Microsoft.Playwright;

namespace NeuroData.Tests.E2E.Infrastructure;

/// <summary>Checks every page should pass in a real browser.</summary>
public static class PageChecks
{
    /// <summary>
    /// Navigates to <paramref name="path"/> and returns the document's response. Chromium turns an error status with an
    /// empty body into a navigation error; that becomes a readable test failure naming the URL.
    /// </summary>
    public static async Task<IResponse> GotoAsync(IPage page, string path)
    {
        try
        {
            var response = await page.GotoAsync(path);
            return response ?? throw new InvalidOperationException($"GET {path}: no response");
        }
        catch (PlaywrightException ex) when (ex.Message.Contains("ERR_HTTP_RESPONSE_CODE_FAILURE", StringComparison.Ordinal))
        {
            Assert.Fail($"GET {path} answered an error status with an empty body (no such page yet?): {ex.Message.Split('\n')[0]}");
            throw;
        }
    }

    /// <summary>
    /// Waits until the page is loaded, the network is quiet and, on an interactive page, Blazor has started
    /// (so circuit errors show up before the test looks at the console).
    /// </summary>
    public static async Task WaitForBlazorAsync(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForFunctionAsync(
            "() => document.readyState === 'complete' && (!document.querySelector('script[src*=\"blazor.web.js\"]') || window.Blazor !== undefined)");
    }

    /// <summary>How far the document scrolls sideways beyond the viewport, in CSS pixels (0 = no horizontal overflow).</summary>
    public static async Task<int> HorizontalOverflowAsync(IPage page) =>
        await page.EvaluateAsync<int>(
            "() => Math.max(0, document.scrollingElement.scrollWidth - window.innerWidth, document.scrollingElement.scrollWidth - document.documentElement.clientWidth)");

    /// <summary>The elements sticking out to the right of the viewport (for a readable failure message).</summary>
    public static async Task<string[]> OverflowingElementsAsync(IPage page) =>
        await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
              .slice(0, 10)
              .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right))
            """);
}
