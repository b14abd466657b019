using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Seeding;
using NeuroData.Tests.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// A buyer pays for a demo dataset from an injected wallet (anvil #7) with a permit signature, sees the stepper reach
/// "confirmed", downloads the file, and finds the purchase under My purchases; screenshots at desktop and phone width.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class PurchaseTests(AppServerFixture app, BrowserFixture browser)
{
    /// <summary>Anvil's well-known account #7 (reserved for this test's wallet).</summary>
    private static readonly EthAddress Buyer = EthAddress.Parse("0x14dC79964da2C08b23698B3D3cc7Ca32193d9955");

    [Fact]
    public async Task A_buyer_buys_with_a_permit_sees_the_stepper_confirm_downloads_and_finds_it_under_my_purchases()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        await InjectedWallet.InstallAsync(page, app, Buyer);

        // NCR for the buyer from the dev faucet.
        await PageChecks.GotoAsync(page, "/dev/faucet");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#faucet-send")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#faucet-address").FillAsync(Buyer.Value);
        await page.Locator("#faucet-address").BlurAsync();
        await Expect(page.Locator("#faucet-address")).ToHaveValueAsync(Buyer.Value);
        await page.Locator("#faucet-send").ClickAsync();
        await Expect(page.Locator("#faucet-done")).ToContainTextAsync("NCR", new() { Timeout = 60_000 });

        // Sign in with the wallet (a new account with the wallet linked).
        await PageChecks.GotoAsync(page, "/Account/Login");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#wallet-signin")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#wallet-signin").ClickAsync();
        await Expect(page).ToHaveURLAsync(ManageUrl(), new() { Timeout = 30_000 });

        // The demo seeder lists and approves its datasets in the background: wait for the purchase panel to offer one.
        var demo = DemoDatasets.All[0];
        var slug = Slug.From(demo.Title);
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            await PageChecks.GotoAsync(page, "/datasets/" + slug);
            await PageChecks.WaitForBlazorAsync(page);
            try
            {
                await Expect(page.Locator("#purchase-panel #purchase-total")).ToBeVisibleAsync(new() { Timeout = 15_000 });
                break;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                // not listed yet
            }
        }

        await Expect(page.Locator("#dataset-actions #purchase-panel")).ToBeVisibleAsync();
        await Expect(page.Locator("#download-button")).ToHaveCountAsync(0);
        await Expect(page.Locator("#purchase-fee")).ToContainTextAsync("NCR");
        await Expect(page.Locator("#purchase-connect")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await page.Locator("#purchase-connect").ClickAsync();
        await Expect(page.Locator("#purchase-balance")).ToContainTextAsync("NCR", new() { Timeout = 30_000 });
        await Expect(page.Locator("#buy-button")).ToBeEnabledAsync(new() { Timeout = 30_000 });
        (await PageChecks.HorizontalOverflowAsync(page)).ShouldBe(0, string.Join(", ", await PageChecks.OverflowingElementsAsync(page)));
        await session.ScreenshotAsync("purchase-1-panel");

        await page.Locator("#buy-button").ClickAsync();
        await Expect(page.Locator("#purchase-stepper")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#purchase-stepper")).ToHaveAttributeAsync("data-step", "confirmed", new() { Timeout = 120_000 });
        await Expect(page.Locator("#purchase-status")).ToContainTextAsync("Purchase confirmed");
        await Expect(page.Locator("#purchase-error")).ToHaveCountAsync(0);
        await Expect(page.Locator("#purchase-owned")).ToBeVisibleAsync();
        await Expect(page.Locator("#buy-button")).ToHaveCountAsync(0, new() { Timeout = 5_000 });
        await session.ScreenshotAsync("purchase-2-confirmed");

        // The download opens at once on the dev chain (0 confirmations) and is the file the CID names.
        await Expect(page.Locator("#download-button")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-button").ClickAsync());
        var path = await download.PathAsync();
        new FileInfo(path).Length.ShouldBeGreaterThan(100);

        await PageChecks.GotoAsync(page, "/purchases");
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#purchases-table")).ToContainTextAsync(demo.Title);
        await Expect(page.Locator("#purchases-table .purchase-state").First).ToHaveTextAsync("In escrow");
        await Expect(page.Locator("#purchases-table .escrow-link").First).ToHaveAttributeAsync("href", EscrowUrl());
        await session.ScreenshotAsync("purchase-3-my-purchases");

        await page.SetViewportSizeAsync(Viewport.Phone.Width, Viewport.Phone.Height);
        await page.ReloadAsync();
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#purchases-table")).ToContainTextAsync(demo.Title);
        (await PageChecks.HorizontalOverflowAsync(page)).ShouldBe(0, string.Join(", ", await PageChecks.OverflowingElementsAsync(page)));
        await Screenshots.SaveAsync(page, "purchase-3-my-purchases", Viewport.Phone);
        await PageChecks.GotoAsync(page, "/datasets/" + slug);
        await PageChecks.WaitForBlazorAsync(page);
        await Expect(page.Locator("#purchase-panel")).ToBeVisibleAsync();
        (await PageChecks.HorizontalOverflowAsync(page)).ShouldBe(0, string.Join(", ", await PageChecks.OverflowingElementsAsync(page)));
        await Screenshots.SaveAsync(page, "purchase-1-panel", Viewport.Phone);
        await page.Locator("#purchase-panel").ScreenshotAsync(new() { Path = Path.Combine(Screenshots.Directory, "purchase-panel-only-phone.png") });
    }

    [GeneratedRegex(@"/Account/Manage$")]
    private static partial Regex ManageUrl();

    [GeneratedRegex(@"^/escrows/\d+$")]
    private static partial Regex EscrowUrl();
}
