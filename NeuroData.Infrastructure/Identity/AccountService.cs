using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Identity;

/// <summary>Who made a request, for the security log.</summary>
public sealed record RequestInfo(string? IpAddress, string? UserAgent)
{
    public static readonly RequestInfo None = new(null, null);
}

/// <summary>The outcome of an account operation: success with the user, or messages a person can act on.</summary>
public sealed record AccountResult(bool Succeeded, IReadOnlyList<string> Errors, ApplicationUser? User = null)
{
    public static AccountResult Success(ApplicationUser user) => new(true, [], user);

    public static AccountResult Failed(params string[] errors) => new(false, errors);

    public static AccountResult From(IdentityResult result) =>
        new(false, result.Errors.Select(e => e.Description).Distinct(StringComparer.Ordinal).ToList());
}

/// <summary>
/// Account operations that touch both Identity and the domain (profile, security log) in one transaction. Scoped:
/// shares the request's context with <see cref="UserManager{TUser}"/>.
/// </summary>
public sealed class AccountService(
    UserManager<ApplicationUser> users,
    NeuroDataDbContext db,
    TimeProvider clock,
    ILogger<AccountService> logger)
{
    /// <summary>Self-service registration: an unconfirmed account, its profile and a "Registered" log line.</summary>
    public Task<AccountResult> RegisterAsync(string email, string password, RequestInfo request, CancellationToken cancellationToken = default) =>
        CreateAccountAsync(email, password, emailConfirmed: false, roles: [], request, cancellationToken);

    /// <summary>
    /// Creates the Identity user, the domain <see cref="UserProfile"/> (display name = the email's local part), role
    /// memberships and the log line in ONE transaction: on any failure nothing is left behind.
    /// </summary>
    public async Task<AccountResult> CreateAccountAsync(
        string email,
        string password,
        bool emailConfirmed,
        IReadOnlyCollection<string> roles,
        RequestInfo request,
        CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (!EmailRules.IsValid(email))
        {
            return AccountResult.Failed(EmailRules.InvalidMessage);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            return await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var now = clock.GetUtcNow();
                var user = new ApplicationUser
                {
                    Id = Guid.CreateVersion7(),
                    UserName = email,
                    Email = email,
                    EmailConfirmed = emailConfirmed,
                    CreatedAt = now,
                };

                var created = await users.CreateAsync(user, password);
                if (!created.Succeeded)
                {
                    await tx.RollbackAsync(ct);
                    db.ChangeTracker.Clear();
                    return AccountResult.From(created);
                }

                if (roles.Count > 0)
                {
                    var inRoles = await users.AddToRolesAsync(user, roles);
                    if (!inRoles.Succeeded)
                    {
                        await tx.RollbackAsync(ct);
                        db.ChangeTracker.Clear();
                        return AccountResult.From(inRoles);
                    }
                }

                db.UserProfiles.Add(new UserProfile(user.Id, DisplayNameFor(email), now));
                db.UserActivities.Add(new UserActivity(user.Id, UserActivityKind.Registered, now, request.IpAddress, request.UserAgent,
                    roles.Count > 0 ? "Roles: " + string.Join(", ", roles) : null));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                logger.LogInformation("Account {UserId} created", user.Id);
                return AccountResult.Success(user);
            }, cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // Two registrations of the same address at once: the unique index decides, the loser gets the usual message.
            db.ChangeTracker.Clear();
            logger.LogWarning(ex, "Account creation for a new address failed at the database");
            if (await users.FindByEmailAsync(email) is not null)
            {
                return AccountResult.Failed(NeuroDataIdentityErrorDescriber.TakenEmailMessage);
            }

            throw;
        }
    }

    /// <summary>
    /// Confirms a change of email (token from the link sent to the new address): email and user name change together
    /// in one transaction, with an "EmailChanged" log line. A bad token or a taken address changes nothing.
    /// </summary>
    public async Task<AccountResult> ChangeEmailAsync(ApplicationUser user, string newEmail, string token, RequestInfo request, CancellationToken cancellationToken = default)
    {
        if (!EmailRules.IsValid(newEmail))
        {
            return AccountResult.Failed(EmailRules.InvalidMessage);
        }

        var oldEmail = user.Email;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var changed = await users.ChangeEmailAsync(user, newEmail, token);
            var renamed = changed.Succeeded ? await users.SetUserNameAsync(user, newEmail) : changed;
            if (!renamed.Succeeded)
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                return AccountResult.From(renamed);
            }

            db.UserActivities.Add(new UserActivity(user.Id, UserActivityKind.EmailChanged, clock.GetUtcNow(), request.IpAddress, request.UserAgent,
                $"From {oldEmail} to {newEmail}"));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return AccountResult.Success(user);
        }, cancellationToken);
    }

    /// <summary>The profile's display name for a new account: the email's local part, trimmed to fit.</summary>
    public static string DisplayNameFor(string email)
    {
        var local = email.Split('@')[0];
        return local.Length <= UserProfile.DisplayNameMaxLength ? local : local[..UserProfile.DisplayNameMaxLength];
    }

    /// <summary>Appends a line to the user's security log.</summary>
    public async Task RecordAsync(Guid userId, UserActivityKind kind, RequestInfo request, string? detail = null, CancellationToken cancellationToken = default)
    {
        db.UserActivities.Add(new UserActivity(userId, kind, clock.GetUtcNow(), request.IpAddress, request.UserAgent, detail));
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<UserProfile?> GetProfileAsync(Guid userId, CancellationToken cancellationToken = default) =>
        db.UserProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == userId, cancellationToken);

    /// <summary>Changes display name and bio; a domain rule violation comes back as a message, nothing saved.</summary>
    public async Task<AccountResult> UpdateProfileAsync(ApplicationUser user, string displayName, string? bio, RequestInfo request, CancellationToken cancellationToken = default)
    {
        var profile = await db.UserProfiles.FirstOrDefaultAsync(p => p.Id == user.Id, cancellationToken);
        if (profile is null)
        {
            // Accounts created before profiles existed (or by hand): create it now.
            profile = new UserProfile(user.Id, DisplayNameFor(user.Email ?? "user"), clock.GetUtcNow());
            db.UserProfiles.Add(profile);
        }

        try
        {
            profile.UpdateProfile(displayName, bio, profile.AvatarUrl);
        }
        catch (DomainException ex)
        {
            db.ChangeTracker.Clear();
            return AccountResult.Failed(ex.Message);
        }

        db.UserActivities.Add(new UserActivity(user.Id, UserActivityKind.ProfileUpdated, clock.GetUtcNow(), request.IpAddress, request.UserAgent, null));
        await db.SaveChangesAsync(cancellationToken);
        return AccountResult.Success(user);
    }

    /// <summary>The newest lines of a user's security log.</summary>
    public async Task<IReadOnlyList<UserActivity>> RecentActivityAsync(Guid userId, int take, CancellationToken cancellationToken = default)
    {
        // Ids are Guid v7: ordering by id is ordering by creation time, on both providers.
        return await db.UserActivities.AsNoTracking().Where(a => a.UserId == userId)
            .OrderByDescending(a => a.Id).Take(take).ToListAsync(cancellationToken);
    }
}
