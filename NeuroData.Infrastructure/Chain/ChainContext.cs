using Nethereum.Web3;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Chain;

/// <summary>
/// The chain the app talks to: settings, a read-only Web3 client and the contract addresses. In External mode the
/// addresses come from configuration and are known at once; in Embedded mode they are known once the dev chain has
/// started and the contracts are deployed, and <see cref="GetContractsAsync"/> waits for that (or fails with the
/// start-up error).
/// </summary>
public sealed class ChainContext
{
    private readonly TaskCompletionSource<ChainContracts> _contracts = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChainContext(ChainSettings settings)
    {
        Settings = settings;
        Web3 = new Web3(settings.RpcUrl);
        if (settings.Contracts is not null)
        {
            _contracts.SetResult(settings.Contracts);
        }
    }

    public ChainSettings Settings { get; }

    /// <summary>A Web3 client without an account: reads and raw RPC only.</summary>
    public IWeb3 Web3 { get; }

    /// <summary>True once the contract addresses are known.</summary>
    public bool IsReady => _contracts.Task.IsCompletedSuccessfully;

    /// <summary>The contract addresses; waits while the dev chain is starting.</summary>
    public Task<ChainContracts> GetContractsAsync(CancellationToken cancellationToken = default) => _contracts.Task.WaitAsync(cancellationToken);

    /// <summary>Called by the dev chain start-up once the contracts are deployed (or found).</summary>
    public void SetContracts(ChainContracts contracts)
    {
        if (!_contracts.TrySetResult(contracts) && _contracts.Task.Result != contracts)
        {
            throw new InvalidOperationException("The chain's contract addresses are already set to different values.");
        }
    }

    /// <summary>Called when the dev chain could not start: every waiting caller gets this error.</summary>
    public void SetFailed(Exception error) => _contracts.TrySetException(error);
}
