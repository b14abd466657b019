using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Accounts;

public sealed class RegistrationTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private readonly PostgresCluster _cluster = cluster;
    private readonly TestDatabases _databases = databases;

    private const string GoodPassword = "violet-harbour-lantern-42";

    public static TheoryData<DbProvider, string, string, string> BadInputs()
    {
        var data = new TheoryData<DbProvider, string, string, string>();
        foreach (var provider in new[] { DbProvider.Sqlite, DbProvider.Postgres })
        {
            data.Add(provider, "taken", GoodPassword, "already exists");
            data.Add(provider, "TAKEN-UPPER", GoodPassword, "already exists");
            data.Add(provider, "not-an-email", GoodPassword, "valid email address");
            data.Add(provider, "someone@localhost", GoodPassword, "valid email address");
            data.Add(provider, "two@@example.com", GoodPassword, "valid email address");
            data.Add(provider, "fresh", "short-pw", "at least 12 characters");
            data.Add(provider, "fresh", "password123456", "too common");
            data.Add(provider, "fresh", "aaaaaaaaaaaaaaaa", "too easy to guess");
            data.Add(provider, "fresh", new string('x', 100) + "-Y7q" + new string('z', 40), "at most 128 characters");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Register_WithBadInput_FailsWithAClearMessage_AndCreatesNothing(DbProvider provider, string emailKind, string password, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sp = await ServicesAsync(provider);
        var taken = $"taken-{Guid.NewGuid():N}@example.com";
        await RegisterAsync(sp, taken, GoodPassword);
        var email = emailKind switch
        {
            "taken" => taken,
            "TAKEN-UPPER" => taken.ToUpperInvariant(),
            "fresh" => $"fresh-{Guid.NewGuid():N}@example.com",
            _ => emailKind,
        };
        var before = await CountsAsync(provider);

        var result = await RegisterAsync(sp, email, password);

        result.Succeeded.ShouldBeFalse();
        string.Join(" ", result.Errors).ShouldContain(expected, Case.Insensitive);
        (await CountsAsync(provider)).ShouldBe(before);
        await using var db = await ContextAsync(provider);
        if (emailKind == "fresh")
        {
            var normalized = email.ToUpperInvariant();
            (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct)).ShouldBeFalse();
        }
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Register_WithGoodInput_CreatesAnUnconfirmedUser_ItsProfile_AndALogLine(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sp = await ServicesAsync(provider);
        var email = $"Ada.Lovelace-{Guid.NewGuid():N}"[..24] + "@example.com";

        var result = await RegisterAsync(sp, email, GoodPassword);

        result.Succeeded.ShouldBeTrue(string.Join(" ", result.Errors));
        await using var db = await ContextAsync(provider);
        var normalized = email.ToUpperInvariant();
        var user = await db.Users.SingleAsync(u => u.NormalizedEmail == normalized, ct);
        user.EmailConfirmed.ShouldBeFalse();
        user.UserName.ShouldBe(email);
        user.PasswordHash.ShouldNotBeNullOrEmpty();
        user.PasswordHash.ShouldNotContain(GoodPassword);
        var profile = await db.UserProfiles.SingleAsync(p => p.Id == user.Id, ct);
        profile.DisplayName.ShouldBe(email.Split('@')[0]);
        var log = await db.UserActivities.Where(a => a.UserId == user.Id).ToListAsync(ct);
        log.ShouldHaveSingleItem().Kind.ShouldBe(UserActivityKind.Registered);
        log[0].IpAddress.ShouldBe("203.0.113.9");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task ConfirmEmail_WithTheIssuedToken_Confirms_AndATamperedTokenIsRejected(DbProvider provider)
    {
        await using var sp = await ServicesAsync(provider);
        var email = $"confirm-{Guid.NewGuid():N}@example.com";
        var created = (await RegisterAsync(sp, email, GoodPassword)).User!;
        await using var scope = sp.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByIdAsync(created.Id.ToString()))!;
        var token = await users.GenerateEmailConfirmationTokenAsync(user);

        var tampered = await users.ConfirmEmailAsync(user, token[..^4] + "AAAA");
        tampered.Succeeded.ShouldBeFalse();
        tampered.Errors.ShouldContain(e => e.Description.Contains("invalid or has expired", StringComparison.Ordinal));
        (await users.IsEmailConfirmedAsync(user)).ShouldBeFalse();

        (await users.ConfirmEmailAsync(user, token)).Succeeded.ShouldBeTrue();
        (await users.IsEmailConfirmedAsync(user)).ShouldBeTrue();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task ConfirmEmail_AfterTheLinkExpired_IsRejected(DbProvider provider)
    {
        // Identity's token provider reads the system clock: a zero lifespan makes every token expired on arrival.
        await using var sp = AccountServices.Build(await _databases.GetAsync(provider, _cluster), Clock,
            configure: s => s.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.Zero));
        var created = (await RegisterAsync(sp, $"expire-{Guid.NewGuid():N}@example.com", GoodPassword)).User!;
        await using var scope = sp.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByIdAsync(created.Id.ToString()))!;
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        await Task.Delay(20, TestContext.Current.CancellationToken);

        var result = await users.ConfirmEmailAsync(user, token);

        result.Succeeded.ShouldBeFalse();
        result.Errors.ShouldContain(e => e.Description.Contains("invalid or has expired", StringComparison.Ordinal));
        (await users.IsEmailConfirmedAsync(user)).ShouldBeFalse();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task ChangeEmail_WithTheToken_ChangesEmailAndUserName_AndABadTokenChangesNothing(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sp = await ServicesAsync(provider);
        var oldEmail = $"old-{Guid.NewGuid():N}@example.com";
        var newEmail = $"new-{Guid.NewGuid():N}@example.com";
        var created = (await RegisterAsync(sp, oldEmail, GoodPassword)).User!;
        await using var scope = sp.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var user = (await users.FindByIdAsync(created.Id.ToString()))!;
        var token = await users.GenerateChangeEmailTokenAsync(user, newEmail);

        var bad = await accounts.ChangeEmailAsync(user, newEmail, token + "x", RequestInfo.None, ct);
        bad.Succeeded.ShouldBeFalse();
        await using (var db = await ContextAsync(provider))
        {
            (await db.Users.SingleAsync(u => u.Id == created.Id, ct)).Email.ShouldBe(oldEmail);
        }

        user = (await users.FindByIdAsync(created.Id.ToString()))!;
        var good = await accounts.ChangeEmailAsync(user, newEmail, token, RequestInfo.None, ct);
        good.Succeeded.ShouldBeTrue(string.Join(" ", good.Errors));
        await using var check = await ContextAsync(provider);
        var stored = await check.Users.SingleAsync(u => u.Id == created.Id, ct);
        stored.Email.ShouldBe(newEmail);
        stored.UserName.ShouldBe(newEmail);
        (await check.UserActivities.CountAsync(a => a.UserId == created.Id && a.Kind == UserActivityKind.EmailChanged, ct)).ShouldBe(1);
    }

    private async Task<ServiceProvider> ServicesAsync(DbProvider provider) =>
        AccountServices.Build(await _databases.GetAsync(provider, _cluster), Clock);

    private static async Task<AccountResult> RegisterAsync(ServiceProvider sp, string email, string password)
    {
        await using var scope = sp.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountService>()
            .RegisterAsync(email, password, new RequestInfo("203.0.113.9", "xunit"), TestContext.Current.CancellationToken);
    }

    private async Task<(int Users, int Profiles, int Activities, int Roles)> CountsAsync(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await ContextAsync(provider);
        return (await db.Users.CountAsync(ct), await db.UserProfiles.CountAsync(ct), await db.UserActivities.CountAsync(ct), await db.UserRoles.CountAsync(ct));
    }
}
