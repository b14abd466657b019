using Microsoft.Playwright;

namespace NeuroData.Tests.E2E.Infrastructure;

/// <summary>Screenshots as test artifacts: <c>TestResults/screenshots/{name}-{desktop|phone}.png</c>.</summary>
public static class Screenshots
{
    /// <summary>The folder screenshots go to (created on demand).</summary>
    public static string Directory
    {
        get
        {
            var dir = Path.Combine(TestEnvironment.ResultsDirectory, "screenshots");
            System.IO.Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>Saves a full-page PNG of the page, attaches it to the running test and returns its path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name, Viewport viewport)
    {
        var safe = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
        var path = Path.Combine(Directory, $"{safe}-{viewport.Name}.png");
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.AddAttachment($"{safe}-{viewport.Name}", png, "image/png"); // the runner adds ".png"
        TestContext.Current.SendDiagnosticMessage($"screenshot: {path}");
        return path;
    }
}
