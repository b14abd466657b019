using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// A buyer (injected wallet, anvil #8) disputes an escrow on the escrow page, posting the bond from the wallet; an
/// arbitrator (anvil #4, Arbitrator role) rules "refund" in a second browser context; the buyer's page shows the
/// outcome and the reason. The sale itself is set up on chain directly (seller #1 lists, the moderator approves, #8 buys).
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class DisputeArbitrationTests(AppServerFixture app, BrowserFixture browser)
{
    private static readonly EthAddress BuyerWallet = EthAddress.Parse("0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f");
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 90_000 };
    private static readonly LocatorAssertionsToContainTextOptions SlowContains = new() { Timeout = 90_000 };

    [Fact]
    public async Task A_dispute_is_opened_from_the_buyers_wallet_and_ruled_by_an_arbitrator_in_a_second_browser()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var buyer = await browser.NewSessionAsync(app, Viewport.Desktop);
        await InjectedWallet.InstallAsync(buyer.Page, app, BuyerWallet);
        var buyerEmail = await RegisterAsync(buyer.Page, "dispute-buyer");
        await using var arbitrator = await browser.NewSessionAsync(app, Viewport.Desktop);
        await InjectedWallet.InstallAsync(arbitrator.Page, app, DevAccounts.Arbitrator.Address);
        var arbitratorEmail = await RegisterAsync(arbitrator.Page, "dispute-arb");
        await LinkAsync(buyerEmail, BuyerWallet, role: null, ct);
        await LinkAsync(arbitratorEmail, DevAccounts.Arbitrator.Address, RoleNames.Arbitrator, ct);
        await EnsureSellerUserAsync(ct);
        await AccountPages.SignInAsync(buyer.Page, buyerEmail, AccountPages.StrongPassword);
        await AccountPages.SignInAsync(arbitrator.Page, arbitratorEmail, AccountPages.StrongPassword);

        var escrowId = await BuyOnChainAsync(ct);
        await EnsureEscrowRowAsync(escrowId, ct);

        // The buyer opens the dispute: reason, the bond shown, approve + openDispute in the wallet.
        var page = buyer.Page;
        await PageChecks.GotoAsync(page, $"/escrows/{escrowId}");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#escrow-state")).ToHaveTextAsync("Funded");
        await Expect(page.Locator("#escrow-countdown")).ToContainTextAsync("left to confirm or dispute");
        await Expect(page.Locator("#agree-refund-button")).ToHaveCountAsync(0);
        await buyer.ScreenshotAsync("escrow-funded");
        await Expect(page.Locator("#dispute-button")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#dispute-button").ClickAsync();
        await Expect(page.Locator("#dispute-bond")).ToHaveTextAsync("10 NCR", Slow);
        await page.Locator("#dispute-reason").FillAsync("The file has 12 rows; the listing promised 10,000.");
        await buyer.ScreenshotAsync("escrow-dispute-form");
        await page.Locator("#dispute-submit").ClickAsync();
        await Expect(page.Locator("#escrow-notice")).ToContainTextAsync("Dispute opened", SlowContains);
        await Expect(page.Locator("#escrow-state")).ToHaveTextAsync("Disputed", Slow);
        await Expect(page.Locator("#dispute-buyer-statement")).ToHaveTextAsync("The file has 12 rows; the listing promised 10,000.", Slow);

        // The arbitrator, in another browser, finds the case and rules a refund with a reason.
        var arb = arbitrator.Page;
        await PageChecks.GotoAsync(arb, "/arbitration");
        await PageChecks.WaitForBlazorAsync(arb);
        await Expect(arb.Locator($"#case-{escrowId}")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await arbitrator.ScreenshotAsync("arbitration-queue");
        await arb.Locator($"#case-{escrowId}").ClickAsync();
        await PageChecks.WaitForBlazorAsync(arb);
        await Expect(arb.Locator("#case-buyer")).ToContainTextAsync("12 rows");
        await arb.Locator("#ruling-refund").ClickAsync();
        await arb.Locator("#ruling-reason").FillAsync("Only 12 of 10,000 rows were delivered.");
        await Expect(arb.Locator("#ruling-submit")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await arbitrator.ScreenshotAsync("arbitration-case");
        await arb.Locator("#ruling-submit").ClickAsync();
        await Expect(arb.Locator("#ruling-notice")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // The buyer's page follows the chain: resolved, refunded, with the arbitrator's reason.
        await Expect(page.Locator("#escrow-state")).ToHaveTextAsync("Resolved", Slow);
        await Expect(page.Locator("#dispute-ruling-reason")).ToHaveTextAsync("Only 12 of 10,000 rows were delivered.", Slow);
        await Expect(page.Locator("#dispute-outcome")).ToContainTextAsync("Refunded to the buyer");
        await Expect(page.Locator("#escrow-timeline")).ToContainTextAsync("Dispute decided");
        await buyer.ScreenshotAsync("escrow-resolved");
        buyer.Errors.ShouldBeEmpty();
        arbitrator.Errors.ShouldBeEmpty();

        var state = await buyer.Context.StorageStateAsync();
        await using var phone = await browser.NewSessionAsync(app, Viewport.Phone, state);
        await PageChecks.GotoAsync(phone.Page, $"/escrows/{escrowId}");
        await PageChecks.WaitForBlazorAsync(phone.Page);
        await Expect(phone.Page.Locator("#escrow-state")).ToHaveTextAsync("Resolved");
        (await PageChecks.HorizontalOverflowAsync(phone.Page)).ShouldBe(0, "the escrow page scrolls sideways on a phone");
        await phone.ScreenshotAsync("escrow-resolved");
        await PageChecks.GotoAsync(phone.Page, "/notifications");
        await PageChecks.WaitForBlazorAsync(phone.Page);
        await Expect(phone.Page.Locator("#notifications-list")).ToContainTextAsync($"Dispute on escrow #{escrowId} decided", SlowContains);
        await Expect(phone.Page.Locator("#notifications-bell")).ToBeHiddenAsync(); // no room on a phone: the drawer link instead
        await Expect(buyer.Page.Locator("#notifications-bell")).ToBeVisibleAsync();
        (await PageChecks.HorizontalOverflowAsync(phone.Page)).ShouldBe(0, "notifications scroll sideways on a phone");
        await phone.ScreenshotAsync("notifications");
        await PageChecks.GotoAsync(phone.Page, "/votes");
        await PageChecks.WaitForBlazorAsync(phone.Page);
        await Expect(phone.Page.Locator("#votes-table")).ToBeVisibleAsync();
        (await PageChecks.HorizontalOverflowAsync(phone.Page)).ShouldBe(0, "votes scroll sideways on a phone");
        await phone.ScreenshotAsync("votes");

        await PageChecks.GotoAsync(arbitrator.Page, $"/arbitration/{escrowId}");
        await Expect(arbitrator.Page.Locator("#case-ruled")).ToContainTextAsync("Refunded to the buyer", SlowContains);
        await using var arbitratorPhone = await browser.NewSessionAsync(app, Viewport.Phone, await arbitrator.Context.StorageStateAsync());
        await PageChecks.GotoAsync(arbitratorPhone.Page, $"/arbitration/{escrowId}");
        await PageChecks.WaitForBlazorAsync(arbitratorPhone.Page);
        await Expect(arbitratorPhone.Page.Locator("#case-ruled")).ToBeVisibleAsync();
        (await PageChecks.HorizontalOverflowAsync(arbitratorPhone.Page)).ShouldBe(0, "the case page scrolls sideways on a phone");
        await arbitratorPhone.ScreenshotAsync("arbitration-case");
    }

    private static async Task<string> RegisterAsync(IPage page, string purpose)
    {
        var email = AccountPages.NewEmail(purpose);
        await AccountPages.RegisterAsync(page, email, AccountPages.StrongPassword);
        await AccountPages.ConfirmFromMailboxAsync(page, email);
        return email;
    }

    /// <summary>Links the wallet to the user (what Sign-In with Ethereum does after checking a signature) and adds a role.</summary>
    private async Task LinkAsync(string email, EthAddress wallet, string? role, CancellationToken ct)
    {
        await using var db = Context();
        var normalized = email.ToUpperInvariant();
        var user = await db.Users.SingleAsync(u => u.NormalizedEmail == normalized, ct);
        var stale = await db.WalletLinks.Where(w => w.Address == wallet).ToListAsync(ct);
        db.WalletLinks.RemoveRange(stale); // a wallet belongs to one account: an earlier test run's user gives it up
        await db.SaveChangesAsync(ct);
        var profile = await db.UserProfiles.Include(p => p.Wallets).SingleAsync(p => p.Id == user.Id, ct);
        profile.LinkWallet(wallet, DateTimeOffset.UtcNow);
        if (role is not null)
        {
            var r = await db.Roles.SingleAsync(x => x.Name == role, ct);
            db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<Guid> { UserId = user.Id, RoleId = r.Id });
        }

        await db.SaveChangesAsync(ct);
    }

    private async Task EnsureSellerUserAsync(CancellationToken ct)
    {
        await using var db = Context();
        if (await db.WalletLinks.AnyAsync(w => w.Address == DevAccounts.Seller.Address, ct))
        {
            return;
        }

        var email = AccountPages.NewEmail("dispute-seller");
        var user = new ApplicationUser
        {
            Id = Guid.CreateVersion7(),
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Users.Add(user);
        var profile = new UserProfile(user.Id, "Dispute seller", DateTimeOffset.UtcNow);
        profile.LinkWallet(DevAccounts.Seller.Address, DateTimeOffset.UtcNow);
        db.UserProfiles.Add(profile);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Seller #1 lists for 200 NCR, the moderator approves, #8 (funded by #2) buys; returns the escrow id.</summary>
    private async Task<long> BuyOnChainAsync(CancellationToken ct)
    {
        var contracts = await app.ContractsAsync(ct);
        var digest = new byte[32];
        Random.Shared.NextBytes(digest);
        var price = DevChainFixtureTokens(200);
        var created = await SendAsync(DevAccounts.Seller.Address, contracts.DataMarketplace, new CreateListingFunction { ContentDigest = digest, Price = price, ReviewPeriod = 86_400, AccessType = 0, Tranches = 1 }, ct);
        var listingId = await QueryAsync(contracts.DataMarketplace, new ListingCountFunction(), ct);
        await SeedDatasetListingAsync((long)listingId, TxHash.Parse(created), ct);
        await SendAsync(DevAccounts.Moderator.Address, contracts.DataMarketplace, new ApproveListingFunction { ListingId = listingId }, ct);
        await SendAsync(DevAccounts.Buyer.Address, contracts.NeuroCoin, new TransferFunction { To = BuyerWallet.Value, Value = DevChainFixtureTokens(1_000) }, ct);
        await SendAsync(BuyerWallet, contracts.NeuroCoin, new ApproveFunction { Spender = contracts.DataMarketplace.Value, Value = price }, ct);
        await SendAsync(BuyerWallet, contracts.DataMarketplace, new PurchaseFunction { ListingId = listingId, MaxPrice = price }, ct);
        return (long)await QueryAsync(contracts.EscrowManager, new EscrowCountFunction(), ct);
    }

    /// <summary>
    /// The escrow row is the purchase reconciler's (branch "buy"), made only for listings of this platform's datasets;
    /// this sale was made on chain directly, so the row is added here from the mirror once the indexer has it.
    /// </summary>
    private async Task EnsureEscrowRowAsync(long escrowId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            await using var db = Context();
            var m = await db.Set<MirrorEscrow>().AsNoTracking().FirstOrDefaultAsync(e => e.EscrowId == escrowId, ct);
            if (m is not null)
            {
                if (!await db.Escrows.AnyAsync(e => e.ChainId == m.ChainId && e.OnChainId == escrowId, ct))
                {
                    db.Escrows.Add(new Escrow(m.ChainId, escrowId, null, m.Buyer, m.Seller, m.Amount, m.Amount.MultiplyBasisPoints(m.FeeBps), m.Deadline, m.Deadline.AddSeconds(-1)));
                    await db.SaveChangesAsync(ct);
                }

                return;
            }

            await Task.Delay(500, ct);
        }

        throw new TimeoutException($"The app's indexer did not mirror escrow {escrowId} within a minute.");
    }

    /// <summary>The seller's dataset behind the chain listing (the purchase reconciler follows only this platform's listings).</summary>
    private async Task SeedDatasetListingAsync(long listingId, TxHash tx, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = Context();
        var sellerId = await db.WalletLinks.Where(w => w.Address == DevAccounts.Seller.Address).Select(w => w.UserId).SingleAsync(ct);
        var slug = "disputed-" + Guid.NewGuid().ToString("N")[..10];
        var dataset = new NeuroData.Domain.Datasets.Dataset(sellerId, "Disputed rows " + slug[^4..], slug, "Rows.", "MIT", null, TokenAmount.FromTokens(200), TimeSpan.FromDays(1),
            NeuroData.Domain.Datasets.DatasetAccessTypes.Download, now);
        var version = dataset.AddVersion(NeuroData.Tests.Integration.Persistence.TestData.RandomCidV0(), 9_000, NeuroData.Domain.Datasets.DatasetFormat.Csv,
            NeuroData.Tests.Integration.Persistence.TestData.Sha256Hex(7), [1], now);
        version.MarkReady(null, null, 10);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(ct);
        db.Add(new NeuroData.Domain.Datasets.DatasetListing(dataset.Id, version.Id, NeuroData.Domain.Datasets.DatasetAccessTypes.Download, listingId, DevAccounts.Seller.Address, tx, TokenAmount.FromTokens(200), now));
        await db.SaveChangesAsync(ct);
    }

    private async Task<string> SendAsync<TFunction>(EthAddress from, EthAddress to, TFunction function, CancellationToken ct)
        where TFunction : FunctionMessage, new()
    {
        using var http = new HttpClient();
        var data = function.GetCallData().ToHex(prefix: true);
        var hash = (await RpcAsync(http, "eth_sendTransaction", [new { from = from.Value.ToLowerInvariant(), to = to.Value.ToLowerInvariant(), data }], ct)).GetString()!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var receipt = await RpcAsync(http, "eth_getTransactionReceipt", [hash], ct);
            if (receipt.ValueKind == JsonValueKind.Object)
            {
                receipt.GetProperty("status").GetString().ShouldBe("0x1", $"{typeof(TFunction).Name} from {from} succeeded");
                return hash;
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"{typeof(TFunction).Name} was not mined.");
    }

    private async Task<BigInteger> QueryAsync<TFunction>(EthAddress contract, TFunction function, CancellationToken ct)
        where TFunction : FunctionMessage, new() =>
        await new Nethereum.Web3.Web3(app.ChainRpcUrl).Eth.GetContractQueryHandler<TFunction>().QueryAsync<BigInteger>(contract.Value, function).WaitAsync(ct);

    private async Task<JsonElement> RpcAsync(HttpClient http, string method, object[] parameters, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(app.ChainRpcUrl, new { jsonrpc = "2.0", id = 1, method, @params = parameters }, ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        if (json.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method} failed: {error}");
        }

        return json.RootElement.GetProperty("result").Clone();
    }

    private static BigInteger DevChainFixtureTokens(long whole) => new BigInteger(whole) * BigInteger.Pow(10, 18);

    private NeuroDataDbContext Context() =>
        new NeuroDataDbContextFactory(
            new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(app.DataDirectory, "neurodata.db")};Foreign Keys=True"),
            TimeProvider.System).CreateDbContext();
}
