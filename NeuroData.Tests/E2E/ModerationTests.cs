using System.Numerics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Nethereum.Contracts;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.E2E.Infrastructure;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Persistence;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// A moderator approves a pending dataset in Chromium: the seller's createListing transaction was sent from the dev
/// seller account (as their wallet would), the approval goes out with the app's operator key, the contract's listing
/// becomes Approved and the dataset goes live. Screenshots of the queue and the case at desktop and phone width.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class ModerationTests(AppServerFixture app, BrowserFixture browser)
{
    private static readonly string[][] PreviewRows = [["2026-01-01T00:00", "=1+1"], ["2026-01-01T00:01", "3.2"]];

    [Fact]
    public async Task Moderator_ApprovesAPendingDataset_ListingApprovedOnChain_AndDatasetLive()
    {
        var ct = TestContext.Current.CancellationToken;
        var marketplace = (await app.ContractsAsync(TestContext.Current.CancellationToken)).DataMarketplace;
        var (datasetId, listingId, title) = await SeedPendingListedDatasetAsync(marketplace, ct);

        string state;
        await using (var signIn = await browser.NewSessionAsync(app, Viewport.Desktop))
        {
            await AccountPages.SignInAsync(signIn.Page, AppServerFixture.AdminEmail, AppServerFixture.AdminPassword);
            state = await signIn.Context.StorageStateAsync();
        }

        foreach (var viewport in Viewport.All)
        {
            await using var queue = await browser.NewSessionAsync(app, viewport, state);
            await PageChecks.GotoAsync(queue.Page, "/moderation");
            await PageChecks.WaitForBlazorAsync(queue.Page);
            await Expect(queue.Page.Locator($"#queue-item-{datasetId}")).ToHaveTextAsync(title);
            (await PageChecks.HorizontalOverflowAsync(queue.Page)).ShouldBe(0, $"the queue scrolls sideways at {viewport}");
            await queue.ScreenshotAsync("moderation-queue");
        }

        await using (var desk = await browser.NewSessionAsync(app, Viewport.Desktop, state))
        {
            var page = desk.Page;
            await PageChecks.GotoAsync(page, "/moderation");
            await PageChecks.WaitForBlazorAsync(page);
            await page.Locator($"#queue-item-{datasetId}").ClickAsync();
            await Expect(page.Locator("#page-title")).ToHaveTextAsync(title);
            await PageChecks.WaitForBlazorAsync(page);
            await Expect(page.Locator("#case-preview")).ToContainTextAsync("'=1+1");
            await desk.ScreenshotAsync("moderation-case");

            await Expect(page.Locator("#approve-button")).ToBeEnabledAsync();
            await page.Locator("#approve-button").ClickAsync();
            await Expect(page.Locator("#case-done")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(page.Locator("#case-status")).ToHaveTextAsync("live");
            await desk.ScreenshotAsync("moderation-case-approved");
            desk.Errors.ShouldBeEmpty();
        }

        await using (var phone = await browser.NewSessionAsync(app, Viewport.Phone, state))
        {
            await PageChecks.GotoAsync(phone.Page, $"/moderation/{datasetId}");
            await PageChecks.WaitForBlazorAsync(phone.Page);
            await Expect(phone.Page.Locator("#case-status")).ToHaveTextAsync("live");
            (await PageChecks.HorizontalOverflowAsync(phone.Page)).ShouldBe(0, "the case page scrolls sideways on a phone");
            await phone.ScreenshotAsync("moderation-case-approved");
        }

        var web3 = new Nethereum.Web3.Web3(app.ChainRpcUrl);
        var listing = await web3.Eth.GetContractQueryHandler<GetListingFunction>()
            .QueryDeserializingToObjectAsync<GetListingOutput>(new GetListingFunction { ListingId = listingId }, marketplace.Value);
        listing.Listing.Status.ShouldBe((byte)2, "the contract's listing is Approved");
        await using var db = Context();
        (await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == datasetId, ct)).Status.ShouldBe(DatasetStatus.Live);
    }

    [Fact]
    public async Task Seller_SeesStatesReasonsAndActions_OnMyDatasets_OnDesktopAndPhone()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        Guid sellerId;
        var reviewer = Guid.CreateVersion7();
        var suffix = reviewer.ToString("N")[..6];
        await using (var db = Context())
        {
            var adminEmail = AppServerFixture.AdminEmail.ToUpperInvariant();
            sellerId = (await db.Users.AsNoTracking().SingleAsync(u => u.NormalizedEmail == adminEmail, ct)).Id;
            var email = $"e2e-reviewer-{suffix}@example.test";
            db.Users.Add(new ApplicationUser
            {
                Id = reviewer,
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = now,
            });
            await db.SaveChangesAsync(ct);
            Dataset New(string title)
            {
                var d = new Dataset(sellerId, title, "mine-" + Guid.NewGuid().ToString("N")[..10], "Rows.", "MIT", null, TokenAmount.FromTokens(3),
                    TimeSpan.FromDays(2), DatasetAccessTypes.Download, now);
                d.AddVersion(TestData.RandomCidV0(), 9_000, DatasetFormat.Csv, TestData.Sha256Hex(5), [1], now).MarkReady(null, null, 40);
                return d;
            }

            var draft = New("Draft tides " + suffix);
            var rejected = New("Rejected tides " + suffix);
            rejected.SubmitForReview(now);
            rejected.Reject(reviewer, "The licence does not allow resale.", now);
            var live = New("Live tides " + suffix);
            live.SubmitForReview(now);
            live.Approve(reviewer, now);
            db.Datasets.AddRange(draft, rejected, live);
            await db.SaveChangesAsync(ct);
        }

        string state;
        await using (var signIn = await browser.NewSessionAsync(app, Viewport.Desktop))
        {
            await AccountPages.SignInAsync(signIn.Page, AppServerFixture.AdminEmail, AppServerFixture.AdminPassword);
            state = await signIn.Context.StorageStateAsync();
        }

        foreach (var viewport in Viewport.All)
        {
            await using var session = await browser.NewSessionAsync(app, viewport, state);
            await PageChecks.GotoAsync(session.Page, "/datasets/mine");
            await PageChecks.WaitForBlazorAsync(session.Page);
            await Expect(session.Page.Locator("#page-title")).ToHaveTextAsync("My datasets");
            await Expect(session.Page.Locator("#my-datasets")).ToContainTextAsync("Rejected: The licence does not allow resale.");
            await Expect(session.Page.Locator(".dataset-status").First).ToBeVisibleAsync();
            (await PageChecks.HorizontalOverflowAsync(session.Page)).ShouldBe(0, $"My datasets scrolls sideways at {viewport}");
            await session.ScreenshotAsync("my-datasets");
            session.Errors.ShouldBeEmpty();
        }
    }

    private NeuroDataDbContext Context() =>
        new NeuroDataDbContextFactory(
            new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(app.DataDirectory, "neurodata.db")};Foreign Keys=True"),
            TimeProvider.System).CreateDbContext();

    private async Task<(Guid DatasetId, long ListingId, string Title)> SeedPendingListedDatasetAsync(EthAddress marketplace, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var sellerId = Guid.CreateVersion7();
        var email = $"e2e-seller-{sellerId:N}"[..30] + "@example.test";
        var title = "Harbour sensors " + sellerId.ToString("N")[..6];
        var cid = TestData.RandomCidV0();
        var dataset = new Dataset(sellerId, title, "harbour-" + sellerId.ToString("N")[..10], "Water levels every minute.", "CC-BY-4.0", null,
            TokenAmount.FromTokens(12), TimeSpan.FromDays(3), DatasetAccessTypes.Download, now);
        var version = dataset.AddVersion(cid, 52_431, DatasetFormat.Csv, TestData.Sha256Hex(42), [1, 2, 3], now);
        version.SetPreview(JsonSerializer.Serialize(PreviewRows), 2);
        version.MarkReady(JsonSerializer.Serialize(new[] { new ColumnSchema("time", ColumnType.DateTime), new ColumnSchema("level", ColumnType.Number) }, JsonSerializerOptions.Web), "{}", 2);
        dataset.SubmitForReview(now);

        // The seller's wallet (dev account 1, unlocked in anvil) sends createListing exactly as MetaMask would.
        var seller = DevAccounts.Seller.Address;
        var tx = TransactionRequestBuilder.Build(seller, marketplace, new CreateListingFunction
        {
            ContentDigest = NeuroData.Infrastructure.Datasets.Listings.ContentDigest.FromCid(cid),
            Price = TokenAmount.FromTokens(12).Units,
            ReviewPeriod = (long)TimeSpan.FromDays(3).TotalSeconds,
            AccessType = 0,
            Tranches = 1,
        });
        var sent = await AnvilFixture.SendFromUnlockedAsync(app.ChainRpcUrl, tx.ToEip1193(), ct);
        sent.Hash.ShouldNotBeNull($"createListing refused: {sent.ErrorMessage}");
        var receipt = await AnvilFixture.WaitForReceiptAsync(app.ChainRpcUrl, sent.Hash, ct);
        receipt.Status.Value.ShouldBe(BigInteger.One);
        var listingId = (long)receipt.DecodeAllEvents<ListingCreatedEvent>().ShouldHaveSingleItem().Event.ListingId;

        await using var db = Context();
        db.Users.Add(new ApplicationUser
        {
            Id = sellerId,
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = true,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = now,
        });
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(ct);
        db.Add(new DatasetListing(dataset.Id, version.Id, DatasetAccessTypes.Download, listingId, seller, sent.Hash, TokenAmount.FromTokens(12), now));
        await db.SaveChangesAsync(ct);
        return (dataset.Id, listingId, title);
    }
}
