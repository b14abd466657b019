using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Tests.Integration.Indexing;

namespace NeuroData.Tests.Integration.Commerce.Purchases;

/// <summary>
/// The buyer's purchase through <see cref="PurchaseService"/> against a real anvil: the wallet's part (signing, sending)
/// is done with the dev keys exactly as a wallet would, everything else through the app's services, the indexer and the
/// reconcilers. Each test gets its own chain and database.
/// </summary>
public sealed class PurchaseFlowTests : IAsyncLifetime
{
    private static readonly TokenAmount Price = TokenAmount.ParseTokens("250.000000000000000123");

    private readonly DevChainFixture chain = new();
    private readonly List<IAsyncDisposable> _disposables = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Buy_with_a_permit_confirm_and_withdraw_moves_exactly_the_price_and_the_fee()
    {
        chain.RequireChain();
        var h = await HarnessAsync();
        var (seller, moderator, buyer) = await PartiesAsync(h);
        var listed = await h.ListAsync(seller, moderator, Price, DatasetAccessTypes.Download, 1, Ct);
        var service = h.Purchases;
        var buyerBefore = await h.NcrBalanceAsync(DevAccounts.Buyer.Address, Ct);
        var sellerBefore = await h.NcrBalanceAsync(DevAccounts.Seller.Address, Ct);

        var quote = await service.GetQuoteAsync(buyer, listed.DatasetId, Ct);
        quote.FeeBps.ShouldBe(25, "the live fee of the deployed marketplace");
        var option = quote.Options.ShouldHaveSingleItem();
        option.Price.ShouldBe(Price);
        option.Fee.Units.ShouldBe(Price.Units * 25 / 10_000);
        (option.Fee + option.SellerReceives).ShouldBe(option.Price);

        var ticket = await service.StartAsync(buyer, option.ListingRowId, DevAccounts.Buyer.Address, Price, Ct);
        ticket.Existing.ShouldBeFalse();
        (await service.StartAsync(buyer, option.ListingRowId, DevAccounts.Buyer.Address, Price, Ct)).PurchaseId.ShouldBe(ticket.PurchaseId, "a double click finds the same purchase");

        var (typedData, deadline) = await service.BuildPermitAsync(buyer, ticket.PurchaseId, DevAccounts.Buyer.Address, Ct);
        var signature = PurchaseChainHarness.SignTypedData(DevAccounts.Buyer.PrivateKey, typedData);
        var tx = await service.BuildPurchaseWithPermitAsync(buyer, ticket.PurchaseId, DevAccounts.Buyer.Address, deadline, signature, Ct);
        var receipt = await h.WalletSendAsync(DevAccounts.Buyer.PrivateKey, tx, Ct);
        receipt.Status.Value.ShouldBe(1);
        await service.RecordTransactionAsync(buyer, ticket.PurchaseId, DevAccounts.Buyer.Address, TxHash.Parse(receipt.TransactionHash), Ct);

        var again = await service.StartAsync(buyer, option.ListingRowId, DevAccounts.Buyer.Address, Price, Ct);
        again.PurchaseId.ShouldBe(ticket.PurchaseId);
        again.Transaction.ShouldBe(TxHash.Parse(receipt.TransactionHash), "the panel waits for the sent transaction instead of paying again");
        await Should.ThrowAsync<DomainException>(() => service.BuildPurchaseAsync(buyer, ticket.PurchaseId, DevAccounts.Buyer.Address, Ct));

        (await service.CheckAsync(buyer, ticket.PurchaseId, Ct)).Status.ShouldBe(PurchaseStatus.Pending, "mined, not yet indexed");
        await h.SyncAsync(Ct);
        var progress = await service.CheckAsync(buyer, ticket.PurchaseId, Ct);
        progress.Status.ShouldBe(PurchaseStatus.Confirmed);
        var escrowId = progress.EscrowId.ShouldNotBeNull();
        (await h.Entitlements().GetAsync(buyer, false, listed.DatasetId, listed.VersionId, Ct)).CanDownload.ShouldBeTrue();
        (await h.NcrBalanceAsync(DevAccounts.Buyer.Address, Ct)).ShouldBe(buyerBefore - Price.Units, "charged exactly once");

        await using (var db = await h.Db.CreateDbContextAsync(Ct))
        {
            var purchase = await db.Purchases.SingleAsync(Ct);
            var recorded = await db.ChainTransactions.SingleAsync(t => t.Id == purchase.ChainTransactionId, Ct);
            recorded.Purpose.ShouldBe(ChainTransactionPurpose.Purchase);
            recorded.Status.ShouldBe(ChainTransactionStatus.Confirmed);
            recorded.BlockNumber.ShouldBe((long)receipt.BlockNumber.Value);
        }

        await h.SendAsync(DevAccounts.Buyer, h.Chain.Contracts.EscrowManager, new ConfirmFunction { EscrowId = escrowId }, Ct);
        await h.SendAsync(DevAccounts.Seller, h.Chain.Contracts.EscrowManager, new WithdrawFunction(), Ct);
        await h.SyncAsync(Ct);

        var fee = Price.Units * 25 / 10_000;
        (await h.NcrBalanceAsync(DevAccounts.Seller.Address, Ct)).ShouldBe(sellerBefore + Price.Units - fee);
        await using (var db = await h.Db.CreateDbContextAsync(Ct))
        {
            (await db.Purchases.SingleAsync(Ct)).Status.ShouldBe(PurchaseStatus.Completed);
            (await db.PlatformFees.SingleAsync(Ct)).Amount.Units.ShouldBe(fee);
            var sellerMirror = await db.Set<MirrorAccount>().SingleAsync(a => a.Address == DevAccounts.Seller.Address, Ct);
            sellerMirror.Withdrawable.ShouldBe(TokenAmount.Zero);
            sellerMirror.Balance.Units.ShouldBe(sellerBefore + Price.Units - fee);
        }

        var accrued = await h.QueryAsync(h.Chain.Contracts.EscrowManager, new AccruedFeesQuery(), Ct);
        accrued.ShouldBe(fee, "the contract's fee pot equals the PlatformFee rows");
        var rows = await new PurchaseQueries(h.Db).ForSellerAsync(seller, Ct);
        var row = rows.ShouldHaveSingleItem();
        (row.Fee + row.SellerShare).ShouldBe(row.Price);
        (await new PurchaseQueries(h.Db).ForBuyerAsync(seller, Ct)).ShouldBeEmpty("the seller bought nothing");
    }

    [Fact]
    public async Task Before_signing_it_refuses_an_unlinked_wallet_a_changed_price_and_too_little_NCR_and_records_nothing()
    {
        chain.RequireChain();
        var h = await HarnessAsync();
        var (seller, moderator, buyer) = await PartiesAsync(h);
        var listed = await h.ListAsync(seller, moderator, Price, DatasetAccessTypes.Download, 1, Ct);
        var row = await h.ListingRowAsync(listed, Ct);
        var service = h.Purchases;
        var poor = Nethereum.Signer.EthECKey.GenerateKey();
        var poorAddress = EthAddress.Parse(poor.GetPublicAddress());
        var poorUser = await h.UserAsync("poor", poorAddress, Ct);

        (await Should.ThrowAsync<DomainException>(() => service.StartAsync(buyer, row, DevAccounts.Arbitrator.Address, Price, Ct)))
            .Message.ShouldContain("not linked to your account");
        var changed = await Should.ThrowAsync<PriceChangedException>(() => service.StartAsync(buyer, row, DevAccounts.Buyer.Address, Price - TokenAmount.FromUnits(1), Ct));
        changed.Message.ShouldBe($"The price changed to {Price}; review it and try again.");
        (await Should.ThrowAsync<DomainException>(() => service.StartAsync(poorUser, row, poorAddress, Price, Ct)))
            .Message.ShouldContain("Not enough NCR");
        (await Should.ThrowAsync<DomainException>(() => service.StartAsync(seller, row, DevAccounts.Seller.Address, Price, Ct)))
            .Message.ShouldContain("own dataset");

        await using var db = await h.Db.CreateDbContextAsync(Ct);
        (await db.Purchases.CountAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task A_price_raised_after_the_page_loaded_reverts_the_purchase_and_says_the_new_price()
    {
        chain.RequireChain();
        var h = await HarnessAsync();
        var (seller, moderator, buyer) = await PartiesAsync(h);
        var listed = await h.ListAsync(seller, moderator, Price, DatasetAccessTypes.Download, 1, Ct);
        var service = h.Purchases;
        var ticket = await service.StartAsync(buyer, await h.ListingRowAsync(listed, Ct), DevAccounts.Buyer.Address, Price, Ct);
        var approve = await service.BuildApproveIfNeededAsync(buyer, ticket.PurchaseId, DevAccounts.Buyer.Address, Ct);
        (await h.WalletSendAsync(DevAccounts.Buyer.PrivateKey, approve.ShouldNotBeNull(), Ct)).Status.Value.ShouldBe(1);
        (await service.BuildApproveIfNeededAsync(buyer, ticket.PurchaseId, DevAccounts.Buyer.Address, Ct)).ShouldBeNull("the allowance now covers the price");
        var purchaseTx = await service.BuildPurchaseAsync(buyer, ticket.PurchaseId, DevAccounts.Buyer.Address, Ct);
        var raised = Price + TokenAmount.FromTokens(1);
        await h.SendAsync(DevAccounts.Seller, h.Chain.Contracts.DataMarketplace, new UpdatePriceFunction { ListingId = listed.ListingId, NewPrice = raised.Units }, Ct);
        var buyerBefore = await h.NcrBalanceAsync(DevAccounts.Buyer.Address, Ct);

        var receipt = await h.WalletSendAsync(DevAccounts.Buyer.PrivateKey, purchaseTx, Ct);
        receipt.Status.Value.ShouldBe(0, "maxPrice is the price the buyer saw");
        await service.RecordTransactionAsync(buyer, ticket.PurchaseId, DevAccounts.Buyer.Address, TxHash.Parse(receipt.TransactionHash), Ct);
        var progress = await service.CheckAsync(buyer, ticket.PurchaseId, Ct);

        progress.Status.ShouldBe(PurchaseStatus.Failed);
        progress.Message.ShouldBe($"The price changed to {raised}; review it and try again.");
        (await h.NcrBalanceAsync(DevAccounts.Buyer.Address, Ct)).ShouldBe(buyerBefore, "nothing was paid");
        await h.SyncAsync(Ct);
        await using var db = await h.Db.CreateDbContextAsync(Ct);
        (await db.Purchases.SingleAsync(Ct)).Status.ShouldBe(PurchaseStatus.Failed);
        (await db.ChainTransactions.SingleAsync(Ct)).Status.ShouldBe(ChainTransactionStatus.Reverted);
        (await db.Escrows.CountAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Fifty_buyers_buying_the_same_dataset_at_once_each_get_exactly_one_purchase_and_one_escrow()
    {
        chain.RequireChain();
        const int buyers = 50;
        var h = await HarnessAsync();
        var seller = await h.UserAsync("seller", DevAccounts.Seller.Address, Ct);
        var moderator = await h.UserAsync("moderator", null, Ct);
        var price = TokenAmount.ParseTokens("3.5");
        var listed = await h.ListAsync(seller, moderator, price, DatasetAccessTypes.Download, 1, Ct);
        var row = await h.ListingRowAsync(listed, Ct);
        var keys = Enumerable.Range(0, buyers).Select(_ => Nethereum.Signer.EthECKey.GenerateKey()).ToList();
        var people = new List<(Guid User, EthAddress Address, string Key)>();
        foreach (var key in keys)
        {
            var address = EthAddress.Parse(key.GetPublicAddress());
            await h.Chain.RpcAsync("anvil_setBalance", address.Value, "0x56BC75E2D63100000"); // 100 ETH for gas
            await h.SendAsync(DevAccounts.Buyer, h.Chain.Contracts.NeuroCoin, new TransferFunction { To = address.Value, Value = price.Units * 2 }, Ct);
            people.Add((await h.UserAsync("buyer", address, Ct), address, key.GetPrivateKey()));
        }

        var service = h.Purchases;
        var sent = await Task.WhenAll(people.Select(p => Task.Run(async () =>
        {
            // Each buyer double-clicks: two requests at once must give one purchase.
            var tickets = await Task.WhenAll(
                service.StartAsync(p.User, row, p.Address, price, Ct),
                service.StartAsync(p.User, row, p.Address, price, Ct));
            tickets[1].PurchaseId.ShouldBe(tickets[0].PurchaseId);
            var (typedData, deadline) = await service.BuildPermitAsync(p.User, tickets[0].PurchaseId, p.Address, Ct);
            var tx = await service.BuildPurchaseWithPermitAsync(p.User, tickets[0].PurchaseId, p.Address, deadline, PurchaseChainHarness.SignTypedData(p.Key, typedData), Ct);
            var receipt = await h.WalletSendAsync(p.Key, tx, Ct);
            receipt.Status.Value.ShouldBe(1);
            await service.RecordTransactionAsync(p.User, tickets[0].PurchaseId, p.Address, TxHash.Parse(receipt.TransactionHash), Ct);
            return tickets[0].PurchaseId;
        }, Ct)));

        await h.SyncAsync(Ct);

        await using var db = await h.Db.CreateDbContextAsync(Ct);
        var purchases = await db.Purchases.AsNoTracking().ToListAsync(Ct);
        purchases.Count.ShouldBe(buyers);
        purchases.Select(p => p.Id).ShouldBe(sent, ignoreOrder: true);
        purchases.ShouldAllBe(p => p.Status == PurchaseStatus.Confirmed);
        purchases.Select(p => p.BuyerId).Distinct().Count().ShouldBe(buyers);
        var escrows = await db.Escrows.AsNoTracking().ToListAsync(Ct);
        escrows.Count.ShouldBe(buyers);
        escrows.Select(e => e.PurchaseId).ShouldBe(purchases.Select(p => (Guid?)p.Id), ignoreOrder: true);
        escrows.Select(e => e.Buyer).Distinct().Count().ShouldBe(buyers);
        foreach (var p in people)
        {
            (await h.NcrBalanceAsync(p.Address, Ct)).ShouldBe(price.Units, "each paid exactly once (funded with twice the price)");
        }
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

/// <summary>EscrowManager.accruedFees() (the fee pot the treasury sweeps).</summary>
[Nethereum.ABI.FunctionEncoding.Attributes.Function("accruedFees", "uint256")]
public sealed class AccruedFeesQuery : Nethereum.Contracts.FunctionMessage;
