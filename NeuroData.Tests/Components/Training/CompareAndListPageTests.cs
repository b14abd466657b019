using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training.Runs;
using NeuroData.Web.Components.Pages.Training;

namespace NeuroData.Tests.Components.Training;

/// <summary>/training (the user's runs, selection for comparison) and /training/compare (side by side, best highlighted).</summary>
public sealed class CompareAndListPageTests : TrainingPageTest
{
    [Fact]
    public void The_comparison_puts_runs_side_by_side_highlights_the_best_and_overlays_the_roc_curves()
    {
        var a = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Succeeded, TrainingSamples.Binary(0.91, "lightgbm", logLoss: 0.40), "lightgbm", "LightGBM run"));
        var b = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Succeeded, TrainingSamples.Binary(0.95, "sdca", logLoss: 0.35), "sdca", "SDCA run"));
        var cut = RenderCompare($"{a.Id},{b.Id}");

        cut.FindAll("#compare-table thead th[data-run]").Select(th => th.TextContent.Trim()).ShouldBe(["LightGBM run", "SDCA run"]);
        Row(cut, "trainer").ShouldBe(["LightGBM", "SDCA (linear)"]);
        Row(cut, "cid").ShouldBe(["bafkreigh2…", "bafkreigh2…"]);
        Row(cut, "metric-auc").ShouldBe(["0.91", "0.95"]);
        Best(cut, "metric-auc").ShouldBe([false, true]);
        Best(cut, "metric-logloss").ShouldBe([false, true], "lower log-loss is better");
        Best(cut, "metric-accuracy").ShouldBe([false, false], "equal values have no winner");

        var lines = cut.FindAll("#compare-roc polyline");
        lines.Select(l => l.GetAttribute("data-series")).ShouldBe(["LightGBM run (AUC 0.91)", "SDCA run (AUC 0.95)"]);
        cut.FindAll("#compare-roc [data-role='diagonal']").Count.ShouldBe(1);
    }

    [Fact]
    public void Runs_of_other_users_are_simply_not_found_and_non_binary_runs_get_no_roc_overlay()
    {
        var mine = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Succeeded));
        var regression = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Succeeded, TrainingSamples.Regression(), "fasttree", "Fee model", TrainingTask.Regression));
        var theirs = Store(TrainingSamples.Run(Guid.CreateVersion7(), TrainingRunStatus.Succeeded, name: "Secret model"));
        var cut = RenderCompare($"{mine.Id},{theirs.Id},{regression.Id},not-a-guid");

        cut.Find("#compare-missing").TextContent.ShouldBe("2 runs were not found among yours.");
        cut.FindAll("#compare-table thead th[data-run]").Count.ShouldBe(2);
        cut.Markup.ShouldNotContain("Secret model");
        Row(cut, "metric-r2").ShouldBe(["—", "0.87"]);
        cut.FindAll("#compare-roc").ShouldBeEmpty();
    }

    [Fact]
    public void The_runs_list_shows_status_queue_position_progress_and_result_and_compares_the_ticked_runs()
    {
        var queued = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Queued, name: "Queued one"));
        var running = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Running, name: "Running one") with { Progress = new TrainingProgress("Evaluating", 85, 5000, "lightgbm", 0, 0, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)) });
        var done = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Succeeded, TrainingSamples.Binary(0.9312), name: "Done one"));
        Store(TrainingSamples.Run(Guid.CreateVersion7(), TrainingRunStatus.Succeeded, name: "Someone else's"));
        var cut = Render<TrainingRuns>();

        cut.FindAll("#training-runs tbody tr").Count.ShouldBe(3);
        cut.Markup.ShouldNotContain("Someone else's");
        RowOf(cut, queued).TextContent.ShouldContain("Position 3 in the queue");
        RowOf(cut, running).TextContent.ShouldContain("Running 85%");
        RowOf(cut, running).TextContent.ShouldContain("Evaluating");
        RowOf(cut, done).TextContent.ShouldContain("AUC 0.9312");
        RowOf(cut, done).TextContent.ShouldContain("v2 · bafkreigh2…");
        cut.Find("#training-compare").HasAttribute("disabled").ShouldBeTrue();

        cut.Find($".run-select-{done.Id:N} input").Change(true);
        cut.Find("#training-compare").HasAttribute("disabled").ShouldBeTrue("one run is not a comparison");
        cut.Find($".run-select-{running.Id:N} input").Change(true);
        cut.Find("#training-compare").Click();

        Services.GetRequiredService<NavigationManager>().Uri.ShouldEndWith($"/training/compare?runs={done.Id},{running.Id}");
    }

    [Fact]
    public void The_runs_list_follows_pushed_progress()
    {
        var running = Store(TrainingSamples.Run(UserId, TrainingRunStatus.Running, name: "Running one"));
        var cut = Render<TrainingRuns>();

        RunsStore.Update(running with { Progress = new TrainingProgress("Measuring feature importance", 90, 5000, "lightgbm", 0, 0, TimeSpan.FromSeconds(30), null) });

        cut.WaitForAssertion(() => RowOf(cut, running).TextContent.ShouldContain("Running 90%"), Wait);
    }

    [Fact]
    public void Without_runs_the_page_explains_how_training_works()
    {
        var cut = Render<TrainingRuns>();

        cut.Find("#training-empty").TextContent.ShouldContain("How training works");
        cut.Find("#training-new").GetAttribute("href").ShouldBe("/training/new");
    }

    private IRenderedComponent<Compare> RenderCompare(string ids)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/training/compare?runs={ids}");
        return Render<Compare>();
    }

    private static string[] Row(IRenderedComponent<Compare> cut, string row) =>
        [.. cut.FindAll($"#compare-table tr[data-row='{row}'] td").Select(td => td.TextContent.Trim())];

    private static bool[] Best(IRenderedComponent<Compare> cut, string row) =>
        [.. cut.FindAll($"#compare-table tr[data-row='{row}'] td").Select(td => td.GetAttribute("data-best") == "true")];

    private static AngleSharp.Dom.IElement RowOf(IRenderedComponent<TrainingRuns> cut, TrainingRunSnapshot run) =>
        cut.Find($"a[href='/training/runs/{run.Id}']").Closest("tr")!;

    private TrainingRunSnapshot Store(TrainingRunSnapshot run)
    {
        RunsStore.Stored.Add(run);
        return run;
    }
}
