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
    private long _startBlock;

    public ChainContext(ChainSettings settings)
    {
        Settings = settings;
        Web3 = new Web3(settings.RpcUrl);
        if (settings.Contracts is not null)
        {
            _startBlock = settings.StartBlock;
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

    /// <summary>
    /// The first block with platform contract events (where an indexer starts): the dev deployment's first block in
    /// Embedded mode, <c>NeuroData:Chain:StartBlock</c> in External mode. Waits like <see cref="GetContractsAsync"/>.
    /// </summary>
    public async Task<long> GetStartBlockAsync(CancellationToken cancellationToken = default)
    {
        await GetContractsAsync(cancellationToken);
        return Interlocked.Read(ref _startBlock);
    }

    /// <summary>Called by the dev chain start-up once the contracts are deployed (or found).</summary>
    public void SetContracts(ChainContracts contracts, long startBlock = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startBlock);
        if (_contracts.Task.IsCompleted)
        {
            if (!_contracts.Task.IsCompletedSuccessfully || _contracts.Task.Result != contracts)
            {
                throw new InvalidOperationException("The chain's contract addresses are already set to different values.");
            }

            return;
        }

        Interlocked.Exchange(ref _startBlock, startBlock);
        _contracts.TrySetResult(contracts);
    }

    /// <summary>Called when the dev chain could not start: every waiting caller gets this error.</summary>
    public void SetFailed(Exception error) => _contracts.TrySetException(error);
}
