using System.Numerics;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;

namespace NeuroData.Web.Wallet;

/// <summary>One faucet payment: the two mined transactions.</summary>
public sealed record FaucetPayment(EthAddress To, TxHash EthTransaction, TxHash TokenTransaction, long BlockNumber);

/// <summary>
/// Development only (registered only in Development, page /dev/faucet): sends <see cref="TokensPerDrip"/> NCR and
/// <see cref="WeiPerDrip"/> wei from the dev deployer account (anvil account 0, which holds the NCR treasury) on the
/// local chain. Payments go one at a time; each waits until mined.
/// </summary>
public sealed class DevFaucet : IDisposable
{
    public const long TokensPerDrip = 1000;
    public static readonly BigInteger WeiPerDrip = BigInteger.Pow(10, 18);

    private readonly ChainContext _chain;
    private readonly Lazy<ChainTransactionSender> _sender;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DevFaucet(ChainContext chain, ContractErrorDecoder decoder, ILogger<DevFaucet> logger)
    {
        _chain = chain;
        _sender = new Lazy<ChainTransactionSender>(() => new ChainTransactionSender(chain.Settings, DevAccounts.Deployer.PrivateKey, decoder, logger));
    }

    /// <summary>Whether the faucet can run: only against the embedded dev chain.</summary>
    public bool IsAvailable => _chain.Settings.Mode == ChainMode.Embedded;

    /// <summary>Sends 1 ETH, then 1000 NCR; <paramref name="progress"/> hears each step. Throws <see cref="ChainTransactionException"/> with a clear message.</summary>
    public async Task<FaucetPayment> DripAsync(EthAddress to, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        if (!IsAvailable)
        {
            throw new ChainTransactionException("The faucet works only on the local development chain.");
        }

        if (to.IsZero)
        {
            throw new ChainTransactionException("The zero address cannot receive funds.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var contracts = await _chain.GetContractsAsync(cancellationToken);
            progress?.Report("Sending 1 ETH for gas…");
            var eth = await _sender.Value.SendValueAsync(to, WeiPerDrip, cancellationToken);
            progress?.Report($"1 ETH mined in block {eth.BlockNumber.Value}. Sending {TokensPerDrip} NCR…");
            var ncr = await _sender.Value.SendAsync(
                contracts.NeuroCoin,
                new TransferFunction { To = to.Value, Value = TokenAmount.FromTokens(TokensPerDrip).Units },
                cancellationToken);
            progress?.Report($"{TokensPerDrip} NCR mined in block {ncr.BlockNumber.Value}.");
            return new FaucetPayment(to, TxHash.Parse(eth.TransactionHash), TxHash.Parse(ncr.TransactionHash), (long)ncr.BlockNumber.Value);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        if (_sender.IsValueCreated)
        {
            _sender.Value.Dispose();
        }

        _gate.Dispose();
    }
}
