using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Indexing;

/// <summary>The chain mirror against a real anvil with the real contracts: exactly once, crash-safe, reorg-safe.</summary>
/// <remarks>Each test gets its own freshly deployed chain, so what one test does never shows in another.</remarks>
public sealed class ChainIndexerTests(PostgresCluster cluster) : IAsyncLifetime
{
    private readonly DevChainFixture chain = new();
    private readonly List<string> _files = [];
    private readonly List<TestDatabases> _databases = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mirrors_balances_listings_escrows_and_stakes_as_the_contracts_report_them()
    {
        chain.RequireChain();
        await MarketActivity.RunAsync(chain, variant: 0, Ct);
        var factory = await SqliteAsync();

        await Indexer(factory).CatchUpAsync(Ct);

        await using var db = await factory.CreateDbContextAsync(Ct);
        var web3 = new Nethereum.Web3.Web3(chain.Settings.RpcUrl);
        foreach (var account in DevAccounts.All)
        {
            var onChain = await web3.Eth.GetContractQueryHandler<BalanceOfFunction>()
                .QueryAsync<BigInteger>(chain.Contracts.NeuroCoin.Value, new BalanceOfFunction { Account = account.Address.Value });
            var mirrored = await db.Set<MirrorAccount>().SingleOrDefaultAsync(a => a.Address == account.Address, Ct);
            (mirrored?.Balance ?? TokenAmount.Zero).Units.ShouldBe(onChain, $"NCR balance of {account.Role}");
        }

        var listings = await db.Set<MirrorListing>().OrderBy(l => l.ListingId).ToListAsync(Ct);
        listings.Select(l => l.Status).ShouldBe([MirrorListingStatus.Approved, MirrorListingStatus.Rejected]);
        listings[1].RejectionReason.ShouldBe("Contains personal data");
        listings[0].Seller.ShouldBe(DevAccounts.Seller.Address);

        var escrow = await db.Set<MirrorEscrow>().SingleAsync(Ct);
        escrow.State.ShouldBe(MirrorEscrowState.Released);
        escrow.Buyer.ShouldBe(DevAccounts.Buyer.Address);
        escrow.Amount.ShouldBe(TokenAmount.FromTokens(100));
        escrow.Released.ShouldBe(escrow.Amount);

        var buyer = await db.Set<MirrorAccount>().SingleAsync(a => a.Address == DevAccounts.Buyer.Address, Ct);
        buyer.Staked.ShouldBe(TokenAmount.FromTokens(30));
        var seller = await db.Set<MirrorAccount>().SingleAsync(a => a.Address == DevAccounts.Seller.Address, Ct);
        seller.Withdrawable.ShouldBe(TokenAmount.Zero, "the seller withdrew what the escrow credited");

        // Running again changes nothing: every event was applied once.
        var before = await SnapshotAsync(factory);
        await chain.MineAsync(3);
        await Indexer(factory).CatchUpAsync(Ct);
        var after = await SnapshotAsync(factory);
        after[..after.LastIndexOf('\n')].ShouldBe(before[..before.LastIndexOf('\n')], "only the cursor may move over empty blocks");
        after.ShouldNotBe(before);
        (await db.Set<ChainLogRecord>().CountAsync(Ct)).ShouldBe(await db.Set<ChainLogRecord>().Select(l => new { l.BlockHash, l.TxHash, l.LogIndex }).Distinct().CountAsync(Ct));
    }

    [Fact]
    public async Task Stopped_and_restarted_at_random_points_it_ends_equal_to_an_uninterrupted_run()
    {
        chain.RequireChain();
        await MarketActivity.RunAsync(chain, variant: 1, Ct);

        var clean = await SqliteAsync();
        await Indexer(clean).CatchUpAsync(Ct);
        var expected = await SnapshotAsync(clean);

        // Every attempt stops at its own point, chosen by a seeded random: a process that dies after a batch's writes
        // but before its commit (the interceptor), after 0-2 committed batches, so the run needs many attempts however
        // fast the machine; a third of the attempts also get a timer of 0-40 ms that stops them wherever they are
        // (reading blocks, reading logs, writing).
        var stopper = new StopBeforeCommit();
        var crashy = await SqliteAsync(stopper);
        var random = new Random(20261202);
        var interruptions = 0;
        var attempts = 0;
        for (; attempts < 400; attempts++)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            stopper.CommitsBeforeStop = random.Next(0, 3);
            if (random.Next(3) == 0)
            {
                cts.CancelAfter(TimeSpan.FromMilliseconds(random.Next(0, 40)));
            }

            try
            {
                var pass = await Indexer(crashy, batchSize: random.Next(1, 6)).CatchUpAsync(cts.Token);
                if (pass.Outcome == IndexerPassOutcome.UpToDate)
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                interruptions++;
            }
        }

        stopper.CommitsBeforeStop = -1;
        attempts.ShouldBeLessThan(400, "the interrupted runs should still make progress");
        interruptions.ShouldBe(attempts, "every attempt but the last is stopped before it catches up");
        stopper.Stops.ShouldBeGreaterThan(5, "the run should really have been stopped between writes and commit many times");
        await Indexer(crashy).CatchUpAsync(Ct);
        (await SnapshotAsync(crashy)).ShouldBe(expected);
    }

    [Fact]
    public async Task A_reorganisation_is_reverted_and_the_new_branch_indexed()
    {
        chain.RequireChain();
        var snapshot = await chain.SnapshotAsync();
        await MarketActivity.RunAsync(chain, variant: 2, Ct);
        var factory = await SqliteAsync();
        await Indexer(factory).CatchUpAsync(Ct);
        var onOldBranch = await SnapshotAsync(factory);

        await chain.RevertAsync(snapshot);
        await MarketActivity.RunAsync(chain, variant: 3, Ct);
        await chain.MineAsync(2);

        var passes = new List<IndexerPassOutcome>();
        var indexer = Indexer(factory);
        IndexerPass pass;
        do
        {
            pass = await indexer.RunOnceAsync(Ct);
            passes.Add(pass.Outcome);
        }
        while (pass.Outcome != IndexerPassOutcome.UpToDate);

        passes.ShouldContain(IndexerPassOutcome.ReorgReverted);
        var clean = await SqliteAsync();
        await Indexer(clean).CatchUpAsync(Ct);
        var expected = await SnapshotAsync(clean);
        (await SnapshotAsync(factory)).ShouldBe(expected);
        expected.ShouldNotBe(onOldBranch);
    }

    [Fact]
    public async Task Works_on_PostgreSQL_too()
    {
        chain.RequireChain();
        await MarketActivity.RunAsync(chain, variant: 4, Ct);
        var databases = new TestDatabases();
        _databases.Add(databases);
        var settings = await databases.GetAsync(DbProvider.Postgres, cluster);
        var pg = new NeuroDataDbContextFactory(settings, TimeProvider.System);
        var sqlite = await SqliteAsync();

        await Indexer(pg).CatchUpAsync(Ct);
        await Indexer(sqlite).CatchUpAsync(Ct);

        (await SnapshotAsync(pg)).ShouldBe(await SnapshotAsync(sqlite));
    }

    private ChainIndexer Indexer(IDbContextFactory<NeuroDataDbContext> factory, int batchSize = 50) => new(
        factory,
        new ChainIndexerOptions
        {
            RpcUrl = chain.Settings.RpcUrl,
            ChainId = chain.Settings.ChainId,
            Contracts = new Dictionary<string, EthAddress>
            {
                ["NeuroCoin"] = chain.Contracts.NeuroCoin,
                ["Staking"] = chain.Contracts.Staking,
                ["DataMarketplace"] = chain.Contracts.DataMarketplace,
                ["EscrowManager"] = chain.Contracts.EscrowManager,
            },
            BatchSize = batchSize,
        },
        TimeProvider.System,
        NullLogger<ChainIndexer>.Instance);

    private async Task<IDbContextFactory<NeuroDataDbContext>> SqliteAsync(StopBeforeCommit? stopper = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nd-indexer-{Guid.NewGuid():N}.db");
        _files.Add(path);
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=false");
        var factory = new NeuroDataDbContextFactory(settings, TimeProvider.System);
        await new DatabaseMigrator(factory, settings, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
        return stopper is null ? factory : new StoppingFactory(settings.ConnectionString, stopper);
    }

    /// <summary>The app's SQLite context with one more interceptor: the test's simulated stop before a commit.</summary>
    private sealed class StoppingFactory(string connectionString, StopBeforeCommit stopper) : IDbContextFactory<NeuroDataDbContext>
    {
        private readonly DbContextOptions<SqliteNeuroDataDbContext> _options =
            (DbContextOptions<SqliteNeuroDataDbContext>)new DbContextOptionsBuilder<SqliteNeuroDataDbContext>(
                    NeuroDataDbContextFactory.BuildSqlite(connectionString, TimeProvider.System))
                .AddInterceptors(stopper)
                .Options;

        public NeuroDataDbContext CreateDbContext() => new SqliteNeuroDataDbContext(_options);
    }

    /// <summary>
    /// Lets <see cref="CommitsBeforeStop"/> commits through, then stops the next one the way a killed process would:
    /// the batch's rows are written inside the transaction but never committed. -1 never stops.
    /// </summary>
    private sealed class StopBeforeCommit : Microsoft.EntityFrameworkCore.Diagnostics.DbTransactionInterceptor
    {
        public int CommitsBeforeStop { get; set; } = -1;

        public int Stops { get; private set; }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult> TransactionCommittingAsync(
            System.Data.Common.DbTransaction transaction,
            Microsoft.EntityFrameworkCore.Diagnostics.TransactionEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result,
            CancellationToken cancellationToken = default)
        {
            if (CommitsBeforeStop == 0)
            {
                CommitsBeforeStop = -1;
                Stops++;
                throw new OperationCanceledException("Simulated stop between a batch's writes and its commit.");
            }

            if (CommitsBeforeStop > 0)
            {
                CommitsBeforeStop--;
            }

            return ValueTask.FromResult(result);
        }
    }

    /// <summary>Every projection row, in a canonical order, as text.</summary>
    private static async Task<string> SnapshotAsync(IDbContextFactory<NeuroDataDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync(Ct);
        var lines = new List<string>();
        lines.AddRange((await db.Set<MirrorAccount>().AsNoTracking().ToListAsync(Ct))
            .OrderBy(a => a.Address.Value, StringComparer.Ordinal)
            .Select(a => $"account {a.Address} bal={a.Balance.Units} staked={a.Staked.Units} rewards={a.RewardsPaid.Units} owed={a.Withdrawable.Units} at={a.UpdatedBlock}"));
        lines.AddRange((await db.Set<MirrorListing>().AsNoTracking().ToListAsync(Ct))
            .OrderBy(l => l.ListingId)
            .Select(l => $"listing {l.ListingId} {l.Seller} {l.ContentDigest} {l.Price.Units} {l.Status} {l.RejectionReason} {l.AccessType} at={l.UpdatedBlock}"));
        lines.AddRange((await db.Set<MirrorEscrow>().AsNoTracking().ToListAsync(Ct))
            .OrderBy(e => e.EscrowId)
            .Select(e => $"escrow {e.EscrowId} {e.ListingId} {e.Buyer} {e.Seller} {e.Amount.Units} {e.State} {e.Released.Units} {e.Deadline:O} {e.OpenedTx} at={e.UpdatedBlock}"));
        lines.AddRange((await db.Set<MirrorVote>().AsNoTracking().ToListAsync(Ct))
            .OrderBy(v => v.EscrowId).ThenBy(v => v.Voter.Value, StringComparer.Ordinal)
            .Select(v => $"vote {v.EscrowId} {v.Voter} {v.ForSeller} {v.Weight.Units}"));
        var cursor = await db.Set<IndexerCursor>().AsNoTracking().SingleAsync(Ct);
        lines.Add($"cursor {cursor.LastBlock}");
        return string.Join('\n', lines);
    }

    public ValueTask InitializeAsync() => chain.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await chain.DisposeAsync();
        foreach (var databases in _databases)
        {
            await databases.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }
}
