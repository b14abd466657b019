using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Datasets.Listings;
using NeuroData.Infrastructure.Datasets.Moderation;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Persistence;
using NeuroData.Tests.Integration.Queries;

namespace NeuroData.Tests.Integration.Moderation;

/// <summary>
/// The seller lists on chain from their wallet (eth_sendTransaction from an anvil-impersonated account, as a wallet
/// sends it), the moderator approves or rejects with the platform's operator key, on a real anvil with the deployed
/// contracts, and the database (SQLite and PostgreSQL) follows.
/// </summary>
public sealed class ModerationChainTests(PostgresCluster cluster, TestDatabases databases, AnvilFixture anvil) : PersistenceTest(cluster, databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task SellerListsBothAccessTypes_ModeratorApproves_ListingsApprovedOnChain_AndDatasetLive(DbProvider provider)
    {
        await anvil.RequireChainAsync();
        var (listings, moderation) = Services(provider);
        var seed = await SeedPendingAsync(provider, DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly);
        var moderator = new ModerationActor(await SeedUserAsync(provider, "mod"), true);

        var download = await ListOnChainAsync(listings, seed, DatasetAccessTypes.Download);
        var blocked = await Should.ThrowAsync<DomainException>(() => moderation.ApproveAsync(moderator, seed.DatasetId, Ct));
        blocked.Message.ShouldContain("has not listed version 1 on chain yet (training-only access)");
        var training = await ListOnChainAsync(listings, seed, DatasetAccessTypes.TrainingOnly);

        download.Status.ShouldBe(DatasetListingStatus.Pending);
        download.Seller.ShouldBe(seed.Wallet);
        var onChain = await anvil.Gateway.GetListingAsync(download.ChainListingId, Ct);
        onChain!.ContentDigest.ShouldBe(ContentDigest.FromCid(seed.Cid));
        onChain.AccessType.ShouldBe(ChainAccessType.Download);
        onChain.Price.ShouldBe(TokenAmount.FromTokens(5));

        await moderation.ApproveAsync(moderator, seed.DatasetId, Ct);
        await moderation.ApproveAsync(moderator, seed.DatasetId, Ct); // a double click

        (await anvil.Gateway.GetListingAsync(download.ChainListingId, Ct))!.Status.ShouldBe(ChainListingStatus.Approved);
        (await anvil.Gateway.GetListingAsync(training.ChainListingId, Ct))!.Status.ShouldBe(ChainListingStatus.Approved);
        await using var db = await ContextAsync(provider);
        var dataset = await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == seed.DatasetId, Ct);
        dataset.Status.ShouldBe(DatasetStatus.Live);
        dataset.ModeratorId.ShouldBe(moderator.UserId);
        (await db.Set<DatasetListing>().AsNoTracking().Where(l => l.DatasetId == seed.DatasetId).ToListAsync(Ct))
            .ShouldAllBe(l => l.Status == DatasetListingStatus.Approved && l.ModerationTransactionHash != null);
        var log = await db.Set<ModerationLogEntry>().AsNoTracking().Where(e => e.DatasetId == seed.DatasetId).ToListAsync(Ct);
        log.ShouldHaveSingleItem("the second click changed nothing").Action.ShouldBe(ModerationAction.Approved);
        log[0].Detail.ShouldNotBeNull().ShouldContain($"approveListing({download.ChainListingId})");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Reject_WithAReason_RejectsTheListingOnChain_AndTheDatasetShowsTheReason(DbProvider provider)
    {
        await anvil.RequireChainAsync();
        var (listings, moderation) = Services(provider);
        var seed = await SeedPendingAsync(provider, DatasetAccessTypes.Download);
        var moderator = new ModerationActor(await SeedUserAsync(provider, "mod"), true);
        var listing = await ListOnChainAsync(listings, seed, DatasetAccessTypes.Download);

        var empty = await Should.ThrowAsync<DomainException>(() => moderation.RejectAsync(moderator, seed.DatasetId, "  ", Ct));
        empty.Message.ShouldContain("rejection reason");
        await moderation.RejectAsync(moderator, seed.DatasetId, "The file contains e-mail addresses of real people.", Ct);

        (await anvil.Gateway.GetListingAsync(listing.ChainListingId, Ct))!.Status.ShouldBe(ChainListingStatus.Rejected);
        await using var db = await ContextAsync(provider);
        var dataset = await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == seed.DatasetId, Ct);
        dataset.Status.ShouldBe(DatasetStatus.Rejected);
        dataset.ModerationReason.ShouldBe("The file contains e-mail addresses of real people.");
        var row = await db.Set<DatasetListing>().AsNoTracking().SingleAsync(l => l.Id == listing.Id, Ct);
        row.Status.ShouldBe(DatasetListingStatus.Rejected);
        row.StatusReason.ShouldBe("The file contains e-mail addresses of real people.");
        (await db.Set<ModerationLogEntry>().AsNoTracking().SingleAsync(e => e.DatasetId == seed.DatasetId, Ct)).Action.ShouldBe(ModerationAction.Rejected);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task AModerator_CannotApproveTheirOwnDataset_AndNothingChangesOnChain(DbProvider provider)
    {
        await anvil.RequireChainAsync();
        var (listings, moderation) = Services(provider);
        var seed = await SeedPendingAsync(provider, DatasetAccessTypes.Download);
        var listing = await ListOnChainAsync(listings, seed, DatasetAccessTypes.Download);
        var self = new ModerationActor(seed.Seller, true);

        var error = await Should.ThrowAsync<DomainException>(() => moderation.ApproveAsync(self, seed.DatasetId, Ct));
        var reject = await Should.ThrowAsync<DomainException>(() => moderation.RejectAsync(self, seed.DatasetId, "mine", Ct));

        error.Message.ShouldBe("A moderator cannot review their own dataset.");
        reject.Message.ShouldBe("A moderator cannot review their own dataset.");
        (await anvil.Gateway.GetListingAsync(listing.ChainListingId, Ct))!.Status.ShouldBe(ChainListingStatus.Pending);
        var view = await moderation.GetCaseAsync(self, seed.DatasetId, Ct);
        view!.IsOwnDataset.ShouldBeTrue();
        view.CanApprove.ShouldBeFalse();
        await using var db = await ContextAsync(provider);
        (await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == seed.DatasetId, Ct)).Status.ShouldBe(DatasetStatus.PendingReview);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task ANonModerator_IsRefused_ByEveryModerationCall(DbProvider provider)
    {
        var (_, moderation) = Services(provider);
        var seed = await SeedPendingAsync(provider, DatasetAccessTypes.Download);
        var member = new ModerationActor(await SeedUserAsync(provider, "member"), false);

        await Should.ThrowAsync<ModerationForbiddenException>(() => moderation.GetQueueAsync(member, Ct));
        await Should.ThrowAsync<ModerationForbiddenException>(() => moderation.GetCaseAsync(member, seed.DatasetId, Ct));
        await Should.ThrowAsync<ModerationForbiddenException>(() => moderation.ApproveAsync(member, seed.DatasetId, Ct));
        await Should.ThrowAsync<ModerationForbiddenException>(() => moderation.RejectAsync(member, seed.DatasetId, "no", Ct));
        await Should.ThrowAsync<ModerationForbiddenException>(() => moderation.FlagAsync(member, seed.DatasetId, "no", Ct));
        await using var db = await ContextAsync(provider);
        (await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == seed.DatasetId, Ct)).Status.ShouldBe(DatasetStatus.PendingReview);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Queue_ShowsThePendingDataset_WithItsListingStatus_AndApproveExplainsWhatIsMissing(DbProvider provider)
    {
        var (_, moderation) = Services(provider);
        var seed = await SeedPendingAsync(provider, DatasetAccessTypes.Download);
        var moderator = new ModerationActor(await SeedUserAsync(provider, "mod"), true);

        var queue = await moderation.GetQueueAsync(moderator, Ct);
        var view = await moderation.GetCaseAsync(moderator, seed.DatasetId, Ct);

        var item = queue.Where(q => q.DatasetId == seed.DatasetId).ShouldHaveSingleItem();
        item.Status.ShouldBe(DatasetStatus.PendingReview);
        item.Listings.ShouldBeEmpty();
        item.SizeBytes.ShouldBe(2048);
        view!.CanApprove.ShouldBeFalse();
        view.ApproveBlockedReason.ShouldNotBeNull().ShouldContain("has not listed version 1 on chain yet");
        view.PreviewRows[0][1].ShouldBe("'=HYPERLINK(\"http://evil\")", "formula cells are neutralised in the preview");
        view.Schema.Select(s => s.Name).ShouldBe(["city", "note"]);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task FlagFeatureAndDelist_AreRecorded_AndIdempotent(DbProvider provider)
    {
        await anvil.RequireChainAsync();
        var (listings, moderation) = Services(provider);
        var seed = await SeedPendingAsync(provider, DatasetAccessTypes.Download);
        var moderator = new ModerationActor(await SeedUserAsync(provider, "mod"), true);
        var listing = await ListOnChainAsync(listings, seed, DatasetAccessTypes.Download);
        await moderation.ApproveAsync(moderator, seed.DatasetId, Ct);

        await moderation.FlagAsync(moderator, seed.DatasetId, "Looks like scraped data", Ct);
        await moderation.FlagAsync(moderator, seed.DatasetId, "Looks like scraped data", Ct);
        await moderation.SetFeaturedAsync(moderator, seed.DatasetId, true, Ct);
        await moderation.SetFeaturedAsync(moderator, seed.DatasetId, true, Ct);
        await moderation.UnflagAsync(moderator, seed.DatasetId, Ct);
        await moderation.DelistAsync(moderator, seed.DatasetId, "Licence dispute", Ct);
        await moderation.DelistAsync(moderator, seed.DatasetId, "Licence dispute", Ct);

        (await anvil.Gateway.GetListingAsync(listing.ChainListingId, Ct))!.Status.ShouldBe(ChainListingStatus.Rejected, "a moderator takes an approved listing down with rejectListing");
        await using var db = await ContextAsync(provider);
        var dataset = await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == seed.DatasetId, Ct);
        dataset.Status.ShouldBe(DatasetStatus.Delisted);
        dataset.IsFeatured.ShouldBeFalse();
        dataset.IsFlagged.ShouldBeFalse();
        dataset.ModerationReason.ShouldBe("Licence dispute");
        var actions = await db.Set<ModerationLogEntry>().AsNoTracking().Where(e => e.DatasetId == seed.DatasetId).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync(Ct);
        actions.ShouldBe([ModerationAction.Approved, ModerationAction.Flagged, ModerationAction.Featured, ModerationAction.Unflagged, ModerationAction.Delisted]);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task ConfirmListing_FromAWalletNotLinkedToTheSeller_IsRefused(DbProvider provider)
    {
        await anvil.RequireChainAsync();
        var (listings, _) = Services(provider);
        var seed = await SeedPendingAsync(provider, DatasetAccessTypes.Download);
        var outsider = await FundedWalletAsync();
        var tx = await anvil.Builder.CreateListingAsync(outsider, ContentDigest.FromCid(seed.Cid), TokenAmount.FromTokens(5), TimeSpan.FromDays(3), ChainAccessType.Download, 1, Ct);
        var hash = await SendAsWalletAsync(tx);

        var error = await Should.ThrowAsync<DomainException>(() => listings.ConfirmCreateListingAsync(seed.Seller, seed.DatasetId, DatasetAccessTypes.Download, hash, Ct));
        var build = await Should.ThrowAsync<DomainException>(() => listings.BuildCreateListingAsync(seed.Seller, seed.DatasetId, DatasetAccessTypes.Download, outsider, Ct));

        error.Message.ShouldContain("is not linked to your account");
        build.Message.ShouldContain("is not linked to your account");
        await using var db = await ContextAsync(provider);
        (await db.Set<DatasetListing>().AnyAsync(l => l.DatasetId == seed.DatasetId, Ct)).ShouldBeFalse();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Seller_UpdatesThePriceAndWithdrawsTheListing_FromTheirWallet_AndTheRowsFollowTheContract(DbProvider provider)
    {
        await anvil.RequireChainAsync();
        var (listings, moderation) = Services(provider);
        var sellers = new SellerDatasetService(new ContextFactory(() => ContextAsync(provider)), Clock);
        var seed = await SeedPendingAsync(provider, DatasetAccessTypes.Download);
        var moderator = new ModerationActor(await SeedUserAsync(provider, "mod"), true);
        var listing = await ListOnChainAsync(listings, seed, DatasetAccessTypes.Download);
        await moderation.ApproveAsync(moderator, seed.DatasetId, Ct);

        await sellers.ChangePriceAsync(seed.Seller, seed.DatasetId, TokenAmount.FromTokens(9), Ct);
        await SendAsWalletAsync(await listings.BuildUpdatePriceAsync(seed.Seller, listing.Id, TokenAmount.FromTokens(9), Ct));
        var afterPrice = await listings.RefreshAsync(seed.DatasetId, Ct);
        await sellers.DelistAsync(seed.Seller, seed.DatasetId, "Superseded by a better dataset", Ct);
        await SendAsWalletAsync(await listings.BuildDelistAsync(seed.Seller, listing.Id, Ct));
        var afterDelist = await listings.RefreshAsync(seed.DatasetId, Ct);

        afterPrice.ShouldHaveSingleItem().Price.ShouldBe(TokenAmount.FromTokens(9));
        afterDelist.ShouldHaveSingleItem().Status.ShouldBe(DatasetListingStatus.Delisted);
        var onChain = await anvil.Gateway.GetListingAsync(listing.ChainListingId, Ct);
        onChain!.Status.ShouldBe(ChainListingStatus.Delisted);
        onChain.Price.ShouldBe(TokenAmount.FromTokens(9));
        var stranger = await SeedUserAsync(provider, "stranger");
        (await Should.ThrowAsync<DomainException>(() => listings.BuildDelistAsync(stranger, listing.Id, Ct))).Message.ShouldContain("not found among your listings");
        await using var db = await ContextAsync(provider);
        var dataset = await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == seed.DatasetId, Ct);
        dataset.Status.ShouldBe(DatasetStatus.Delisted);
        dataset.ModerationReason.ShouldBe("Superseded by a better dataset");
    }

    private static readonly string[][] PreviewRows = [["Berlin", "=HYPERLINK(\"http://evil\")"]];

    private sealed record Seed(Guid DatasetId, Guid Seller, EthAddress Wallet, Cid Cid);

    private (DatasetListingService Listings, ModerationService Moderation) Services(DbProvider provider)
    {
        var factory = new ContextFactory(() => ContextAsync(provider));
        var listings = new DatasetListingService(factory, anvil.Context, anvil.Gateway, anvil.Builder, Clock);
        var moderation = new ModerationService(factory, anvil.Operator, anvil.Gateway, Clock, NullLogger<ModerationService>.Instance);
        return (listings, moderation);
    }

    private async Task<Seed> SeedPendingAsync(DbProvider provider, DatasetAccessTypes access)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var wallet = TestData.RandomAddress();
        var cid = TestData.RandomCidV0();
        var dataset = new Dataset(seller, "Street trees", UniqueSlug("trees"), "Every street tree.", "CC-BY-4.0", null, TokenAmount.FromTokens(5), TimeSpan.FromDays(3), access, Now);
        var version = dataset.AddVersion(cid, 2048, DatasetFormat.Csv, TestData.Sha256Hex(7), [1, 2, 3], Now);
        version.SetPreview(JsonSerializer.Serialize(PreviewRows), 1);
        version.MarkReady(JsonSerializer.Serialize(new[] { new ColumnSchema("city", ColumnType.Text), new ColumnSchema("note", ColumnType.Text) }, JsonSerializerOptions.Web), "{}", 1);
        dataset.SubmitForReview(Now);
        var profile = new UserProfile(seller, "Tree seller", Now);
        profile.LinkWallet(wallet, Now);
        await using var db = await ContextAsync(provider);
        db.Datasets.Add(dataset);
        db.UserProfiles.Add(profile);
        await db.SaveChangesAsync(Ct);
        return new Seed(dataset.Id, seller, wallet, cid);
    }

    private async Task<DatasetListingView> ListOnChainAsync(DatasetListingService listings, Seed seed, DatasetAccessTypes access)
    {
        await FundAsync(seed.Wallet);
        var tx = await listings.BuildCreateListingAsync(seed.Seller, seed.DatasetId, access, seed.Wallet, Ct);
        var hash = await SendAsWalletAsync(tx);
        var confirmation = await listings.ConfirmCreateListingAsync(seed.Seller, seed.DatasetId, access, hash, Ct);
        var again = await listings.ConfirmCreateListingAsync(seed.Seller, seed.DatasetId, access, hash, Ct);
        again.Listing!.Id.ShouldBe(confirmation.Listing!.Id, "confirming the same transaction twice records one listing");
        return confirmation.Listing;
    }

    private async Task<EthAddress> FundedWalletAsync()
    {
        var wallet = TestData.RandomAddress();
        await FundAsync(wallet);
        return wallet;
    }

    /// <summary>Gives the address gas money and lets anvil sign for it (eth_sendTransaction, as the user's wallet would).</summary>
    private async Task FundAsync(EthAddress wallet)
    {
        await RpcAsync("anvil_setBalance", wallet.Value, "0x" + BigInteger.Pow(10, 19).ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0'));
        await RpcAsync("anvil_impersonateAccount", wallet.Value);
    }

    private async Task<TxHash> SendAsWalletAsync(UnsignedTransaction tx)
    {
        var outcome = await AnvilFixture.SendFromUnlockedAsync(anvil.Settings.RpcUrl, tx.ToEip1193(), Ct);
        outcome.Hash.ShouldNotBeNull($"the node refused the request: {outcome.ErrorMessage} {anvil.Decoder.Decode(outcome.ErrorData)?.Description}");
        var receipt = await AnvilFixture.WaitForReceiptAsync(anvil.Settings.RpcUrl, outcome.Hash, Ct);
        receipt.Status.Value.ShouldBe(BigInteger.One);
        return outcome.Hash;
    }

    private async Task RpcAsync(string method, params object[] parameters)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(anvil.Settings.RpcUrl, new { jsonrpc = "2.0", id = 1, method, @params = parameters }, Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        json.RootElement.TryGetProperty("error", out var error).ShouldBeFalse($"{method} failed: {error}");
    }
}
