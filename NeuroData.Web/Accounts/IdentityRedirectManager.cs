using Microsoft.AspNetCore.Components;

namespace NeuroData.Web.Accounts;

/// <summary>
/// Redirects from static SSR account pages, optionally carrying a one-shot status message in a short-lived cookie
/// (the next page shows it and deletes it). Callers return right after a redirect. Only local URLs are followed: an open redirect via returnUrl is not possible.
/// </summary>
public sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    /// <summary>Navigates to <paramref name="uri"/> when it is local, otherwise to the home page.</summary>
    public void RedirectTo(string? uri)
    {
        // During static rendering this ends the response with a redirect (callers return right after calling it).
        navigationManager.NavigateTo(ToLocal(uri));
    }

    public void RedirectTo(string uri, Dictionary<string, object?> queryParameters)
    {
        var path = navigationManager.ToAbsoluteUri(ToLocal(uri)).GetLeftPart(UriPartial.Path);
        RedirectTo(navigationManager.GetUriWithQueryParameters(path, queryParameters));
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context) =>
        RedirectToWithStatus(navigationManager.ToBaseRelativePath(navigationManager.Uri).Split('?')[0], message, context);

    /// <summary>A base-relative path for local URLs ("/x", "x", or our own absolute URL); "" (home) for anything else.</summary>
    public string ToLocal(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri) || uri.StartsWith("//", StringComparison.Ordinal) || uri.Contains('\\', StringComparison.Ordinal) || uri.Any(char.IsControl))
        {
            return string.Empty;
        }

        if (uri.StartsWith('/'))
        {
            return uri.TrimStart('/');
        }

        if (Uri.TryCreate(uri, UriKind.Absolute, out var absolute))
        {
            return absolute.Scheme is "http" or "https" && absolute.AbsoluteUri.StartsWith(navigationManager.BaseUri, StringComparison.OrdinalIgnoreCase)
                ? navigationManager.ToBaseRelativePath(absolute.AbsoluteUri)
                : string.Empty;
        }

        return Uri.IsWellFormedUriString(uri, UriKind.Relative) ? uri : string.Empty;
    }
}
