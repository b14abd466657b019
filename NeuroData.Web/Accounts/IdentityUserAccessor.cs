using Microsoft.AspNetCore.Identity;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Web.Accounts;

/// <summary>The signed-in user of a static SSR request; redirects to sign-in when the account is gone.</summary>
public sealed class IdentityUserAccessor(UserManager<ApplicationUser> userManager, IdentityRedirectManager redirectManager)
{
    /// <summary>The user, or null after starting a redirect to sign-in (the caller then returns).</summary>
    public async Task<ApplicationUser?> GetUserOrRedirectAsync(HttpContext context)
    {
        var user = await userManager.GetUserAsync(context.User);
        if (user is null)
        {
            redirectManager.RedirectToWithStatus("Account/Login", "Your session has ended: the account could not be found. Sign in again.", context);
        }

        return user;
    }
}
