using Ganss.Xss;
using Markdig;
using Microsoft.AspNetCore.Components;

namespace NeuroData.Web.Rendering;

/// <summary>
/// Renders user-written Markdown (dataset descriptions) to HTML that is safe to show: Markdig with raw HTML disabled,
/// then HtmlSanitizer (allow-list of tags and attributes; scripts, event handlers, javascript: URLs and styles removed).
/// Links get rel="nofollow noopener noreferrer". Thread-safe; one instance for the app.
/// </summary>
public sealed class MarkdownRenderer
{
    /// <summary>Longest input rendered; longer text is cut (descriptions are limited well below this).</summary>
    public const int MaxInputLength = 50_000;

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseTaskLists()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    /// <summary>Sanitised HTML of the Markdown (empty for null or blank input).</summary>
    public string ToSafeHtml(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return string.Empty;
        }

        var source = markdown.Length > MaxInputLength ? markdown[..MaxInputLength] : markdown;
        var html = Markdown.ToHtml(source, _pipeline);
        return _sanitizer.Sanitize(html);
    }

    /// <summary>The sanitised HTML as markup for a component (the only place user text becomes markup).</summary>
    public MarkupString Render(string? markdown) => new(ToSafeHtml(markdown));

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "s", "ins", "mark", "sub", "sup",
                "blockquote", "code", "pre", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "input", "span",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "title", "type", "checked", "disabled", "align", "rel" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
        };
        var sanitizer = new HtmlSanitizer(options);
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link)
            {
                link.SetAttribute("rel", "nofollow noopener noreferrer");
            }
            else if (e.Node is AngleSharp.Dom.IElement { LocalName: "input" } input && !string.Equals(input.GetAttribute("type"), "checkbox", StringComparison.OrdinalIgnoreCase))
            {
                input.Remove();
            }
        };
        return sanitizer;
    }
}

/// <summary>Registration of the discovery pages' web services (Markdown rendering, the search bench verb).</summary>
public static class DiscoveryWebSetup
{
    public static IServiceCollection AddDiscoveryWeb(this IServiceCollection services)
    {
        services.AddSingleton<MarkdownRenderer>();
        services.AddScoped<Components.Pages.Datasets.Page.ViewedDatasets>();
        services.AddSingleton<Operations.ICommandLineVerb, Operations.Bench.SearchBenchVerb>();
        return services;
    }
}
