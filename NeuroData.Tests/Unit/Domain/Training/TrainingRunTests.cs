using NeuroData.Domain.Common;
using NeuroData.Domain.Training;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Domain.Training;

public sealed class TrainingRunTests
{
    private static TrainingRun Queued(TrainingTask task = TrainingTask.BinaryClassification, string? label = "churned") =>
        new(Guid.NewGuid(), Guid.NewGuid(), task, "LightGbm", label, ["age", "plan", "age"], null, T0);

    private static TrainingRun Running()
    {
        var run = Queued();
        run.Start(T0.AddMinutes(1));
        return run;
    }

    [Fact]
    public void New_IsQueued_WithDistinctFeatures_AndEmptyParameters()
    {
        var run = Queued();

        run.Status.ShouldBe(TrainingRunStatus.Queued);
        run.FeatureColumns.ShouldBe(["age", "plan"]);
        run.ParametersJson.ShouldBe("{}");
        run.LabelColumn.ShouldBe("churned");
        run.Trainer.ShouldBe("LightGbm");
        run.QueuedAt.ShouldBe(T0);
        run.ProgressPercent.ShouldBe(0);
        run.IsFinished.ShouldBeFalse();
    }

    [Fact]
    public void New_Clustering_NeedsNoLabel()
    {
        var run = new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Clustering, "KMeans", null, ["x", "y"], " {\"k\":3} ", T0);

        run.LabelColumn.ShouldBeNull();
        run.ParametersJson.ShouldBe("{\"k\":3}");
    }

    public static readonly TheoryData<string, Func<TrainingRun>> Invalid = new()
    {
        { "The user is required.", () => new TrainingRun(Guid.Empty, Guid.NewGuid(), TrainingTask.Regression, "Sdca", "y", ["x"], null, T0) },
        { "The dataset version is required.", () => new TrainingRun(Guid.NewGuid(), Guid.Empty, TrainingTask.Regression, "Sdca", "y", ["x"], null, T0) },
        { "Trainer is required.", () => new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Regression, " ", "y", ["x"], null, T0) },
        { "Regression needs a label column.", () => new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Regression, "Sdca", null, ["x"], null, T0) },
        { "MulticlassClassification needs a label column.", () => new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.MulticlassClassification, "Sdca", "  ", ["x"], null, T0) },
        { "Choose at least one feature column.", () => new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Regression, "Sdca", "y", [], null, T0) },
        { "Choose at least one feature column.", () => new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Regression, "Sdca", "y", null!, null, T0) },
        { "Feature column is required.", () => new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Regression, "Sdca", "y", ["x", " "], null, T0) },
        { "The label column 'y' cannot also be a feature.", () => new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Regression, "Sdca", "y", ["x", "y"], null, T0) },
        { "At most 500 feature columns", () => new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Clustering, "KMeans", null, Enumerable.Range(0, 501).Select(i => $"c{i}"), null, T0) },
        { "Label column must be at most 128", () => new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Regression, "Sdca", new string('l', 129), ["x"], null, T0) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void New_Invalid_IsRejected(string expected, Func<TrainingRun> create)
    {
        Should.Throw<DomainException>(create).Message.ShouldContain(expected);
    }

    [Fact]
    public void New_WithExactlyFiveHundredFeatures_IsAccepted()
    {
        new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Clustering, "KMeans", null, Enumerable.Range(0, 500).Select(i => $"c{i}"), null, T0)
            .FeatureColumns.Count.ShouldBe(TrainingRun.MaxFeatureColumns);
    }

    // ---------------------------------------------------------------- allowed transitions

    [Fact]
    public void QueuedRunningSucceeded()
    {
        var run = Queued();

        run.Start(T0.AddMinutes(1));
        run.Status.ShouldBe(TrainingRunStatus.Running);
        run.StartedAt.ShouldBe(T0.AddMinutes(1));

        run.ReportProgress(40);
        run.ProgressPercent.ShouldBe(40);

        run.Succeed("{\"auc\":0.91}", T0.AddMinutes(9));
        run.Status.ShouldBe(TrainingRunStatus.Succeeded);
        run.ProgressPercent.ShouldBe(100);
        run.MetricsJson.ShouldBe("{\"auc\":0.91}");
        run.FinishedAt.ShouldBe(T0.AddMinutes(9));
        run.IsFinished.ShouldBeTrue();
    }

    [Fact]
    public void ReportProgress_NeverGoesBackwards_AndStaysWithinZeroToHundred()
    {
        var run = Running();

        run.ReportProgress(60);
        run.ReportProgress(30);
        run.ProgressPercent.ShouldBe(60);
        run.ReportProgress(100);
        run.ProgressPercent.ShouldBe(100);

        Should.Throw<DomainException>(() => run.ReportProgress(101)).Message.ShouldBe("Progress is a percentage between 0 and 100 (got 101).");
        Should.Throw<DomainException>(() => run.ReportProgress(-1)).Message.ShouldContain("got -1");
        run.ProgressPercent.ShouldBe(100);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Succeed_WithoutMetrics_IsRejected_AndKeepsRunning(string? metrics)
    {
        var run = Running();

        Should.Throw<DomainException>(() => run.Succeed(metrics!, T0)).Message.ShouldBe("A finished run needs its metrics.");
        run.Status.ShouldBe(TrainingRunStatus.Running);
        run.FinishedAt.ShouldBeNull();
    }

    [Fact]
    public void Fail_FromRunning_OrQueued_RecordsTheReason()
    {
        var running = Running();
        running.Fail("  Out of memory  ", T0.AddMinutes(3));
        running.Status.ShouldBe(TrainingRunStatus.Failed);
        running.FailureReason.ShouldBe("Out of memory");
        running.FinishedAt.ShouldBe(T0.AddMinutes(3));

        // A queued run can fail before it starts (e.g. its data file cannot be read).
        var queued = Queued();
        queued.Fail("Data file missing", T0.AddMinutes(1));
        queued.Status.ShouldBe(TrainingRunStatus.Failed);
        queued.StartedAt.ShouldBeNull();
    }

    [Fact]
    public void Fail_WithAVeryLongReason_KeepsTheFirstTwoThousandCharacters()
    {
        var run = Running();

        run.Fail(new string('e', 5000), T0);

        run.FailureReason!.Length.ShouldBe(TrainingRun.FailureMaxLength);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Fail_WithoutAReason_IsRejected_AndKeepsRunning(string? reason)
    {
        // Regression: a null reason used to throw NullReferenceException instead of a clear DomainException.
        var run = Running();

        Should.Throw<DomainException>(() => run.Fail(reason!, T0)).Message.ShouldBe("A failure reason is required.");
        run.Status.ShouldBe(TrainingRunStatus.Running);
    }

    [Fact]
    public void Cancel_FromQueuedOrRunning()
    {
        var queued = Queued();
        queued.Cancel(T0.AddSeconds(1));
        queued.Status.ShouldBe(TrainingRunStatus.Cancelled);
        queued.FinishedAt.ShouldBe(T0.AddSeconds(1));

        var running = Running();
        running.ReportProgress(70);
        running.Cancel(T0.AddSeconds(2));
        running.Status.ShouldBe(TrainingRunStatus.Cancelled);
        running.ProgressPercent.ShouldBe(70);
    }

    // ---------------------------------------------------------------- every illegal transition

    public enum RunAction
    {
        Start,
        ReportProgress,
        Succeed,
        Fail,
        Cancel,
    }

    private static TrainingRun InStatus(TrainingRunStatus status)
    {
        var run = Queued();
        switch (status)
        {
            case TrainingRunStatus.Running: run.Start(T0); break;
            case TrainingRunStatus.Succeeded: run.Start(T0); run.Succeed("{}", T0); break;
            case TrainingRunStatus.Failed: run.Start(T0); run.Fail("boom", T0); break;
            case TrainingRunStatus.Cancelled: run.Cancel(T0); break;
        }

        return run;
    }

    public static TheoryData<TrainingRunStatus, RunAction> IllegalTransitions()
    {
        var allowed = new HashSet<(TrainingRunStatus, RunAction)>
        {
            (TrainingRunStatus.Queued, RunAction.Start),
            (TrainingRunStatus.Queued, RunAction.Fail),
            (TrainingRunStatus.Queued, RunAction.Cancel),
            (TrainingRunStatus.Running, RunAction.ReportProgress),
            (TrainingRunStatus.Running, RunAction.Succeed),
            (TrainingRunStatus.Running, RunAction.Fail),
            (TrainingRunStatus.Running, RunAction.Cancel),
        };
        var data = new TheoryData<TrainingRunStatus, RunAction>();
        foreach (var status in Enum.GetValues<TrainingRunStatus>())
        {
            foreach (var action in Enum.GetValues<RunAction>())
            {
                if (!allowed.Contains((status, action)))
                {
                    data.Add(status, action);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public void IllegalTransition_IsRejected_AndChangesNothing(TrainingRunStatus status, RunAction action)
    {
        var run = InStatus(status);
        var finishedAt = run.FinishedAt;
        var progress = run.ProgressPercent;

        Action act = action switch
        {
            RunAction.Start => () => run.Start(T0.AddDays(1)),
            RunAction.ReportProgress => () => run.ReportProgress(50),
            RunAction.Succeed => () => run.Succeed("{}", T0.AddDays(1)),
            RunAction.Fail => () => run.Fail("late", T0.AddDays(1)),
            _ => () => run.Cancel(T0.AddDays(1)),
        };

        var message = Should.Throw<DomainException>(act).Message;
        var state = status.ToString().ToLowerInvariant();
        message.ShouldBe(run.IsFinished
            ? $"This training run already {state} and cannot be {Verb(action)}; a finished run never changes."
            : $"A {state} training run cannot be {Verb(action)}.");
        run.Status.ShouldBe(status);
        run.FinishedAt.ShouldBe(finishedAt);
        run.ProgressPercent.ShouldBe(progress);
    }

    [Fact]
    public void IllegalTransitions_CoverEveryStatusAndAction()
    {
        IllegalTransitions().Count.ShouldBe((5 * 5) - 7);
    }

    private static string Verb(RunAction action) => action switch
    {
        RunAction.Start => "started",
        RunAction.ReportProgress => "updated",
        RunAction.Succeed => "marked succeeded",
        RunAction.Fail => "marked failed",
        _ => "cancelled",
    };
}

public sealed class TrainedModelTests
{
    private static TrainingRun Succeeded()
    {
        var run = new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Regression, "FastTree", "price", ["rooms"], null, T0);
        run.Start(T0);
        run.Succeed("{\"r2\":0.8}", T0.AddMinutes(5));
        return run;
    }

    [Fact]
    public void New_FromASucceededRun_CarriesItsLineage()
    {
        var run = Succeeded();
        var parent = Guid.NewGuid();

        var model = new TrainedModel(run, " House prices ", 2, "models/u/house/2.zip", 2048, CidA, parent, T0.AddMinutes(6));

        model.TrainingRunId.ShouldBe(run.Id);
        model.UserId.ShouldBe(run.UserId);
        model.DatasetVersionId.ShouldBe(run.DatasetVersionId);
        model.Task.ShouldBe(TrainingTask.Regression);
        model.Name.ShouldBe("House prices");
        model.VersionNumber.ShouldBe(2);
        model.ParentModelId.ShouldBe(parent);
        model.Cid.ShouldBe(CidA);
        new TrainedModel(run, "m", 1, "p", 1, null, Guid.Empty, T0).ParentModelId.ShouldBeNull();
    }

    [Fact]
    public void New_FromARunThatDidNotSucceed_IsRejected()
    {
        var running = new TrainingRun(Guid.NewGuid(), Guid.NewGuid(), TrainingTask.Regression, "FastTree", "price", ["rooms"], null, T0);
        running.Start(T0);

        Should.Throw<DomainException>(() => new TrainedModel(running, "m", 1, "p", 1, null, null, T0))
            .Message.ShouldBe("Only a succeeded run produces a model; this run is running.");
    }

    [Theory]
    [InlineData("m", 0, "p", 1, "Model versions start at 1.")]
    [InlineData("m", 1, "p", 0, "A model file cannot be empty.")]
    [InlineData(" ", 1, "p", 1, "Model name is required.")]
    [InlineData("m", 1, "", 1, "Model file path is required.")]
    public void New_Invalid_IsRejected(string name, int version, string path, long size, string expected)
    {
        Should.Throw<DomainException>(() => new TrainedModel(Succeeded(), name, version, path, size, null, null, T0)).Message.ShouldBe(expected);
    }
}
