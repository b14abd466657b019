using System.Numerics;
using NeuroData.Domain.Common;

namespace NeuroData.Domain.Staking;

/// <summary>
/// Projects staking rewards exactly as the Staking contract accrues them for one uninterrupted stake:
/// <c>index = rateBps · seconds · 10^18 / (10,000 · 365 days)</c> (rounded down), then
/// <c>reward = staked · index / 10^18</c> (rounded down). Integer arithmetic only. Assumes the reward reserve stays
/// funded; when other stakers move the index in between, each step rounds down, so the real reward can be a few base
/// units lower, never higher.
/// </summary>
public static class StakingRewards
{
    /// <summary>The contract's default yearly rate: 500 basis points = 5%.</summary>
    public const int DefaultRateBasisPoints = 500;

    /// <summary>Lowest rate governance may set (1% a year).</summary>
    public const int MinRateBasisPoints = 100;

    /// <summary>Highest rate governance may set (10% a year).</summary>
    public const int MaxRateBasisPoints = 1_000;

    /// <summary>Longest projection offered: 100 years.</summary>
    public const int MaxDays = 36_500;

    public const long SecondsPerDay = 86_400;

    /// <summary>The contract's YEAR: 365 days in seconds.</summary>
    public const long SecondsPerYear = 365 * SecondsPerDay;

    private static readonly BigInteger Precision = BigInteger.Pow(10, 18);

    /// <summary>Reward for staking <paramref name="staked"/> for <paramref name="days"/> whole days.</summary>
    public static TokenAmount ForDays(TokenAmount staked, int days, int rateBasisPoints = DefaultRateBasisPoints)
    {
        if (days < 0 || days > MaxDays)
        {
            throw new DomainException($"Enter a number of days between 0 and {MaxDays:N0}.");
        }

        return ForSeconds(staked, days * SecondsPerDay, rateBasisPoints);
    }

    /// <summary>Reward for staking <paramref name="staked"/> for <paramref name="seconds"/> seconds.</summary>
    public static TokenAmount ForSeconds(TokenAmount staked, long seconds, int rateBasisPoints = DefaultRateBasisPoints)
    {
        if (seconds < 0)
        {
            throw new DomainException("A staking period cannot be negative.");
        }

        if (rateBasisPoints is < MinRateBasisPoints or > MaxRateBasisPoints)
        {
            throw new DomainException($"The reward rate must be between {MinRateBasisPoints} and {MaxRateBasisPoints} basis points.");
        }

        var index = rateBasisPoints * new BigInteger(seconds) * Precision / (10_000 * new BigInteger(SecondsPerYear));
        var reward = staked.Units * index / Precision;
        if (reward > TokenAmount.MaxUnits)
        {
            throw new DomainException("The projected reward is too large to represent as a token amount.");
        }

        return TokenAmount.FromUnits(reward);
    }
}
