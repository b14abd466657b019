using NeuroData.Infrastructure.Training.Runs;

namespace NeuroData.Tests.Unit.TrainingRuns;

public sealed class TrainingRunNotifierTests
{
    private sealed class SteppedTime : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;
    }

    [Fact]
    public void Changes_reach_only_the_runs_user_and_stop_after_unsubscribing()
    {
        var notifier = new TrainingRunNotifier(TimeProvider.System);
        Guid alice = Guid.NewGuid(), bob = Guid.NewGuid(), run = Guid.NewGuid();
        var aliceSaw = new List<Guid>();
        var bobSaw = new List<Guid>();
        var subscription = notifier.Subscribe(alice, aliceSaw.Add);
        using var _ = notifier.Subscribe(bob, bobSaw.Add);

        notifier.Changed(alice, run);
        subscription.Dispose();
        notifier.Changed(alice, run);

        aliceSaw.ShouldBe([run]);
        bobSaw.ShouldBeEmpty();
    }

    [Fact]
    public void Progress_is_sent_at_most_four_times_a_second_per_run_but_status_changes_always()
    {
        var time = new SteppedTime();
        var notifier = new TrainingRunNotifier(time);
        Guid user = Guid.NewGuid(), run = Guid.NewGuid(), other = Guid.NewGuid();
        var seen = new List<Guid>();
        using var _ = notifier.Subscribe(user, seen.Add);

        notifier.Progressed(user, run).ShouldBeTrue();
        time.Ticks += TimeSpan.FromMilliseconds(100).Ticks;
        notifier.Progressed(user, run).ShouldBeFalse();
        notifier.Progressed(user, other).ShouldBeTrue(); // throttled per run
        time.Ticks += TimeSpan.FromMilliseconds(200).Ticks;
        notifier.Progressed(user, run).ShouldBeTrue();
        notifier.Changed(user, run);
        notifier.Progressed(user, run).ShouldBeTrue(); // a status change resets the throttle

        seen.ShouldBe([run, other, run, run, run]);
    }

    [Fact]
    public void A_throwing_handler_does_not_stop_the_others()
    {
        var notifier = new TrainingRunNotifier(TimeProvider.System);
        var user = Guid.NewGuid();
        var seen = 0;
        using var bad = notifier.Subscribe(user, _ => throw new InvalidOperationException("page gone"));
        using var good = notifier.Subscribe(user, _ => seen++);

        notifier.Changed(user, Guid.NewGuid());

        seen.ShouldBe(1);
    }

    [Fact]
    public async Task The_signal_wakes_a_waiter_once_per_poke()
    {
        var signal = new TrainingRunSignal();
        var pokes = 0;
        signal.Poked += () => pokes++;
        var first = signal.NextAsync();
        first.IsCompleted.ShouldBeFalse();

        signal.Poke();

        await first.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        signal.NextAsync().IsCompleted.ShouldBeFalse();
        pokes.ShouldBe(1);
    }
}
