using System.Numerics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.Contracts;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Chain;

/// <summary>Reads, operator transactions and wallet requests against the shared, deployed test chain.</summary>
public sealed class ChainGatewayTests(AnvilFixture anvil)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gateway_ReadsBalances_AfterATransfer()
    {
        await anvil.RequireChainAsync();
        var recipient = EthAddress.FromBytes(RandomNumberGenerator.GetBytes(20));
        var amount = TokenAmount.ParseTokens("12.5");
        var before = await anvil.Gateway.GetTokenBalanceAsync(DevAccounts.Arbitrator.Address, Ct);
        using var sender = new ChainTransactionSender(anvil.Settings, DevAccounts.Arbitrator.PrivateKey, anvil.Decoder, NullLogger.Instance);

        var receipt = await sender.SendAsync(anvil.Contracts.NeuroCoin, new TransferFunction { To = recipient.Value, Value = amount.Units }, Ct);

        (await anvil.Gateway.GetTokenBalanceAsync(recipient, Ct)).ShouldBe(amount);
        (await anvil.Gateway.GetTokenBalanceAsync(DevAccounts.Arbitrator.Address, Ct)).ShouldBe(before - amount);
        (await anvil.Gateway.GetNativeBalanceAsync(recipient, Ct)).ShouldBe(BigInteger.Zero);
        (await anvil.Gateway.GetNativeBalanceAsync(DevAccounts.Arbitrator.Address, Ct)).ShouldBeGreaterThan(BigInteger.Zero);

        var read = await anvil.Gateway.GetReceiptAsync(TxHash.Parse(receipt.TransactionHash), Ct);
        read.ShouldNotBeNull();
        read.Succeeded.ShouldBeTrue();
        read.From.ShouldBe(DevAccounts.Arbitrator.Address);
        read.To.ShouldBe(anvil.Contracts.NeuroCoin);
        read.BlockNumber.ShouldBeLessThanOrEqualTo(await anvil.Gateway.GetBlockNumberAsync(Ct));
        anvil.Gateway.ChainId.ShouldBe(ChainId.LocalDev);
    }

    [Fact]
    public async Task Gateway_UnknownTransactionListingAndEscrow_AreNull()
    {
        await anvil.RequireChainAsync();
        (await anvil.Gateway.GetReceiptAsync(TxHash.FromBytes(RandomNumberGenerator.GetBytes(32)), Ct)).ShouldBeNull();
        (await anvil.Gateway.GetListingAsync(1_000_000, Ct)).ShouldBeNull();
        (await anvil.Gateway.GetEscrowAsync(1_000_000, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Operator_ApprovesAListing_CreatedFromTheSellersWallet()
    {
        await anvil.RequireChainAsync();
        var listingId = await CreateListingAsync(TokenAmount.FromTokens(50));
        var pending = await anvil.Gateway.GetListingAsync(listingId, Ct);
        pending.ShouldNotBeNull();
        pending.Status.ShouldBe(ChainListingStatus.Pending);
        pending.Seller.ShouldBe(DevAccounts.Seller.Address);
        pending.Price.ShouldBe(TokenAmount.FromTokens(50));
        pending.ReviewPeriod.ShouldBe(TimeSpan.FromDays(3));
        pending.AccessType.ShouldBe(ChainAccessType.TrainingOnly);
        pending.Tranches.ShouldBe(2);

        var receipt = await anvil.Operator.ApproveListingAsync(listingId, Ct);

        receipt.Succeeded.ShouldBeTrue();
        receipt.From.ShouldBe(DevAccounts.Deployer.Address);
        (await anvil.Gateway.GetListingAsync(listingId, Ct))!.Status.ShouldBe(ChainListingStatus.Approved);
    }

    [Fact]
    public async Task Operator_ApprovingTwice_IsRefusedWithTheDecodedCustomError()
    {
        await anvil.RequireChainAsync();
        var listingId = await CreateListingAsync(TokenAmount.FromTokens(7));
        await anvil.Operator.ApproveListingAsync(listingId, Ct);
        var block = await anvil.Gateway.GetBlockNumberAsync(Ct);

        var error = await Should.ThrowAsync<ChainTransactionException>(() => anvil.Operator.ApproveListingAsync(listingId, Ct));

        error.ErrorName.ShouldBe("InvalidListingStatus");
        error.Message.ShouldBe($"The contract refused approveListing: InvalidListingStatus(listingId: {listingId}, status: 2).");
        error.TransactionHash.ShouldBeNull("nothing was sent");
        (await anvil.Gateway.GetBlockNumberAsync(Ct)).ShouldBe(block);

        // The nonce manager recovers: the next operator transaction goes through.
        var other = await CreateListingAsync(TokenAmount.FromTokens(8));
        (await anvil.Operator.RejectListingAsync(other, "Sample file is empty", Ct)).Succeeded.ShouldBeTrue();
        (await anvil.Gateway.GetListingAsync(other, Ct))!.Status.ShouldBe(ChainListingStatus.Rejected);
    }

    [Fact]
    public async Task WalletRequests_ApproveAndPurchase_AreAcceptedByTheNode_AndOpenAnEscrow()
    {
        await anvil.RequireChainAsync();
        var price = TokenAmount.FromTokens(20);
        var listingId = await CreateListingAsync(price);
        await anvil.Operator.ApproveListingAsync(listingId, Ct);
        var buyer = DevAccounts.Buyer.Address;
        var buyerBefore = await anvil.Gateway.GetTokenBalanceAsync(buyer, Ct);

        var approve = await anvil.Builder.ApproveTokenAsync(buyer, ChainSpender.DataMarketplace, price, Ct);
        approve.To.ShouldBe(anvil.Contracts.NeuroCoin);
        approve.ValueHex.ShouldBe("0x0");
        approve.Data.ShouldStartWith("0x095ea7b3"); // approve(address,uint256)
        await SendAndExpectSuccessAsync(approve);
        (await anvil.Gateway.GetTokenAllowanceAsync(buyer, anvil.Contracts.DataMarketplace, Ct)).ShouldBe(price);

        var purchase = await anvil.Builder.PurchaseAsync(buyer, listingId, price, Ct);
        await SendAndExpectSuccessAsync(purchase);

        (await anvil.Gateway.GetTokenBalanceAsync(buyer, Ct)).ShouldBe(buyerBefore - price);
        var escrowCount = await new Nethereum.Web3.Web3(anvil.Settings.RpcUrl).Eth.GetContractQueryHandler<EscrowCountFunction>()
            .QueryAsync<BigInteger>(anvil.Contracts.EscrowManager.Value, new EscrowCountFunction());
        var escrow = await anvil.Gateway.GetEscrowAsync((long)escrowCount, Ct);
        escrow.ShouldNotBeNull();
        escrow.ListingId.ShouldBe(listingId);
        escrow.Buyer.ShouldBe(buyer);
        escrow.Seller.ShouldBe(DevAccounts.Seller.Address);
        escrow.Amount.ShouldBe(price);
        escrow.State.ShouldBe(EscrowState.Funded);
        escrow.Tranches.ShouldBe(2);
        escrow.FeeBps.ShouldBe(25);

        var confirm = await anvil.Builder.ConfirmReceiptAsync(buyer, escrow.EscrowId, Ct);
        await SendAndExpectSuccessAsync(confirm);
        var afterOne = await anvil.Gateway.GetEscrowAsync(escrow.EscrowId, Ct);
        afterOne!.TranchesReleased.ShouldBe(1);
        afterOne.Released.ShouldBe(TokenAmount.FromTokens(10));
    }

    [Fact]
    public async Task WalletRequest_PurchaseAboveMaxPrice_IsRefused_AndTheRevertDecodes()
    {
        await anvil.RequireChainAsync();
        var listingId = await CreateListingAsync(TokenAmount.FromTokens(30));
        await anvil.Operator.ApproveListingAsync(listingId, Ct);
        var request = await anvil.Builder.PurchaseAsync(DevAccounts.Buyer.Address, listingId, TokenAmount.FromTokens(29), Ct);

        // What a wallet does before it asks the user to sign: estimate the gas. The node refuses with the revert data.
        var outcome = await AnvilFixture.EstimateGasAsync(anvil.Settings.RpcUrl, request.ToEip1193(), Ct);

        outcome.ErrorMessage.ShouldNotBeNull();
        var decoded = anvil.Decoder.Decode(outcome.ErrorData);
        decoded.ShouldNotBeNull();
        decoded.Name.ShouldBe("PriceAboveMax");
        decoded.Description.ShouldBe($"PriceAboveMax(price: {TokenAmount.FromTokens(30).Units}, maxPrice: {TokenAmount.FromTokens(29).Units})");
    }

    [Fact]
    public async Task WalletRequests_PermitSignedInTheWallet_BuysWithoutAnApprove()
    {
        await anvil.RequireChainAsync();
        var price = TokenAmount.FromTokens(15);
        var listingId = await CreateListingAsync(price);
        await anvil.Operator.ApproveListingAsync(listingId, Ct);
        var buyer = DevAccounts.Buyer.Address;
        var deadline = DateTimeOffset.FromUnixTimeSeconds(4_000_000_000);

        var typedData = await anvil.Builder.BuildPurchasePermitAsync(buyer, price, deadline, Ct);
        var signature = await AnvilFixture.SignTypedDataAsync(anvil.Settings.RpcUrl, buyer, typedData, Ct);
        var request = await anvil.Builder.PurchaseWithPermitAsync(buyer, listingId, price, deadline, signature, Ct);
        var receipt = await SendAndExpectSuccessAsync(request);

        receipt.DecodeAllEvents<PermitFailedEvent>().ShouldBeEmpty("the permit signature was valid");
        var purchased = receipt.DecodeAllEvents<PurchasedEvent>().ShouldHaveSingleItem().Event;
        purchased.ListingId.ShouldBe(new BigInteger(listingId));
        purchased.Buyer.ShouldBe(buyer.Value, StringCompareShould.IgnoreCase);
        purchased.Price.ShouldBe(price.Units);
        var escrow = await anvil.Gateway.GetEscrowAsync((long)purchased.EscrowId, Ct);
        escrow!.State.ShouldBe(EscrowState.Funded);
    }

    [Fact]
    public async Task WalletRequest_Stake_IsAcceptedByTheNode()
    {
        await anvil.RequireChainAsync();
        var staker = DevAccounts.Seller.Address;
        var amount = TokenAmount.FromTokens(100);
        await SendAndExpectSuccessAsync(await anvil.Builder.ApproveTokenAsync(staker, ChainSpender.Staking, amount, Ct));
        var before = await anvil.Gateway.GetTokenBalanceAsync(staker, Ct);

        await SendAndExpectSuccessAsync(await anvil.Builder.StakeAsync(staker, amount, Ct));

        (await anvil.Gateway.GetTokenBalanceAsync(staker, Ct)).ShouldBe(before - amount);
        var staked = await new Nethereum.Web3.Web3(anvil.Settings.RpcUrl).Eth.GetContractQueryHandler<StakedOfFunction>()
            .QueryAsync<BigInteger>(anvil.Contracts.Staking.Value, new StakedOfFunction { Account = staker.Value });
        staked.ShouldBeGreaterThanOrEqualTo(amount.Units);
    }

    [Fact]
    public async Task Builder_RefusesBadArguments_BeforeAnythingReachesTheWallet()
    {
        await anvil.RequireChainAsync();
        var seller = DevAccounts.Seller.Address;
        (await Should.ThrowAsync<DomainException>(() => anvil.Builder.CreateListingAsync(seller, new byte[31], TokenAmount.FromTokens(1), TimeSpan.FromDays(1), ChainAccessType.Download, 1, Ct)))
            .Message.ShouldContain("32 bytes");
        (await Should.ThrowAsync<DomainException>(() => anvil.Builder.CreateListingAsync(seller, Digest(), TokenAmount.Zero, TimeSpan.FromDays(1), ChainAccessType.Download, 1, Ct)))
            .Message.ShouldContain("price above zero");
        (await Should.ThrowAsync<DomainException>(() => anvil.Builder.CreateListingAsync(seller, Digest(), TokenAmount.FromTokens(1), TimeSpan.FromDays(1), ChainAccessType.Download, 13, Ct)))
            .Message.ShouldContain("1 to 12");
        (await Should.ThrowAsync<DomainException>(() => anvil.Builder.PurchaseAsync(seller, 0, TokenAmount.FromTokens(1), Ct)))
            .Message.ShouldContain("positive");
        (await Should.ThrowAsync<DomainException>(() => anvil.Builder.PurchaseWithPermitAsync(seller, 1, TokenAmount.FromTokens(1), DateTimeOffset.UnixEpoch, "0x1234", Ct)))
            .Message.ShouldContain("65 bytes");
    }

    private async Task<long> CreateListingAsync(TokenAmount price)
    {
        var request = await anvil.Builder.CreateListingAsync(DevAccounts.Seller.Address, Digest(), price, TimeSpan.FromDays(3), ChainAccessType.TrainingOnly, 2, Ct);
        var receipt = await SendAndExpectSuccessAsync(request);
        var logs = receipt.DecodeAllEvents<ListingCreatedEvent>();
        logs.Count.ShouldBe(1);
        return (long)logs[0].Event.ListingId;
    }

    private async Task<Nethereum.RPC.Eth.DTOs.TransactionReceipt> SendAndExpectSuccessAsync(UnsignedTransaction request)
    {
        var outcome = await AnvilFixture.SendFromUnlockedAsync(anvil.Settings.RpcUrl, request.ToEip1193(), Ct);
        outcome.Hash.ShouldNotBeNull($"the node refused the request: {outcome.ErrorMessage} {anvil.Decoder.Decode(outcome.ErrorData)?.Description}");
        var receipt = await AnvilFixture.WaitForReceiptAsync(anvil.Settings.RpcUrl, outcome.Hash, Ct);
        receipt.Status.Value.ShouldBe(BigInteger.One);
        (await anvil.Gateway.GetReceiptAsync(outcome.Hash, Ct))!.Succeeded.ShouldBeTrue();
        return receipt;
    }

    private static byte[] Digest() => RandomNumberGenerator.GetBytes(32);
}
