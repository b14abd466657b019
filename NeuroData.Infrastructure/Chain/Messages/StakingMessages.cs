using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace NeuroData.Infrastructure.Chain.Messages;

// Typed messages for Staking (written from Chain/Abi/Staking.json; ChainMessagesTests checks each against the ABI).

/// <summary>Staking.stake(uint256 amount).</summary>
[Function("stake")]
public sealed class StakeFunction : FunctionMessage
{
    [Parameter("uint256", "amount", 1)]
    public BigInteger Amount { get; set; }
}

/// <summary>Staking.unstake(uint256 amount).</summary>
[Function("unstake")]
public sealed class UnstakeFunction : FunctionMessage
{
    [Parameter("uint256", "amount", 1)]
    public BigInteger Amount { get; set; }
}

/// <summary>Staking.claim() returns uint256.</summary>
[Function("claim", "uint256")]
public sealed class ClaimFunction : FunctionMessage
{
}

/// <summary>Staking.fundReserve(uint256 amount).</summary>
[Function("fundReserve")]
public sealed class FundReserveFunction : FunctionMessage
{
    [Parameter("uint256", "amount", 1)]
    public BigInteger Amount { get; set; }
}

/// <summary>Staking.stakedOf(address account) returns uint256.</summary>
[Function("stakedOf", "uint256")]
public sealed class StakedOfFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = string.Empty;
}

/// <summary>Staking.earned(address account) returns uint256.</summary>
[Function("earned", "uint256")]
public sealed class EarnedFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = string.Empty;
}

/// <summary>Staking.rewardReserve() returns uint256.</summary>
[Function("rewardReserve", "uint256")]
public sealed class RewardReserveFunction : FunctionMessage
{
}

/// <summary>Staking.totalStaked() returns uint256.</summary>
[Function("totalStaked", "uint256")]
public sealed class TotalStakedFunction : FunctionMessage
{
}

/// <summary>Staking.totalRewardsOwed() returns uint256.</summary>
[Function("totalRewardsOwed", "uint256")]
public sealed class TotalRewardsOwedFunction : FunctionMessage
{
}

/// <summary>Staking.rewardRateBps() returns uint256.</summary>
[Function("rewardRateBps", "uint256")]
public sealed class RewardRateBpsFunction : FunctionMessage
{
}

/// <summary>Staking.getPastStake(address account, uint256 blockNumber) returns uint256.</summary>
[Function("getPastStake", "uint256")]
public sealed class GetPastStakeFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = string.Empty;

    [Parameter("uint256", "blockNumber", 2)]
    public BigInteger BlockNumber { get; set; }
}

/// <summary>Staking event Staked.</summary>
[Event("Staked")]
public sealed class StakedEvent : IEventDTO
{
    [Parameter("address", "account", 1, true)]
    public string Account { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

/// <summary>Staking event Unstaked.</summary>
[Event("Unstaked")]
public sealed class UnstakedEvent : IEventDTO
{
    [Parameter("address", "account", 1, true)]
    public string Account { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

/// <summary>Staking event RewardPaid.</summary>
[Event("RewardPaid")]
public sealed class RewardPaidEvent : IEventDTO
{
    [Parameter("address", "account", 1, true)]
    public string Account { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

/// <summary>Staking event ReserveFunded.</summary>
[Event("ReserveFunded")]
public sealed class ReserveFundedEvent : IEventDTO
{
    [Parameter("address", "from", 1, true)]
    public string From { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

/// <summary>Staking event ReserveExhausted.</summary>
[Event("ReserveExhausted")]
public sealed class ReserveExhaustedEvent : IEventDTO
{
    [Parameter("uint256", "timestamp", 1)]
    public BigInteger Timestamp { get; set; }
}
