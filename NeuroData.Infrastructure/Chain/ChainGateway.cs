using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain.Messages;

namespace NeuroData.Infrastructure.Chain;

/// <summary>Reads the chain through Nethereum for the domain (<see cref="IChainGateway"/>).</summary>
public sealed class ChainGateway(ChainContext context) : IChainGateway
{
    public ChainId ChainId => context.Settings.ChainId;

    public Task<ChainContracts> GetContractsAsync(CancellationToken cancellationToken = default) => context.GetContractsAsync(cancellationToken);

    public async Task<long> GetBlockNumberAsync(CancellationToken cancellationToken = default)
    {
        var block = await context.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(cancellationToken);
        return (long)block.Value;
    }

    public async Task<TokenAmount> GetTokenBalanceAsync(EthAddress address, CancellationToken cancellationToken = default)
    {
        var contracts = await context.GetContractsAsync(cancellationToken);
        var units = await QueryAsync<BalanceOfFunction, BigInteger>(contracts.NeuroCoin, new BalanceOfFunction { Account = address.Value }, cancellationToken);
        return new TokenAmount(units);
    }

    public async Task<TokenAmount> GetTokenAllowanceAsync(EthAddress owner, EthAddress spender, CancellationToken cancellationToken = default)
    {
        var contracts = await context.GetContractsAsync(cancellationToken);
        var units = await QueryAsync<AllowanceFunction, BigInteger>(contracts.NeuroCoin, new AllowanceFunction { Owner = owner.Value, Spender = spender.Value }, cancellationToken);
        return new TokenAmount(units);
    }

    public async Task<BigInteger> GetNativeBalanceAsync(EthAddress address, CancellationToken cancellationToken = default)
    {
        var wei = await context.Web3.Eth.GetBalance.SendRequestAsync(address.Value).WaitAsync(cancellationToken);
        return wei.Value;
    }

    public async Task<ChainListing?> GetListingAsync(long listingId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(listingId);
        var contracts = await context.GetContractsAsync(cancellationToken);
        var output = await context.Web3.Eth.GetContractQueryHandler<GetListingFunction>()
            .QueryDeserializingToObjectAsync<GetListingOutput>(new GetListingFunction { ListingId = listingId }, contracts.DataMarketplace.Value)
            .WaitAsync(cancellationToken);
        var l = output.Listing;
        if (l.Status == 0)
        {
            return null;
        }

        return new ChainListing(
            listingId,
            EthAddress.Parse(l.Seller),
            new TokenAmount(l.Price),
            TimeSpan.FromSeconds(l.ReviewPeriod),
            (ChainAccessType)l.AccessType,
            (ChainListingStatus)l.Status,
            l.Tranches,
            l.ContentDigest);
    }

    public async Task<ChainEscrow?> GetEscrowAsync(long escrowId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(escrowId);
        var contracts = await context.GetContractsAsync(cancellationToken);
        var output = await context.Web3.Eth.GetContractQueryHandler<GetEscrowFunction>()
            .QueryDeserializingToObjectAsync<GetEscrowOutput>(new GetEscrowFunction { EscrowId = escrowId }, contracts.EscrowManager.Value)
            .WaitAsync(cancellationToken);
        var e = output.Escrow;
        if (e.State == 0)
        {
            return null;
        }

        return new ChainEscrow(
            escrowId,
            (long)e.ListingId,
            EthAddress.Parse(e.Buyer),
            EthAddress.Parse(e.Seller),
            new TokenAmount(e.Amount),
            new TokenAmount(e.Released),
            e.FeeBps,
            (EscrowState)(e.State - 1), // the contract's State starts with None
            DateTimeOffset.FromUnixTimeSeconds((long)e.Deadline),
            e.Tranches,
            e.TranchesReleased);
    }

    public async Task<ChainReceipt?> GetReceiptAsync(TxHash hash, CancellationToken cancellationToken = default)
    {
        var receipt = await context.Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash.Value).WaitAsync(cancellationToken);
        if (receipt?.BlockNumber is null)
        {
            return null;
        }

        return new ChainReceipt(
            hash,
            (long)receipt.BlockNumber.Value,
            receipt.Status?.Value == BigInteger.One,
            EthAddress.Parse(receipt.From),
            string.IsNullOrEmpty(receipt.To) ? null : EthAddress.Parse(receipt.To));
    }

    private Task<TOut> QueryAsync<TFunction, TOut>(EthAddress contract, TFunction function, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new() =>
        context.Web3.Eth.GetContractQueryHandler<TFunction>().QueryAsync<TOut>(contract.Value, function).WaitAsync(cancellationToken);
}

internal static class ReceiptExtensions
{
    public static ChainReceipt ToChainReceipt(this Nethereum.RPC.Eth.DTOs.TransactionReceipt receipt) => new(
        TxHash.Parse(receipt.TransactionHash),
        (long)(receipt.BlockNumber ?? new HexBigInteger(0)).Value,
        receipt.Status?.Value == BigInteger.One,
        EthAddress.Parse(receipt.From),
        string.IsNullOrEmpty(receipt.To) ? null : EthAddress.Parse(receipt.To));
}
