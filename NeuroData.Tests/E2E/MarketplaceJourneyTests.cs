using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Datasets.Listings;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.E2E.Infrastructure;
using NeuroData.Tests.Integration.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// Issue 6's "Done when", as one journey of two people in two browsers against the app's local chain: a seller (a fresh
/// wallet) has two datasets listed; a buyer (another fresh wallet) buys the first from the purchase panel and confirms
/// receipt on the escrow page; buys the second, whose files the platform cannot deliver, and claims a refund there (a
/// dispute with the delivery problem as its reason); an arbitrator in a second browser context rules a
/// refund; the buyer withdraws the refund and the seller withdraws the earnings. Every screen's amounts are checked
/// (price = seller share + 0.25 % fee, the buyer's balance drops by the price, refund = price + bond, payout = seller
/// share) and compared with the balances the chain reports. The fresh wallets sign locally (SIWE and the permit) and send
/// through anvil's impersonation, so no other test's account balance matters.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class MarketplaceJourneyTests(AppServerFixture app, BrowserFixture browser)
{
    private static readonly TokenAmount FirstPrice = TokenAmount.FromTokens(40);
    private static readonly TokenAmount SecondPrice = TokenAmount.FromTokens(20);
    private static readonly TokenAmount Funding = TokenAmount.FromTokens(100);
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 90_000 };
    private static readonly LocatorAssertionsToContainTextOptions SlowContains = new() { Timeout = 90_000 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_people_buy_confirm_dispute_rule_and_withdraw_with_amounts_that_add_up_on_every_screen()
    {
        var sellerKey = EthECKey.GenerateKey();
        var buyerKey = EthECKey.GenerateKey();
        var sellerWallet = EthAddress.Parse(sellerKey.GetPublicAddress());
        var buyerWallet = EthAddress.Parse(buyerKey.GetPublicAddress());
        var contracts = await app.ContractsAsync(Ct);
        await PrepareWalletAsync(sellerWallet, TokenAmount.Zero, contracts);
        await PrepareWalletAsync(buyerWallet, Funding, contracts);
        (await app.TokenBalanceAsync(buyerWallet, Ct)).ShouldBe(Funding);
        (await app.TokenBalanceAsync(sellerWallet, Ct)).ShouldBe(TokenAmount.Zero);

        // Person 1 (browser context 1): the seller signs up and links the fresh wallet (SIWE signed with its key).
        await using var seller = await browser.NewSessionAsync(app, Viewport.Desktop);
        await InstallLocalWalletAsync(seller.Page, sellerKey);
        var sellerEmail = await AccountPages.CreateConfirmedUserAndSignInAsync(seller.Page, "journey-seller");
        await LinkWalletAsync(seller.Page, sellerWallet);

        // Person 2 (browser context 2): the buyer, the same way.
        await using var buyer = await browser.NewSessionAsync(app, Viewport.Desktop);
        await InstallLocalWalletAsync(buyer.Page, buyerKey);
        var buyerEmail = await AccountPages.CreateConfirmedUserAndSignInAsync(buyer.Page, "journey-buyer");
        await LinkWalletAsync(buyer.Page, buyerWallet);

        // The seller's two datasets, listed on chain from the seller's wallet and approved by the moderator.
        var first = await ListDatasetAsync(sellerEmail, sellerWallet, "Journey rainfall", FirstPrice, contracts);
        var second = await ListDatasetAsync(sellerEmail, sellerWallet, "Journey turbines", SecondPrice, contracts);

        // 1. The buyer buys the first dataset from the purchase panel.
        var page = buyer.Page;
        var firstEscrow = await BuyAsync(buyer, first, FirstPrice, Funding, "journey-1-panel");
        var afterFirst = Funding - FirstPrice;
        (await app.TokenBalanceAsync(buyerWallet, Ct)).ShouldBe(afterFirst, "the buyer paid exactly the price (the fee comes out of the seller's share)");

        // 2. The buyer confirms receipt on the escrow page: the amounts add up, the escrow is released to the seller.
        await PageChecks.GotoAsync(page, $"/escrows/{firstEscrow}");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#escrow-state")).ToHaveTextAsync("Funded", Slow);
        await ExpectEscrowAmountsAsync(page, FirstPrice);
        await Expect(page.Locator("#confirm-button")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await buyer.ScreenshotAsync("journey-2-escrow-funded");
        await page.Locator("#confirm-button").ClickAsync();
        await Expect(page.Locator("#escrow-state")).ToHaveTextAsync("Released", Slow);
        await Expect(page.Locator("#escrow-timeline")).ToContainTextAsync("released", new() { Timeout = 30_000, IgnoreCase = true });
        await buyer.ScreenshotAsync("journey-3-escrow-released");
        (await app.TokenBalanceAsync(buyerWallet, Ct)).ShouldBe(afterFirst, "confirming costs no NCR");

        // 3. The buyer buys the second dataset and opens a dispute, posting the bond the form shows.
        var secondEscrow = await BuyAsync(buyer, second, SecondPrice, afterFirst, "journey-4-second-panel");
        var afterSecond = afterFirst - SecondPrice;
        (await app.TokenBalanceAsync(buyerWallet, Ct)).ShouldBe(afterSecond);
        await PageChecks.GotoAsync(page, $"/escrows/{secondEscrow}");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#escrow-state")).ToHaveTextAsync("Funded", Slow);
        await ExpectEscrowAmountsAsync(page, SecondPrice);
        // The platform holds no files for this version: the escrow page offers the refund claim, which opens the dispute
        // form with the delivery problem as its reason.
        await Expect(page.Locator("#escrow-delivery-issue")).ToContainTextAsync("does not hold the files", SlowContains);
        await Expect(page.Locator("#dispute-button")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#escrow-claim-refund").ClickAsync();
        await Expect(page.Locator("#dispute-bond")).ToContainTextAsync("NCR", SlowContains);
        var bond = TokenAmount.ParseTokens((await page.Locator("#dispute-bond").InnerTextAsync()).Replace("NCR", string.Empty, StringComparison.Ordinal).Trim());
        bond.IsZero.ShouldBeFalse();
        const string Reason = "Not delivered: The platform does not hold the files of the version you bought. I claim a refund of the price.";
        await Expect(page.Locator("#dispute-reason")).ToHaveValueAsync(Reason);
        await buyer.ScreenshotAsync("journey-5-dispute-form");
        await page.Locator("#dispute-submit").ClickAsync();
        await Expect(page.Locator("#escrow-notice")).ToContainTextAsync("Dispute opened", SlowContains);
        await Expect(page.Locator("#escrow-state")).ToHaveTextAsync("Disputed", Slow);
        await Expect(page.Locator("#dispute-buyer-statement")).ToHaveTextAsync(Reason, Slow);
        (await app.TokenBalanceAsync(buyerWallet, Ct)).ShouldBe(afterSecond - bond, "opening the dispute took exactly the bond shown");

        // 4. The arbitrator, in a second browser context, rules a refund with a written reason.
        await using var arbitrator = await browser.NewSessionAsync(app, Viewport.Desktop);
        await InjectedWallet.InstallAsync(arbitrator.Page, app, DevAccounts.Arbitrator.Address);
        var arbitratorEmail = await AccountPages.CreateConfirmedUserAndSignInAsync(arbitrator.Page, "journey-arb");
        await LinkByDatabaseAsync(arbitratorEmail, DevAccounts.Arbitrator.Address, RoleNames.Arbitrator);
        await AccountPages.SignInAsync(arbitrator.Page, arbitratorEmail, AccountPages.StrongPassword); // a fresh cookie with the role
        var arb = arbitrator.Page;
        await PageChecks.GotoAsync(arb, $"/arbitration/{secondEscrow}");
        await PageChecks.WaitForBlazorAsync(arb);
        await Expect(arb.Locator("#case-buyer")).ToContainTextAsync("does not hold the files", SlowContains);
        await arb.Locator("#ruling-refund").ClickAsync();
        const string Ruling = "The platform could not deliver the files the seller listed.";
        await arb.Locator("#ruling-reason").FillAsync(Ruling);
        await Expect(arb.Locator("#ruling-submit")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await arbitrator.ScreenshotAsync("journey-6-arbitration-case");
        await arb.Locator("#ruling-submit").ClickAsync();
        await Expect(arb.Locator("#ruling-notice")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // The buyer's open page follows the chain to the outcome.
        await Expect(page.Locator("#escrow-state")).ToHaveTextAsync("Resolved", Slow);
        await Expect(page.Locator("#dispute-ruling-reason")).ToHaveTextAsync(Ruling, Slow);
        await Expect(page.Locator("#dispute-outcome")).ToContainTextAsync("Refunded to the buyer");
        await buyer.ScreenshotAsync("journey-7-escrow-resolved");

        // 5. The buyer withdraws the refund: the price and the whole bond.
        var refund = SecondPrice + bond;
        await WithdrawAsync(buyer, refund, "journey-8-buyer-payouts");
        await Expect(page.Locator("#refunds-table")).ToContainTextAsync(SecondPrice.ToString(), SlowContains);
        (await app.TokenBalanceAsync(buyerWallet, Ct)).ShouldBe(afterSecond + SecondPrice, "after the refund the buyer has paid for the first dataset only");
        (await app.TokenBalanceAsync(buyerWallet, Ct)).ShouldBe(Funding - FirstPrice);

        // 6. The seller withdraws the first sale's share: the price less the 0.25 % fee, nothing of the refunded sale.
        var share = FirstPrice - FirstPrice.MultiplyBasisPoints(25);
        share.ShouldBe(TokenAmount.ParseTokens("39.9"));
        await PageChecks.GotoAsync(seller.Page, "/payouts");
        await PageChecks.WaitForBlazorAsync(seller.Page);
        await Expect(seller.Page.Locator("#earned")).ToHaveTextAsync(share.ToString(), Slow);
        await WithdrawAsync(seller, share, "journey-9-seller-payouts");
        await Expect(seller.Page.Locator("#paid-out")).ToHaveTextAsync(share.ToString(), Slow);
        (await app.TokenBalanceAsync(sellerWallet, Ct)).ShouldBe(share);
        (Funding - (await app.TokenBalanceAsync(buyerWallet, Ct))).ShouldBe(share + FirstPrice.MultiplyBasisPoints(25), "what the buyer spent is what the seller got plus the fee");

        // The seller's sales list and the buyer's purchases list agree.
        await PageChecks.GotoAsync(seller.Page, "/sales");
        await PageChecks.WaitForBlazorAsync(seller.Page);
        await Expect(seller.Page.Locator("body")).ToContainTextAsync(first.Title, SlowContains);
        await seller.ScreenshotAsync("journey-10-my-sales");
        buyer.Errors.ShouldBeEmpty();
        seller.Errors.ShouldBeEmpty();
        arbitrator.Errors.ShouldBeEmpty();

        // Phone width: the same screens fit.
        await using var buyerPhone = await browser.NewSessionAsync(app, Viewport.Phone, await buyer.Context.StorageStateAsync());
        foreach (var (path, name) in new[] { ($"/escrows/{firstEscrow}", "journey-3-escrow-released"), ($"/escrows/{secondEscrow}", "journey-7-escrow-resolved"), ("/payouts", "journey-8-buyer-payouts"), ("/datasets/" + first.Slug, "journey-1-panel") })
        {
            await PageChecks.GotoAsync(buyerPhone.Page, path);
            await PageChecks.WaitForBlazorAsync(buyerPhone.Page);
            await Expect(buyerPhone.Page.Locator("#page-title, #purchase-panel").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            (await PageChecks.HorizontalOverflowAsync(buyerPhone.Page)).ShouldBe(0, $"{path} scrolls sideways on a phone: " + string.Join(", ", await PageChecks.OverflowingElementsAsync(buyerPhone.Page)));
            await buyerPhone.ScreenshotAsync(name);
        }

        await using var sellerPhone = await browser.NewSessionAsync(app, Viewport.Phone, await seller.Context.StorageStateAsync());
        await PageChecks.GotoAsync(sellerPhone.Page, "/payouts");
        await PageChecks.WaitForBlazorAsync(sellerPhone.Page);
        await Expect(sellerPhone.Page.Locator("#paid-out")).ToHaveTextAsync(share.ToString(), Slow);
        (await PageChecks.HorizontalOverflowAsync(sellerPhone.Page)).ShouldBe(0);
        await sellerPhone.ScreenshotAsync("journey-9-seller-payouts");
    }

    private sealed record Listed(string Title, string Slug);

    /// <summary>Buys from the dataset page's purchase panel (permit signed by the wallet) and returns the escrow id.</summary>
    private static async Task<long> BuyAsync(BrowserSession session, Listed listed, TokenAmount price, TokenAmount balanceBefore, string screenshot)
    {
        var page = session.Page;
        await PageChecks.GotoAsync(page, "/datasets/" + listed.Slug);
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#purchase-panel #purchase-total")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var fee = price.MultiplyBasisPoints(25);
        await Expect(page.Locator("#purchase-price")).ToContainTextAsync(price.ToString());
        await Expect(page.Locator("#purchase-fee")).ToContainTextAsync(fee.ToString());
        await Expect(page.Locator("#purchase-seller-share")).ToContainTextAsync((price - fee).ToString());
        await Expect(page.Locator("#purchase-total")).ToContainTextAsync(price.ToString());
        await Expect(page.Locator("#purchase-connect")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#purchase-connect").ClickAsync();
        await Expect(page.Locator("#purchase-balance")).ToContainTextAsync(balanceBefore.ToString(), SlowContains);
        await Expect(page.Locator("#buy-button")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await session.ScreenshotAsync(screenshot);
        await page.Locator("#buy-button").ClickAsync();
        await Expect(page.Locator("#purchase-stepper")).ToHaveAttributeAsync("data-step", "confirmed", new() { Timeout = 120_000 });
        await Expect(page.Locator("#purchase-error")).ToHaveCountAsync(0);
        var href = await page.Locator("#purchase-escrow-link").GetAttributeAsync("href");
        var match = EscrowUrl().Match(href ?? string.Empty);
        match.Success.ShouldBeTrue($"the escrow link '{href}'");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExpectEscrowAmountsAsync(IPage page, TokenAmount price)
    {
        var fee = price.MultiplyBasisPoints(25);
        await Expect(page.Locator("#escrow-price")).ToHaveTextAsync(price.ToString());
        await Expect(page.Locator("#escrow-fee")).ToHaveTextAsync(fee.ToString());
        await Expect(page.Locator("#escrow-seller-share")).ToHaveTextAsync((price - fee).ToString());
    }

    /// <summary>Withdraws everything from /payouts and checks the page and the chain agree on the amount.</summary>
    private static async Task WithdrawAsync(BrowserSession session, TokenAmount expected, string screenshot)
    {
        var page = session.Page;
        await PageChecks.GotoAsync(page, "/payouts");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#withdrawable")).ToHaveTextAsync(expected.ToString(), Slow);
        await Expect(page.Locator("#withdraw-button")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await session.ScreenshotAsync(screenshot + "-before");
        await page.Locator("#withdraw-button").ClickAsync();
        await Expect(page.Locator("#withdraw-status")).ToContainTextAsync("Withdrawn", SlowContains);
        await Expect(page.Locator("#withdrawable")).ToHaveTextAsync(TokenAmount.Zero.ToString(), Slow);
        await Expect(page.Locator("#payouts-table")).ToContainTextAsync(expected.ToString(), SlowContains);
        await session.ScreenshotAsync(screenshot);
    }

    private static async Task LinkWalletAsync(IPage page, EthAddress wallet)
    {
        await PageChecks.GotoAsync(page, "/Account/Manage/Wallets");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#wallet-signin")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#wallet-signin").ClickAsync();
        await Expect(page.Locator($"[data-wallet='{wallet.Value}']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    /// <summary>ETH for gas, NCR from the demo buyer (a small transfer), and anvil impersonation so the wallet can send.</summary>
    private async Task PrepareWalletAsync(EthAddress wallet, TokenAmount ncr, ChainContracts contracts)
    {
        await RpcAsync("anvil_setBalance", [wallet.Value, "0x56BC75E2D63100000"]);
        await RpcAsync("anvil_impersonateAccount", [wallet.Value]);
        if (!ncr.IsZero)
        {
            await SendAsync(DevAccounts.Buyer.Address, contracts.NeuroCoin, new TransferFunction { To = wallet.Value, Value = ncr.Units });
        }
    }

    /// <summary>
    /// The seller's dataset (a ready version, live) with its listing created on chain from the seller's wallet and approved
    /// by the moderator's; the rows are what the publishing and moderation flows leave behind (tested on their own).
    /// </summary>
    private async Task<Listed> ListDatasetAsync(string sellerEmail, EthAddress sellerWallet, string title, TokenAmount price, ChainContracts contracts)
    {
        var now = DateTimeOffset.UtcNow;
        var slug = Slug.From(title) + "-" + Guid.NewGuid().ToString("N")[..8];
        var cid = NeuroData.Tests.Integration.Persistence.TestData.RandomCidV0();
        var created = await SendAsync(sellerWallet, contracts.DataMarketplace, new CreateListingFunction
        {
            ContentDigest = ContentDigest.FromCid(cid),
            Price = price.Units,
            ReviewPeriod = 86_400,
            AccessType = 0,
            Tranches = 1,
        });
        var listingId = (long)created.DecodeAllEvents<ListingCreatedEvent>().ShouldHaveSingleItem().Event.ListingId;
        var approved = await SendAsync(DevAccounts.Moderator.Address, contracts.DataMarketplace, new ApproveListingFunction { ListingId = listingId });

        await using var db = Context();
        var normalized = sellerEmail.ToUpperInvariant();
        var sellerId = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).SingleAsync(Ct);
        var admin = AppServerFixture.AdminEmail.ToUpperInvariant();
        var moderatorId = await db.Users.Where(u => u.NormalizedEmail == admin).Select(u => u.Id).SingleAsync(Ct);
        var dataset = new Dataset(sellerId, title, slug, "Hourly measurements for the marketplace journey.", "MIT", null, price, TimeSpan.FromDays(1), DatasetAccessTypes.Download, now);
        var version = dataset.AddVersion(cid, 9_000, DatasetFormat.Csv, NeuroData.Tests.Integration.Persistence.TestData.Sha256Hex(listingId.GetHashCode()), [1], now);
        version.MarkReady(null, null, 8_760);
        dataset.SubmitForReview(now);
        dataset.Approve(moderatorId, now);
        dataset.AttachOnChainListing(listingId);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Ct);
        var listing = new DatasetListing(dataset.Id, version.Id, DatasetAccessTypes.Download, listingId, sellerWallet, TxHash.Parse(created.TransactionHash), price, now);
        listing.Update(DatasetListingStatus.Approved, null, TxHash.Parse(approved.TransactionHash), now);
        db.Add(listing);
        await db.SaveChangesAsync(Ct);
        return new Listed(title, slug);
    }

    /// <summary>Links a dev wallet and a role to an account (what SIWE and an admin do; the arbitrator's key is anvil's).</summary>
    private async Task LinkByDatabaseAsync(string email, EthAddress wallet, string role)
    {
        await using var db = Context();
        var normalized = email.ToUpperInvariant();
        var user = await db.Users.SingleAsync(u => u.NormalizedEmail == normalized, Ct);
        db.WalletLinks.RemoveRange(await db.WalletLinks.Where(w => w.Address == wallet).ToListAsync(Ct)); // one account per wallet
        await db.SaveChangesAsync(Ct);
        var profile = await db.UserProfiles.Include(p => p.Wallets).SingleAsync(p => p.Id == user.Id, Ct);
        profile.LinkWallet(wallet, DateTimeOffset.UtcNow);
        var r = await db.Roles.SingleAsync(x => x.Name == role, Ct);
        db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<Guid> { UserId = user.Id, RoleId = r.Id });
        await db.SaveChangesAsync(Ct);
    }

    private async Task<Nethereum.RPC.Eth.DTOs.TransactionReceipt> SendAsync<TFunction>(EthAddress from, EthAddress to, TFunction function)
        where TFunction : FunctionMessage, new()
    {
        var tx = TransactionRequestBuilder.Build(from, to, function);
        var sent = await AnvilFixture.SendFromUnlockedAsync(app.ChainRpcUrl, tx.ToEip1193(), Ct);
        sent.Hash.ShouldNotBeNull($"{typeof(TFunction).Name} refused: {sent.ErrorMessage}");
        var receipt = await AnvilFixture.WaitForReceiptAsync(app.ChainRpcUrl, sent.Hash, Ct);
        receipt.Status.Value.ShouldBe(BigInteger.One, typeof(TFunction).Name);
        return receipt;
    }

    private async Task<JsonElement> RpcAsync(string method, object[] parameters)
    {
        using var http = new HttpClient();
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        using var response = await http.PostAsync(app.ChainRpcUrl, new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        if (json.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method} failed: {error}");
        }

        return json.RootElement.GetProperty("result").Clone();
    }

    /// <summary>
    /// A wallet holding its own key, as MetaMask does: it signs personal_sign (SIWE) and eth_signTypedData_v4 (the permit)
    /// itself; transactions and reads go to anvil (the address is impersonated there, so anvil sends for it).
    /// </summary>
    private async Task InstallLocalWalletAsync(IPage page, EthECKey key)
    {
        var address = key.GetPublicAddress();
        var rpc = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        page.Close += (_, _) => rpc.Dispose();
        var id = 0;
        await page.ExposeFunctionAsync<string, string, Task<string>>("__ndWalletRpc", async (method, paramsJson) =>
        {
            var requestId = Interlocked.Increment(ref id);
            using var parameters = JsonDocument.Parse(paramsJson);
            switch (method)
            {
                case "personal_sign":
                {
                    var message = parameters.RootElement[0].GetString()!.HexToByteArray();
                    var signature = new EthereumMessageSigner().Sign(message, key);
                    return JsonSerializer.Serialize(new { jsonrpc = "2.0", id = requestId, result = signature });
                }

                case "eth_signTypedData_v4":
                {
                    var typedData = parameters.RootElement[1].ValueKind == JsonValueKind.String ? parameters.RootElement[1].GetString()! : parameters.RootElement[1].GetRawText();
                    var signature = new Eip712TypedDataSigner().SignTypedDataV4(typedData, key);
                    return JsonSerializer.Serialize(new { jsonrpc = "2.0", id = requestId, result = signature });
                }
            }

            var body = $"{{\"jsonrpc\":\"2.0\",\"id\":{requestId},\"method\":{JsonSerializer.Serialize(method)},\"params\":{paramsJson}}}";
            using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            using var response = await rpc.PostAsync(app.ChainRpcUrl, content);
            return await response.Content.ReadAsStringAsync();
        });
        await page.AddInitScriptAsync(ProviderScript.Replace("__ACCOUNT__", address.ToLowerInvariant(), StringComparison.Ordinal));
    }

    private const string ProviderScript = """
        (() => {
          const account = '__ACCOUNT__';
          const listeners = {};
          window.ethereum = {
            isMetaMask: true,
            async request({ method, params }) {
              if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [account];
              if (method === 'wallet_switchEthereumChain' || method === 'wallet_addEthereumChain' || method === 'wallet_watchAsset') return null;
              const reply = JSON.parse(await window.__ndWalletRpc(method, JSON.stringify(params ?? [])));
              if (reply.error) {
                const error = new Error(reply.error.message);
                error.code = reply.error.code;
                error.data = reply.error.data;
                throw error;
              }
              return reply.result;
            },
            on(event, fn) { (listeners[event] ??= []).push(fn); },
            removeListener(event, fn) { listeners[event] = (listeners[event] ?? []).filter(f => f !== fn); },
          };
        })();
        """;

    [GeneratedRegex(@"/escrows/(\d+)$")]
    private static partial Regex EscrowUrl();

    private NeuroDataDbContext Context() =>
        new NeuroDataDbContextFactory(
            new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(app.DataDirectory, "neurodata.db")};Foreign Keys=True"),
            TimeProvider.System).CreateDbContext();
}
