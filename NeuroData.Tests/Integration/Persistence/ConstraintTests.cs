using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Persistence;

/// <summary>The database enforces the uniqueness the domain relies on, and a failed save leaves nothing behind.</summary>
public sealed class ConstraintTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task SecondReview_BySameBuyerOnSameDataset_IsRejected(DbProvider provider)
    {
        var (buyer, datasetId) = await SeedDatasetAsync(provider);
        await AddAsync(provider, new DatasetReview(datasetId, buyer, 5, "Great", Now));

        await ShouldViolateAsync(provider, new DatasetReview(datasetId, buyer, 1, "Changed my mind", Now));
        await CountAsync(provider, db => db.DatasetReviews.CountAsync(r => r.DatasetId == datasetId, Ct)).ShouldBeAsync(1);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task SecondFavorite_OfSameDataset_IsRejected(DbProvider provider)
    {
        var (buyer, datasetId) = await SeedDatasetAsync(provider);
        await AddAsync(provider, new Favorite(buyer, datasetId, Now));

        await ShouldViolateAsync(provider, new Favorite(buyer, datasetId, Now));
        await CountAsync(provider, db => db.Favorites.CountAsync(f => f.DatasetId == datasetId, Ct)).ShouldBeAsync(1);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task DatasetSlug_UsedTwice_IsRejected(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var slug = UniqueSlug("taken");
        await AddAsync(provider, TestData.NewDataset(seller, slug, Now));

        await ShouldViolateAsync(provider, TestData.NewDataset(seller, slug, Now));
        await CountAsync(provider, db => db.Datasets.CountAsync(d => d.Slug == slug, Ct)).ShouldBeAsync(1);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task SameCid_TwiceInOneDataset_IsRejectedByTheDatabase(DbProvider provider)
    {
        var (_, datasetId) = await SeedDatasetAsync(provider);
        Domain.Common.Cid existing;
        await using (var db = await ContextAsync(provider))
        {
            existing = (await db.DatasetVersions.FirstAsync(v => v.DatasetId == datasetId, Ct)).Cid;
        }

        // The aggregate refuses this itself; a second writer that loaded the dataset without its versions (a race)
        // would get past that check, so the unique index is the last line of defence.
        await using (var db = await ContextAsync(provider))
        {
            var stale = await db.Datasets.SingleAsync(d => d.Id == datasetId, Ct);
            stale.AddVersion(existing, 10, DatasetFormat.Csv, TestData.Sha256Hex(9), [1], Now);
            var ex = await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
            ex.InnerException.ShouldNotBeNull();
        }

        await CountAsync(provider, db => db.DatasetVersions.CountAsync(v => v.DatasetId == datasetId, Ct)).ShouldBeAsync(1);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task SameTxHash_OnSameChain_IsRejected_ButAllowedOnAnotherChain(DbProvider provider)
    {
        var hash = TestData.RandomTx();
        var from = TestData.RandomAddress();
        await AddAsync(provider, new ChainTransaction(TestData.Chain, hash, from, null, ChainTransactionPurpose.Other, null, Now));

        await ShouldViolateAsync(provider, new ChainTransaction(TestData.Chain, hash, from, null, ChainTransactionPurpose.Other, null, Now));
        await AddAsync(provider, new ChainTransaction(new Domain.Common.ChainId(137), hash, from, null, ChainTransactionPurpose.Other, null, Now));
        await CountAsync(provider, db => db.ChainTransactions.CountAsync(t => t.Hash == hash, Ct)).ShouldBeAsync(2);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Wallet_LinkedToTwoAccounts_IsRejected(DbProvider provider)
    {
        var wallet = TestData.RandomAddress();
        var first = await SeedUserAsync(provider);
        var second = await SeedUserAsync(provider);
        var p1 = new UserProfile(first, "First", Now);
        p1.LinkWallet(wallet, Now);
        await AddAsync(provider, p1);

        var p2 = new UserProfile(second, "Second", Now);
        p2.LinkWallet(wallet, Now);
        await ShouldViolateAsync(provider, p2);

        // The profile and its wallet were one insert: neither row of the failed save exists.
        await CountAsync(provider, db => db.UserProfiles.CountAsync(p => p.Id == second, Ct)).ShouldBeAsync(0);
        await CountAsync(provider, db => db.WalletLinks.CountAsync(w => w.Address == wallet, Ct)).ShouldBeAsync(1);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task FailedSave_WithManyRows_LeavesNoPartialRows(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var slug = UniqueSlug("clash");
        await AddAsync(provider, TestData.NewDataset(seller, slug, Now));

        var good1 = TestData.NewDataset(seller, UniqueSlug("good"), Now);
        var good2 = TestData.NewDataset(seller, UniqueSlug("good"), Now);
        var tag = new Tag("orphan " + Guid.NewGuid().ToString("N")[..8]);
        await using (var db = await ContextAsync(provider))
        {
            db.AddRange(good1, tag, TestData.NewDataset(seller, slug, Now), good2);
            await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        }

        await CountAsync(provider, db => db.Datasets.CountAsync(d => d.SellerId == seller, Ct)).ShouldBeAsync(1);
        await CountAsync(provider, db => db.Tags.CountAsync(t => t.Id == tag.Id, Ct)).ShouldBeAsync(0);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task ExplicitTransaction_FailingOnSecondSave_RollsBackTheFirst(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var slug = UniqueSlug("tx");
        var first = TestData.NewDataset(seller, slug, Now);

        await using (var db = await ContextAsync(provider))
        {
            // The PostgreSQL context retries transient failures, so a user transaction runs inside the execution strategy.
            var strategy = db.Database.CreateExecutionStrategy();
            await Should.ThrowAsync<DbUpdateException>(() => strategy.ExecuteAsync(async () =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(Ct);
                db.Datasets.Add(first);
                await db.SaveChangesAsync(Ct);
                db.Datasets.Add(TestData.NewDataset(seller, slug, Now));
                await db.SaveChangesAsync(Ct);
                await tx.CommitAsync(Ct);
            }));
        }

        await CountAsync(provider, db => db.Datasets.CountAsync(d => d.SellerId == seller, Ct)).ShouldBeAsync(0);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Review_WithRatingOutOfRange_IsRejectedByTheCheckConstraint(DbProvider provider)
    {
        var (buyer, datasetId) = await SeedDatasetAsync(provider);
        await using var db = await ContextAsync(provider);
        var review = new DatasetReview(datasetId, buyer, 3, null, Now);
        db.DatasetReviews.Add(review);
        db.Entry(review).Property(r => r.Rating).CurrentValue = 9; // bypass the domain, as raw SQL or a bug would
        await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }

    private async Task<(Guid Buyer, Guid DatasetId)> SeedDatasetAsync(DbProvider provider)
    {
        var seller = await SeedUserAsync(provider, "seller");
        var moderator = await SeedUserAsync(provider, "moderator");
        var buyer = await SeedUserAsync(provider, "buyer");
        var dataset = TestData.LiveDataset(seller, moderator, UniqueSlug("constrained"), Now);
        await AddAsync(provider, dataset);
        return (buyer, dataset.Id);
    }

    private async Task AddAsync(DbProvider provider, object entity)
    {
        await using var db = await ContextAsync(provider);
        db.Add(entity);
        await db.SaveChangesAsync(Ct);
    }

    private async Task ShouldViolateAsync(DbProvider provider, object entity)
    {
        await using var db = await ContextAsync(provider);
        db.Add(entity);
        var ex = await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        (ex.InnerException?.Message ?? string.Empty).ShouldMatch("(?i)unique|duplicate");
    }

    private async Task<int> CountAsync(DbProvider provider, Func<Infrastructure.Persistence.NeuroDataDbContext, Task<int>> query)
    {
        await using var db = await ContextAsync(provider);
        return await query(db);
    }
}

internal static class AsyncShouldExtensions
{
    public static async Task ShouldBeAsync(this Task<int> task, int expected) => (await task).ShouldBe(expected);
}
