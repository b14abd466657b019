using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using NeuroData.Infrastructure.Email;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Seeding;

namespace NeuroData.Web.Accounts;

/// <summary>
/// Accounts: ASP.NET Core Identity with cookie sign-in, the Blazor authentication state, email, the start-up
/// bootstrap (roles, first admin, Development seed) and the account endpoints. Account pages are static SSR
/// (ADR-003); see Components/Account.
/// </summary>
public static class AccountsSetup
{
    /// <summary>Per client IP: how many account form posts (sign-in, register, reset, resend) per minute.</summary>
    public const string RateLimitKey = "NeuroData:Accounts:PostsPerMinutePerIp";
    public const int DefaultPostsPerMinute = 30;

    private static readonly string[] RateLimitedPaths =
        ["/Account/Login", "/Account/Register", "/Account/ForgotPassword", "/Account/ResendEmailConfirmation", "/Account/ResetPassword"];

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<IdentityUserAccessor>();
        services.AddScoped<AccountEmails>();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthorization();

        services.AddNeuroDataIdentityCore().AddSignInManager();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.LogoutPath = AccountEndpoints.LogoutPath;
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Cookie.Name = "NeuroData.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.SlidingExpiration = true;
        });
        // Cookies carry the security stamp; a changed stamp (password change, sign-out, lock) ends sessions within this.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(5));

        builder.AddEmail();
        services.AddSingleton<AccountsBootstrapper>();
        services.AddSingleton<DevelopmentSeeder>();
        services.AddHostedService<AccountsStartup>();
        if (builder.Environment.IsDevelopment()
            && builder.Configuration.GetValue("NeuroData:Seed:DemoDatasets", true)
            && services.Any(d => d.ServiceType == typeof(Infrastructure.Chain.ChainSettings) && d.ImplementationInstance is Infrastructure.Chain.ChainSettings { Mode: Infrastructure.Chain.ChainMode.Embedded }))
        {
            // After the accounts exist (hosted services start in order): demo datasets through the real pipeline.
            services.AddHostedService<DemoDatasetSeeder>();
        }

        var permits = builder.Configuration.GetValue(RateLimitKey, DefaultPostsPerMinute);
        services.AddSingleton(new AccountRateLimiter(permits));
        return builder;
    }

    /// <summary>
    /// Authentication and authorization middleware (must run before <c>UseAntiforgery</c>), the per-IP limit on
    /// account posts, the Development-only gate for /dev pages, and the logout endpoint.
    /// </summary>
    public static WebApplication UseAccounts(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();

        var limiter = app.Services.GetRequiredService<AccountRateLimiter>();
        app.UseWhen(
            ctx => HttpMethods.IsPost(ctx.Request.Method)
                && RateLimitedPaths.Any(p => ctx.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)),
            branch => branch.Use(async (ctx, next) =>
            {
                using var lease = limiter.Acquire(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                if (!lease.IsAcquired)
                {
                    ctx.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    ctx.Response.Headers.RetryAfter = "60";
                    await ctx.Response.WriteAsync("Too many attempts from your address. Wait a minute and try again.", ctx.RequestAborted);
                    return;
                }

                await next(ctx);
            }));

        if (!app.Environment.IsDevelopment())
        {
            // The dev mailbox (and any other /dev page) does not exist outside Development.
            app.Use(async (ctx, next) =>
            {
                if (ctx.Request.Path.StartsWithSegments("/dev", StringComparison.OrdinalIgnoreCase))
                {
                    ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                await next(ctx);
            });
        }

        app.MapAccountEndpoints();
        return app;
    }
}

/// <summary>A fixed one-minute window per client IP for account form posts.</summary>
public sealed class AccountRateLimiter(int permitsPerMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(ip =>
        RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permitsPerMinute),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public RateLimitLease Acquire(string ip) => _limiter.AttemptAcquire(ip);

    public void Dispose() => _limiter.Dispose();
}
