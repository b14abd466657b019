using System.Globalization;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Payouts;

/// <summary>The marketplace's parameters as the contracts hold them right now.</summary>
public sealed record ChainParameterSnapshot(
    int FeeBps,
    int MaxFeeBps,
    int BondBps,
    TokenAmount MinBond,
    int BondBurnBps,
    TimeSpan RulingTimeout,
    TimeSpan VotingPeriod,
    int QuorumBps,
    int RewardRateBps,
    TokenAmount RewardReserve,
    TokenAmount TotalStaked,
    EthAddress Treasury,
    TokenAmount AccruedFees,
    TimeSpan MinReviewPeriod,
    TimeSpan MaxReviewPeriod,
    bool MarketplacePaused,
    bool EscrowPaused,
    bool StakingPaused);

/// <summary>Platform fee income: every fee an escrow took when it paid a seller.</summary>
public sealed record FeeIncome(TokenAmount Total, int Count, IReadOnlyList<MonthAmount> ByMonth, IReadOnlyList<FeeRow> Recent);

/// <summary>One fee: the escrow, the gross paid to the seller side, the fee, and where it came from.</summary>
public sealed record FeeRow(long EscrowId, string Source, TokenAmount Fee, TxHash TxHash, long BlockNumber, DateTimeOffset? At);

/// <summary>
/// Admin reads: the on-chain parameters (live calls to the contracts) and the fee income (from the mirrored
/// EscrowReleased, TrancheReleased and DisputeResolved events, whose <c>fee</c> is exactly what the escrow kept for the
/// treasury).
/// </summary>
public sealed class PlatformFinanceQueries(IDbContextFactory<NeuroDataDbContext> contexts, ChainContext chain, BlockTimestamps blockTimes)
{
    public const int RecentRows = 50;

    public async Task<ChainParameterSnapshot> ReadParametersAsync(CancellationToken cancellationToken)
    {
        var c = await chain.GetContractsAsync(cancellationToken);
        var escrow = c.EscrowManager.Value;
        var market = c.DataMarketplace.Value;
        var staking = c.Staking.Value;
        return new ChainParameterSnapshot(
            FeeBps: (int)await NumberAsync<FeeBpsFunction>(market, cancellationToken),
            MaxFeeBps: (int)await NumberAsync<MaxFeeBpsFunction>(market, cancellationToken),
            BondBps: (int)await NumberAsync<BondBpsFunction>(escrow, cancellationToken),
            MinBond: new TokenAmount(await NumberAsync<MinBondFunction>(escrow, cancellationToken)),
            BondBurnBps: (int)await NumberAsync<BondBurnBpsFunction>(escrow, cancellationToken),
            RulingTimeout: Seconds(await NumberAsync<RulingTimeoutFunction>(escrow, cancellationToken)),
            VotingPeriod: Seconds(await NumberAsync<VotingPeriodFunction>(escrow, cancellationToken)),
            QuorumBps: (int)await NumberAsync<QuorumBpsFunction>(escrow, cancellationToken),
            RewardRateBps: (int)await NumberAsync<RewardRateBpsFunction>(staking, cancellationToken),
            RewardReserve: new TokenAmount(await NumberAsync<RewardReserveFunction>(staking, cancellationToken)),
            TotalStaked: new TokenAmount(await NumberAsync<TotalStakedFunction>(staking, cancellationToken)),
            Treasury: EthAddress.Parse(await chain.Web3.Eth.GetContractQueryHandler<TreasuryFunction>().QueryAsync<string>(escrow, new TreasuryFunction()).WaitAsync(cancellationToken)),
            AccruedFees: new TokenAmount(await NumberAsync<AccruedFeesFunction>(escrow, cancellationToken)),
            MinReviewPeriod: Seconds(await NumberAsync<MinReviewPeriodFunction>(market, cancellationToken)),
            MaxReviewPeriod: Seconds(await NumberAsync<MaxReviewPeriodFunction>(market, cancellationToken)),
            MarketplacePaused: await PausedAsync(market, cancellationToken),
            EscrowPaused: await PausedAsync(escrow, cancellationToken),
            StakingPaused: await PausedAsync(staking, cancellationToken));
    }

    public async Task<FeeIncome> FeeIncomeAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var chainId = chain.Settings.ChainId;
        var names = new[] { ContractEvents.EscrowReleased.Name, ContractEvents.TrancheReleased.Name, ContractEvents.DisputeResolved.Name };
        var logs = await db.Set<ChainLogRecord>().AsNoTracking()
            .Where(l => l.ChainId == chainId && l.EventName != null && names.Contains(l.EventName))
            .ToListAsync(cancellationToken);
        var fees = logs
            .Select(l =>
            {
                var definition = l.EventName == ContractEvents.EscrowReleased.Name ? ContractEvents.EscrowReleased
                    : l.EventName == ContractEvents.TrancheReleased.Name ? ContractEvents.TrancheReleased
                    : ContractEvents.DisputeResolved;
                var e = definition.Decode(l.Topics.Split(','), l.Data);
                var source = definition.Name switch
                {
                    "EscrowReleased" => "Escrow released",
                    "TrancheReleased" => $"Milestone {e.Whole("trancheIndex") + 1} released",
                    _ => "Dispute ruling",
                };
                return (Log: l, EscrowId: e.Whole("escrowId"), Source: source, Fee: e.Amount("fee"));
            })
            .Where(f => !f.Fee.IsZero)
            .ToList();
        var times = await blockTimes.GetAsync(fees.Select(f => f.Log.BlockHash), cancellationToken);
        var byMonth = fees.Where(f => times.ContainsKey(f.Log.BlockHash))
            .GroupBy(f => times[f.Log.BlockHash].UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MonthAmount(g.Key, PayoutQueries.Sum(g.Select(f => f.Fee))))
            .ToList();
        var recent = fees.OrderByDescending(f => f.Log.BlockNumber).ThenByDescending(f => f.Log.LogIndex).Take(RecentRows)
            .Select(f => new FeeRow(f.EscrowId, f.Source, f.Fee, f.Log.TxHash, f.Log.BlockNumber, times.TryGetValue(f.Log.BlockHash, out var at) ? at : null))
            .ToList();
        return new FeeIncome(PayoutQueries.Sum(fees.Select(f => f.Fee)), fees.Count, byMonth, recent);
    }

    private async Task<BigInteger> NumberAsync<TFunction>(string contract, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new() =>
        await chain.Web3.Eth.GetContractQueryHandler<TFunction>().QueryAsync<BigInteger>(contract, new TFunction()).WaitAsync(cancellationToken);

    private async Task<bool> PausedAsync(string contract, CancellationToken cancellationToken) =>
        await chain.Web3.Eth.GetContractQueryHandler<PausedFunction>().QueryAsync<bool>(contract, new PausedFunction()).WaitAsync(cancellationToken);

    private static TimeSpan Seconds(BigInteger value) => TimeSpan.FromSeconds((double)value);
}

// Read-only getters the admin page shows (public state variables and constants of the contracts).
[Function("MAX_FEE_BPS", "uint256")]
internal sealed class MaxFeeBpsFunction : FunctionMessage;

[Function("bondBps", "uint256")]
internal sealed class BondBpsFunction : FunctionMessage;

[Function("minBond", "uint256")]
internal sealed class MinBondFunction : FunctionMessage;

[Function("bondBurnBps", "uint256")]
internal sealed class BondBurnBpsFunction : FunctionMessage;

[Function("rulingTimeout", "uint256")]
internal sealed class RulingTimeoutFunction : FunctionMessage;

[Function("votingPeriod", "uint256")]
internal sealed class VotingPeriodFunction : FunctionMessage;

[Function("quorumBps", "uint256")]
internal sealed class QuorumBpsFunction : FunctionMessage;

[Function("treasury", "address")]
internal sealed class TreasuryFunction : FunctionMessage;

[Function("accruedFees", "uint256")]
internal sealed class AccruedFeesFunction : FunctionMessage;

[Function("minReviewPeriod", "uint256")]
internal sealed class MinReviewPeriodFunction : FunctionMessage;

[Function("maxReviewPeriod", "uint256")]
internal sealed class MaxReviewPeriodFunction : FunctionMessage;

[Function("paused", "bool")]
internal sealed class PausedFunction : FunctionMessage;
