using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Seeding;
using NeuroData.Tests.Integration.Accounts;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Web.Components.Pages.Admin;

namespace NeuroData.Tests.Components.Account;

/// <summary>The interactive admin user list (MudTable) over a real, migrated SQLite database.</summary>
public sealed class AdminUsersPageTests : BunitContext, IAsyncLifetime
{
    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"nd-admin-ui-{Guid.NewGuid():N}.db");
    private Guid _adminId;
    private Guid _targetId;
    private string _targetEmail = string.Empty;

    public async ValueTask InitializeAsync()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var clock = new FixedClock();
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = _dbPath, ForeignKeys = true, Pooling = false }.ConnectionString);
        await new DatabaseMigrator(new NeuroDataDbContextFactory(settings, clock), settings, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(ct);
        AccountServices.AddTo(Services, settings, clock);
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        _adminId = Guid.CreateVersion7();
        var auth = AddAuthorization();
        auth.SetAuthorized("root@example.com");
        auth.SetRoles(RoleNames.Admin);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _adminId.ToString()));

        await Services.GetRequiredService<AccountsBootstrapper>().EnsureRolesAsync(ct);
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var admin = (await accounts.CreateAccountAsync("root@example.com", "tidal-orchard-basin-3", true, [RoleNames.Admin], RequestInfo.None, ct)).User!;
        _adminId.ShouldNotBe(admin.Id); // the page trusts the session's id claim; the row id does not matter for these tests
        _targetEmail = "zed@example.com";
        _targetId = (await accounts.CreateAccountAsync(_targetEmail, "tidal-orchard-basin-3", true, [], RequestInfo.None, ct)).User!.Id;

    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        SqliteConnection.ClearAllPools();
        File.Delete(_dbPath);
    }

    [Fact]
    public async Task TheList_ShowsUsersWithRoles_AndClickingARoleChipGrantsIt()
    {
        var cut = Render<Users>();
        cut.WaitForAssertion(() => cut.Markup.ShouldContain(_targetEmail), TimeSpan.FromSeconds(10));
        var targetRow = cut.FindAll("tr").Single(r => r.TextContent.Contains(_targetEmail, StringComparison.Ordinal));
        targetRow.TextContent.ShouldContain("active");

        targetRow.QuerySelectorAll(".mud-chip").Single(c => c.TextContent.Trim() == RoleNames.Moderator).Click();

        await WaitForAsync(async () => (await RolesAsync(_targetId)).Contains(RoleNames.Moderator));
    }

    [Fact]
    public async Task Lock_LocksTheUser_AndTheRowSaysLocked()
    {
        var cut = Render<Users>();
        cut.WaitForAssertion(() => cut.Markup.ShouldContain(_targetEmail), TimeSpan.FromSeconds(10));
        var targetRow = cut.FindAll("tr").Single(r => r.TextContent.Contains(_targetEmail, StringComparison.Ordinal));

        targetRow.QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Lock").Click();

        await WaitForAsync(async () =>
        {
            await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            return await users.IsLockedOutAsync((await users.FindByIdAsync(_targetId.ToString()))!);
        });
        cut.WaitForAssertion(() =>
            cut.FindAll("tr").Single(r => r.TextContent.Contains(_targetEmail, StringComparison.Ordinal)).TextContent.ShouldContain("locked"),
            TimeSpan.FromSeconds(10));
    }

    private async Task<IList<string>> RolesAsync(Guid id)
    {
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetRolesAsync((await users.FindByIdAsync(id.ToString()))!);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100, Xunit.TestContext.Current.CancellationToken);
        }

        Assert.Fail("The condition did not become true within 10 s.");
    }
}
