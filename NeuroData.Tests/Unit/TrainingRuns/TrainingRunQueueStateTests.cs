using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;

namespace NeuroData.Tests.Unit.TrainingRuns;

/// <summary>The queue's additions to <see cref="TrainingRun"/>: the full request, progress summary, attempts and restarts.</summary>
public sealed class TrainingRunQueueStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);

    private static TrainingRun New(ValidationPlan? validation = null, IEnumerable<FeatureColumn>? features = null, string name = "Churn") =>
        new(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.BinaryClassification, "lightgbm", "label",
            features ?? [new FeatureColumn("age"), new FeatureColumn("zip", ColumnType.Text), new FeatureColumn("score", ColumnType.Number)],
            "{\"trees\":20}", validation ?? ValidationPlan.HoldOut(0.3), 42, name, T0);

    [Fact]
    public void Keeps_the_whole_request()
    {
        var run = New();

        run.Features.ShouldBe([new FeatureColumn("age"), new FeatureColumn("zip", ColumnType.Text), new FeatureColumn("score", ColumnType.Number)]);
        run.FeatureColumns.ShouldBe(["age", "zip", "score"]);
        run.Validation.ShouldBe(ValidationPlan.HoldOut(0.3));
        New(ValidationPlan.KFold(5)).Validation.ShouldBe(ValidationPlan.KFold(5));
        (run.Seed, run.ModelName, run.Attempts, run.Status).ShouldBe((42, "Churn", 0, TrainingRunStatus.Queued));
        New(features: [new FeatureColumn("a:b", ColumnType.Text)]).Features.ShouldBe([new FeatureColumn("a:b", ColumnType.Text)]);
    }

    [Theory]
    [InlineData(0.0, 0, "The test fraction must be between 0 and 1, exclusive (got 0).")]
    [InlineData(1.0, 0, "The test fraction must be between 0 and 1, exclusive (got 1).")]
    [InlineData(0.2, 1, "Cross-validation needs between 2 and 10 folds (got 1).")]
    [InlineData(0.2, 11, "Cross-validation needs between 2 and 10 folds (got 11).")]
    [InlineData(0.2, -3, "Cross-validation needs between 2 and 10 folds (got -3).")]
    public void Refuses_a_bad_validation_plan(double fraction, int folds, string expected)
    {
        Should.Throw<DomainException>(() => New(new ValidationPlan(fraction, folds))).Message.ShouldBe(expected);
    }

    [Fact]
    public void Refuses_a_bad_name_or_retyping()
    {
        Should.Throw<DomainException>(() => New(name: " ")).Message.ShouldBe("Model name is required.");
        Should.Throw<DomainException>(() => New(name: new string('m', 121))).Message.ShouldContain("at most 120");
        Should.Throw<DomainException>(() => New(features: [new FeatureColumn("when", ColumnType.DateTime)]))
            .Message.ShouldBe("The column 'when' can be treated as text (a category) or as a number, not as DateTime.");
    }

    [Fact]
    public void Counts_attempts_and_keeps_the_latest_progress_summary()
    {
        var run = New();
        run.Start(T0);
        run.ReportProgress(60, "Training", "{\"rows\":300}");
        run.ReportProgress(40, "Evaluating", null);

        (run.Attempts, run.ProgressPercent, run.Stage, run.ProgressJson).ShouldBe((1, 60, "Evaluating", (string?)null));
    }

    [Fact]
    public void A_restart_queues_a_running_run_again_once_then_fails_it()
    {
        var run = New();
        run.Start(T0);
        run.ReportProgress(50, "Training", "{}");

        run.InterruptedByRestart(T0.AddMinutes(1)).ShouldBeTrue();
        (run.Status, run.StartedAt, run.ProgressPercent, run.Stage, run.QueuedAt).ShouldBe((TrainingRunStatus.Queued, (DateTimeOffset?)null, 0, (string?)null, T0));
        run.Note.ShouldBe("Interrupted by a restart of the server; queued again (attempt 2 of 2).");

        run.Start(T0.AddMinutes(2));
        run.Attempts.ShouldBe(2);
        run.InterruptedByRestart(T0.AddMinutes(3)).ShouldBeFalse();
        (run.Status, run.FailureReason, run.FinishedAt).ShouldBe((TrainingRunStatus.Failed, TrainingRun.InterruptedTwiceReason, (DateTimeOffset?)T0.AddMinutes(3)));
        Should.Throw<DomainException>(() => New().InterruptedByRestart(T0)).Message.ShouldBe("A queued training run cannot be re-queued.");
    }
}
