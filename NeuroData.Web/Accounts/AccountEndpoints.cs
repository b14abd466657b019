using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Web.Accounts;

/// <summary>Account actions that are plain HTTP endpoints rather than pages.</summary>
public static class AccountEndpoints
{
    public const string LogoutPath = "/Account/Logout";

    /// <summary>
    /// POST /Account/Logout (form, antiforgery-checked): signs out, rotates the security stamp so a copied cookie
    /// stops working, logs the event and redirects to the local <c>ReturnUrl</c> (default: home).
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(LogoutPath, async (
            HttpContext context,
            [FromServices] SignInManager<ApplicationUser> signInManager,
            [FromServices] AccountService accounts,
            [FromForm] string? returnUrl) =>
        {
            var user = await signInManager.UserManager.GetUserAsync(context.User);
            await signInManager.SignOutAsync();
            if (user is not null)
            {
                await signInManager.UserManager.UpdateSecurityStampAsync(user);
                await accounts.RecordAsync(user.Id, UserActivityKind.SignedOut, context.ToRequestInfo(), cancellationToken: context.RequestAborted);
            }

            return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "~/");
        });
        return endpoints;
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);
}
