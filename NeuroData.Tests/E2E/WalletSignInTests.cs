using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NeuroData.Infrastructure.Chain;
using NeuroData.Tests.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// Sign-In with Ethereum in Chromium against the app's own dev chain, with an injected EIP-1193 provider that does
/// what MetaMask would: it shares one anvil dev account and forwards every other request (eth_chainId,
/// personal_sign ...) to anvil's JSON-RPC, where the dev accounts are unlocked. The forwarding runs in the test
/// process (an exposed function), so the page's CSP is untouched.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class WalletSignInTests(AppServerFixture app, BrowserFixture browser)
{
    [Fact]
    public async Task Signing_in_with_a_new_wallet_creates_an_account_and_shows_its_NCR_balance()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        await InjectWalletAsync(page, DevAccounts.Buyer);

        await PageChecks.GotoAsync(page, "/Account/Login");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#wallet-signin")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#wallet-signin").ClickAsync();

        // First sign-in with this wallet: a new account, then the profile page to complete it.
        await Expect(page).ToHaveURLAsync(ManageUrl(), new() { Timeout = 30_000 });
        await Expect(page.Locator("#status-message")).ToContainTextAsync("Your account was created with your wallet");
        await session.ScreenshotAsync("wallet-signin-1-new-account");

        // The app bar shows the connected wallet and its NCR balance, read by the server from the chain.
        await PageChecks.GotoAsync(page, "/dashboard");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#wallet-connect")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#wallet-connect").ClickAsync();
        await Expect(page.Locator("#wallet-address")).ToContainTextAsync(DevAccounts.Buyer.Address.Value[..6], new() { Timeout = 30_000 });
        await Expect(page.Locator("#wallet-network")).ToContainTextAsync("Local chain 31337");
        // Other tests spend from the shared demo buyer, so the expected balance is read from the chain, not assumed.
        var balance = (await app.TokenBalanceAsync(DevAccounts.Buyer.Address, TestContext.Current.CancellationToken)).ToString();
        balance.ShouldEndWith(" NCR");
        await Expect(page.Locator("#wallet-ncr")).ToHaveTextAsync(balance, new() { Timeout = 30_000 });
        await session.ScreenshotAsync("wallet-signin-2-balance");

        // Signed in: the transactions page (none yet), and the wallets page lists the wallet.
        await page.Locator("#wallet-transactions").ClickAsync();
        await Expect(page.Locator("#transactions-empty")).ToBeVisibleAsync();
        await PageChecks.GotoAsync(page, "/Account/Manage/Wallets");
        await Expect(page.Locator($"[data-wallet='{DevAccounts.Buyer.Address.Value}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-wallet='{DevAccounts.Buyer.Address.Value}'] .wallet-balance")).ToHaveTextAsync(balance);
    }

    [Fact]
    public async Task An_email_account_links_a_wallet_and_can_then_sign_in_with_it()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        await InjectWalletAsync(page, DevAccounts.Seller);
        var email = AccountPages.NewEmail("wallet-link");
        await AccountPages.RegisterAsync(page, email, AccountPages.StrongPassword);
        await AccountPages.ConfirmFromMailboxAsync(page, email);
        await AccountPages.SignInAsync(page, email, AccountPages.StrongPassword);

        await PageChecks.GotoAsync(page, "/Account/Manage/Wallets");
        await Expect(page.Locator("#wallets-empty")).ToBeVisibleAsync();
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#wallet-signin")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#wallet-signin").ClickAsync();

        await Expect(page.Locator("#status-message")).ToContainTextAsync("is linked to your account", new() { Timeout = 30_000 });
        await Expect(page.Locator($"[data-wallet='{DevAccounts.Seller.Address.Value}']")).ToBeVisibleAsync();
        await session.ScreenshotAsync("wallet-link-1-linked");

        // Sign out, then sign in with the wallet alone: the same (email) account.
        await page.Locator("#logout-submit").First.ClickAsync();
        await Expect(page.Locator("#logout-submit")).ToHaveCountAsync(0, new() { Timeout = 30_000 }); // the sign-out post has completed
        await PageChecks.GotoAsync(page, "/Account/Login");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#wallet-signin")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#wallet-signin").ClickAsync();
        await Expect(page).ToHaveURLAsync(DashboardUrl(), new() { Timeout = 30_000 });
        await PageChecks.GotoAsync(page, "/Account/Manage");
        await Expect(page.Locator("body")).ToContainTextAsync(email);
    }

    [Fact]
    public async Task The_dev_faucet_sends_NCR_and_ETH_to_a_typed_address_and_refuses_a_bad_one()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        var fresh = Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress();

        await PageChecks.GotoAsync(page, "/dev/faucet");
        await PageChecks.WaitForBlazorAsync(page);
        await page.Locator("#faucet-address").FillAsync("0x1234");
        await page.Locator("#faucet-address").BlurAsync();
        await page.Locator("#faucet-send").ClickAsync();
        await Expect(page.Locator("#faucet-error")).ToContainTextAsync("not an Ethereum address");

        await page.Locator("#faucet-address").FillAsync(fresh);
        await page.Locator("#faucet-address").BlurAsync();
        await page.Locator("#faucet-send").ClickAsync();

        await Expect(page.Locator("#faucet-done")).ToContainTextAsync("Balance now: 1000 NCR", new() { Timeout = 60_000 });
        await Expect(page.Locator(".faucet-step").Last).ToContainTextAsync("1000 NCR mined in block");
        await session.ScreenshotAsync("wallet-faucet-done");
    }

    [Fact]
    public async Task Refusing_to_switch_to_the_local_chain_explains_why_and_signs_nobody_in()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        await InjectWalletAsync(page, DevAccounts.Moderator, onOtherChainAndRefusesToSwitch: true);

        await PageChecks.GotoAsync(page, "/Account/Login");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#wallet-signin")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#wallet-signin").ClickAsync();

        await Expect(page.Locator("#wallet-signin-error")).ToHaveTextAsync("You rejected the request in your wallet.", new() { Timeout = 30_000 });
        await Expect(page).ToHaveURLAsync(LoginUrl());
        await Expect(page.Locator("#appbar-login")).ToBeVisibleAsync();
        await session.ScreenshotAsync("wallet-signin-refused-switch");
    }

    private Task InjectWalletAsync(IPage page, DevAccount account, bool onOtherChainAndRefusesToSwitch = false) =>
        InjectedWallet.InstallAsync(page, app, account.Address, onOtherChainAndRefusesToSwitch);

    [GeneratedRegex(@"/Account/Manage$")]
    private static partial Regex ManageUrl();

    [GeneratedRegex(@"/Account/Login$")]
    private static partial Regex LoginUrl();

    [GeneratedRegex(@"/dashboard$")]
    private static partial Regex DashboardUrl();
}
