using System.Numerics;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;

namespace NeuroData.Web.Wallet;

/// <summary>One faucet payment: the two mined transactions.</summary>
public sealed record FaucetPayment(EthAddress To, TxHash EthTransaction, TxHash TokenTransaction, long BlockNumber);

/// <summary>
/// The /dev/faucet page's drip (registered only in Development): <see cref="TokensPerDrip"/> NCR and
/// <see cref="WeiPerDrip"/> wei through the chain adapter's <see cref="IDevFaucet"/> (the dev deployer account on the
/// local chain), one payment after the other so the page can show each step.
/// </summary>
public sealed class WalletFaucet(ChainContext chain, IDevFaucet faucet)
{
    public const long TokensPerDrip = 1000;
    public static readonly BigInteger WeiPerDrip = BigInteger.Pow(10, 18);

    /// <summary>Whether the faucet can run: only against the embedded dev chain.</summary>
    public bool IsAvailable => chain.Settings.Mode == ChainMode.Embedded;

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

        progress?.Report("Sending 1 ETH for gas…");
        var eth = (await faucet.SendAsync(to, TokenAmount.Zero, WeiPerDrip, cancellationToken)).Single();
        progress?.Report($"1 ETH mined in block {eth.BlockNumber}. Sending {TokensPerDrip} NCR…");
        var ncr = (await faucet.SendAsync(to, TokenAmount.FromTokens(TokensPerDrip), BigInteger.Zero, cancellationToken)).Single();
        progress?.Report($"{TokensPerDrip} NCR mined in block {ncr.BlockNumber}.");
        return new FaucetPayment(to, eth.Hash, ncr.Hash, ncr.BlockNumber);
    }
}
