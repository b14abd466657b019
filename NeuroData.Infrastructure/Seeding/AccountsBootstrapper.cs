using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Seeding;

/// <summary>What <see cref="AccountsBootstrapper.EnsureFirstAdminAsync"/> did.</summary>
public enum FirstAdminOutcome
{
    /// <summary>Some account already holds the Admin role; nothing changed.</summary>
    AlreadyPresent,

    /// <summary>Created from <c>NeuroData:Admin:Email</c> / <c>NeuroData:Admin:Password</c>.</summary>
    CreatedFromConfiguration,

    /// <summary>An existing account with the configured email was given the Admin role.</summary>
    PromotedFromConfiguration,

    /// <summary>Development: admin@neurodata.local with a random password (logged once).</summary>
    CreatedForDevelopment,

    /// <summary>Not Development and no admin configured: there is no administrator yet.</summary>
    NotConfigured,
}

/// <summary>
/// Runs at start: creates the roles (Admin, Moderator, Arbitrator) and the first administrator. Idempotent.
/// </summary>
public sealed class AccountsBootstrapper(
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<AccountsBootstrapper> logger)
{
    public const string AdminEmailKey = "NeuroData:Admin:Email";
    public const string AdminPasswordKey = "NeuroData:Admin:Password";
    public const string DevelopmentAdminEmail = "admin@neurodata.local";

    public async Task EnsureRolesAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<ApplicationRole>>();
        foreach (var name in RoleNames.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await roles.RoleExistsAsync(name))
            {
                var result = await roles.CreateAsync(new ApplicationRole(name) { Id = Guid.CreateVersion7() });
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"Could not create role {name}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
                }

                logger.LogInformation("Role {Role} created", name);
            }
        }
    }

    /// <summary>
    /// The first administrator: from configuration when <c>NeuroData:Admin:Email</c> is set (created, or promoted if
    /// the account exists), otherwise in Development <c>admin@neurodata.local</c> with a random password that is
    /// logged once, when it is created. Does nothing when an admin exists.
    /// </summary>
    public async Task<FirstAdminOutcome> EnsureFirstAdminAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if ((await users.GetUsersInRoleAsync(RoleNames.Admin)).Count > 0)
        {
            return FirstAdminOutcome.AlreadyPresent;
        }

        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var email = configuration[AdminEmailKey];
        if (!string.IsNullOrWhiteSpace(email))
        {
            var existing = await users.FindByEmailAsync(email);
            if (existing is not null)
            {
                var promoted = await users.AddToRoleAsync(existing, RoleNames.Admin);
                ThrowIfFailed(promoted.Succeeded, promoted.Errors.Select(e => e.Description), email);
                logger.LogWarning("Existing account {Email} was made Admin ({Key})", email, AdminEmailKey);
                return FirstAdminOutcome.PromotedFromConfiguration;
            }

            var password = configuration[AdminPasswordKey];
            if (string.IsNullOrEmpty(password))
            {
                throw new InvalidOperationException($"{AdminEmailKey} is set but {AdminPasswordKey} is empty: set both to create the first administrator.");
            }

            var created = await accounts.CreateAccountAsync(email, password, emailConfirmed: true, [RoleNames.Admin], RequestInfo.None, cancellationToken);
            ThrowIfFailed(created.Succeeded, created.Errors, email);
            logger.LogWarning("First administrator {Email} created from configuration", email);
            return FirstAdminOutcome.CreatedFromConfiguration;
        }

        if (!environment.IsDevelopment())
        {
            logger.LogWarning("There is no administrator. Set {EmailKey} and {PasswordKey} to create one at start.", AdminEmailKey, AdminPasswordKey);
            return FirstAdminOutcome.NotConfigured;
        }

        var existingDev = await users.FindByEmailAsync(DevelopmentAdminEmail);
        if (existingDev is not null)
        {
            // Someone took the Admin role away from the dev admin; give it back rather than print a new password.
            await users.AddToRoleAsync(existingDev, RoleNames.Admin);
            return FirstAdminOutcome.PromotedFromConfiguration;
        }

        var devPassword = NewPassword();
        var dev = await accounts.CreateAccountAsync(DevelopmentAdminEmail, devPassword, emailConfirmed: true, [RoleNames.Admin], RequestInfo.None, cancellationToken);
        ThrowIfFailed(dev.Succeeded, dev.Errors, DevelopmentAdminEmail);
        logger.LogWarning(
            "Development administrator created. Sign in as {Email} with password {Password} (shown only this once; set {EmailKey}/{PasswordKey} to choose your own).",
            DevelopmentAdminEmail, devPassword, AdminEmailKey, AdminPasswordKey);
        return FirstAdminOutcome.CreatedForDevelopment;
    }

    /// <summary>A random 20-character password (about 115 bits).</summary>
    public static string NewPassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);

    private static void ThrowIfFailed(bool succeeded, IEnumerable<string> errors, string email)
    {
        if (!succeeded)
        {
            throw new InvalidOperationException($"Could not set up the administrator {email}: {string.Join(" ", errors)}");
        }
    }
}
