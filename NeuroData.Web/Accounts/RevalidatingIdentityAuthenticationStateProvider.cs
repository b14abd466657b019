using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Web.Accounts;

/// <summary>
/// Authentication state for interactive circuits, re-checked against the database: the circuit loses its user when
/// the security stamp changed (password change, sign-out, role change, admin lock) or the account is locked. Checked
/// every minute for Admin/Moderator/Arbitrator, every 10 minutes for everyone else.
/// </summary>
public sealed class RevalidatingIdentityAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    public static readonly TimeSpan PrivilegedInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(10);

    protected override TimeSpan RevalidationInterval
    {
        get
        {
            var state = GetAuthenticationStateAsync();
            return state.IsCompletedSuccessfully && RoleNames.All.Any(state.Result.User.IsInRole) ? PrivilegedInterval : DefaultInterval;
        }
    }

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await IsStillValidAsync(users, authenticationState.User, options.Value);
    }

    /// <summary>True while the principal's account exists, is not locked and has the same security stamp.</summary>
    public static async Task<bool> IsStillValidAsync(UserManager<ApplicationUser> users, ClaimsPrincipal principal, IdentityOptions options)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return false;
        }

        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        var principalStamp = principal.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await users.GetSecurityStampAsync(user);
    }
}
