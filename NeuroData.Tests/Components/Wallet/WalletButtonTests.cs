using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Web.Components.Wallet;
using NeuroData.Web.Wallet;

namespace NeuroData.Tests.Components.Wallet;

/// <summary>
/// The app-bar wallet button in each state, with the wallet module's answers scripted (bUnit JS interop) and the
/// balances read from a real anvil chain (the shared test chain): what it shows must come from the server.
/// </summary>
public sealed class WalletButtonTests : BunitContext, IAsyncLifetime
{
    private const string ChainHex = "0x7a69";

    // Balances come from a real chain on a shared, busy machine: allow more than bUnit's default second.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly AnvilFixture _anvil;
    private readonly BunitJSModuleInterop _wallet;
    private readonly string _dbDirectory = Path.Combine(Path.GetTempPath(), "nd-bunit-wallet-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly DatabaseSettings _db;

    public WalletButtonTests(AnvilFixture anvil)
    {
        _anvil = anvil;
        Directory.CreateDirectory(_dbDirectory);
        _db = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_dbDirectory, "wallet.db")}");
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose; // MudBlazor's own JS; the wallet module is scripted below
        _wallet = JSInterop.SetupModule(WalletInterop.ModulePath);
        _wallet.SetupModule(i => i.Identifier == "init");
        _wallet.SetupVoid("dispose", _ => true);
    }

    public async ValueTask InitializeAsync()
    {
        await _anvil.RequireChainAsync();
        Services.AddSingleton(_anvil.Settings);
        Services.AddSingleton<IChainGateway>(_anvil.Gateway);
        Services.AddSingleton<IDbContextFactory<NeuroDataDbContext>>(new NeuroDataDbContextFactory(_db, TimeProvider.System));
        Services.AddSingleton<WalletPanelQueries>();
        await using var context = new NeuroDataDbContextFactory(_db, TimeProvider.System).CreateDbContext();
        await context.Database.MigrateAsync(Xunit.TestContext.Current.CancellationToken);
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dbDirectory))
        {
            Directory.Delete(_dbDirectory, recursive: true);
        }
    }

    [Fact]
    public void Before_connecting_it_offers_the_connect_button_and_no_balances()
    {
        State(connected: false);

        var cut = RenderButton();

        cut.WaitForAssertion(() => cut.Find("#wallet-connect").HasAttribute("disabled").ShouldBeFalse());
        cut.Find("#wallet-connect").TextContent.ShouldContain("Connect wallet");
        cut.FindAll("#wallet-address").ShouldBeEmpty();
        cut.FindAll("#wallet-ncr").ShouldBeEmpty();
    }

    [Fact]
    public async Task Connecting_on_the_right_chain_shows_the_address_the_network_and_the_balances_read_from_the_chain()
    {
        State(connected: false);
        var buyer = DevAccounts.Buyer.Address;
        _wallet.Setup<WalletResult<ConnectedWallet>>("connect", _ => true)
            .SetResult(new WalletResult<ConnectedWallet>(true, new ConnectedWallet("window.ethereum", "MetaMask", [buyer.Value.ToLowerInvariant()], ChainHex), null, null, null, null));
        var cut = RenderButton();
        cut.WaitForAssertion(() => cut.Find("#wallet-connect").HasAttribute("disabled").ShouldBeFalse());

        cut.Find("#wallet-connect").Click();

        var ncr = (await _anvil.Gateway.GetTokenBalanceAsync(buyer, Xunit.TestContext.Current.CancellationToken)).ToString();
        cut.WaitForAssertion(() => cut.Find("#wallet-ncr").TextContent.ShouldBe(ncr), Wait);
        ncr.ShouldEndWith(" NCR");
        cut.Find("#wallet-address").TextContent.ShouldContain(buyer.ToShortString());
        cut.Find("#wallet-network").TextContent.ShouldContain("Local chain 31337");
        cut.Find("#wallet-eth").TextContent.ShouldEndWith(" ETH");
        cut.FindAll("#wallet-switch").ShouldBeEmpty();
        cut.FindAll("#wallet-connect").ShouldBeEmpty();
        _wallet.VerifyInvoke("connect").Arguments[2].ShouldBe(ChainHex); // the expected chain goes to the wallet
    }

    [Fact]
    public async Task Show_NCR_asks_the_wallet_to_watch_the_token_address_the_server_knows()
    {
        State(connected: false);
        var buyer = DevAccounts.Buyer.Address;
        _wallet.Setup<WalletResult<ConnectedWallet>>("connect", _ => true)
            .SetResult(new WalletResult<ConnectedWallet>(true, new ConnectedWallet("window.ethereum", "MetaMask", [buyer.Value.ToLowerInvariant()], ChainHex), null, null, null, null));
        var watch = _wallet.Setup<WalletResult<bool>>("watchAsset", _ => true);
        watch.SetResult(new WalletResult<bool>(false, false, "USER_REJECTED", "You rejected the request in your wallet.", 4001, null));
        var cut = RenderButton();
        cut.WaitForAssertion(() => cut.Find("#wallet-connect").HasAttribute("disabled").ShouldBeFalse());
        cut.Find("#wallet-connect").Click();
        cut.WaitForAssertion(() => cut.Find("#wallet-ncr").TextContent.ShouldEndWith(" NCR"), Wait); // connected and refreshed
        cut.WaitForAssertion(() => cut.Find("#wallet-watch-ncr").HasAttribute("disabled").ShouldBeFalse(), Wait);

        cut.Find("#wallet-watch-ncr").Click();

        var contracts = await _anvil.Gateway.GetContractsAsync(Xunit.TestContext.Current.CancellationToken);
        cut.WaitForAssertion(() => _wallet.Invocations["watchAsset"].Count.ShouldBe(1), Wait);
        var asked = System.Text.Json.JsonSerializer.Serialize(_wallet.Invocations["watchAsset"][0].Arguments[1]);
        asked.ShouldContain(contracts.NeuroCoin.Value);
        asked.ShouldContain("\"symbol\":\"NCR\"");
        asked.ShouldContain("\"decimals\":18");
        cut.WaitForAssertion(() => cut.Find("#wallet-error").GetAttribute("aria-label")!.ShouldContain("rejected"), Wait);
    }

    [Fact]
    public void A_wallet_on_another_chain_shows_wrong_network_and_switching_fixes_it()
    {
        State(connected: false);
        var buyer = DevAccounts.Buyer.Address.Value.ToLowerInvariant();
        _wallet.Setup<WalletResult<ConnectedWallet>>("connect", _ => true)
            .SetResult(new WalletResult<ConnectedWallet>(false, null, WalletErrorCodes.WrongNetwork, "Wrong network.", null, null));
        var cut = RenderButton();
        cut.WaitForAssertion(() => cut.Find("#wallet-connect").HasAttribute("disabled").ShouldBeFalse());
        State(connected: true, account: buyer, chainId: "0x1");

        cut.Find("#wallet-connect").Click();

        cut.WaitForAssertion(() => cut.Find("#wallet-network").TextContent.ShouldContain("Wrong network"), Wait);
        _wallet.Setup<WalletResult<string>>("switchChain", _ => true).SetResult(new WalletResult<string>(true, ChainHex, null, null, null, null));
        // The balances are still being read right after the badge appears; the switch button is enabled once done.
        cut.WaitForAssertion(() => cut.Find("#wallet-switch").HasAttribute("disabled").ShouldBeFalse(), Wait);
        cut.Find("#wallet-switch").Click();

        cut.WaitForAssertion(() => cut.Find("#wallet-network").TextContent.ShouldContain("Local chain 31337"), Wait);
        cut.FindAll("#wallet-switch").ShouldBeEmpty();
        var switchArgs = _wallet.VerifyInvoke("switchChain").Arguments[1].ShouldBeOfType<ChainParameters>();
        switchArgs.ChainId.ShouldBe(ChainHex);
        switchArgs.RpcUrls.ShouldBe([_anvil.Settings.RpcUrl]);
    }

    [Theory]
    [InlineData(WalletErrorCodes.UserRejected, "You rejected the request in your wallet.")]
    [InlineData(WalletErrorCodes.NoWallet, "No Ethereum wallet was found in this browser.")]
    [InlineData(WalletErrorCodes.RequestPending, "already has a request open")]
    public void A_refused_connection_keeps_the_connect_button_and_explains_why(string code, string expected)
    {
        State(connected: false);
        _wallet.Setup<WalletResult<ConnectedWallet>>("connect", _ => true)
            .SetResult(new WalletResult<ConnectedWallet>(false, null, code, "module text", 4001, null));
        var cut = RenderButton();
        cut.WaitForAssertion(() => cut.Find("#wallet-connect").HasAttribute("disabled").ShouldBeFalse());

        cut.Find("#wallet-connect").Click();

        cut.WaitForAssertion(() => cut.Find("#wallet-error").GetAttribute("aria-label")!.ShouldContain(expected));
        cut.Find("#wallet-connect").ShouldNotBeNull();
        cut.FindAll("#wallet-address").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_signed_in_user_sees_their_pending_transactions_only()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var me = await SeedUserAsync(ct);
        var someoneElse = await SeedUserAsync(ct);
        await using (var db = new NeuroDataDbContextFactory(_db, TimeProvider.System).CreateDbContext())
        {
            var from = DevAccounts.Seller.Address;
            db.ChainTransactions.Add(new ChainTransaction(ChainId.LocalDev, RandomHash(), from, null, ChainTransactionPurpose.Purchase, me, DateTimeOffset.UtcNow));
            db.ChainTransactions.Add(new ChainTransaction(ChainId.LocalDev, RandomHash(), from, null, ChainTransactionPurpose.Stake, me, DateTimeOffset.UtcNow));
            var done = new ChainTransaction(ChainId.LocalDev, RandomHash(), from, null, ChainTransactionPurpose.Withdraw, me, DateTimeOffset.UtcNow);
            done.Confirm(1, DateTimeOffset.UtcNow);
            db.ChainTransactions.Add(done);
            db.ChainTransactions.Add(new ChainTransaction(ChainId.LocalDev, RandomHash(), from, null, ChainTransactionPurpose.Purchase, someoneElse, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync(ct);
        }

        State(connected: true, account: DevAccounts.Seller.Address.Value.ToLowerInvariant(), chainId: ChainHex);
        var user = new ClaimsPrincipal(new ClaimsIdentity(new List<Claim> { new(ClaimTypes.NameIdentifier, me.ToString()) }, "test"));

        var cut = RenderButton(user);

        cut.WaitForAssertion(() => cut.Find("#wallet-pending").TextContent.ShouldContain("2 pending"), Wait);
        cut.Find("#wallet-address").TextContent.ShouldContain(DevAccounts.Seller.Address.ToShortString());
    }

    [Fact]
    public void Wei_is_shown_as_ETH_with_at_most_four_decimals()
    {
        WalletButton.FormatEth(TokenAmount.FromTokens(10000).Units).ShouldBe("10000 ETH");
        WalletButton.FormatEth(TokenAmount.ParseUnits("1234567890000000000").Units).ShouldBe("1.2345 ETH");
        WalletButton.FormatEth(System.Numerics.BigInteger.Zero).ShouldBe("0 ETH");
    }

    private void State(bool connected, string? account = null, string? chainId = null)
    {
        var state = connected
            ? new WalletState(true, "window.ethereum", "MetaMask", [account!], chainId)
            : new WalletState(false, null, null, [], null);
        _wallet.Setup<WalletResult<WalletState>>("getState", _ => true).SetResult(new WalletResult<WalletState>(true, state, null, null, null, null));
    }

    private IRenderedComponent<WalletButton> RenderButton(ClaimsPrincipal? user = null)
    {
        var auth = Task.FromResult(new AuthenticationState(user ?? new ClaimsPrincipal(new ClaimsIdentity())));
        var root = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<CascadingValue<Task<AuthenticationState>>>(1);
            builder.AddComponentParameter(2, "Value", auth);
            builder.AddComponentParameter(3, "ChildContent", (RenderFragment)(b =>
            {
                b.OpenComponent<WalletButton>(0);
                b.CloseComponent();
            }));
            builder.CloseComponent();
        });
        return root.FindComponent<WalletButton>();
    }

    private async Task<Guid> SeedUserAsync(CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var name = $"w-{id:N}@example.test";
        await using var db = new NeuroDataDbContextFactory(_db, TimeProvider.System).CreateDbContext();
        db.Users.Add(new ApplicationUser { Id = id, UserName = name, NormalizedUserName = name.ToUpperInvariant(), Email = name, SecurityStamp = "s", CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(ct);
        return id;
    }

    private static TxHash RandomHash() => TxHash.Parse("0x" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToLowerInvariant());
}
