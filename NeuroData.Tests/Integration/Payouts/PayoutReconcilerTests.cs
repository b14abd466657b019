using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Payouts;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Indexing;

namespace NeuroData.Tests.Integration.Payouts;

/// <summary>
/// Payout rows, refunds, fee income and the live chain parameters against a real anvil: the indexer mirrors the
/// events, the reconcilers run as after every indexer pass, and the queries read what a page shows.
/// </summary>
public sealed class PayoutReconcilerTests(PostgresCluster cluster) : IAsyncLifetime
{
    private readonly DevChainFixture chain = new();
    private readonly List<IAsyncDisposable> _owned = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Withdrawals_become_payouts_once_refunds_show_to_both_parties_and_fee_income_sums_exactly_on_SQLite()
    {
        chain.RequireChain();
        await RunScenarioAsync(await HostAsync(postgres: false));
    }

    [Fact]
    public async Task Withdrawals_become_payouts_once_refunds_show_to_both_parties_and_fee_income_sums_exactly_on_PostgreSQL()
    {
        chain.RequireChain();
        await cluster.RequireAsync();
        await RunScenarioAsync(await HostAsync(postgres: true));
    }

    private async Task RunScenarioAsync(PayoutsTestHost host)
    {
        var sellerUser = await host.UserAsync("seller", DevAccounts.Seller.Address, Ct);
        var buyerUser = await host.UserAsync("buyer", DevAccounts.Buyer.Address, Ct);
        var strangerUser = await host.UserAsync("stranger", null, Ct);
        var lateUser = await host.UserAsync("late", null, Ct);

        // Seller #1 sells twice (one confirmed, one refunded by agreement); the arbitrator account #4 sells once and is
        // not linked to any user yet.
        var listing = await host.ListAsync(DevAccounts.Seller, 40, Ct);
        var confirmed = await host.BuyAsync(DevAccounts.Buyer, listing, 40, Ct);
        var refunded = await host.BuyAsync(DevAccounts.Buyer, listing, 40, Ct);
        var otherListing = await host.ListAsync(DevAccounts.Arbitrator, 7, Ct);
        var other = await host.BuyAsync(DevAccounts.Buyer, otherListing, 7, Ct);
        using (var buyer = chain.Sender(DevAccounts.Buyer))
        {
            await buyer.SendAsync(chain.Contracts.EscrowManager, new ConfirmFunction { EscrowId = confirmed }, Ct);
            await buyer.SendAsync(chain.Contracts.EscrowManager, new ConfirmFunction { EscrowId = other }, Ct);
        }

        Nethereum.RPC.Eth.DTOs.TransactionReceipt withdrawal;
        using (var seller = chain.Sender(DevAccounts.Seller))
        {
            await seller.SendAsync(chain.Contracts.EscrowManager, new AgreeRefundFunction { EscrowId = refunded }, Ct);
            withdrawal = await seller.SendAsync(chain.Contracts.EscrowManager, new WithdrawFunction(), Ct);
        }

        // The seller's /payouts page recorded the withdrawal as pending, then was closed before it saw the receipt.
        var withdrawalHash = TxHash.Parse(withdrawal.TransactionHash);
        await using (var db = await host.Contexts.CreateDbContextAsync(Ct))
        {
            db.ChainTransactions.Add(new ChainTransaction(chain.Settings.ChainId, withdrawalHash, DevAccounts.Seller.Address, chain.Contracts.EscrowManager,
                ChainTransactionPurpose.Withdraw, sellerUser, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync(Ct);
        }

        using (var arbitrator = chain.Sender(DevAccounts.Arbitrator))
        {
            await arbitrator.SendAsync(chain.Contracts.EscrowManager, new WithdrawFunction(), Ct);
        }

        var changed = await host.IndexAsync(Ct);
        changed.ShouldContain(sellerUser);

        await using (var db = await host.Contexts.CreateDbContextAsync(Ct))
        {
            var recorded = await db.ChainTransactions.SingleAsync(t => t.Hash == withdrawalHash, Ct);
            recorded.Status.ShouldBe(ChainTransactionStatus.Confirmed, "the indexed Withdrawn event confirms it");
            recorded.BlockNumber.ShouldBe((long)withdrawal.BlockNumber.Value);
        }

        var queries = host.Services.GetRequiredService<PayoutQueries>();
        var sellerView = await queries.OverviewAsync(sellerUser, Ct);
        var payout = sellerView.Payouts.ShouldHaveSingleItem();
        payout.Amount.ShouldBe(TokenAmount.ParseTokens("39.9"), "40 NCR less the 0.25 % fee");
        payout.ToAddress.ShouldBe(DevAccounts.Seller.Address);
        sellerView.PaidOut.ShouldBe(payout.Amount);
        sellerView.Earned.ShouldBe(payout.Amount);
        sellerView.Withdrawable.ShouldBe(TokenAmount.Zero);
        sellerView.EarningsByMonth.ShouldHaveSingleItem().Amount.ShouldBe(payout.Amount);
        var sellerRefund = sellerView.Refunds.ShouldHaveSingleItem();
        sellerRefund.EscrowId.ShouldBe(refunded);
        sellerRefund.UserWasBuyer.ShouldBeFalse();
        sellerRefund.Amount.ShouldBe(TokenAmount.FromTokens(40));

        // The buyer sees the same refund from their side, and can withdraw it (it is credited, not yet paid).
        var buyerView = await queries.OverviewAsync(buyerUser, Ct);
        buyerView.Payouts.ShouldBeEmpty();
        buyerView.Refunds.ShouldHaveSingleItem().UserWasBuyer.ShouldBeTrue();
        buyerView.Withdrawable.ShouldBe(TokenAmount.FromTokens(40));

        // Nobody sees another user's money.
        var strangerView = await queries.OverviewAsync(strangerUser, Ct);
        strangerView.Payouts.ShouldBeEmpty();
        strangerView.Refunds.ShouldBeEmpty();
        strangerView.Wallets.ShouldBeEmpty();
        strangerView.Earned.ShouldBe(TokenAmount.Zero);

        // Reconciling again changes nothing.
        (await host.IndexAsync(Ct)).ShouldBeEmpty();
        await using (var db = await host.Contexts.CreateDbContextAsync(Ct))
        {
            (await db.Payouts.CountAsync(Ct)).ShouldBe(1, "the unlinked arbitrator wallet has no user yet");
        }

        // Linking the wallet later brings its payout in on the next pass (level-triggered), exactly once.
        await host.LinkWalletAsync(lateUser, DevAccounts.Arbitrator.Address, Ct);
        (await host.IndexAsync(Ct)).ShouldBe([lateUser]);
        (await host.IndexAsync(Ct)).ShouldBeEmpty();
        var late = (await queries.OverviewAsync(lateUser, Ct)).Payouts.ShouldHaveSingleItem();
        late.Amount.ShouldBe(TokenAmount.ParseTokens("6.9825"));
        await using (var db = await host.Contexts.CreateDbContextAsync(Ct))
        {
            (await db.Payouts.CountAsync(Ct)).ShouldBe(2);
        }

        // The withdraw transaction moved exactly the payout into the seller's wallet.
        var amounts = await queries.TransactionAmountsAsync([(payout.TxHash, DevAccounts.Seller.Address)], Ct);
        amounts[payout.TxHash].ShouldBe(new TransactionAmount(payout.Amount, TokenAmount.Zero));

        // Fee income: 0.25 % of the two released sales, equal to what the contract has accrued (nothing swept).
        var finance = host.Services.GetRequiredService<PlatformFinanceQueries>();
        var income = await finance.FeeIncomeAsync(Ct);
        income.Total.ShouldBe(TokenAmount.ParseTokens("0.1175"));
        income.Count.ShouldBe(2);
        income.ByMonth.ShouldHaveSingleItem().Amount.ShouldBe(income.Total);
        income.Recent.Select(r => r.EscrowId).ShouldBe([other, confirmed]);
        var parameters = await finance.ReadParametersAsync(Ct);
        parameters.AccruedFees.ShouldBe(income.Total);
        parameters.FeeBps.ShouldBe(25);
        parameters.MaxFeeBps.ShouldBe(500);
        parameters.BondBps.ShouldBe(500);
        parameters.MinBond.ShouldBe(TokenAmount.FromTokens(10));
        parameters.VotingPeriod.ShouldBe(TimeSpan.FromDays(3));
        parameters.RulingTimeout.ShouldBe(TimeSpan.FromDays(7));
        parameters.QuorumBps.ShouldBe(1_000);
        parameters.RewardRateBps.ShouldBe(500);
        parameters.Treasury.IsZero.ShouldBeFalse();
        parameters.MarketplacePaused.ShouldBeFalse();
        parameters.EscrowPaused.ShouldBeFalse();
        parameters.StakingPaused.ShouldBeFalse();
    }

    private async Task<PayoutsTestHost> HostAsync(bool postgres)
    {
        string? connection = null;
        if (postgres)
        {
            var databases = new TestDatabases();
            _owned.Add(databases);
            connection = (await databases.GetAsync(DbProvider.Postgres, cluster)).ConnectionString;
        }

        var host = await PayoutsTestHost.StartAsync(chain, connection, Ct);
        _owned.Insert(0, host);
        return host;
    }

    public ValueTask InitializeAsync() => chain.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await chain.DisposeAsync();
    }
}
