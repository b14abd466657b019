using System.Numerics;
using NeuroData.Infrastructure.Chain;

namespace NeuroData.Tests.Unit.Chain;

public sealed class GasLimitTests
{
    [Theory]
    [InlineData(21_000, 81_500)]
    [InlineData(132_000, 248_000)]
    [InlineData(1_000_000, 1_550_000)]
    public void The_limit_leaves_room_for_storage_slots_set_from_zero_after_the_estimate(long estimate, long expected)
    {
        var limit = ChainTransactionSender.GasLimitFor(estimate);

        limit.ShouldBe(new BigInteger(expected));
        // Two extra zero-to-non-zero SSTOREs (2 x 22,100 gas) always fit.
        (limit - estimate).ShouldBeGreaterThanOrEqualTo(new BigInteger(44_200));
    }
}
