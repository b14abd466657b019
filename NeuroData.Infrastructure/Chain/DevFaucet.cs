using System.Numerics;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain.Messages;

namespace NeuroData.Infrastructure.Chain;

/// <summary>
/// Embedded mode only: sends NCR (from the deployer's supply) and ETH (from dev account 0) to any wallet, at most
/// 10,000 NCR and 10 ETH per request.
/// </summary>
public sealed class DevFaucet(ChainContext context, ChainSigners signers) : IDevFaucet
{
    public TokenAmount MaxTokens { get; } = TokenAmount.FromTokens(10_000);

    public BigInteger MaxWei { get; } = 10 * BigInteger.Pow(10, 18);

    public async Task<IReadOnlyList<ChainReceipt>> SendAsync(EthAddress to, TokenAmount tokens, BigInteger wei, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(to);
        if (context.Settings.Mode != ChainMode.Embedded)
        {
            throw new InvalidOperationException("The faucet exists only on the local dev chain (NeuroData:Chain:Mode=Embedded).");
        }

        if (to.IsZero)
        {
            throw new DomainException("The faucet cannot send to the zero address.");
        }

        if (tokens > MaxTokens)
        {
            throw new DomainException($"The faucet sends at most {MaxTokens} per request.");
        }

        if (wei.Sign < 0 || wei > MaxWei)
        {
            throw new DomainException("The faucet sends between 0 and 10 ETH per request.");
        }

        if (tokens.IsZero && wei.IsZero)
        {
            throw new DomainException("Ask the faucet for some NCR or ETH.");
        }

        var contracts = await context.GetContractsAsync(cancellationToken);
        var sender = signers.For(DevAccounts.Deployer.PrivateKey);
        var receipts = new List<ChainReceipt>();
        if (!tokens.IsZero)
        {
            var receipt = await sender.SendAsync(contracts.NeuroCoin, new TransferFunction { To = to.Value, Value = tokens.Units }, cancellationToken);
            receipts.Add(receipt.ToChainReceipt());
        }

        if (!wei.IsZero)
        {
            receipts.Add((await sender.SendValueAsync(to, wei, cancellationToken)).ToChainReceipt());
        }

        return receipts;
    }
}
