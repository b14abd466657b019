using System.Numerics;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Infrastructure.Datasets.Listings;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Web.Components.Commerce;
using NeuroData.Web.Wallet;

namespace NeuroData.Tests.Components.Commerce;

/// <summary>
/// The purchase panel's states with the wallet module's answers scripted (bUnit JS interop), and everything else real:
/// the purchase service on the shared test chain (live fee, listing, balances) and a SQLite database.
/// </summary>
public sealed class PurchasePanelTests : BunitContext, IAsyncLifetime
{
    private const string ChainHex = "0x7a69";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly AnvilFixture _anvil;
    private readonly BunitJSModuleInterop _wallet;
    private readonly string _dbDirectory = Path.Combine(Path.GetTempPath(), "nd-bunit-buy-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly DatabaseSettings _db;
    private readonly TokenAmount _price = TokenAmount.FromUnits(TokenAmount.FromTokens(7).Units + Random.Shared.Next(1, 1_000_000));
    private IDbContextFactory<NeuroDataDbContext> _factory = null!;
    private Guid _seller;
    private Guid _buyer;
    private Guid _datasetId;

    public PurchasePanelTests(AnvilFixture anvil)
    {
        _anvil = anvil;
        Directory.CreateDirectory(_dbDirectory);
        _db = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_dbDirectory, "buy.db")}");
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose; // MudBlazor's own JS; the wallet module is scripted below
        _wallet = JSInterop.SetupModule(WalletInterop.ModulePath);
        _wallet.SetupModule(i => i.Identifier == "init");
        _wallet.SetupVoid("dispose", _ => true);
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _anvil.RequireChainAsync();
        _factory = new NeuroDataDbContextFactory(_db, TimeProvider.System);
        await using (var context = await _factory.CreateDbContextAsync(Ct))
        {
            await context.Database.MigrateAsync(Ct);
        }

        Services.AddSingleton(_anvil.Settings);
        Services.AddSingleton(new EntitlementService(_factory, new CommerceSettings { DownloadConfirmations = 0 }));
        Services.AddSingleton(new PurchaseService(_factory, _anvil.Context, _anvil.Gateway, _anvil.Builder, TimeProvider.System));
        _seller = await UserAsync("seller", DevAccounts.Seller.Address);
        _buyer = await UserAsync("buyer", DevAccounts.Buyer.Address);
        _datasetId = await ListAsync();
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
    public void A_visitor_is_asked_to_sign_in_and_gets_no_buy_button()
    {
        State(null);

        var cut = RenderPanel(null);

        cut.WaitForAssertion(() => cut.Find("#purchase-unavailable").TextContent.ShouldContain("Sign in to buy"), Wait);
        cut.FindAll("#buy-button").ShouldBeEmpty();
    }

    [Fact]
    public void The_seller_is_told_it_is_their_own_dataset()
    {
        State(null);

        var cut = RenderPanel(_seller);

        cut.WaitForAssertion(() => cut.Find("#purchase-unavailable").TextContent.ShouldContain("You are the seller"), Wait);
        cut.FindAll("#buy-button").ShouldBeEmpty();
    }

    [Fact]
    public void A_buyer_sees_the_live_fee_and_total_and_cannot_buy_with_too_little_NCR()
    {
        var poor = EthAddress.Parse(Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress());
        State(poor);

        var cut = RenderPanel(_buyer);

        var fee = _price.MultiplyBasisPoints(25);
        cut.WaitForAssertion(() => cut.Find("#purchase-balance").TextContent.Trim().ShouldBe("0 NCR"), Wait);
        cut.Find("#purchase-fee").TextContent.ShouldBe(fee.ToString());
        cut.Find("#purchase-total").TextContent.ShouldBe(_price.ToString());
        cut.Find("#purchase-seller-share").TextContent.ShouldBe((_price - fee).ToString());
        cut.Find("#purchase-terms").TextContent.ShouldContain("review period of 1 day");
        cut.Find("#purchase-insufficient").TextContent.ShouldContain("Not enough NCR");
        cut.Find("#buy-button").HasAttribute("disabled").ShouldBeTrue();
    }

    [Fact]
    public async Task Rejecting_the_permit_in_the_wallet_says_so_closes_the_pending_purchase_and_allows_a_new_try()
    {
        State(DevAccounts.Buyer.Address);
        _wallet.Setup<WalletResult<ConnectedWallet>>("connect", _ => true)
            .SetResult(new WalletResult<ConnectedWallet>(true, new ConnectedWallet("window.ethereum", "MetaMask", [DevAccounts.Buyer.Address.Value.ToLowerInvariant()], ChainHex), null, null, null, null));
        var sign = _wallet.Setup<WalletResult<string>>("signTypedDataV4", _ => true);
        sign.SetResult(new WalletResult<string>(false, null, WalletErrorCodes.UserRejected, "User rejected the request.", 4001, null));

        var cut = RenderPanel(_buyer);
        cut.WaitForAssertion(() => cut.Find("#buy-button").HasAttribute("disabled").ShouldBeFalse(), Wait);
        await cut.Find("#buy-button").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        cut.WaitForAssertion(() => cut.Find("#purchase-error").TextContent.ShouldContain("You rejected the request in your wallet."), Wait);
        cut.Find("#purchase-stepper").GetAttribute("data-step").ShouldBe("signing");
        cut.Find("#buy-button").HasAttribute("disabled").ShouldBeFalse();
        var typedData = System.Text.Json.JsonSerializer.Serialize(_wallet.Invocations["signTypedDataV4"][0].Arguments[2]);
        typedData.ShouldContain(_price.ToUnitsString(), customMessage: "the permit is for exactly the price shown");
        await using var db = await _factory.CreateDbContextAsync(Ct);
        var purchase = await db.Purchases.SingleAsync(Ct);
        purchase.Status.ShouldBe(PurchaseStatus.Failed);
        purchase.FailureReason.ShouldBe("You rejected the request in your wallet.");
    }

    private void State(EthAddress? account)
    {
        var state = account is null
            ? new WalletState(false, null, null, [], null)
            : new WalletState(true, "window.ethereum", "MetaMask", [account.Value.ToLowerInvariant()], ChainHex);
        _wallet.Setup<WalletResult<WalletState>>("getState", _ => true).SetResult(new WalletResult<WalletState>(true, state, null, null, null, null));
    }

    private IRenderedComponent<PurchasePanel> RenderPanel(Guid? user)
    {
        var root = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<PurchasePanel>(1);
            builder.AddComponentParameter(2, nameof(PurchasePanel.DatasetId), _datasetId);
            builder.AddComponentParameter(3, nameof(PurchasePanel.UserId), user);
            builder.CloseComponent();
        });
        return root.FindComponent<PurchasePanel>();
    }

    private async Task<Guid> UserAsync(string name, EthAddress wallet)
    {
        var id = Guid.CreateVersion7();
        var userName = $"{name}-{id:N}@example.test";
        await using var db = await _factory.CreateDbContextAsync(Ct);
        db.Users.Add(new ApplicationUser { Id = id, UserName = userName, NormalizedUserName = userName.ToUpperInvariant(), Email = userName, SecurityStamp = "s", CreatedAt = DateTimeOffset.UtcNow });
        var profile = new UserProfile(id, name, DateTimeOffset.UtcNow);
        profile.LinkWallet(wallet, DateTimeOffset.UtcNow);
        db.UserProfiles.Add(profile);
        await db.SaveChangesAsync(Ct);
        return id;
    }

    /// <summary>A live dataset with an approved download listing on the shared chain.</summary>
    private async Task<Guid> ListAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var slug = "buy-" + Guid.NewGuid().ToString("N")[..10];
        var dataset = new Dataset(_seller, "Panel data", slug, "Rows.", "MIT", null, _price, TimeSpan.FromDays(1), DatasetAccessTypes.Download, now);
        var cid = Cid.FromSha256Digest(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var version = dataset.AddVersion(cid, 12, DatasetFormat.Csv, new string('a', 64), new byte[60], now);
        version.AttachStorage(cid, null, null);
        version.MarkReady(null, null, 1);
        dataset.SubmitForReview(now);
        dataset.Approve(_buyer, now);

        using var seller = new ChainTransactionSender(_anvil.Settings, DevAccounts.Seller.PrivateKey, _anvil.Decoder, NullLogger.Instance);
        using var moderator = new ChainTransactionSender(_anvil.Settings, DevAccounts.Moderator.PrivateKey, _anvil.Decoder, NullLogger.Instance);
        var created = await seller.SendAsync(_anvil.Contracts.DataMarketplace, new CreateListingFunction
        {
            ContentDigest = ContentDigest.FromCid(cid), Price = _price.Units, ReviewPeriod = 86_400, AccessType = 0, Tranches = 1,
        }, Ct);
        var listingId = (long)await new Nethereum.Web3.Web3(_anvil.Settings.RpcUrl).Eth.GetContractQueryHandler<ListingCountFunction>()
            .QueryAsync<BigInteger>(_anvil.Contracts.DataMarketplace.Value, new ListingCountFunction());
        await moderator.SendAsync(_anvil.Contracts.DataMarketplace, new ApproveListingFunction { ListingId = listingId }, Ct);
        var listing = new DatasetListing(dataset.Id, version.Id, DatasetAccessTypes.Download, listingId, DevAccounts.Seller.Address, TxHash.Parse(created.TransactionHash), _price, now);
        listing.Update(DatasetListingStatus.Approved, null, null, now);
        await using var db = await _factory.CreateDbContextAsync(Ct);
        db.Datasets.Add(dataset);
        db.Set<DatasetListing>().Add(listing);
        await db.SaveChangesAsync(Ct);
        return dataset.Id;
    }
}
