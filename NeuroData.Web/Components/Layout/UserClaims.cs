using System.Security.Claims;

namespace NeuroData.Web.Components.Layout;

/// <summary>Reads the signed-in user's id from the authentication cookie's claims.</summary>
public static class UserClaims
{
    /// <summary>The user id (Identity's NameIdentifier claim), or null when absent or not a Guid.</summary>
    public static Guid? IdOf(ClaimsPrincipal user) =>
        user?.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) && id != Guid.Empty
            ? id
            : null;
}
