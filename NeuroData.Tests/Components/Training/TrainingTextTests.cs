using NeuroData.Web.Components.Training;

namespace NeuroData.Tests.Components.Training;

/// <summary>How durations read on the training pages (elapsed, estimates, training time).</summary>
public sealed class TrainingTextTests
{
    [Theory]
    [InlineData(0.0, "0 s")]
    [InlineData(0.42, "0.4 s")]
    [InlineData(0.05, "0.1 s")]
    [InlineData(9.3, "9 s")]
    [InlineData(12.7, "12 s")]
    [InlineData(75, "1 min 15 s")]
    [InlineData(3 * 3600 + 4 * 60, "3 h 04 min")]
    [InlineData(-5, "0 s")]
    public void Durations_read_at_a_useful_precision_and_a_quick_run_is_not_0_s(double seconds, string expected) =>
        TrainingText.Duration(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);
}
