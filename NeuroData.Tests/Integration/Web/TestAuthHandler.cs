using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NeuroData.Tests.Integration.Web;

/// <summary>
/// Test-only sign-in: a request with header <c>X-Test-User: {userId};{email};{role,role}</c> is that user; without it,
/// anonymous. Challenges answer 401 (the real app redirects to /Account/Login through Identity's cookie).
/// </summary>
public sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string Header = "X-Test-User";

    public static string HeaderValue(Guid userId, string email, params string[] roles) => $"{userId};{email};{string.Join(',', roles)}";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var value) || string.IsNullOrEmpty(value))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var parts = value.ToString().Split(';');
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, parts[0]),
            new(ClaimTypes.Name, parts[1]),
            new(ClaimTypes.Email, parts[1]),
        };
        claims.AddRange(parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
