using System.Numerics;
using System.Security.Claims;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Payouts;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Web;
using NeuroData.Web.Components.Payouts;
using NeuroData.Web.Wallet;

namespace NeuroData.Tests.Components.Payouts;

/// <summary>
/// /payouts rendered over a real, migrated SQLite database with mirror rows and payouts of two sellers: the page shows
/// the signed-in seller's exact amounts and nobody else's. The chain is configured but not reachable (nothing on this
/// page's first render needs it).
/// </summary>
public sealed class PayoutPagesTests : BunitContext, IAsyncLifetime
{
    private static readonly EthAddress SellerWallet = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static readonly EthAddress OtherWallet = EthAddress.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"nd-payouts-ui-{Guid.NewGuid():N}.db");
    private readonly Guid _sellerId = Guid.CreateVersion7();
    private readonly Guid _otherId = Guid.CreateVersion7();
    private IDbContextFactory<NeuroDataDbContext> _contexts = null!;
    private ChainSettings _chain = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = _dbPath, ForeignKeys = true, Pooling = false }.ConnectionString);
        _contexts = new NeuroDataDbContextFactory(settings, TimeProvider.System);
        await new DatabaseMigrator((NeuroDataDbContextFactory)_contexts, settings, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(ct);
        var config = new ConfigurationBuilder().AddInMemoryCollection(NeuroDataWebFactory.ExternalChainSettings.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))).Build();
        _chain = ChainSettings.From(config, Path.GetTempPath(), ChainMode.External);

        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        var wallet = JSInterop.SetupModule(WalletInterop.ModulePath);
        wallet.SetupModule(i => i.Identifier == "init");
        Services.AddSingleton(_contexts);
        Services.AddSingleton(_chain);
        Services.AddSingleton<ChainContext>();
        Services.AddSingleton<IChainGateway, ChainGateway>();
        Services.AddSingleton<IWalletTransactionBuilder, TransactionRequestBuilder>();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<BlockTimestamps>();
        Services.AddSingleton<PayoutQueries>();
        Services.AddSingleton<WithdrawalService>();
        Services.AddSingleton<ChainMirrorNotifier>();

        await SeedAsync(ct);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        SqliteConnection.ClearAllPools();
        File.Delete(_dbPath);
    }

    [Fact]
    public void The_seller_sees_their_exact_withdrawable_balance_and_only_their_own_payouts()
    {
        SignIn(_sellerId);

        var cut = Render<PayoutsPage>();

        cut.WaitForAssertion(() => cut.Find("#withdrawable").TextContent.ShouldBe("12.000000000000000001 NCR"), TimeSpan.FromSeconds(10));
        cut.Find("#paid-out").TextContent.ShouldBe("40.25 NCR");
        var rows = cut.FindAll("#payouts-table tbody tr");
        rows.Count.ShouldBe(2);
        cut.FindAll("#payouts-table .payout-amount").Select(td => td.TextContent.Trim()).ShouldBe(["40 NCR", "0.25 NCR"]);
        cut.Markup.ShouldNotContain("999 NCR", Case.Sensitive, "another seller's payout");
        cut.Find("#refunds-empty").TextContent.ShouldContain("No refunds");
        cut.Find("#withdraw-button").HasAttribute("disabled").ShouldBeFalse("the wallet module loaded and there is money to withdraw");
    }

    [Fact]
    public void Another_user_sees_their_own_payout_and_a_disabled_withdraw_button_when_nothing_is_credited()
    {
        SignIn(_otherId);

        var cut = Render<PayoutsPage>();

        cut.WaitForAssertion(() => cut.Find("#withdrawable").TextContent.ShouldBe("0 NCR"), TimeSpan.FromSeconds(10));
        cut.FindAll("#payouts-table .payout-amount").Select(td => td.TextContent.Trim()).ShouldBe(["999 NCR"]);
        cut.Markup.ShouldNotContain("40.25 NCR");
        cut.Find("#withdraw-button").HasAttribute("disabled").ShouldBeTrue();
        cut.Markup.ShouldContain("Nothing to withdraw right now.");
    }

    private void SignIn(Guid userId)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("seller@example.test");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId.ToString()));
    }

    private async Task SeedAsync(CancellationToken ct)
    {
        await using var db = await _contexts.CreateDbContextAsync(ct);
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        foreach (var (id, wallet) in new[] { (_sellerId, SellerWallet), (_otherId, OtherWallet) })
        {
            var email = $"{id:N}@example.test";
            db.Users.Add(new ApplicationUser { Id = id, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), SecurityStamp = "s", CreatedAt = now });
            var profile = new UserProfile(id, "User", now);
            profile.LinkWallet(wallet, now);
            db.UserProfiles.Add(profile);
        }

        db.Set<MirrorAccount>().Add(new MirrorAccount
        {
            ChainId = _chain.ChainId,
            Address = SellerWallet,
            Withdrawable = TokenAmount.FromTokens(12) + new TokenAmount(BigInteger.One),
        });
        db.Payouts.Add(new Payout(_sellerId, null, SellerWallet, TokenAmount.ParseTokens("0.25"), _chain.ChainId, Hash(1), now.AddDays(-40)));
        db.Payouts.Add(new Payout(_sellerId, null, SellerWallet, TokenAmount.FromTokens(40), _chain.ChainId, Hash(2), now));
        db.Payouts.Add(new Payout(_otherId, null, OtherWallet, TokenAmount.FromTokens(999), _chain.ChainId, Hash(3), now));
        await db.SaveChangesAsync(ct);
    }

    private static TxHash Hash(int n) => TxHash.Parse("0x" + n.ToString("x64", System.Globalization.CultureInfo.InvariantCulture));
}
