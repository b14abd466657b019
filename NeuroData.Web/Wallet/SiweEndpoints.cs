using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Auth;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Identity;
using NeuroData.Web.Accounts;

namespace NeuroData.Web.Wallet;

/// <summary>
/// The wallet's ordinary HTTP endpoints (a cookie cannot be set over the Blazor circuit): Sign-In with Ethereum and
/// unlinking a wallet. Both are antiforgery-checked form posts and share the per-IP limit of the account forms.
/// </summary>
public static class SiweEndpoints
{
    public const string SiweLoginPath = "/Account/SiweLogin";
    public const string UnlinkPath = "/Account/Manage/Wallets/Unlink";
    public const string WalletsPage = "/Account/Manage/Wallets";
    public const string LoginPage = "/Account/Login";
    public const string StatusCookieName = IdentityRedirectManager.StatusCookieName;

    /// <summary>Registers the wallet services: the SIWE sign-in service and the Development faucet.</summary>
    public static IHostApplicationBuilder AddWallet(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<SiweSignInService>();
        builder.Services.AddScoped<WalletPanelQueries>();
        // The faucet page needs the dev chain's faucet, which exists only with the embedded chain (call after AddInfrastructure).
        if (builder.Environment.IsDevelopment() && builder.Services.Any(d => d.ServiceType == typeof(NeuroData.Domain.Ports.IDevFaucet)))
        {
            builder.Services.AddSingleton<WalletFaucet>();
        }

        return builder;
    }

    /// <summary>Maps <c>POST /Account/SiweLogin</c> and <c>POST /Account/Manage/Wallets/Unlink</c>.</summary>
    public static IEndpointRouteBuilder MapWalletEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SiweLoginPath, async (
            HttpContext context,
            [FromServices] SiweSignInService siwe,
            [FromServices] SignInManager<ApplicationUser> signInManager,
            [FromServices] ChainSettings chain,
            [FromServices] AccountRateLimiter limiter,
            [FromServices] IAntiforgery antiforgery) =>
        {
            if (await RefusedFormAsync(context, antiforgery) is { } refused)
            {
                return RedirectWithStatus(context, SignedInUserId(context.User) is null ? LoginPage : WalletsPage, refused);
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            string? message = form["message"];
            string? signature = form["signature"];
            string? returnUrl = form["returnUrl"];
            using var lease = limiter.Acquire(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            if (!lease.IsAcquired)
            {
                context.Response.Headers.RetryAfter = "60";
                return Results.Text("Too many attempts from your address. Wait a minute and try again.", statusCode: StatusCodes.Status429TooManyRequests);
            }

            // Form encoding turns the message's LF line ends into CRLF; the wallet signed LF (EIP-4361 has no CR).
            message = message?.Replace("\r\n", "\n", StringComparison.Ordinal);
            var signedIn = SignedInUserId(context.User);
            var result = await siwe.SignInAsync(message, signature, ExpectationsFor(context.Request, chain), signedIn, context.ToRequestInfo(), context.RequestAborted);
            switch (result.Outcome)
            {
                case SiweOutcome.Refused:
                    return RedirectWithStatus(context, signedIn is null ? LoginPage : WalletsPage, result.Error!);
                case SiweOutcome.Linked:
                    return RedirectWithStatus(context, WalletsPage, $"Wallet {result.Address!.ToShortString()} is linked to your account.");
                case SiweOutcome.Created:
                    await signInManager.SignInAsync(result.User!, isPersistent: false, authenticationMethod: "siwe");
                    return RedirectWithStatus(context, "/Account/Manage", "Welcome! Your account was created with your wallet. Choose a display name, and add an email address to receive notifications.");
                default:
                    await signInManager.SignInAsync(result.User!, isPersistent: false, authenticationMethod: "siwe");
                    return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/dashboard");
            }
        }).DisableAntiforgery(); // checked by hand above, so a missing token is a clear message instead of a 500

        endpoints.MapPost(UnlinkPath, async (
            HttpContext context,
            [FromServices] SiweSignInService siwe,
            [FromServices] IAntiforgery antiforgery) =>
        {
            if (SignedInUserId(context.User) is not { } userId)
            {
                return Results.LocalRedirect(LoginPage);
            }

            if (await RefusedFormAsync(context, antiforgery) is { } refused)
            {
                return RedirectWithStatus(context, WalletsPage, refused);
            }

            string? address = (await context.Request.ReadFormAsync(context.RequestAborted))["address"];

            if (!EthAddress.TryParse(address, out var parsed, out var error))
            {
                return RedirectWithStatus(context, WalletsPage, "Error: " + error);
            }

            var problem = await siwe.UnlinkAsync(userId, parsed, context.ToRequestInfo(), context.RequestAborted);
            return RedirectWithStatus(context, WalletsPage, problem ?? $"Wallet {parsed.ToShortString()} was unlinked.");
        }).RequireAuthorization().DisableAntiforgery(); // checked by hand above

        return endpoints;
    }

    /// <summary>What the message must name: this request's own scheme and host, and the configured chain.</summary>
    public static SiweExpectations ExpectationsFor(HttpRequest request, ChainSettings chain)
    {
        var authority = request.Host.Value ?? string.Empty;
        return new SiweExpectations(request.Scheme, authority, $"{request.Scheme}://{authority}", chain.ChainId.Value);
    }

    /// <summary>Why the post is refused (not a form, or no valid antiforgery token), or null when it may go on.</summary>
    private static async Task<string?> RefusedFormAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType)
        {
            return "Error: The sign-in request was not a form post. Use the buttons on this page.";
        }

        return await antiforgery.IsRequestValidAsync(context)
            ? null
            : "Error: This page expired (its security token is missing or invalid). Reload the page and try again.";
    }

    private static Guid? SignedInUserId(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    private static IResult RedirectWithStatus(HttpContext context, string path, string message)
    {
        context.Response.Cookies.Append(StatusCookieName, message, new CookieOptions
        {
            SameSite = SameSiteMode.Strict,
            HttpOnly = true,
            IsEssential = true,
            MaxAge = TimeSpan.FromSeconds(5),
            Secure = context.Request.IsHttps,
            Path = "/",
        });
        return Results.LocalRedirect(path);
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);
}
