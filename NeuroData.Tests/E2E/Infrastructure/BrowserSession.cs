using Microsoft.Playwright;

namespace NeuroData.Tests.E2E.Infrastructure;

/// <summary>
/// A browser context with one page, recording what the page reports as errors: console messages of type "error" and
/// uncaught exceptions. Disposing closes the context.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly List<ConsoleError> _errors = [];
    private readonly List<(string Url, int Status, string ResourceType)> _responses = [];
    private readonly Lock _lock = new();

    public BrowserSession(IBrowserContext context, IPage page, Viewport viewport)
    {
        Context = context;
        Page = page;
        Viewport = viewport;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record(new ConsoleError(message.Text, message.Location));
            }
        };
        page.PageError += (_, error) => Record(new ConsoleError("uncaught: " + error, page.Url));
        page.Response += (_, response) =>
        {
            lock (_lock)
            {
                _responses.Add((response.Url, response.Status, response.Request.ResourceType));
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public Viewport Viewport { get; }

    /// <summary>The errors so far.</summary>
    public IReadOnlyList<ConsoleError> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Every HTTP response the page received so far, with Playwright's resource type ("document", "stylesheet", "script", ...).</summary>
    public IReadOnlyList<(string Url, int Status, string ResourceType)> Responses
    {
        get
        {
            lock (_lock)
            {
                return [.. _responses];
            }
        }
    }

    /// <summary>Saves a full-page screenshot as <c>TestResults/screenshots/{name}-{viewport}.png</c> and returns its path.</summary>
    public Task<string> ScreenshotAsync(string name) => Screenshots.SaveAsync(Page, name, Viewport);

    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    private void Record(ConsoleError error)
    {
        lock (_lock)
        {
            _errors.Add(error);
        }
    }
}

/// <summary>An error the page reported: the message and the script or document URL it came from.</summary>
public sealed record ConsoleError(string Text, string Location)
{
    public override string ToString() => $"{Text} ({Location})";
}
