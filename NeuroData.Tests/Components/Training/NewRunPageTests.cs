using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training.Runs;
using NeuroData.Web.Components.Pages.Training;

namespace NeuroData.Tests.Components.Training;

/// <summary>/training/new: the trainer list follows the task, the label is never a feature, ranges are checked inline,
/// the service's refusal is shown and a queued run opens its page.</summary>
public sealed class NewRunPageTests : TrainingPageTest
{
    private readonly TrainableVersion _churn = TrainingSamples.Churn();

    public NewRunPageTests() => RunsStore.Versions[UserId] = [_churn, TrainingSamples.Churn(TrainingAccess.TrainingOnly) with { DatasetTitle = "Hospital stays" }];

    [Fact]
    public void The_trainer_list_follows_the_task()
    {
        var cut = RenderForm();

        Options(cut, "#training-trainer").ShouldBe(["auto", "lightgbm", "fasttree", "fastforest", "sdca", "lbfgs"]);
        cut.Find("#training-trainer").GetAttribute("value").ShouldBe("lightgbm");

        cut.Find("#training-task").Change(nameof(TrainingTask.Clustering));
        Options(cut, "#training-trainer").ShouldBe(["auto", "kmeans"]);
        cut.Find("#training-trainer").GetAttribute("value").ShouldBe("kmeans", "LightGBM cannot cluster, so the first fitting trainer is chosen");
        cut.FindAll("#training-label").ShouldBeEmpty("clustering has no label");
        cut.Find("#param-clusters").GetAttribute("value").ShouldBe("3");

        cut.Find("#training-task").Change(nameof(TrainingTask.Regression));
        Options(cut, "#training-trainer").ShouldBe(["auto", "lightgbm", "fasttree", "fastforest", "sdca"]);
        Options(cut, "#training-trainer").ShouldNotContain("lbfgs");

        cut.Find("#training-task").Change(nameof(TrainingTask.AnomalyDetection));
        Options(cut, "#training-trainer").ShouldBe(["auto", "pca"]);
    }

    [Fact]
    public void The_declared_label_is_preselected_and_the_label_is_never_offered_as_a_feature()
    {
        var cut = RenderForm();

        cut.Find("#training-label").GetAttribute("value").ShouldBe("churned");
        FeatureNames(cut).ShouldBe(["age", "plan", "monthly_fee", "zip"]);
        cut.Find("tr[data-column='age'] td:nth-child(3)").TextContent.ShouldBe("whole number", "the profiled type is shown");

        cut.Find("#training-label").Change("monthly_fee");

        FeatureNames(cut).ShouldBe(["age", "plan", "zip", "churned"]);
    }

    [Fact]
    public void A_parameter_out_of_its_range_is_shown_inline_and_nothing_is_queued()
    {
        var cut = RenderForm();
        cut.Find("#param-trees").Input("0");
        cut.Find("#param-leaves").Input("2.5");

        cut.Markup.ShouldContain("Trees must be between 1 and 5,000.");
        cut.Markup.ShouldContain("Leaves per tree must be a whole number.");
        cut.Find("#training-form").Submit();

        RunsStore.Queued.ShouldBeEmpty();
        cut.Find("#training-error").TextContent.ShouldContain("Some fields need attention");
        Services.GetRequiredService<NavigationManager>().Uri.ShouldNotContain("/training/runs/");
    }

    [Fact]
    public void A_missing_label_is_shown_next_to_the_label_field()
    {
        RunsStore.Versions[UserId] = [TrainingSamples.Churn(declaredLabel: null)];
        var cut = Render<NewRun>();

        cut.Find("#training-form").Submit();

        cut.Find("#training-label-error").TextContent.ShouldBe("Binary classification needs a label column: the value to predict.");
        RunsStore.Queued.ShouldBeEmpty();
    }

    [Fact]
    public void The_services_refusal_is_shown_in_an_alert_and_the_page_stays()
    {
        RunsStore.RefuseWith = "You already have 2 runs queued or running; wait for one to finish.";
        var cut = RenderForm();

        cut.Find("#training-form").Submit();

        cut.WaitForAssertion(() => cut.Find("#training-error").TextContent.ShouldContain("You already have 2 runs queued or running"), Wait);
        Services.GetRequiredService<NavigationManager>().Uri.ShouldNotContain("/training/runs/");
        cut.Find("#training-submit").HasAttribute("disabled").ShouldBeFalse("the user can correct and try again");
    }

    [Fact]
    public void A_valid_form_queues_the_run_and_opens_its_page()
    {
        var cut = RenderForm();
        cut.Find("tr[data-column='zip'] .feature-include").Change(false);
        cut.Find("tr[data-column='plan'] .feature-treat").Change(nameof(TreatAs.Category));
        cut.Find("#training-trainer").Change("fasttree");
        cut.Find("#param-trees").Input("250");
        cut.Find("#training-seed").Input("42");
        cut.Find("#training-test-percent").Input("25");

        cut.Find("#training-form").Submit();

        cut.WaitForAssertion(() => Services.GetRequiredService<NavigationManager>().Uri.ShouldEndWith($"/training/runs/{RunsStore.NextRunId}"), Wait);
        var (userId, request) = RunsStore.Queued.ShouldHaveSingleItem();
        userId.ShouldBe(UserId);
        request.DatasetVersionId.ShouldBe(_churn.VersionId);
        request.Task.ShouldBe(TrainingTask.BinaryClassification);
        request.Trainer.ShouldBe("fasttree");
        request.LabelColumn.ShouldBe("churned");
        request.Features.ShouldBe([new FeatureColumn("age"), new FeatureColumn("plan", ColumnType.Text), new FeatureColumn("monthly_fee")]);
        request.Parameters.ShouldBe(new Dictionary<string, double> { ["trees"] = 250, ["leaves"] = 20, ["learningRate"] = 0.2, ["minLeaf"] = 10 }, ignoreOrder: true);
        request.Validation.ShouldBe(ValidationPlan.HoldOut(0.25));
        request.Seed.ShouldBe(42);
        request.ModelName.ShouldBe("Telecom churn · FastTree");
    }

    [Fact]
    public void A_training_only_version_says_so_in_the_list_and_next_to_the_form()
    {
        var cut = Render<NewRun>();

        cut.FindAll("#training-dataset option").Select(o => o.TextContent).ShouldContain(t => t.Contains("Hospital stays") && t.Contains("training-only") && t.Contains("v2 · bafkreigh2…"));
        cut.Find("#training-dataset").Change(RunsStore.Versions[UserId][1].VersionId.ToString());

        cut.Find("#training-access").TextContent.ShouldBe("Training-only access");
        cut.Find("#training-only-note").TextContent.ShouldContain("do not let you download the model file");
    }

    private IRenderedComponent<NewRun> RenderForm()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/training/new?version={_churn.VersionId}");
        return Render<NewRun>();
    }

    private static string[] Options(IRenderedComponent<NewRun> cut, string select) =>
        [.. cut.FindAll($"{select} option").Select(o => o.GetAttribute("value") ?? string.Empty)];

    private static string[] FeatureNames(IRenderedComponent<NewRun> cut) =>
        [.. cut.FindAll("#training-features tbody tr").Select(r => r.GetAttribute("data-column") ?? string.Empty)];
}
