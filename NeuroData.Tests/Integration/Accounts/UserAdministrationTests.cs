using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Seeding;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Accounts;

public sealed class UserAdministrationTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private readonly PostgresCluster _cluster = cluster;
    private readonly TestDatabases _databases = databases;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task SetRole_GrantsAndRevokes_ChangesTheStamp_AndLogsIt(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sp = await ServicesAsync(provider);
        var admin = await CreateAsync(sp, "admin", RoleNames.Admin);
        var target = await CreateAsync(sp, "target");
        var administration = sp.GetRequiredService<UserAdministration>();
        var stampBefore = await StampAsync(sp, target);

        (await administration.SetRoleAsync(admin, target, RoleNames.Moderator, true, ct)).Succeeded.ShouldBeTrue();
        (await RolesAsync(sp, target)).ShouldBe([RoleNames.Moderator]);
        (await StampAsync(sp, target)).ShouldNotBe(stampBefore);

        (await administration.SetRoleAsync(admin, target, RoleNames.Moderator, false, ct)).Succeeded.ShouldBeTrue();
        (await RolesAsync(sp, target)).ShouldBeEmpty();

        await using var db = await ContextAsync(provider);
        (await db.UserActivities.CountAsync(a => a.UserId == target && a.Kind == UserActivityKind.RoleChanged, ct)).ShouldBe(2);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task AnAdmin_CannotRevokeTheirOwnAdminRole_NorLockThemselves_NorGrantAnUnknownRole(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sp = await ServicesAsync(provider);
        var admin = await CreateAsync(sp, "self", RoleNames.Admin);
        var administration = sp.GetRequiredService<UserAdministration>();

        (await administration.SetRoleAsync(admin, admin, RoleNames.Admin, false, ct)).Errors.ShouldHaveSingleItem().ShouldContain("own Admin role");
        (await administration.LockAsync(admin, admin, ct)).Errors.ShouldHaveSingleItem().ShouldContain("your own account");
        (await administration.SetRoleAsync(admin, admin, "SuperUser", true, ct)).Errors.ShouldHaveSingleItem().ShouldContain("Unknown role");

        (await RolesAsync(sp, admin)).ShouldBe([RoleNames.Admin]);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Lock_ThenUnlock_TogglesTheLockout(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sp = await ServicesAsync(provider);
        var admin = await CreateAsync(sp, "locker", RoleNames.Admin);
        var target = await CreateAsync(sp, "lockee");
        var administration = sp.GetRequiredService<UserAdministration>();

        (await administration.LockAsync(admin, target, ct)).Succeeded.ShouldBeTrue();
        (await IsLockedAsync(sp, target)).ShouldBeTrue();

        (await administration.UnlockAsync(admin, target, ct)).Succeeded.ShouldBeTrue();
        (await IsLockedAsync(sp, target)).ShouldBeFalse();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Search_FindsByEmailOrDisplayName_CaseInsensitively_WithRoles(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sp = await ServicesAsync(provider);
        var marker = Guid.NewGuid().ToString("N")[..10];
        var id = await CreateAsync(sp, "Findme" + marker, RoleNames.Arbitrator);
        var administration = sp.GetRequiredService<UserAdministration>();

        var byEmail = await administration.SearchAsync("findme" + marker.ToUpperInvariant(), 0, 10, ct);
        var row = byEmail.Items.ShouldHaveSingleItem();
        row.Id.ShouldBe(id);
        row.Roles.ShouldBe([RoleNames.Arbitrator]);
        byEmail.Total.ShouldBe(1);

        (await administration.SearchAsync("no-such-" + marker, 0, 10, ct)).Items.ShouldBeEmpty();
        (await administration.SearchAsync(null, 0, 2, ct)).Items.Count.ShouldBeLessThanOrEqualTo(2);
    }

    private async Task<ServiceProvider> ServicesAsync(DbProvider provider)
    {
        var sp = AccountServices.Build(await _databases.GetAsync(provider, _cluster), Clock);
        await sp.GetRequiredService<AccountsBootstrapper>().EnsureRolesAsync(TestContext.Current.CancellationToken);
        return sp;
    }

    private static async Task<Guid> CreateAsync(ServiceProvider sp, string name, params string[] roles)
    {
        await using var scope = sp.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAccountAsync(
            $"{name}-{Guid.NewGuid():N}@example.com", "quiet-river-stone-81", emailConfirmed: true, roles, RequestInfo.None, TestContext.Current.CancellationToken);
        result.Succeeded.ShouldBeTrue(string.Join(" ", result.Errors));
        return result.User!.Id;
    }

    private static async Task<IList<string>> RolesAsync(ServiceProvider sp, Guid id)
    {
        await using var scope = sp.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetRolesAsync((await users.FindByIdAsync(id.ToString()))!);
    }

    private static async Task<string?> StampAsync(ServiceProvider sp, Guid id)
    {
        await using var scope = sp.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetSecurityStampAsync((await users.FindByIdAsync(id.ToString()))!);
    }

    private static async Task<bool> IsLockedAsync(ServiceProvider sp, Guid id)
    {
        await using var scope = sp.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.IsLockedOutAsync((await users.FindByIdAsync(id.ToString()))!);
    }
}
