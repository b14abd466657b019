namespace NeuroData.Web.Operations;

/// <summary>
/// Settings of the security headers (section <c>NeuroData:SecurityHeaders</c>).
/// </summary>
public sealed class SecurityHeadersOptions
{
    public const string SectionName = "NeuroData:SecurityHeaders";

    /// <summary>
    /// Extra origins the browser may connect to besides the app itself (e.g. a public JSON-RPC endpoint the wallet
    /// talks to). Default: none.
    /// </summary>
    public IList<string> ExtraConnectSources { get; } = [];
}

/// <summary>
/// Adds the security headers to every response, including error responses (they are added when the response
/// starts, after an exception handler may have cleared the headers).
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<SecurityHeadersOptions> options)
{
    private static readonly string[] BaseConnectSources = ["'self'", "ws:", "wss:"];
    private readonly string _csp = BuildContentSecurityPolicy(options.Value);

    /// <summary>
    /// The Content-Security-Policy. Blazor Server needs nothing inline for scripts (blazor.web.js, MudBlazor and our
    /// modules are files served from 'self') and a WebSocket back to the app; MudBlazor sets inline styles.
    /// </summary>
    public static string BuildContentSecurityPolicy(SecurityHeadersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connect = string.Join(' ', BaseConnectSources.Concat(options.ExtraConnectSources.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())));
        return string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: https:",
            "font-src 'self' data:",
            $"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var (ctx, csp) = ((HttpContext, string))state;
            var headers = ctx.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = csp;
            return Task.CompletedTask;
        }, (context, _csp));
        return next(context);
    }
}
