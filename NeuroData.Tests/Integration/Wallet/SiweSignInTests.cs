using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Signer;
using NeuroData.Domain.Auth;
using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Auth;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Identity;
using NeuroData.Tests.Integration.Accounts;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Web.Wallet;

namespace NeuroData.Tests.Integration.Wallet;

/// <summary>The logic behind POST /Account/SiweLogin (SiweSignInService) on both providers, with real signatures.</summary>
public sealed class SiweSignInTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private static readonly Uri Site = new("http://localhost:5200/");
    private static readonly SiweExpectations Expected = new("http", "localhost:5200", "http://localhost:5200", 31337);
    private static readonly RequestInfo Request = new("203.0.113.7", "xunit");

    private readonly PostgresCluster _cluster = cluster;
    private readonly TestDatabases _databases = databases;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_new_wallet_gets_a_passwordless_account_with_a_profile_and_the_wallet_linked(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sp = await ServicesAsync(provider);
        var key = EthECKey.GenerateKey();
        var address = AddressOf(key);

        var result = await SignInAsync(sp, key, signedInUserId: null);

        result.Outcome.ShouldBe(SiweOutcome.Created, result.Error);
        result.Address.ShouldBe(address);
        await using var db = await ContextAsync(provider);
        var user = await db.Users.SingleAsync(u => u.Id == result.User!.Id, ct);
        user.PasswordHash.ShouldBeNull();
        user.Email.ShouldBe(SiweSignInService.PlaceholderEmailFor(address));
        user.EmailConfirmed.ShouldBeFalse();
        var profile = await db.UserProfiles.Include(p => p.Wallets).SingleAsync(p => p.Id == user.Id, ct);
        profile.DisplayName.ShouldBe(address.ToShortString());
        profile.Wallets.ShouldHaveSingleItem().Address.ShouldBe(address);
        profile.PrimaryWallet.ShouldBe(address);
        var kinds = await db.UserActivities.Where(a => a.UserId == user.Id).Select(a => a.Kind).ToListAsync(ct);
        kinds.ShouldBe([UserActivityKind.Registered, UserActivityKind.WalletLinked, UserActivityKind.SignedIn], ignoreOrder: true);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_linked_wallet_signs_its_owner_in_and_creates_nothing(DbProvider provider)
    {
        await using var sp = await ServicesAsync(provider);
        var key = EthECKey.GenerateKey();
        var first = await SignInAsync(sp, key, signedInUserId: null);
        first.Outcome.ShouldBe(SiweOutcome.Created, first.Error);
        var before = await CountsAsync(provider);

        var again = await SignInAsync(sp, key, signedInUserId: null);

        again.Outcome.ShouldBe(SiweOutcome.SignedIn, again.Error);
        again.User!.Id.ShouldBe(first.User!.Id);
        var after = await CountsAsync(provider);
        (after.Users, after.Wallets, after.Profiles).ShouldBe((before.Users, before.Wallets, before.Profiles));
        after.Activities.ShouldBe(before.Activities + 1); // the "SignedIn" line
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task An_unlinked_wallet_is_linked_to_the_signed_in_user(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sp = await ServicesAsync(provider);
        var userId = await SeedUserAsync(provider, "linker");
        var key = EthECKey.GenerateKey();
        var before = await CountsAsync(provider);

        var result = await SignInAsync(sp, key, signedInUserId: userId);

        result.Outcome.ShouldBe(SiweOutcome.Linked, result.Error);
        result.User!.Id.ShouldBe(userId);
        await using var db = await ContextAsync(provider);
        var link = await db.WalletLinks.SingleAsync(w => w.UserId == userId, ct);
        link.Address.ShouldBe(AddressOf(key));
        (await db.UserActivities.CountAsync(a => a.UserId == userId && a.Kind == UserActivityKind.WalletLinked, ct)).ShouldBe(1);
        (await CountsAsync(provider)).Users.ShouldBe(before.Users); // no new account
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_wallet_linked_to_someone_else_is_not_linked_to_the_signed_in_user(DbProvider provider)
    {
        await using var sp = await ServicesAsync(provider);
        var key = EthECKey.GenerateKey();
        (await SignInAsync(sp, key, signedInUserId: null)).Outcome.ShouldBe(SiweOutcome.Created);
        var other = await SeedUserAsync(provider, "other");
        var before = await CountsAsync(provider);

        var result = await SignInAsync(sp, key, signedInUserId: other);

        result.Outcome.ShouldBe(SiweOutcome.Refused);
        result.Error.ShouldBe(SiweSignInService.LinkedElsewhereMessage);
        (await CountsAsync(provider)).ShouldBe(before);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_replayed_message_is_refused_and_changes_nothing(DbProvider provider)
    {
        await using var sp = await ServicesAsync(provider);
        var key = EthECKey.GenerateKey();
        var message = await ChallengeAsync(sp, AddressOf(key));
        var signature = Sign(key, message);
        (await VerifyAsync(sp, message, signature, null)).Outcome.ShouldBe(SiweOutcome.Created);
        var before = await CountsAsync(provider);

        var replay = await VerifyAsync(sp, message, signature, null);

        replay.Outcome.ShouldBe(SiweOutcome.Refused);
        replay.Error!.ShouldContain("already used or has expired");
        (await CountsAsync(provider)).ShouldBe(before);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_message_for_another_chain_is_refused_and_creates_nothing(DbProvider provider)
    {
        await using var sp = await ServicesAsync(provider);
        var key = EthECKey.GenerateKey();
        string nonce;
        await using (var scope = sp.CreateAsyncScope())
        {
            nonce = await scope.ServiceProvider.GetRequiredService<ISiweNonceStore>().IssueAsync(TestContext.Current.CancellationToken);
        }

        var message = SiweMessage.Create("http", "localhost:5200", AddressOf(key).Value, SiweSignInService.Statement, "http://localhost:5200/",
            chainId: 1, nonce, Now, Now.AddMinutes(10)).ToMessageString();
        var before = await CountsAsync(provider);

        var result = await VerifyAsync(sp, message, Sign(key, message), null);

        result.Outcome.ShouldBe(SiweOutcome.Refused);
        result.Error!.ShouldStartWith("Error: ");
        result.Error.ShouldContain("chain 1");
        (await CountsAsync(provider)).ShouldBe(before);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_signature_by_another_key_is_refused_and_creates_nothing(DbProvider provider)
    {
        await using var sp = await ServicesAsync(provider);
        var claimed = EthECKey.GenerateKey();
        var message = await ChallengeAsync(sp, AddressOf(claimed));
        var before = await CountsAsync(provider);

        var result = await VerifyAsync(sp, message, Sign(EthECKey.GenerateKey(), message), null);

        result.Outcome.ShouldBe(SiweOutcome.Refused);
        result.Error!.ShouldContain("not by");
        (await CountsAsync(provider)).ShouldBe(before);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task The_last_wallet_of_a_wallet_only_account_cannot_be_unlinked_but_a_second_one_can(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sp = await ServicesAsync(provider);
        var firstKey = EthECKey.GenerateKey();
        var user = (await SignInAsync(sp, firstKey, null)).User!;

        var refused = await UnlinkAsync(sp, user.Id, AddressOf(firstKey));
        refused.ShouldNotBeNull().ShouldContain("only way to sign in");

        var secondKey = EthECKey.GenerateKey();
        (await SignInAsync(sp, secondKey, user.Id)).Outcome.ShouldBe(SiweOutcome.Linked);
        (await UnlinkAsync(sp, user.Id, AddressOf(firstKey))).ShouldBeNull();

        await using var db = await ContextAsync(provider);
        var profile = await db.UserProfiles.Include(p => p.Wallets).SingleAsync(p => p.Id == user.Id, ct);
        profile.Wallets.ShouldHaveSingleItem().Address.ShouldBe(AddressOf(secondKey));
        profile.PrimaryWallet.ShouldBe(AddressOf(secondKey));
        (await db.UserActivities.CountAsync(a => a.UserId == user.Id && a.Kind == UserActivityKind.WalletUnlinked, ct)).ShouldBe(1);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_user_with_a_password_can_unlink_the_only_wallet(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sp = await ServicesAsync(provider);
        var userId = await SeedUserAsync(provider, "withpw");
        await using (var scope = sp.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(userId.ToString()))!;
            (await users.AddPasswordAsync(user, "violet-harbour-lantern-42")).Succeeded.ShouldBeTrue();
        }

        var key = EthECKey.GenerateKey();
        (await SignInAsync(sp, key, userId)).Outcome.ShouldBe(SiweOutcome.Linked);

        (await UnlinkAsync(sp, userId, AddressOf(key))).ShouldBeNull();
        await using var db = await ContextAsync(provider);
        (await db.WalletLinks.AnyAsync(w => w.UserId == userId, ct)).ShouldBeFalse();
    }

    private async Task<ServiceProvider> ServicesAsync(DbProvider provider)
    {
        await using (await ContextAsync(provider))
        {
            // migrates the database for this provider
        }

        return AccountServices.Build(await _databases.GetAsync(provider, _cluster), Clock, configure: s =>
        {
            s.AddSingleton<ISiweNonceStore, DatabaseSiweNonceStore>();
            s.AddSingleton<SiweVerifier>();
            s.AddSingleton(new ChainSettings { ChainId = new ChainId(31337) });
            s.AddScoped<SiweSignInService>();
        });
    }

    private static EthAddress AddressOf(EthECKey key) => EthAddress.Parse(key.GetPublicAddress());

    private static string Sign(EthECKey key, string message) => new EthereumMessageSigner().EncodeUTF8AndSign(message, key);

    private static async Task<string> ChallengeAsync(ServiceProvider sp, EthAddress address)
    {
        await using var scope = sp.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SiweSignInService>().CreateChallengeAsync(address, Site, TestContext.Current.CancellationToken);
    }

    private static async Task<SiweSignInResult> VerifyAsync(ServiceProvider sp, string message, string signature, Guid? signedInUserId)
    {
        await using var scope = sp.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SiweSignInService>()
            .SignInAsync(message, signature, Expected, signedInUserId, Request, TestContext.Current.CancellationToken);
    }

    private static async Task<SiweSignInResult> SignInAsync(ServiceProvider sp, EthECKey key, Guid? signedInUserId)
    {
        var message = await ChallengeAsync(sp, AddressOf(key));
        return await VerifyAsync(sp, message, Sign(key, message), signedInUserId);
    }

    private static async Task<string?> UnlinkAsync(ServiceProvider sp, Guid userId, EthAddress address)
    {
        await using var scope = sp.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SiweSignInService>().UnlinkAsync(userId, address, Request, TestContext.Current.CancellationToken);
    }

    private async Task<(int Users, int Profiles, int Wallets, int Activities)> CountsAsync(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await ContextAsync(provider);
        return (await db.Users.CountAsync(ct), await db.UserProfiles.CountAsync(ct), await db.WalletLinks.CountAsync(ct), await db.UserActivities.CountAsync(ct));
    }
}
