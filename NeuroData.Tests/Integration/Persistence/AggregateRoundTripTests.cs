using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Domain.Users;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Persistence;

/// <summary>Every aggregate is written through one context and read back, complete, through another.</summary>
public sealed class AggregateRoundTripTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task UserProfile_WithWallets_ApiKeyAndActivity_RoundTrip(DbProvider provider)
    {
        var userId = await SeedUserAsync(provider);
        var wallet1 = TestData.RandomAddress();
        var wallet2 = TestData.RandomAddress();
        string plainKey;
        Guid keyId;
        await using (var db = await ContextAsync(provider))
        {
            var profile = new UserProfile(userId, "Ada", Now);
            profile.UpdateProfile("Ada L.", "Likes *data*.", "https://example.test/a.png");
            profile.LinkWallet(wallet1, Now);
            profile.LinkWallet(wallet2, Now.AddMinutes(1));
            profile.RecordSale();
            profile.RecordPurchase();
            profile.AdjustReputation(7);
            db.UserProfiles.Add(profile);
            var key = ApiKey.Issue(userId, "CI key", ApiKeyScopes.ReadDatasets | ApiKeyScopes.Train, Now, Now.AddDays(30), out plainKey);
            keyId = key.Id;
            db.ApiKeys.Add(key);
            db.UserActivities.Add(new UserActivity(userId, UserActivityKind.SignedIn, Now, "203.0.113.7", "Mozilla/5.0", "password"));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = await ContextAsync(provider))
        {
            var profile = await db.UserProfiles.Include(p => p.Wallets).SingleAsync(p => p.Id == userId, Ct);
            profile.DisplayName.ShouldBe("Ada L.");
            profile.Bio.ShouldBe("Likes *data*.");
            profile.AvatarUrl.ShouldBe("https://example.test/a.png");
            profile.Reputation.ShouldBe(7);
            profile.DatasetsSold.ShouldBe(1);
            profile.DatasetsBought.ShouldBe(1);
            profile.Wallets.Select(w => w.Address).ShouldBe([wallet1, wallet2], ignoreOrder: true);
            profile.PrimaryWallet.ShouldBe(wallet1);
            profile.CreatedAt.ShouldBe(Now);

            var key = await db.ApiKeys.SingleAsync(k => k.Id == keyId, Ct);
            key.Verify(plainKey, Now).ShouldBeTrue();
            key.Verify(plainKey + "x", Now).ShouldBeFalse();
            key.Scopes.ShouldBe(ApiKeyScopes.ReadDatasets | ApiKeyScopes.Train);
            key.ExpiresAt.ShouldBe(Now.AddDays(30));
            key.Hash.Length.ShouldBe(32);

            var activity = await db.UserActivities.SingleAsync(a => a.UserId == userId, Ct);
            activity.Kind.ShouldBe(UserActivityKind.SignedIn);
            activity.IpAddress.ShouldBe("203.0.113.7");
            activity.At.ShouldBe(Now);
        }

        // Aggregate changes through a fresh context: unlink a wallet, the child row goes.
        await using (var db = await ContextAsync(provider))
        {
            var profile = await db.UserProfiles.Include(p => p.Wallets).SingleAsync(p => p.Id == userId, Ct);
            profile.UnlinkWallet(wallet1);
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = await ContextAsync(provider))
        {
            (await db.WalletLinks.Where(w => w.UserId == userId).Select(w => w.Address).ToListAsync(Ct)).ShouldBe([wallet2]);
            (await db.WalletLinks.SingleAsync(w => w.UserId == userId, Ct)).IsPrimary.ShouldBeTrue();
        }
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Dataset_WithVersionsTagsCategory_AndEngagement_RoundTrip(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var buyer = await SeedUserAsync(provider, "buyer");
        var slug = UniqueSlug("weather");
        Guid datasetId;
        await using (var db = await ContextAsync(provider))
        {
            var parent = new Category("Science", UniqueSlug("science"), "All sciences", null);
            var child = new Category("Climate", UniqueSlug("climate"), null, parent.Id);
            var tag1 = new Tag("weather " + Guid.NewGuid().ToString("N")[..6]);
            var tag2 = new Tag("time series " + Guid.NewGuid().ToString("N")[..6]);
            db.AddRange(parent, child, tag1, tag2);

            var d = new Dataset(seller, "Berlin weather", slug, "Hourly.", "CC-BY-4.0", child.Id, TokenAmount.ParseTokens("12.5"),
                TimeSpan.FromDays(3), DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly, Now);
            d.SetTags([tag1, tag2]);
            var v1 = d.AddVersion(TestData.CidV0, 12_345, DatasetFormat.Csv, TestData.Sha256Hex(1), [9, 8, 7], Now);
            v1.MarkReady("{\"columns\":[\"t\"]}", "{\"rows\":2}", 2);
            var v2 = d.AddVersion(TestData.CidV1, 99, DatasetFormat.Parquet, TestData.Sha256Hex(2), [1], Now);
            v2.MarkFailed("Unreadable footer.");
            d.SubmitForReview(Now);
            d.Approve(moderator, Now);
            d.AttachOnChainListing(42);
            datasetId = d.Id;
            db.Datasets.Add(d);
            db.DatasetReviews.Add(new DatasetReview(d.Id, buyer, 4, "Clean data.", Now));
            db.Favorites.Add(new Favorite(buyer, d.Id, Now));
            db.DatasetAccesses.Add(new DatasetAccess(buyer, d.Id, v1.Id, DatasetAccessKind.Download, Now, "198.51.100.1"));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = await ContextAsync(provider))
        {
            var d = await db.Datasets.Include(x => x.Versions).Include(x => x.Tags).AsSplitQuery().SingleAsync(x => x.Id == datasetId, Ct);
            d.Slug.ShouldBe(slug);
            d.Status.ShouldBe(DatasetStatus.Live);
            d.ModeratorId.ShouldBe(moderator);
            d.PublishedAt.ShouldBe(Now);
            d.Price.ShouldBe(TokenAmount.ParseTokens("12.5"));
            d.ReviewPeriod.ShouldBe(TimeSpan.FromDays(3));
            d.AccessTypes.ShouldBe(DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly);
            d.OnChainListingId.ShouldBe(42);
            d.Tags.Count.ShouldBe(2);
            d.Versions.Count.ShouldBe(2);
            var v1 = d.Versions.Single(v => v.VersionNumber == 1);
            v1.Cid.ShouldBe(TestData.CidV0);
            v1.Status.ShouldBe(DatasetVersionStatus.Ready);
            v1.WrappedKey.ShouldBe(new byte[] { 9, 8, 7 });
            v1.SchemaJson.ShouldBe("{\"columns\":[\"t\"]}");
            v1.RowCount.ShouldBe(2);
            v1.ContentSha256.ShouldBe(TestData.Sha256Hex(1));
            var v2 = d.Versions.Single(v => v.VersionNumber == 2);
            v2.Cid.ShouldBe(TestData.CidV1);
            v2.Format.ShouldBe(DatasetFormat.Parquet);
            v2.FailureReason.ShouldBe("Unreadable footer.");
            d.LatestReadyVersion!.Id.ShouldBe(v1.Id);

            var category = await db.Categories.SingleAsync(c => c.Id == d.CategoryId, Ct);
            category.ParentId.ShouldNotBeNull();
            (await db.DatasetReviews.SingleAsync(r => r.DatasetId == datasetId, Ct)).Rating.ShouldBe(4);
            (await db.Favorites.CountAsync(f => f.DatasetId == datasetId && f.UserId == buyer, Ct)).ShouldBe(1);
            var access = await db.DatasetAccesses.SingleAsync(a => a.DatasetId == datasetId, Ct);
            access.Kind.ShouldBe(DatasetAccessKind.Download);
            access.VersionId.ShouldBe(v1.Id);
        }
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Dataset_ChangedLater_GetsUpdatedAtFromTheClock(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var d = TestData.NewDataset(seller, UniqueSlug("audit"), Now);
        await using (var db = await ContextAsync(provider))
        {
            db.Datasets.Add(d);
            await db.SaveChangesAsync(Ct);
        }

        var later = Now.AddHours(2);
        await using (var db = await ContextAsync(provider))
        {
            var loaded = await db.Datasets.SingleAsync(x => x.Id == d.Id, Ct);
            Clock.Advance(TimeSpan.FromHours(2));
            loaded.ChangePrice(TokenAmount.FromTokens(9));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = await ContextAsync(provider))
        {
            var loaded = await db.Datasets.AsNoTracking().SingleAsync(x => x.Id == d.Id, Ct);
            loaded.CreatedAt.ShouldBe(d.CreatedAt);
            loaded.UpdatedAt.ShouldBe(later);
            loaded.UpdatedAt.ShouldBeGreaterThan(loaded.CreatedAt);

            // DateTimeOffset ordering and comparison translate on both providers.
            var newest = await db.Datasets.AsNoTracking().Where(x => x.SellerId == seller && x.UpdatedAt > d.CreatedAt).OrderByDescending(x => x.UpdatedAt).Select(x => x.Id).ToListAsync(Ct);
            newest.ShouldBe([d.Id]);
        }
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Purchase_Escrow_Dispute_And_Settlements_RoundTrip(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var buyer = await SeedUserAsync(provider, "buyer");
        var arbitrator = await SeedUserAsync(provider, "arbitrator");
        var buyerWallet = TestData.RandomAddress();
        var sellerWallet = TestData.RandomAddress();
        var purchaseTx = TestData.RandomTx();
        var evidence = TestData.RandomCidV0();
        Guid purchaseId, escrowId, disputeId;

        await using (var db = await ContextAsync(provider))
        {
            var dataset = TestData.LiveDataset(seller, moderator, UniqueSlug("escrowed"), Now);
            db.Datasets.Add(dataset);
            var version = dataset.LatestReadyVersion!;

            var tx = new ChainTransaction(TestData.Chain, purchaseTx, buyerWallet, TestData.RandomAddress(), ChainTransactionPurpose.Purchase, buyer, Now);
            tx.Confirm(1234, Now.AddSeconds(12));
            db.ChainTransactions.Add(tx);

            var purchase = Purchase.Start(dataset, version, buyer, DatasetAccessTypes.Download, 25, Now);
            purchase.AttachTransaction(tx.Id);
            purchase.Confirm(onChainPurchaseId: 7, onChainEscrowId: 7, Now.AddSeconds(12));
            purchaseId = purchase.Id;
            db.Purchases.Add(purchase);

            var escrow = new Escrow(TestData.Chain, 7, purchase.Id, buyerWallet, sellerWallet, purchase.Price - purchase.Fee, purchase.Fee,
                Now.AddDays(3), Now, [TokenAmount.FromTokens(2), purchase.Price - purchase.Fee - TokenAmount.FromTokens(2)]);
            escrowId = escrow.Id;
            db.Escrows.Add(escrow);

            var dispute = Dispute.Open(escrow, buyer, buyer, seller, "The file has half the rows promised.", TokenAmount.FromTokens(1), DisputeMode.Arbitrator, Now.AddHours(1));
            dispute.AddEvidence(evidence, buyer, "Row count screenshot", Now.AddHours(1));
            dispute.AssignArbitrator(arbitrator);
            dispute.Rule(escrow, arbitrator, DisputeRuling.Split, 6_000, "Partially delivered.", Now.AddHours(5));
            disputeId = dispute.Id;
            db.Disputes.Add(dispute);

            db.PlatformFees.Add(new PlatformFee(purchase.Id, purchase.Fee, TestData.Chain, purchaseTx, Now));
            db.Payouts.Add(new Payout(seller, escrow.Id, sellerWallet, TokenAmount.FromTokens(3), TestData.Chain, TestData.RandomTx(), Now.AddHours(6)));
            db.Refunds.Add(new Refund(purchase.Id, TokenAmount.FromTokens(1), "Split ruling", TestData.Chain, null, Now.AddHours(6)));
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = await ContextAsync(provider))
        {
            var purchase = await db.Purchases.SingleAsync(p => p.Id == purchaseId, Ct);
            purchase.Status.ShouldBe(PurchaseStatus.Confirmed);
            purchase.Price.ShouldBe(TokenAmount.FromTokens(5));
            purchase.Fee.ShouldBe(TokenAmount.ParseTokens("0.0125"));
            purchase.OnChainEscrowId.ShouldBe(7);
            purchase.AccessType.ShouldBe(DatasetAccessTypes.Download);

            var tx = await db.ChainTransactions.SingleAsync(t => t.Hash == purchaseTx && t.ChainId == TestData.Chain, Ct);
            tx.Status.ShouldBe(ChainTransactionStatus.Confirmed);
            tx.BlockNumber.ShouldBe(1234);
            tx.From.ShouldBe(buyerWallet);

            var escrow = await db.Escrows.SingleAsync(e => e.Id == escrowId, Ct);
            escrow.State.ShouldBe(EscrowState.Resolved);
            escrow.Resolution.ShouldBe(DisputeRuling.Split);
            escrow.SellerShareBps.ShouldBe(6_000);
            escrow.Buyer.ShouldBe(buyerWallet);
            escrow.Seller.ShouldBe(sellerWallet);
            escrow.Milestones.Count.ShouldBe(2); // auto-included
            escrow.Milestones.OrderBy(m => m.Index).First().Amount.ShouldBe(TokenAmount.FromTokens(2));
            escrow.Amount.ShouldBe(TokenAmount.ParseTokens("4.9875"));

            var dispute = await db.Disputes.Include(d => d.Evidence).SingleAsync(d => d.Id == disputeId, Ct);
            dispute.Status.ShouldBe(DisputeStatus.Ruled);
            dispute.Ruling.ShouldBe(DisputeRuling.Split);
            dispute.SellerShareBps.ShouldBe(6_000);
            dispute.ArbitratorId.ShouldBe(arbitrator);
            dispute.Bond.ShouldBe(TokenAmount.FromTokens(1));
            dispute.Evidence.Single().Cid.ShouldBe(evidence);

            (await db.PlatformFees.SingleAsync(f => f.PurchaseId == purchaseId, Ct)).TxHash.ShouldBe(purchaseTx);
            (await db.Payouts.SingleAsync(p => p.EscrowId == escrowId, Ct)).ToAddress.ShouldBe(sellerWallet);
            var refund = await db.Refunds.SingleAsync(r => r.PurchaseId == purchaseId, Ct);
            refund.TxHash.ShouldBeNull();
            refund.Amount.ShouldBe(TokenAmount.FromTokens(1));
        }
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task TrainingRun_AndTrainedModel_RoundTrip(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var buyer = await SeedUserAsync(provider, "buyer");
        Guid runId, modelId;
        await using (var db = await ContextAsync(provider))
        {
            var dataset = TestData.LiveDataset(seller, moderator, UniqueSlug("train"), Now);
            db.Datasets.Add(dataset);
            var run = new TrainingRun(buyer, dataset.LatestReadyVersion!.Id, TrainingTask.Regression, "LightGbm", "temp", ["hour", "wind", "rain"], "{\"numberOfLeaves\":31}", Now);
            run.Start(Now.AddSeconds(1));
            run.ReportProgress(40);
            run.Succeed("{\"rSquared\":0.91}", Now.AddMinutes(2));
            runId = run.Id;
            db.TrainingRuns.Add(run);
            var model = new TrainedModel(run, "temperature", 1, "models/temperature/v1.zip", 4096, null, null, Now.AddMinutes(2));
            modelId = model.Id;
            db.TrainedModels.Add(model);
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = await ContextAsync(provider))
        {
            var run = await db.TrainingRuns.SingleAsync(r => r.Id == runId, Ct);
            run.Status.ShouldBe(TrainingRunStatus.Succeeded);
            run.FeatureColumns.ShouldBe(["hour", "wind", "rain"]);
            run.LabelColumn.ShouldBe("temp");
            run.ProgressPercent.ShouldBe(100);
            run.MetricsJson.ShouldBe("{\"rSquared\":0.91}");
            run.FinishedAt.ShouldBe(Now.AddMinutes(2));

            var model = await db.TrainedModels.SingleAsync(m => m.Id == modelId, Ct);
            model.TrainingRunId.ShouldBe(runId);
            model.DatasetVersionId.ShouldBe(run.DatasetVersionId);
            model.Task.ShouldBe(TrainingTask.Regression);
            model.VersionNumber.ShouldBe(1);
            model.SizeBytes.ShouldBe(4096);
        }
    }
}
