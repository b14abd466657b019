using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Infrastructure.Datasets.Downloads;
using NeuroData.Infrastructure.Datasets.Listings;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Downloads;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Web;

namespace NeuroData.Tests.Integration.Commerce.Purchases;

/// <summary>
/// Who may download and train, through the real download endpoint and the entitlement service, on SQLite and
/// PostgreSQL: every id in the URL (dataset id, version number) and every kind of purchase (other buyer's, other
/// version, training-only, refunded, pending) is tried.
/// </summary>
public sealed class EntitlementTests(PostgresCluster cluster, DownloadFactories factories) : IClassFixture<DownloadFactories>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Only_the_buyer_of_a_version_with_download_access_downloads_it_through_any_id(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var seed = await SeedAsync(app);
        var buyer = await app.SeedUserAsync("buyer", Ct);
        var trainer = await app.SeedUserAsync("trainer", Ct);
        var refunded = await app.SeedUserAsync("refunded", Ct);
        var pending = await app.SeedUserAsync("pending", Ct);
        var stranger = await app.SeedUserAsync("stranger", Ct);
        await using (var db = await app.ContextAsync(Ct))
        {
            var dataset = await db.Datasets.Include(d => d.Versions).SingleAsync(d => d.Id == seed.DatasetId, Ct);
            var v1 = dataset.Versions.Single(v => v.VersionNumber == 1);
            db.Purchases.Add(Confirmed(dataset, v1, buyer, DatasetAccessTypes.Download));
            db.Purchases.Add(Confirmed(dataset, v1, trainer, DatasetAccessTypes.TrainingOnly));
            var back = Confirmed(dataset, v1, refunded, DatasetAccessTypes.Download);
            back.FollowChain(back.OnChainEscrowId!.Value, PurchaseStatus.Refunded, DateTimeOffset.UtcNow);
            db.Purchases.Add(back);
            db.Purchases.Add(Purchase.Start(dataset, v1, pending, DatasetAccessTypes.Download, 25, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync(Ct);
        }

        var v1Url = DatasetDownloadService.Url(seed.DatasetId, 1);
        var v2Url = DatasetDownloadService.Url(seed.DatasetId, 2);
        (await StatusAsync(app, v1Url, buyer)).ShouldBe(HttpStatusCode.OK);
        (await StatusAsync(app, v2Url, buyer)).ShouldBe(HttpStatusCode.Forbidden, "the buyer bought version 1, not version 2");
        (await StatusAsync(app, DatasetDownloadService.Url(seed.OtherDatasetId, 1), buyer)).ShouldBe(HttpStatusCode.Forbidden, "a purchase of one dataset opens no other");
        (await StatusAsync(app, v1Url, trainer)).ShouldBe(HttpStatusCode.Forbidden, "training-only never downloads");
        (await StatusAsync(app, v1Url, refunded)).ShouldBe(HttpStatusCode.Forbidden, "a refunded purchase grants nothing");
        (await StatusAsync(app, v1Url, pending)).ShouldBe(HttpStatusCode.Forbidden, "a purchase not yet indexed grants nothing");
        (await StatusAsync(app, v1Url, stranger)).ShouldBe(HttpStatusCode.Forbidden);
        (await StatusAsync(app, v1Url, seed.Seller)).ShouldBe(HttpStatusCode.OK);

        var downloads = app.Services.GetRequiredService<DatasetDownloadService>();
        (await downloads.GetOfferAsync(buyer, false, seed.DatasetId, Ct)).ShouldNotBeNull().VersionNumber.ShouldBe(1, "the buyer is offered the version bought, not the latest");
        (await downloads.GetOfferAsync(trainer, false, seed.DatasetId, Ct)).ShouldBeNull();
        (await downloads.GetOfferAsync(seed.Seller, false, seed.DatasetId, Ct)).ShouldNotBeNull().VersionNumber.ShouldBe(2);

        var entitlements = app.Services.GetRequiredService<EntitlementService>();
        (await entitlements.CanTrainAsync(trainer, false, seed.DatasetId, seed.V1, Ct)).ShouldBeTrue("training access comes with the indexed purchase");
        (await entitlements.CanTrainAsync(buyer, false, seed.DatasetId, seed.V1, Ct)).ShouldBeTrue("a download purchase may train too");
        (await entitlements.CanTrainAsync(buyer, false, seed.DatasetId, seed.V2, Ct)).ShouldBeFalse();
        (await entitlements.CanTrainAsync(refunded, false, seed.DatasetId, seed.V1, Ct)).ShouldBeFalse();
        (await entitlements.CanTrainAsync(pending, false, seed.DatasetId, seed.V1, Ct)).ShouldBeFalse();
        (await entitlements.CanTrainAsync(stranger, false, seed.DatasetId, seed.V1, Ct)).ShouldBeFalse();
        (await entitlements.CanTrainAsync(stranger, true, seed.DatasetId, seed.V1, Ct)).ShouldBeTrue("admins");

        await using var check = await app.ContextAsync(Ct);
        (await check.DatasetAccesses.CountAsync(a => a.UserId == trainer || a.UserId == refunded || a.UserId == pending || a.UserId == stranger, Ct))
            .ShouldBe(0, "a refused request logs no access");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task The_data_key_waits_for_the_confirmation_depth_and_a_digest_mismatch_is_a_delivery_problem(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var seed = await SeedAsync(app);
        var buyer = await app.SeedUserAsync("buyer", Ct);
        var escrowId = Random.Shared.NextInt64(1_000_000, long.MaxValue / 2);
        var listingId = Random.Shared.NextInt64(1_000_000, long.MaxValue / 2);
        var chainId = new ChainId(Random.Shared.Next(100_000, int.MaxValue));
        await using (var db = await app.ContextAsync(Ct))
        {
            var dataset = await db.Datasets.Include(d => d.Versions).SingleAsync(d => d.Id == seed.DatasetId, Ct);
            var v1 = dataset.Versions.Single(v => v.VersionNumber == 1);
            var purchase = Purchase.Start(dataset, v1, buyer, DatasetAccessTypes.Download, 25, DateTimeOffset.UtcNow);
            purchase.FollowChain(escrowId, PurchaseStatus.Confirmed, DateTimeOffset.UtcNow);
            db.Purchases.Add(purchase);
            db.Set<MirrorListing>().Add(new MirrorListing
            {
                ChainId = chainId, ListingId = listingId, Seller = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
                ContentDigest = ContentDigest.ToHex(ContentDigest.FromCid(v1.Cid)), Price = dataset.Price, ReviewPeriodSeconds = 86_400,
                Status = MirrorListingStatus.Approved, Tranches = 1,
            });
            db.Set<MirrorEscrow>().Add(new MirrorEscrow
            {
                ChainId = chainId, EscrowId = escrowId, ListingId = listingId, Buyer = EthAddress.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
                Seller = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), Amount = dataset.Price, FeeBps = 25, Tranches = 1,
                Released = TokenAmount.Zero, Deadline = DateTimeOffset.UtcNow.AddDays(1), State = MirrorEscrowState.Funded,
                OpenedTx = TxHash.Parse("0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))), OpenedBlock = 100, UpdatedBlock = 100,
            });
            db.Set<IndexerCursor>().Add(new IndexerCursor { ChainId = chainId, LastBlock = 100, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        var factory = app.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>();
        var deep = new EntitlementService(factory, new CommerceSettings { DownloadConfirmations = 3 });
        Guid purchaseId;
        await using (var db = await app.ContextAsync(Ct))
        {
            purchaseId = await db.Purchases.Where(p => p.BuyerId == buyer).Select(p => p.Id).SingleAsync(Ct);
        }

        (await Should.ThrowAsync<DomainException>(() => deep.ClaimNotDeliveredAsync(buyer, purchaseId, Ct)))
            .Message.ShouldContain("can deliver this purchase", customMessage: "no refund claim while the files match the listing");

        var waiting = await deep.GetAsync(buyer, false, seed.DatasetId, seed.V1, Ct);
        waiting.CanTrain.ShouldBeTrue("training does not wait for confirmations");
        waiting.CanDownload.ShouldBeFalse();
        waiting.ConfirmationsMissing.ShouldBe(2, "the escrow's block is 1 confirmation of 3");
        waiting.Reason.ShouldContain("2 more block confirmations");

        await SetCursorAsync(app, chainId, 102);
        (await deep.GetAsync(buyer, false, seed.DatasetId, seed.V1, Ct)).CanDownload.ShouldBeTrue();

        await using (var db = await app.ContextAsync(Ct))
        {
            var listing = await db.Set<MirrorListing>().SingleAsync(l => l.ChainId == chainId, Ct);
            listing.ContentDigest = "0x" + new string('7', 64);
            await db.SaveChangesAsync(Ct);
        }

        var mismatch = await deep.GetAsync(buyer, false, seed.DatasetId, seed.V1, Ct);
        mismatch.CanDownload.ShouldBeFalse();
        mismatch.CanTrain.ShouldBeTrue();
        mismatch.DeliveryProblem.ShouldNotBeNull().ShouldContain("not the ones the seller listed");

        (await Should.ThrowAsync<DomainException>(() => deep.ClaimNotDeliveredAsync(Guid.NewGuid(), purchaseId, Ct))).Message.ShouldBe("No such purchase.", "only the buyer claims");
        var claim = await deep.ClaimNotDeliveredAsync(buyer, purchaseId, Ct);
        claim.ClaimedAt.ShouldNotBeNull();
        claim.EscrowId.ShouldBe(escrowId);
        // PostgreSQL keeps microseconds, .NET ticks are 100 ns: the stored moment is the claim's, to the microsecond.
        (await deep.DeliveryIssuesAsync(buyer, seed.DatasetId, Ct)).ShouldHaveSingleItem().ClaimedAt!.Value.ShouldBe(claim.ClaimedAt.Value, TimeSpan.FromMicroseconds(1));
        await using (var db = await app.ContextAsync(Ct))
        {
            var claimed = await db.Purchases.SingleAsync(p => p.Id == purchaseId, Ct);
            claimed.DeliveryClaimedAt.ShouldNotBeNull();
            claimed.DeliveryClaim.ShouldNotBeNull().ShouldContain("not the ones the seller listed");
        }
    }

    private static async Task SetCursorAsync(DownloadWebFactory app, ChainId chainId, long block)
    {
        await using var db = await app.ContextAsync(Ct);
        (await db.Set<IndexerCursor>().SingleAsync(c => c.ChainId == chainId, Ct)).LastBlock = block;
        await db.SaveChangesAsync(Ct);
    }

    private static Purchase Confirmed(Dataset dataset, DatasetVersion version, Guid buyer, DatasetAccessTypes access)
    {
        var purchase = Purchase.Start(dataset, version, buyer, access, 25, DateTimeOffset.UtcNow);
        purchase.FollowChain(Random.Shared.NextInt64(1_000_000, long.MaxValue / 2), PurchaseStatus.Confirmed, DateTimeOffset.UtcNow);
        return purchase;
    }

    private sealed record Seed(Guid DatasetId, Guid OtherDatasetId, Guid Seller, Guid V1, Guid V2);

    private static async Task<Seed> SeedAsync(DownloadWebFactory app)
    {
        var seller = await app.SeedUserAsync("seller", Ct);
        var moderator = await app.SeedUserAsync("moderator", Ct);
        var first = await DatasetAsync(app, seller, moderator, versions: 2);
        var other = await DatasetAsync(app, seller, moderator, versions: 1);
        return new Seed(first.Id, other.Id, seller, first.Versions.Single(v => v.VersionNumber == 1).Id, first.Versions.Single(v => v.VersionNumber == 2).Id);
    }

    private static async Task<Dataset> DatasetAsync(DownloadWebFactory app, Guid seller, Guid moderator, int versions)
    {
        var now = DateTimeOffset.UtcNow;
        var slug = "ent-" + Guid.NewGuid().ToString("N")[..10];
        var dataset = new Dataset(seller, "Entitled", slug, "Rows.", "MIT", null, TokenAmount.FromTokens(5), TimeSpan.FromDays(3),
            DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly, now);
        for (var i = 0; i < versions; i++)
        {
            var stored = await app.Storage.StoreAsync(new MemoryStream(RandomNumberGenerator.GetBytes(5_000)), Ct);
            var version = dataset.AddVersion(stored.Cid, stored.SizeBytes, DatasetFormat.Csv, stored.Sha256Hex, stored.WrappedKey, now);
            version.AttachStorage(stored.StorageCid, null, null);
            version.MarkReady(null, null, 10);
        }

        dataset.SubmitForReview(now);
        dataset.Approve(moderator, now);
        await using var db = await app.ContextAsync(Ct);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Ct);
        return dataset;
    }

    private static async Task<HttpStatusCode> StatusAsync(DownloadWebFactory app, string url, Guid user)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(TestAuthHandler.Header, TestAuthHandler.HeaderValue(user, $"{user:N}@example.test", []));
        using var response = await client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
