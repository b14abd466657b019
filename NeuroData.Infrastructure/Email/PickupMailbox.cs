using System.Globalization;
using System.Text.RegularExpressions;
using MimeKit;

namespace NeuroData.Infrastructure.Email;

/// <summary>A mail in the pickup folder, as the dev mailbox lists it.</summary>
public sealed record MailSummary(string Id, string To, string Subject, DateTimeOffset Date);

/// <summary>A link found in a mail's HTML body.</summary>
public sealed record MailLink(string Text, string Href);

/// <summary>One mail, with its text body and the (http/https) links of its HTML body.</summary>
public sealed record MailDetail(string Id, string From, string To, string Subject, DateTimeOffset Date, string TextBody, IReadOnlyList<MailLink> Links);

/// <summary>Reads the pickup folder for the Development mailbox page. Ids are file names checked against a strict pattern.</summary>
public sealed partial class PickupMailbox(EmailSettings settings)
{
    public string Folder => settings.PickupDirectory;

    /// <summary>A new id: sortable timestamp plus randomness, e.g. <c>20261202T101500123-3f2a9c1e</c>.</summary>
    public static string NewId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>The newest mails first.</summary>
    public async Task<IReadOnlyList<MailSummary>> ListAsync(int take = 200, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        var files = Directory.EnumerateFiles(Folder, "*.eml")
            .Where(f => IsValidId(Path.GetFileNameWithoutExtension(f)))
            .OrderByDescending(f => Path.GetFileName(f), StringComparer.Ordinal)
            .Take(take);
        var list = new List<MailSummary>();
        foreach (var file in files)
        {
            using var mime = await MimeMessage.LoadAsync(file, cancellationToken);
            list.Add(new MailSummary(Path.GetFileNameWithoutExtension(file), mime.To.ToString(), mime.Subject ?? "(no subject)", mime.Date));
        }

        return list;
    }

    /// <summary>The mail with this id, or null when the id is malformed or no such mail exists.</summary>
    public async Task<MailDetail?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsValidId(id))
        {
            return null;
        }

        var file = Path.Combine(Folder, id + ".eml");
        if (!File.Exists(file))
        {
            return null;
        }

        using var mime = await MimeMessage.LoadAsync(file, cancellationToken);
        var links = new List<MailLink>();
        if (mime.HtmlBody is { } html)
        {
            foreach (Match m in AnchorPattern().Matches(html))
            {
                var href = System.Net.WebUtility.HtmlDecode(m.Groups["href"].Value);
                var text = System.Net.WebUtility.HtmlDecode(TagPattern().Replace(m.Groups["text"].Value, string.Empty)).Trim();
                if (Uri.TryCreate(href, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                {
                    links.Add(new MailLink(text.Length == 0 ? href : text, href));
                }
            }
        }

        return new MailDetail(id, mime.From.ToString(), mime.To.ToString(), mime.Subject ?? "(no subject)", mime.Date,
            mime.TextBody ?? string.Empty, links);
    }

    [GeneratedRegex(@"^\d{8}T\d{9}-[0-9a-f]{8}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"<a\s[^>]*href=""(?<href>[^""]*)""[^>]*>(?<text>.*?)</a>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex AnchorPattern();

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
