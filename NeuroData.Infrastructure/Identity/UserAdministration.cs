using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Identity;

/// <summary>One row of the admin user list.</summary>
public sealed record UserSummary(
    Guid Id,
    string Email,
    string? DisplayName,
    bool EmailConfirmed,
    IReadOnlyList<string> Roles,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt)
{
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>A page of users.</summary>
public sealed record UserPage(IReadOnlyList<UserSummary> Items, int Total);

/// <summary>
/// What administrators do with accounts: list and search, grant and revoke roles, lock and unlock. Singleton that
/// opens a scope (fresh context and <see cref="UserManager{TUser}"/>) per operation, so it is safe to call from an
/// interactive page whose circuit lives for minutes. Every change writes the target's security log.
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    public async Task<UserPage> SearchAsync(string? search, int skip, int take, CancellationToken cancellationToken = default)
    {
        take = Math.Clamp(take, 1, MaxPageSize);
        skip = Math.Max(0, skip);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NeuroDataDbContext>();
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL UPPER(...) LIKE, the same on both providers
            var profileIds = db.UserProfiles.Where(p => p.DisplayName.ToUpper().Contains(term)).Select(p => p.Id);
#pragma warning restore CA1304, CA1311, CA1862
            query = query.Where(u => u.NormalizedEmail!.Contains(term) || profileIds.Contains(u.Id));
        }

        var total = await query.CountAsync(cancellationToken);
        var users = await query.OrderBy(u => u.NormalizedEmail).Skip(skip).Take(take)
            .Select(u => new { u.Id, u.Email, u.EmailConfirmed, u.LockoutEnd, u.CreatedAt })
            .ToListAsync(cancellationToken);
        var ids = users.Select(u => u.Id).ToList();
        var names = await db.UserProfiles.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.DisplayName }).ToDictionaryAsync(p => p.Id, p => p.DisplayName, cancellationToken);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var items = users.Select(u => new UserSummary(
                u.Id,
                u.Email ?? string.Empty,
                names.GetValueOrDefault(u.Id),
                u.EmailConfirmed,
                roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal).ToList(),
                u.LockoutEnd,
                u.CreatedAt))
            .ToList();
        return new UserPage(items, total);
    }

    /// <summary>Grants or revokes a role. Administrators cannot take the Admin role from themselves.</summary>
    public async Task<AccountResult> SetRoleAsync(Guid actorId, Guid userId, string role, bool member, CancellationToken cancellationToken = default)
    {
        if (!RoleNames.All.Contains(role))
        {
            return AccountResult.Failed($"Unknown role '{role}'.");
        }

        if (!member && role == RoleNames.Admin && actorId == userId)
        {
            return AccountResult.Failed("You cannot remove your own Admin role; ask another administrator.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return AccountResult.Failed("That user no longer exists.");
        }

        if (await users.IsInRoleAsync(user, role) == member)
        {
            return AccountResult.Success(user);
        }

        var result = member ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role);
        if (!result.Succeeded)
        {
            return AccountResult.From(result);
        }

        // A new stamp makes the user's sessions pick up (or lose) the role at the next validation.
        await users.UpdateSecurityStampAsync(user);
        await RecordAsync(scope, userId, UserActivityKind.RoleChanged, $"{(member ? "Granted" : "Revoked")} {role} (by administrator {actorId})", cancellationToken);
        return AccountResult.Success(user);
    }

    /// <summary>Locks an account until unlocked and ends its sessions. Administrators cannot lock themselves.</summary>
    public async Task<AccountResult> LockAsync(Guid actorId, Guid userId, CancellationToken cancellationToken = default)
    {
        if (actorId == userId)
        {
            return AccountResult.Failed("You cannot lock your own account.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return AccountResult.Failed("That user no longer exists.");
        }

        await users.SetLockoutEnabledAsync(user, true);
        var result = await users.SetLockoutEndDateAsync(user, clock.GetUtcNow().AddYears(100));
        if (!result.Succeeded)
        {
            return AccountResult.From(result);
        }

        await users.UpdateSecurityStampAsync(user);
        await RecordAsync(scope, userId, UserActivityKind.LockedOut, $"Locked by administrator {actorId}", cancellationToken);
        return AccountResult.Success(user);
    }

    public async Task<AccountResult> UnlockAsync(Guid actorId, Guid userId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return AccountResult.Failed("That user no longer exists.");
        }

        var result = await users.SetLockoutEndDateAsync(user, null);
        if (result.Succeeded)
        {
            await users.ResetAccessFailedCountAsync(user);
            await RecordAsync(scope, userId, UserActivityKind.LockedOut, $"Unlocked by administrator {actorId}", cancellationToken);
        }

        return result.Succeeded ? AccountResult.Success(user) : AccountResult.From(result);
    }

    private async Task RecordAsync(AsyncServiceScope scope, Guid userId, UserActivityKind kind, string detail, CancellationToken cancellationToken)
    {
        var db = scope.ServiceProvider.GetRequiredService<NeuroDataDbContext>();
        db.UserActivities.Add(new UserActivity(userId, kind, clock.GetUtcNow(), null, null, detail));
        await db.SaveChangesAsync(cancellationToken);
    }
}
