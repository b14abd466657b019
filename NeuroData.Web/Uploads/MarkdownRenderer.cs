using Ganss.Xss;
using Markdig;

namespace NeuroData.Web.Uploads;

/// <summary>Renders a seller's Markdown to HTML that is safe to show: Markdig, then HtmlSanitizer (no scripts, no
/// event handlers, no javascript: links, no raw HTML surprises).</summary>
public sealed class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();
    private readonly HtmlSanitizer _sanitizer = new();

    public string ToSafeHtml(string? markdown)
    {
        var html = Markdown.ToHtml(markdown ?? string.Empty, _pipeline);
        lock (_sanitizer)
        {
            return _sanitizer.Sanitize(html);
        }
    }
}
