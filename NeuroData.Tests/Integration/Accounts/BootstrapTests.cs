using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Seeding;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Accounts;

/// <summary>Roles, the first administrator and the Development seed, each on a fresh database per test.</summary>
public sealed class BootstrapTests(PostgresCluster cluster)
{
    private readonly FixedClock _clock = new();

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task FirstAdmin_FromConfiguration_IsCreatedOnce_WithRoleAndConfirmedEmail(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await FreshDatabaseAsync(provider);
        var config = new Dictionary<string, string?>
        {
            [AccountsBootstrapper.AdminEmailKey] = "boss@example.com",
            [AccountsBootstrapper.AdminPasswordKey] = "granite-meadow-falcon-9",
        };
        await using var sp = AccountServices.Build(database.Settings, _clock, config, environment: "Production");
        var bootstrapper = sp.GetRequiredService<AccountsBootstrapper>();

        await bootstrapper.EnsureRolesAsync(ct);
        await bootstrapper.EnsureRolesAsync(ct);
        (await bootstrapper.EnsureFirstAdminAsync(ct)).ShouldBe(FirstAdminOutcome.CreatedFromConfiguration);
        (await bootstrapper.EnsureFirstAdminAsync(ct)).ShouldBe(FirstAdminOutcome.AlreadyPresent);

        await using var scope = sp.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = (await users.FindByEmailAsync("boss@example.com")).ShouldNotBeNull();
        admin.EmailConfirmed.ShouldBeTrue();
        (await users.IsInRoleAsync(admin, RoleNames.Admin)).ShouldBeTrue();
        (await users.CheckPasswordAsync(admin, "granite-meadow-falcon-9")).ShouldBeTrue();
        var db = scope.ServiceProvider.GetRequiredService<NeuroDataDbContext>();
        (await db.Roles.Select(r => r.Name).ToListAsync(ct)).Order().ShouldBe(RoleNames.All.Order());
        (await db.Users.CountAsync(ct)).ShouldBe(1);
        (await db.UserProfiles.CountAsync(ct)).ShouldBe(1);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task FirstAdmin_WithAWeakConfiguredPassword_FailsClearly_AndCreatesNothing(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await FreshDatabaseAsync(provider);
        var config = new Dictionary<string, string?>
        {
            [AccountsBootstrapper.AdminEmailKey] = "boss@example.com",
            [AccountsBootstrapper.AdminPasswordKey] = "password",
        };
        await using var sp = AccountServices.Build(database.Settings, _clock, config, environment: "Production");
        var bootstrapper = sp.GetRequiredService<AccountsBootstrapper>();
        await bootstrapper.EnsureRolesAsync(ct);

        var ex = await Should.ThrowAsync<InvalidOperationException>(() => bootstrapper.EnsureFirstAdminAsync(ct));

        ex.Message.ShouldContain("boss@example.com");
        ex.Message.ShouldContain("at least 12 characters");
        await using var scope = sp.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NeuroDataDbContext>();
        (await db.Users.CountAsync(ct)).ShouldBe(0);
        (await db.UserProfiles.CountAsync(ct)).ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task FirstAdmin_InDevelopmentWithoutConfiguration_IsTheLocalAdmin_CreatedOnlyOnce(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await FreshDatabaseAsync(provider);
        await using var sp = AccountServices.Build(database.Settings, _clock);
        var bootstrapper = sp.GetRequiredService<AccountsBootstrapper>();
        await bootstrapper.EnsureRolesAsync(ct);

        (await bootstrapper.EnsureFirstAdminAsync(ct)).ShouldBe(FirstAdminOutcome.CreatedForDevelopment);
        (await bootstrapper.EnsureFirstAdminAsync(ct)).ShouldBe(FirstAdminOutcome.AlreadyPresent);

        await using var scope = sp.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var admin = (await users.FindByEmailAsync(AccountsBootstrapper.DevelopmentAdminEmail)).ShouldNotBeNull();
        (await users.IsInRoleAsync(admin, RoleNames.Admin)).ShouldBeTrue();
        (await users.GetUsersInRoleAsync(RoleNames.Admin)).Count.ShouldBe(1);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task FirstAdmin_InProductionWithoutConfiguration_CreatesNobody(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await FreshDatabaseAsync(provider);
        await using var sp = AccountServices.Build(database.Settings, _clock, environment: "Production");
        var bootstrapper = sp.GetRequiredService<AccountsBootstrapper>();
        await bootstrapper.EnsureRolesAsync(ct);

        (await bootstrapper.EnsureFirstAdminAsync(ct)).ShouldBe(FirstAdminOutcome.NotConfigured);

        await using var scope = sp.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<NeuroDataDbContext>().Users.CountAsync(ct)).ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task DevelopmentSeed_RunTwice_CreatesEverythingOnce_AndDemoAccountsCanSignIn(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await FreshDatabaseAsync(provider);
        await using var sp = AccountServices.Build(database.Settings, _clock);
        await sp.GetRequiredService<AccountsBootstrapper>().EnsureRolesAsync(ct);
        var seeder = sp.GetRequiredService<DevelopmentSeeder>();

        await seeder.SeedAsync(ct);
        var first = await CountsAsync(sp);
        await seeder.SeedAsync(ct);
        var second = await CountsAsync(sp);

        second.ShouldBe(first);
        first.Users.ShouldBe(DevelopmentSeeder.DemoAccounts.Count);
        first.Profiles.ShouldBe(DevelopmentSeeder.DemoAccounts.Count);
        first.Categories.ShouldBe(DevelopmentSeeder.Categories.Count + DevelopmentSeeder.ChildNames.Count);
        first.Tags.ShouldBe(DevelopmentSeeder.Tags.Count);

        await using var scope = sp.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        foreach (var demo in DevelopmentSeeder.DemoAccounts)
        {
            var user = (await users.FindByEmailAsync(demo.Email)).ShouldNotBeNull();
            user.EmailConfirmed.ShouldBeTrue();
            (await users.CheckPasswordAsync(user, DevelopmentSeeder.DemoPassword)).ShouldBeTrue();
            (await users.GetRolesAsync(user)).Order().ShouldBe(demo.Roles.Order());
        }

        var db = scope.ServiceProvider.GetRequiredService<NeuroDataDbContext>();
        var child = await db.Categories.SingleAsync(c => c.Slug == "stock-markets", ct);
        var parent = await db.Categories.SingleAsync(c => c.Slug == "finance", ct);
        child.ParentId.ShouldBe(parent.Id);
    }

    private static async Task<(int Users, int Profiles, int Categories, int Tags)> CountsAsync(ServiceProvider sp)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = sp.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NeuroDataDbContext>();
        return (await db.Users.CountAsync(ct), await db.UserProfiles.CountAsync(ct), await db.Categories.CountAsync(ct), await db.Tags.CountAsync(ct));
    }

    private async Task<FreshDatabase> FreshDatabaseAsync(DbProvider provider)
    {
        DatabaseSettings settings = provider == DbProvider.Postgres
            ? new(DatabaseProvider.Postgres, await cluster.CreateDatabaseAsync("nd_acc"))
            : new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(Path.GetTempPath(), $"nd-acc-{Guid.NewGuid():N}.db"),
                ForeignKeys = true,
                Pooling = false,
            }.ConnectionString);
        await new DatabaseMigrator(new NeuroDataDbContextFactory(settings, _clock), settings, NullLogger<DatabaseMigrator>.Instance)
            .MigrateAsync(TestContext.Current.CancellationToken);
        return new FreshDatabase(settings, cluster);
    }

    private sealed class FreshDatabase(DatabaseSettings settings, PostgresCluster cluster) : IAsyncDisposable
    {
        public DatabaseSettings Settings => settings;

        public async ValueTask DisposeAsync()
        {
            if (settings.Provider == DatabaseProvider.Postgres)
            {
                await cluster.DropDatabaseAsync(settings.ConnectionString);
            }
            else
            {
                SqliteConnection.ClearAllPools();
                File.Delete(new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource);
            }
        }
    }
}
