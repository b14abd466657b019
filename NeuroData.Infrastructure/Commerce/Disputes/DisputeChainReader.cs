using System.Collections.Concurrent;
using System.Numerics;
using Nethereum.Hex.HexTypes;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;

namespace NeuroData.Infrastructure.Commerce.Disputes;

/// <summary>The dispute facts the mirror does not keep, read live from the EscrowManager and Staking contracts.</summary>
public sealed record ChainDisputeFacts(
    TokenAmount Bond,
    DateTimeOffset? RulingDeadline,
    int QuorumBps,
    long SnapshotBlock,
    DateTimeOffset? VoteEnd,
    TokenAmount SnapshotTotalStake,
    TokenAmount VotesForSeller,
    TokenAmount VotesForBuyer)
{
    /// <summary>The weight that must vote for the outcome to count (rounded down like the contract).</summary>
    public TokenAmount Quorum => TokenAmount.FromUnits(SnapshotTotalStake.Units * QuorumBps / 10_000);

    public TokenAmount Cast => VotesForSeller + VotesForBuyer;
}

/// <summary>Read-only contract calls for the dispute pages, and block times (cached: a mined block's time never changes).</summary>
public sealed class DisputeChainReader(ChainContext context)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _blockTimes = new();

    /// <summary>The bond a dispute over <paramref name="disputedAmount"/> requires right now (EscrowManager.bondFor).</summary>
    public async Task<TokenAmount> BondForAsync(TokenAmount disputedAmount, CancellationToken ct)
    {
        var c = await context.GetContractsAsync(ct);
        var units = await context.Web3.Eth.GetContractQueryHandler<BondForFunction>()
            .QueryAsync<BigInteger>(c.EscrowManager.Value, new BondForFunction { DisputedAmount = disputedAmount.Units }).WaitAsync(ct);
        return TokenAmount.FromUnits(units);
    }

    public async Task<ChainDisputeFacts> GetDisputeAsync(long escrowId, CancellationToken ct)
    {
        var c = await context.GetContractsAsync(ct);
        var d = (await context.Web3.Eth.GetContractQueryHandler<GetDisputeFunction>()
            .QueryDeserializingToObjectAsync<GetDisputeOutput>(new GetDisputeFunction { EscrowId = escrowId }, c.EscrowManager.Value).WaitAsync(ct)).Dispute;
        return new ChainDisputeFacts(
            TokenAmount.FromUnits(d.Bond),
            d.RulingDeadline == 0 ? null : DateTimeOffset.FromUnixTimeSeconds((long)d.RulingDeadline),
            d.QuorumBps,
            (long)d.SnapshotBlock,
            d.VoteEnd == 0 ? null : DateTimeOffset.FromUnixTimeSeconds((long)d.VoteEnd),
            TokenAmount.FromUnits(d.SnapshotTotalStake),
            TokenAmount.FromUnits(d.VotesForSeller),
            TokenAmount.FromUnits(d.VotesForBuyer));
    }

    /// <summary>The account's stake at the snapshot block (its voting weight for a dispute).</summary>
    public async Task<TokenAmount> PastStakeAsync(EthAddress account, long block, CancellationToken ct)
    {
        var c = await context.GetContractsAsync(ct);
        var units = await context.Web3.Eth.GetContractQueryHandler<GetPastStakeFunction>()
            .QueryAsync<BigInteger>(c.Staking.Value, new GetPastStakeFunction { Account = account.Value, BlockNumber = block }).WaitAsync(ct);
        return TokenAmount.FromUnits(units);
    }

    /// <summary>The chain's own time now (the latest block's timestamp): deadlines are judged by it, not the server clock.</summary>
    public async Task<DateTimeOffset> LatestBlockTimeAsync(CancellationToken ct)
    {
        var block = await context.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber
            .SendRequestAsync(Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest()).WaitAsync(ct);
        return DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
    }

    /// <summary>Timestamps of mined blocks (null for a block the node cannot return).</summary>
    public async Task<IReadOnlyDictionary<long, DateTimeOffset>> BlockTimesAsync(IEnumerable<long> blocks, CancellationToken ct)
    {
        var result = new Dictionary<long, DateTimeOffset>();
        foreach (var number in blocks.Distinct())
        {
            if (!_blockTimes.TryGetValue(number, out var time))
            {
                var block = await context.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(number)).WaitAsync(ct);
                if (block is null)
                {
                    continue;
                }

                time = DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
                _blockTimes[number] = time;
            }

            result[number] = time;
        }

        return result;
    }
}
