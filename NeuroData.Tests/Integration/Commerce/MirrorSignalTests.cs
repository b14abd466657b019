using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Web.Components.Commerce;

namespace NeuroData.Tests.Integration.Commerce;

/// <summary>
/// The push the purchase panel and the listing chain panel wait on instead of polling: an indexer update that concerns
/// the waiter wakes it at once, others do not, several updates before a wait count as one, and the fallback ends a wait
/// no update ends.
/// </summary>
public sealed class MirrorSignalTests
{
    private static readonly EthAddress Buyer = EthAddress.Parse("0x" + new string('b', 40));
    private static readonly EthAddress Someone = EthAddress.Parse("0x" + new string('c', 40));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ChainMirrorUpdate Touching(params EthAddress[] accounts) => new(new ChainId(31337), 10, accounts, Reorganised: false);

    [Fact]
    public async Task An_update_for_the_waiter_wakes_it_at_once_and_others_leave_it_waiting_until_the_fallback()
    {
        using var signal = new MirrorSignal(new ChainMirrorNotifier(), u => u.Reorganised || u.TouchedAccounts.Contains(Buyer));

        var waiting = signal.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        signal.Signal(Touching(Someone));
        (await Task.WhenAny(waiting, Task.Delay(200, Ct))).ShouldNotBe(waiting, "an update for another account does not wake the buyer's panel");
        signal.Signal(Touching(Someone, Buyer));
        (await waiting.WaitAsync(TimeSpan.FromSeconds(5), Ct)).ShouldBeTrue("woken by the push, long before the 30 s fallback");

        signal.Signal(new ChainMirrorUpdate(new ChainId(31337), 9, [], Reorganised: true));
        signal.Signal(Touching(Buyer));
        (await signal.WaitAsync(TimeSpan.FromSeconds(5), Ct)).ShouldBeTrue("updates while nobody waited are kept");
        (await signal.WaitAsync(TimeSpan.FromMilliseconds(100), Ct)).ShouldBeFalse("…as one wake-up: the next wait ends by the fallback");
    }

    [Fact]
    public async Task Without_a_notifier_only_the_fallback_ends_a_wait()
    {
        using var signal = new MirrorSignal(null, _ => true);
        var started = TimeProvider.System.GetTimestamp();
        (await signal.WaitAsync(TimeSpan.FromMilliseconds(150), Ct)).ShouldBeFalse();
        TimeProvider.System.GetElapsedTime(started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(140));
    }
}
