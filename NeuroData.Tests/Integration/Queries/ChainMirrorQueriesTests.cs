using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Queries;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Queries;

public sealed class ChainMirrorQueriesTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private readonly PostgresCluster _cluster = cluster;
    private readonly TestDatabases _databases = databases;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Overview_counts_one_chain_only_and_lists_the_newest_events_first(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var chain = new ChainId(900_000 + Random.Shared.Next(1, 99_999));
        var other = new ChainId(chain.Value + 1);
        var seller = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        await using (var db = await ContextAsync(provider))
        {
            for (var i = 0; i < 3; i++)
            {
                db.Add(new ChainLogRecord
                {
                    ChainId = chain, BlockNumber = 10 + i, BlockHash = "0x" + new string((char)('a' + i), 64),
                    TxHash = TxHash.Parse("0x" + new string((char)('1' + i), 64)), LogIndex = 0, Address = seller,
                    EventName = i == 2 ? null : "Transfer", Topics = string.Empty, Data = "0x",
                });
            }

            db.Add(new ChainLogRecord
            {
                ChainId = other, BlockNumber = 99, BlockHash = "0x" + new string('f', 64), TxHash = TxHash.Parse("0x" + new string('9', 64)),
                LogIndex = 0, Address = seller, Topics = string.Empty, Data = "0x",
            });
            db.Add(new MirrorListing { ChainId = chain, ListingId = 1, Seller = seller, ContentDigest = "0x" + new string('0', 64), Price = TokenAmount.FromTokens(5), Status = MirrorListingStatus.Approved });
            db.Add(new MirrorListing { ChainId = chain, ListingId = 2, Seller = seller, ContentDigest = "0x" + new string('0', 64), Price = TokenAmount.FromTokens(5), Status = MirrorListingStatus.Pending });
            db.Add(new MirrorListing { ChainId = chain, ListingId = 3, Seller = seller, ContentDigest = "0x" + new string('0', 64), Price = TokenAmount.FromTokens(5), Status = MirrorListingStatus.Approved });
            db.Add(new MirrorAccount { ChainId = chain, Address = seller, Balance = TokenAmount.FromTokens(1), Staked = TokenAmount.Zero, RewardsPaid = TokenAmount.Zero, Withdrawable = TokenAmount.Zero });
            await db.SaveChangesAsync(ct);
        }

        var settings = await _databases.GetAsync(provider, _cluster);
        var queries = new ChainMirrorQueries(new NeuroDataDbContextFactory(settings, TimeProvider.System));

        var overview = await queries.GetOverviewAsync(chain, recent: 2, ct);

        overview.RawLogs.ShouldBe(3);
        overview.Accounts.ShouldBe(1);
        overview.ListingsByStatus[MirrorListingStatus.Approved].ShouldBe(2);
        overview.ListingsByStatus[MirrorListingStatus.Pending].ShouldBe(1);
        overview.EscrowsByState.ShouldBeEmpty();
        overview.RecentEvents.Select(e => e.BlockNumber).ShouldBe([12L, 11L]);
        overview.RecentEvents[0].EventName.ShouldBeNull();
    }
}
