using Bunit;
using NeuroData.Domain.Training;
using NeuroData.Web.Components.Pages.Training;

namespace NeuroData.Tests.Components.Training;

/// <summary>/training/runs/{id} in each state: queued, running (progress pushed), failed, cancelled, succeeded.</summary>
public sealed class RunPageTests : TrainingPageTest
{
    [Fact]
    public void A_queued_run_shows_its_position_and_can_be_cancelled_after_confirmation()
    {
        var run = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Queued));
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));

        cut.Find("#run-status").TextContent.Trim().ShouldBe("Queued");
        cut.Find("#run-queue-position").TextContent.ShouldBe("Position 3 in the queue");
        cut.Find("#run-cancel").Click();
        RunsStore.Cancelled.ShouldBeEmpty("the first click only asks for confirmation");
        cut.Find("#run-cancel-confirm").Click();

        cut.WaitForAssertion(() => cut.Find("#run-cancelled").TextContent.ShouldContain("The run was cancelled"), Wait);
        RunsStore.Cancelled.ShouldBe([(UserId, run.Id)]);
        cut.FindAll("#run-cancel").ShouldBeEmpty();
    }

    [Fact]
    public void A_running_run_shows_live_progress_pushed_by_the_queue()
    {
        var run = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Running));
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        cut.Find("#run-progress").TextContent.ShouldContain("Starting");

        RunsStore.Update(run with { Progress = new TrainingProgress("Training", 60, 4000, "lightgbm", 0, 0, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(8)) });

        cut.WaitForAssertion(() => cut.Find("#run-stage").TextContent.ShouldBe("Training"), Wait);
        cut.Find("#run-percent").TextContent.ShouldBe("60%");
        cut.Find("#run-rows").TextContent.ShouldBe("4,000");
        cut.Find("#run-current-trainer").TextContent.ShouldBe("LightGBM");
        cut.Find("#run-elapsed").TextContent.ShouldBe("12 s");
        cut.Find("#run-remaining").TextContent.ShouldBe("about 8 s");
        cut.Find("#run-status").TextContent.Trim().ShouldBe("Running 60%");

        RunsStore.Update(run with { Progress = new TrainingProgress("Training fold 2 of 5", 40, 4000, "fasttree", 2, 5, TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(5), null) });

        cut.WaitForAssertion(() => cut.Find("#run-iteration").TextContent.ShouldBe("2 of 5"), Wait);
        cut.Find("#run-elapsed").TextContent.ShouldBe("2 min 05 s");
        cut.Find("#run-remaining").TextContent.ShouldBe("not known yet");
    }

    [Fact]
    public void A_run_that_finishes_while_the_page_is_open_shows_its_results()
    {
        var run = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Running));
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));

        RunsStore.Update(run with { Status = TrainingRunStatus.Succeeded, Metrics = TrainingSamples.Binary(0.91), ModelId = Guid.CreateVersion7() });

        cut.WaitForAssertion(() => cut.Find("#metric-auc").TextContent.ShouldContain("0.91"), Wait);
        cut.FindAll("#run-progress").ShouldBeEmpty();
    }

    [Fact]
    public void A_failed_run_says_why()
    {
        var run = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Failed));
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));

        cut.Find("#run-status").TextContent.Trim().ShouldBe("Failed");
        cut.Find("#run-failure").TextContent.ShouldContain("The label column 'churned' has 1 distinct value");
        cut.FindAll("#run-metrics").ShouldBeEmpty();
        cut.FindAll("#run-cancel").ShouldBeEmpty();
    }

    [Fact]
    public void A_succeeded_binary_run_shows_metrics_charts_lineage_and_the_model_link()
    {
        var run = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Succeeded, TrainingSamples.Binary(0.9312)));
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));

        cut.Find("#run-status").TextContent.Trim().ShouldBe("Succeeded");
        cut.Find("#metric-auc").TextContent.ShouldContain("0.9312");
        cut.Find("#metric-accuracy").TextContent.ShouldContain("0.88");
        cut.Find("#metric-f1").TextContent.ShouldContain("0.81");
        cut.Find("#metric-logloss").TextContent.ShouldContain("0.31");
        cut.Find("#run-metrics").ParentElement!.TextContent.ShouldContain("Measured on 1,000 test rows");

        var roc = cut.Find("#chart-roc svg");
        roc.QuerySelectorAll("[data-role='diagonal']").Length.ShouldBe(1);
        roc.QuerySelector("polyline")!.GetAttribute("points").ShouldBe("36,284 64.4,113.6 121.2,28.4 320,0");
        cut.FindAll("#chart-confusion tbody td").Select(td => td.TextContent).ShouldBe(["610", "40", "80", "270"]);
        cut.Find("#chart-importance").TextContent.ShouldContain("monthly_fee");
        cut.FindAll("#chart-predicted").ShouldBeEmpty("predicted vs actual is a regression chart");

        cut.Find("#run-model-link").GetAttribute("href").ShouldBe($"/models/{run.ModelId}");
        cut.Find("#run-cid").TextContent.ShouldBe(TrainingSamples.Cid);
        cut.Find("#run-features").TextContent.ShouldBe("age, plan, monthly_fee, zip (as category)");
        cut.Find("#run-lineage").TextContent.ShouldContain("hold-out 20%");
        cut.Find("#run-notes").TextContent.ShouldContain("12 rows without a label were left out.");
    }

    [Fact]
    public void A_succeeded_regression_run_shows_its_metrics_scatter_charts_and_folds()
    {
        var run = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Succeeded, TrainingSamples.Regression(), "fasttree", task: TrainingTask.Regression));
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));

        cut.Find("#metric-r2").TextContent.ShouldContain("0.87");
        cut.Find("#metric-rmse").TextContent.ShouldContain("2.5");
        cut.Find("#metric-mae").TextContent.ShouldContain("1.9");
        cut.FindAll("#chart-predicted circle").Count.ShouldBe(4);
        cut.FindAll("#chart-predicted [data-role='reference']").Count.ShouldBe(1);
        cut.FindAll("#chart-residuals circle").Count.ShouldBe(4);
        cut.FindAll("#chart-roc").ShouldBeEmpty();
        cut.FindAll("#run-folds tbody tr").Count.ShouldBe(2);
    }

    [Fact]
    public void An_auto_run_lists_its_trials_best_first()
    {
        var run = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Succeeded, TrainingSamples.Auto(), "auto"));
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));

        var rows = cut.FindAll("#run-trials tbody tr");
        rows.Select(r => r.QuerySelector("td")!.FirstChild!.TextContent.Trim()).ShouldBe(["FastTree", "LightGBM", "SDCA (linear)"]);
        rows[0].QuerySelector(".mud-chip")!.TextContent.Trim().ShouldBe("kept");
        rows.Skip(1).ShouldAllBe(r => r.QuerySelector(".mud-chip") == null);
        rows[2].TextContent.ShouldContain("Failed: did not converge");
        cut.Find("#run-lineage").TextContent.ShouldContain("Auto → FastTree");
    }

    [Fact]
    public void Another_users_run_is_not_found()
    {
        var run = Store(TrainingSamples.Run(Guid.CreateVersion7(), TrainingRunStatus.Succeeded));
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));

        cut.Find("#run-not-found").TextContent.ShouldContain("Run not found.");
        cut.Markup.ShouldNotContain("Telecom churn");
        RunsStore.Subscribers.ShouldBe(0);
    }

    [Fact]
    public void Leaving_the_page_ends_its_subscription()
    {
        var run = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Running));
        var cut = Render<RunPage>(p => p.Add(x => x.Id, run.Id));
        RunsStore.Subscribers.ShouldBe(1);

        cut.Instance.Dispose();

        RunsStore.Subscribers.ShouldBe(0);
    }

    private Infrastructure.Training.Runs.TrainingRunSnapshot Store(Infrastructure.Training.Runs.TrainingRunSnapshot run)
    {
        RunsStore.Stored.Add(run);
        return run;
    }
}
