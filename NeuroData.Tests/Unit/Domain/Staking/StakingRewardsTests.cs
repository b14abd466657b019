using System.Numerics;
using NeuroData.Domain.Common;
using NeuroData.Domain.Staking;

namespace NeuroData.Tests.Unit.Domain.Staking;

/// <summary>
/// Expected values were computed independently with Python's arbitrary-precision integers using the contract's formula:
/// index = bps·seconds·10^18 // (10,000·365·86,400); reward = staked·index // 10^18.
/// </summary>
public sealed class StakingRewardsTests
{
    [Fact]
    public void OneYear_AtFivePercent_IsExactlyFivePercent()
    {
        StakingRewards.ForDays(TokenAmount.FromTokens(1000), 365).ShouldBe(TokenAmount.FromTokens(50));
    }

    [Theory]
    [InlineData("1000", 1, 500, "136986301369863000")]
    [InlineData("1000", 30, 500, "4109589041095890000")]
    [InlineData("12345.678901234567890123", 100, 500, "169118889058007774750")]
    [InlineData("1", 365, 1000, "100000000000000000")]
    [InlineData("7.000000000000000001", 36500, 500, "35000000000000000005")]
    public void Reward_MatchesTheContractFormula_ToTheBaseUnit(string staked, int days, int bps, string expectedUnits)
    {
        var reward = StakingRewards.ForDays(TokenAmount.ParseTokens(staked), days, bps);

        reward.Units.ShouldBe(BigInteger.Parse(expectedUnits, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Rounding_IsAlwaysDown_NeverInTheStakersFavour()
    {
        // One base unit for a year earns 0.05 base units: rounded down to nothing.
        StakingRewards.ForDays(TokenAmount.FromUnits(1), 365).ShouldBe(TokenAmount.Zero);
        // 19 base units for a year: 0.95 -> 0; 20 base units: exactly 1.
        StakingRewards.ForDays(TokenAmount.FromUnits(19), 365).ShouldBe(TokenAmount.Zero);
        StakingRewards.ForDays(TokenAmount.FromUnits(20), 365).ShouldBe(TokenAmount.FromUnits(1));
    }

    [Fact]
    public void ZeroDays_OrZeroStake_EarnNothing()
    {
        StakingRewards.ForDays(TokenAmount.FromTokens(1_000_000), 0).ShouldBe(TokenAmount.Zero);
        StakingRewards.ForDays(TokenAmount.Zero, 365).ShouldBe(TokenAmount.Zero);
    }

    [Fact]
    public void Seconds_AndDays_Agree()
    {
        var staked = TokenAmount.ParseTokens("42.5");
        StakingRewards.ForSeconds(staked, 10 * StakingRewards.SecondsPerDay).ShouldBe(StakingRewards.ForDays(staked, 10));
    }

    [Fact]
    public void Reward_GrowsWithTime_AndIsLinearOverWholeYears()
    {
        var staked = TokenAmount.FromTokens(3);
        var previous = TokenAmount.Zero;
        foreach (var days in new[] { 1, 2, 10, 100, 365, 730 })
        {
            var reward = StakingRewards.ForDays(staked, days);
            reward.ShouldBeGreaterThan(previous);
            previous = reward;
        }

        StakingRewards.ForDays(staked, 730).ShouldBe(StakingRewards.ForDays(staked, 365) + StakingRewards.ForDays(staked, 365));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(StakingRewards.MaxDays + 1)]
    public void DaysOutOfRange_AreRejected_WithAClearMessage(int days)
    {
        var ex = Should.Throw<DomainException>(() => StakingRewards.ForDays(TokenAmount.FromTokens(1), days));
        ex.Message.ShouldContain("between 0 and");
    }

    [Theory]
    [InlineData(99)]
    [InlineData(1001)]
    public void RatesOutsideGovernanceBounds_AreRejected(int bps)
    {
        Should.Throw<DomainException>(() => StakingRewards.ForDays(TokenAmount.FromTokens(1), 1, bps)).Message.ShouldContain("basis points");
    }

    [Fact]
    public void NegativeSeconds_AreRejected()
    {
        Should.Throw<DomainException>(() => StakingRewards.ForSeconds(TokenAmount.FromTokens(1), -1));
    }

    [Fact]
    public void AReward_BeyondTheTokenRange_IsRejected_NotWrapped()
    {
        var max = TokenAmount.FromUnits(TokenAmount.MaxUnits);
        Should.Throw<DomainException>(() => StakingRewards.ForDays(max, StakingRewards.MaxDays, StakingRewards.MaxRateBasisPoints))
            .Message.ShouldContain("too large");
    }
}
