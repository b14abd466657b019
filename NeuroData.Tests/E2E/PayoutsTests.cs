using System.Numerics;
using Microsoft.Playwright;
using Nethereum.Contracts;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Tests.E2E.Infrastructure;
using NeuroData.Tests.Integration.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// A seller withdraws their earnings in Chromium with the injected wallet: the sale is set up on chain directly
/// (listing by the seller's wallet, approval by the moderator, purchase and confirmation by the buyer), the app's
/// indexer mirrors it, and the seller withdraws from /payouts; the payout then shows in the history, the transaction
/// with its amount in /transactions, and the contract holds nothing more for the wallet. Also screenshots of the admin
/// jobs and fees pages at both widths.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class PayoutsTests(AppServerFixture app, BrowserFixture browser)
{
    /// <summary>anvil's dev account #9: a wallet no other test uses.</summary>
    private static readonly EthAddress SellerWallet = EthAddress.Parse("0xa0Ee7A142d267C1f36714E4a8F75612F20a79720");

    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 90_000 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_seller_withdraws_their_earnings_from_the_payouts_page_with_their_wallet()
    {
        var contracts = await app.ContractsAsync(Ct);
        await SellAsync(contracts, priceTokens: 20);
        var balanceBefore = await app.TokenBalanceAsync(SellerWallet, Ct);

        await using var seller = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = seller.Page;
        await InjectedWallet.InstallAsync(page, app, SellerWallet);
        var email = await AccountPages.CreateConfirmedUserAndSignInAsync(page, "payouts");
        await LinkWalletAsync(page);

        await PageChecks.GotoAsync(page, "/payouts");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#withdrawable")).ToHaveTextAsync("19.95 NCR", Slow); // 20 NCR less the 0.25 % fee
        await Expect(page.Locator("#earned")).ToHaveTextAsync("19.95 NCR");
        await Expect(page.Locator("#withdraw-button")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await seller.ScreenshotAsync("payouts-1-before-withdraw");

        await page.Locator("#withdraw-button").ClickAsync();
        await Expect(page.Locator("#withdraw-status")).ToContainTextAsync("Withdrawn", new() { Timeout = 90_000 });
        await Expect(page.Locator("#payouts-table .payout-amount")).ToHaveTextAsync("19.95 NCR", Slow);
        await Expect(page.Locator("#withdrawable")).ToHaveTextAsync("0 NCR", Slow);
        await Expect(page.Locator("#paid-out")).ToHaveTextAsync("19.95 NCR");
        await seller.ScreenshotAsync("payouts-2-withdrawn");

        (await app.TokenBalanceAsync(SellerWallet, Ct)).ShouldBe(balanceBefore + TokenAmount.ParseTokens("19.95"));

        await PageChecks.GotoAsync(page, "/transactions");
        var withdrawRow = page.Locator("#transactions-table tbody tr").Filter(new() { HasText = "Withdraw" });
        await Expect(withdrawRow).ToHaveCountAsync(1);
        await Expect(withdrawRow.Locator(".tx-amount")).ToHaveTextAsync("+19.95 NCR", Slow);
        await Expect(withdrawRow.Locator(".tx-status")).ToHaveTextAsync("Confirmed");
        await seller.ScreenshotAsync("payouts-3-transactions");
        seller.Errors.ShouldBeEmpty();

        // The same pages at phone width.
        await using var phone = await browser.NewSessionAsync(app, Viewport.Phone);
        await AccountPages.SignInAsync(phone.Page, email, AccountPages.StrongPassword);
        await PageChecks.GotoAsync(phone.Page, "/payouts");
        await Expect(phone.Page.Locator("#payouts-table")).ToContainTextAsync("19.95 NCR");
        await phone.ScreenshotAsync("payouts-2-withdrawn");
        (await PageChecks.HorizontalOverflowAsync(phone.Page)).ShouldBe(0);
        await PageChecks.GotoAsync(phone.Page, "/transactions");
        await phone.ScreenshotAsync("payouts-3-transactions");

        // Admin: the jobs page lists the auto-release job; the fee page shows the fee this sale paid.
        foreach (var viewport in new[] { Viewport.Desktop, Viewport.Phone })
        {
            await using var admin = await browser.NewSessionAsync(app, viewport);
            await AccountPages.SignInAsync(admin.Page, AppServerFixture.AdminEmail, AppServerFixture.AdminPassword);
            await PageChecks.GotoAsync(admin.Page, "/admin/jobs");
            await Expect(admin.Page.Locator("#jobs-table")).ToContainTextAsync("commerce.auto-release");
            await admin.ScreenshotAsync("payouts-admin-jobs");
            (await PageChecks.HorizontalOverflowAsync(admin.Page)).ShouldBe(0);
            await PageChecks.GotoAsync(admin.Page, "/admin/fees");
            await Expect(admin.Page.Locator("#chain-parameters")).ToContainTextAsync("0.25 %");
            await Expect(admin.Page.Locator("#fees-table")).ToContainTextAsync("0.05 NCR");
            await admin.ScreenshotAsync("payouts-admin-fees");
            (await PageChecks.HorizontalOverflowAsync(admin.Page)).ShouldBe(0);
        }
    }

    private static async Task LinkWalletAsync(IPage page)
    {
        await PageChecks.GotoAsync(page, "/Account/Manage/Wallets");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#wallet-signin")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#wallet-signin").ClickAsync();
        await Expect(page.Locator($"[data-wallet='{SellerWallet.Value}']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    /// <summary>On chain, as the wallets would: #9 lists, the moderator approves, the buyer buys and confirms.</summary>
    private async Task SellAsync(ChainContracts contracts, long priceTokens)
    {
        var price = TokenAmount.FromTokens(priceTokens).Units;
        var digest = new byte[32];
        Random.Shared.NextBytes(digest);
        var listed = await SendAsync(SellerWallet, contracts.DataMarketplace, new CreateListingFunction
        {
            ContentDigest = digest,
            Price = price,
            ReviewPeriod = 86_400,
            AccessType = 0,
            Tranches = 1,
        });
        var listingId = (long)listed.DecodeAllEvents<ListingCreatedEvent>().ShouldHaveSingleItem().Event.ListingId;
        await SendAsync(DevAccounts.Moderator.Address, contracts.DataMarketplace, new ApproveListingFunction { ListingId = listingId });
        await SendAsync(DevAccounts.Buyer.Address, contracts.NeuroCoin, new ApproveFunction { Spender = contracts.DataMarketplace.Value, Value = price });
        var bought = await SendAsync(DevAccounts.Buyer.Address, contracts.DataMarketplace, new PurchaseFunction { ListingId = listingId, MaxPrice = price });
        var escrowId = (long)bought.DecodeAllEvents<PurchasedEvent>().ShouldHaveSingleItem().Event.EscrowId;
        await SendAsync(DevAccounts.Buyer.Address, contracts.EscrowManager, new ConfirmFunction { EscrowId = escrowId });
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
}
