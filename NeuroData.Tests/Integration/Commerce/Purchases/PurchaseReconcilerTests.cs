using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Indexing;

namespace NeuroData.Tests.Integration.Commerce.Purchases;

/// <summary>
/// The purchase reconciler (order 10) against a real anvil with the real contracts, through the real indexer and
/// <c>ChainReconciliation</c>. Each test gets its own freshly deployed chain and database.
/// </summary>
public sealed class PurchaseReconcilerTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly TokenAmount Price = TokenAmount.ParseTokens("123.456789");

    private readonly DevChainFixture chain = new();
    private readonly List<IAsyncDisposable> _disposables = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_app_purchase_is_confirmed_by_its_escrow_then_completed_with_the_fee_the_contract_took()
    {
        chain.RequireChain();
        var h = await HarnessAsync();
        var (seller, moderator, buyer) = await PartiesAsync(h);
        var listed = await h.ListAsync(seller, moderator, Price, DatasetAccessTypes.Download, 1, Ct);
        var purchaseId = await h.StartPurchaseAsync(buyer, listed, Ct);
        var (tx, escrowId) = await h.BuyOnChainAsync(DevAccounts.Buyer, listed, Ct);
        await h.AttachTransactionAsync(purchaseId, DevAccounts.Buyer, tx, Ct);

        var changed = await h.SyncAsync(Ct);

        changed.ShouldBe([buyer, seller], ignoreOrder: true);
        await using (var db = await h.Db.CreateDbContextAsync(Ct))
        {
            var purchase = await db.Purchases.SingleAsync(Ct);
            purchase.Id.ShouldBe(purchaseId, "the buyer's pending purchase is the one confirmed, not a second one");
            purchase.Status.ShouldBe(PurchaseStatus.Confirmed);
            purchase.OnChainEscrowId.ShouldBe(escrowId);
            purchase.Price.ShouldBe(Price);
            var escrow = await db.Escrows.SingleAsync(Ct);
            escrow.PurchaseId.ShouldBe(purchaseId);
            escrow.OnChainId.ShouldBe(escrowId);
            escrow.State.ShouldBe(EscrowState.Funded);
            escrow.Amount.ShouldBe(Price);
            escrow.Buyer.ShouldBe(DevAccounts.Buyer.Address);
            (escrow.Deadline - escrow.FundedAt).ShouldBe(TimeSpan.FromDays(1));
            (await db.PlatformFees.CountAsync(Ct)).ShouldBe(0, "the escrow has collected no fee before it releases");
        }

        var confirmTx = await h.SendAsync(DevAccounts.Buyer, h.Chain.Contracts.EscrowManager, new ConfirmFunction { EscrowId = escrowId }, Ct);
        await h.SyncAsync(Ct);

        await using (var db = await h.Db.CreateDbContextAsync(Ct))
        {
            (await db.Purchases.SingleAsync(Ct)).Status.ShouldBe(PurchaseStatus.Completed);
            var escrow = await db.Escrows.SingleAsync(Ct);
            escrow.State.ShouldBe(EscrowState.Released);
            escrow.Milestones.ShouldAllBe(m => m.ReleasedAt != null);
            var fee = await db.PlatformFees.SingleAsync(Ct);
            fee.PurchaseId.ShouldBe(purchaseId);
            fee.Amount.Units.ShouldBe(Price.Units * 25 / 10_000, "0.25 % of the price, rounded down like the contract");
            fee.TxHash.ShouldBe(TxHash.Parse(confirmTx));
            (await db.Refunds.CountAsync(Ct)).ShouldBe(0);
        }

        // The seller's credit plus the fee is exactly the price.
        var credited = await h.QueryAsync(h.Chain.Contracts.EscrowManager, new WithdrawableFunction { Account = DevAccounts.Seller.Address.Value }, Ct);
        (credited + (Price.Units * 25 / 10_000)).ShouldBe(Price.Units);

        var before = await h.RowsAsync(Ct);
        (await h.SyncAsync(Ct)).ShouldBeEmpty("a second run has nothing to change");
        (await h.RowsAsync(Ct)).ShouldBe(before);
    }

    [Fact]
    public async Task A_purchase_made_outside_the_app_is_created_from_the_chain_and_an_unknown_wallet_keeps_only_the_escrow()
    {
        chain.RequireChain();
        var h = await HarnessAsync();
        var seller = await h.UserAsync("seller", DevAccounts.Seller.Address, Ct);
        var moderator = await h.UserAsync("moderator", null, Ct);
        var buyer = await h.UserAsync("buyer", null, Ct);
        var listed = await h.ListAsync(seller, moderator, Price, DatasetAccessTypes.TrainingOnly, 1, Ct);
        var (_, escrowId) = await h.BuyOnChainAsync(DevAccounts.Buyer, listed, Ct);

        await h.SyncAsync(Ct);

        await using (var db = await h.Db.CreateDbContextAsync(Ct))
        {
            var escrow = await db.Escrows.SingleAsync(Ct);
            escrow.OnChainId.ShouldBe(escrowId);
            escrow.PurchaseId.ShouldBeNull("no user has the buyer's wallet");
            (await db.Purchases.CountAsync(Ct)).ShouldBe(0);
        }

        await h.LinkWalletAsync(buyer, DevAccounts.Buyer.Address, Ct);
        var changed = await h.SyncAsync(Ct);

        changed.ShouldContain(buyer);
        await using (var db = await h.Db.CreateDbContextAsync(Ct))
        {
            var purchase = await db.Purchases.SingleAsync(Ct);
            purchase.BuyerId.ShouldBe(buyer);
            purchase.SellerId.ShouldBe(seller);
            purchase.DatasetId.ShouldBe(listed.DatasetId);
            purchase.DatasetVersionId.ShouldBe(listed.VersionId);
            purchase.AccessType.ShouldBe(DatasetAccessTypes.TrainingOnly);
            purchase.Status.ShouldBe(PurchaseStatus.Confirmed);
            purchase.Fee.Units.ShouldBe(Price.Units * 25 / 10_000);
            (await db.Escrows.SingleAsync(Ct)).PurchaseId.ShouldBe(purchase.Id);
        }

        var before = await h.RowsAsync(Ct);
        await h.SyncAsync(Ct);
        (await h.RowsAsync(Ct)).ShouldBe(before);
    }

    [Fact]
    public async Task A_seller_agreed_refund_refunds_the_purchase_with_a_refund_row_and_no_fee()
    {
        chain.RequireChain();
        var h = await HarnessAsync();
        var (seller, moderator, buyer) = await PartiesAsync(h);
        var listed = await h.ListAsync(seller, moderator, Price, DatasetAccessTypes.Download, 1, Ct);
        var (_, escrowId) = await h.BuyOnChainAsync(DevAccounts.Buyer, listed, Ct);
        await h.SyncAsync(Ct);

        var refundTx = await h.SendAsync(DevAccounts.Seller, h.Chain.Contracts.EscrowManager, new AgreeRefundFunction { EscrowId = escrowId }, Ct);
        await h.SyncAsync(Ct);

        await using var db = await h.Db.CreateDbContextAsync(Ct);
        var purchase = await db.Purchases.SingleAsync(Ct);
        purchase.BuyerId.ShouldBe(buyer);
        purchase.Status.ShouldBe(PurchaseStatus.Refunded);
        purchase.GrantsAccess.ShouldBeFalse();
        (await db.Escrows.SingleAsync(Ct)).State.ShouldBe(EscrowState.Refunded);
        var refund = await db.Refunds.SingleAsync(Ct);
        refund.PurchaseId.ShouldBe(purchase.Id);
        refund.Amount.ShouldBe(Price);
        refund.TxHash.ShouldBe(TxHash.Parse(refundTx));
        (await db.PlatformFees.CountAsync(Ct)).ShouldBe(0, "a refund collects no fee");
    }

    [Fact]
    public async Task A_split_ruling_completes_the_purchase_refunds_the_buyer_share_and_charges_the_fee_on_the_seller_share_only()
    {
        chain.RequireChain();
        var h = await HarnessAsync();
        var (seller, moderator, _) = await PartiesAsync(h);
        var listed = await h.ListAsync(seller, moderator, Price, DatasetAccessTypes.Download, 1, Ct);
        var (_, escrowId) = await h.BuyOnChainAsync(DevAccounts.Buyer, listed, Ct);
        var bond = await h.QueryAsync(h.Chain.Contracts.EscrowManager, new BondForFunction { DisputedAmount = Price.Units }, Ct);
        await h.SendAsync(DevAccounts.Buyer, h.Chain.Contracts.NeuroCoin, new ApproveFunction { Spender = h.Chain.Contracts.EscrowManager.Value, Value = bond }, Ct);
        await h.SendAsync(DevAccounts.Buyer, h.Chain.Contracts.EscrowManager, new OpenDisputeFunction { EscrowId = escrowId, Mode = 0 }, Ct);
        await h.SyncAsync(Ct);

        await using (var db = await h.Db.CreateDbContextAsync(Ct))
        {
            (await db.Escrows.SingleAsync(Ct)).State.ShouldBe(EscrowState.Disputed);
            (await db.Purchases.SingleAsync(Ct)).Status.ShouldBe(PurchaseStatus.Confirmed, "a disputed purchase still grants access");
        }

        await h.SendAsync(DevAccounts.Arbitrator, h.Chain.Contracts.EscrowManager, new RuleFunction { EscrowId = escrowId, SellerBps = 6_000 }, Ct);
        await h.SyncAsync(Ct);

        await using (var db = await h.Db.CreateDbContextAsync(Ct))
        {
            var purchase = await db.Purchases.SingleAsync(Ct);
            purchase.Status.ShouldBe(PurchaseStatus.Completed);
            var escrow = await db.Escrows.SingleAsync(Ct);
            escrow.State.ShouldBe(EscrowState.Resolved);
            escrow.Resolution.ShouldBe(DisputeRuling.Split);
            escrow.SellerShareBps.ShouldBe(6_000);
            var sellerGross = Price.Units * 6_000 / 10_000;
            var fee = await db.PlatformFees.SingleAsync(Ct);
            fee.Amount.Units.ShouldBe(sellerGross * 25 / 10_000);
            var refund = await db.Refunds.SingleAsync(Ct);
            refund.Amount.Units.ShouldBe(Price.Units - sellerGross);
            (refund.Amount.Units + sellerGross).ShouldBe(Price.Units, "buyer share + seller gross = the price");
        }
    }

    [Fact]
    public async Task A_reorganisation_that_removes_the_escrow_sends_the_app_purchase_back_to_pending_and_fails_the_chain_only_one()
    {
        chain.RequireChain();
        var h = await HarnessAsync();
        var (seller, moderator, buyer) = await PartiesAsync(h);
        var other = await h.UserAsync("other", DevAccounts.Arbitrator.Address, Ct);
        var listed = await h.ListAsync(seller, moderator, Price, DatasetAccessTypes.Download, 1, Ct);
        await h.SyncAsync(Ct);
        var snapshot = await h.Chain.SnapshotAsync();

        var appPurchase = await h.StartPurchaseAsync(buyer, listed, Ct);
        var (tx, _) = await h.BuyOnChainAsync(DevAccounts.Buyer, listed, Ct);
        await h.AttachTransactionAsync(appPurchase, DevAccounts.Buyer, tx, Ct);
        await h.BuyOnChainAsync(DevAccounts.Arbitrator, listed, Ct);
        await h.SyncAsync(Ct);
        await using (var db = await h.Db.CreateDbContextAsync(Ct))
        {
            (await db.Escrows.CountAsync(Ct)).ShouldBe(2);
            (await db.Purchases.CountAsync(p => p.Status == PurchaseStatus.Confirmed, Ct)).ShouldBe(2);
        }

        await h.Chain.RevertAsync(snapshot);
        await h.Chain.MineAsync(5);
        var changed = await h.SyncAsync(Ct);

        changed.ShouldContain(buyer);
        changed.ShouldContain(other);
        await using (var db = await h.Db.CreateDbContextAsync(Ct))
        {
            (await db.Escrows.CountAsync(Ct)).ShouldBe(0, "the escrows are gone from the chain");
            var mine = await db.Purchases.SingleAsync(p => p.BuyerId == buyer, Ct);
            mine.Status.ShouldBe(PurchaseStatus.Pending, "its wallet transaction may still be mined again");
            mine.OnChainEscrowId.ShouldBeNull();
            var theirs = await db.Purchases.SingleAsync(p => p.BuyerId == other, Ct);
            theirs.Status.ShouldBe(PurchaseStatus.Failed);
            theirs.FailureReason!.ShouldContain("reorganisation");
        }

        var before = await h.RowsAsync(Ct);
        await h.SyncAsync(Ct);
        (await h.RowsAsync(Ct)).ShouldBe(before);
    }

    [Fact]
    public async Task Concurrent_runs_on_PostgreSQL_never_duplicate_a_purchase_escrow_or_fee()
    {
        chain.RequireChain();
        var databases = new TestDatabases();
        _disposables.Add(databases);
        var settings = await databases.GetAsync(DbProvider.Postgres, cluster);
        var h = await PurchaseChainHarness.ForAsync(chain, settings, Ct);
        _disposables.Add(h);
        var (seller, moderator, _) = await PartiesAsync(h);
        await h.UserAsync("arbitrator", DevAccounts.Arbitrator.Address, Ct);
        var listed = await h.ListAsync(seller, moderator, Price, DatasetAccessTypes.Download, 1, Ct);
        var (_, first) = await h.BuyOnChainAsync(DevAccounts.Buyer, listed, Ct);
        await h.BuyOnChainAsync(DevAccounts.Arbitrator, listed, Ct);
        await h.SendAsync(DevAccounts.Buyer, h.Chain.Contracts.EscrowManager, new ConfirmFunction { EscrowId = first }, Ct);
        await h.Indexer.CatchUpAsync(Ct);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => h.Reconciler.ReconcileAsync(h.ChainId, Ct), Ct)));

        await using var db = await h.Db.CreateDbContextAsync(Ct);
        (await db.Escrows.CountAsync(Ct)).ShouldBe(2);
        (await db.Purchases.CountAsync(Ct)).ShouldBe(2);
        (await db.PlatformFees.CountAsync(Ct)).ShouldBe(1);
        var before = await h.RowsAsync(Ct);
        (await h.Reconciler.ReconcileAsync(h.ChainId, Ct)).ShouldBeEmpty();
        (await h.RowsAsync(Ct)).ShouldBe(before);
    }

    private async Task<PurchaseChainHarness> HarnessAsync()
    {
        var h = await PurchaseChainHarness.SqliteAsync(chain, Ct);
        _disposables.Add(h);
        return h;
    }

    private static async Task<(Guid Seller, Guid Moderator, Guid Buyer)> PartiesAsync(PurchaseChainHarness h) =>
        (await h.UserAsync("seller", DevAccounts.Seller.Address, Ct),
         await h.UserAsync("moderator", DevAccounts.Moderator.Address, Ct),
         await h.UserAsync("buyer", DevAccounts.Buyer.Address, Ct));

    public ValueTask InitializeAsync() => chain.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_disposables))
        {
            await d.DisposeAsync();
        }

        await chain.DisposeAsync();
    }
}
