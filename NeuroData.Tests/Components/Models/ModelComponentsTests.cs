using Bunit;
using MudBlazor;
using MudBlazor.Services;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training;
using NeuroData.Infrastructure.Training.Models;
using NeuroData.Tests.Integration.Models;
using NeuroData.Web.Components.Pages.Models;

namespace NeuroData.Tests.Components.Models;

/// <summary>The model page's parts rendered on their own (bUnit + MudBlazor), with a real ML.NET model's description.</summary>
public sealed class ModelComponentsTests : BunitContext
{
    private static readonly IReadOnlyList<ModelColumn> Columns =
    [
        new("x", "number", ColumnType.Number, false),
        new("color", "category", ColumnType.Text, false),
        new("member", "boolean", ColumnType.Boolean, false),
        new("zone", "category", ColumnType.WholeNumber, true),
    ];

    public ModelComponentsTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public async Task PredictionForm_GeneratesAFieldPerInput_ByKind_AndShowsTheRealPredictionWithProbabilityBars()
    {
        var model = (await ModelData.TrainedAsync()).ModelPath!;
        var predictor = new ModelPredictor();
        var description = predictor.Describe(model);
        IReadOnlyDictionary<string, string?>? sent = null;

        var cut = RenderForm(description, values =>
        {
            sent = values;
            return Task.FromResult(predictor.Predict(model, values));
        });

        var kinds = cut.FindAll("#predict-form .nd-predict-field").ToDictionary(e => e.GetAttribute("data-column")!, e => e.GetAttribute("data-kind"));
        kinds.ShouldBe(new Dictionary<string, string?> { ["x"] = "number", ["color"] = "category", ["member"] = "boolean", ["zone"] = "category" });
        cut.Find(".nd-predict-field[data-column=member] input[type=checkbox]").ShouldNotBeNull();
        cut.Find(".nd-predict-field[data-column=x] input").GetAttribute("inputmode").ShouldBe("decimal");
        cut.FindAll("#predict-result").ShouldBeEmpty();

        cut.Find(".nd-predict-field[data-column=x] input").Change("1.8");
        cut.Find(".nd-predict-field[data-column=member] input[type=checkbox]").Change(true);
        await cut.Find("#predict-submit").ClickAsync(new());

        sent.ShouldNotBeNull();
        sent["x"].ShouldBe("1.8");
        sent["member"].ShouldBe("true");
        sent["color"].ShouldBeNull("an empty select is a missing value");
        sent["zone"].ShouldBeNull();
        var expected = predictor.Predict(model, sent);
        cut.WaitForAssertion(() => cut.Find("#predict-label").TextContent.ShouldBe(expected.Label));
        var bars = cut.FindAll("#predict-probabilities .nd-bar-row");
        bars.Count.ShouldBe(2);
        bars.Select(b => b.QuerySelector(".nd-bar-label")!.TextContent).ShouldBe(["yes", "no"]);
        bars[0].QuerySelector(".nd-bar-value")!.TextContent.ShouldBe((expected.Probability!.Value * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " %");
    }

    [Fact]
    public async Task PredictionForm_ShowsTheReason_WhenAValueIsRefused()
    {
        var description = new ModelDescription(TrainingTask.Regression, "sdca", "price", [new ModelInput("rooms", "number", [])], []);

        var cut = RenderForm(description, _ => throw new TrainingException("'x' is not a number (column 'rooms')."));
        await cut.Find("#predict-submit").ClickAsync(new());

        cut.Find("#predict-error").TextContent.ShouldContain("is not a number (column 'rooms')");
        cut.FindAll("#predict-result").ShouldBeEmpty();
    }

    [Fact]
    public void PredictionForm_TextCategoryWithoutKnownValues_IsATextField_AndANumberWithoutColumnsIsNumeric()
    {
        var description = new ModelDescription(TrainingTask.Clustering, "kmeans", null, [new ModelInput("city", "category", []), new ModelInput("age", "number", [])], []);

        var cut = RenderForm(description, _ => Task.FromResult(new PredictionResult(Cluster: 2, Score: 0.5)), columns: []);

        cut.Find(".nd-predict-field[data-column=city]").GetAttribute("data-kind").ShouldBe("text");
        cut.Find(".nd-predict-field[data-column=age]").GetAttribute("data-kind").ShouldBe("number");
    }

    [Fact]
    public void ResultView_Multiclass_SortsTheClassBars_ByProbability()
    {
        var result = new PredictionResult(Label: "b", Probability: 0.6, ClassProbabilities: new Dictionary<string, double> { ["a"] = 0.1, ["b"] = 0.6, ["c"] = 0.3 });

        var cut = Render<PredictionResultView>(p => p.Add(x => x.Task, TrainingTask.MulticlassClassification).Add(x => x.Result, result));

        cut.Find("#predict-label").TextContent.ShouldBe("b");
        cut.FindAll("#predict-probabilities .nd-bar-label").Select(e => e.TextContent).ShouldBe(["b", "c", "a"]);
        cut.FindAll("#predict-probabilities .nd-bar-value").Select(e => e.TextContent).ShouldBe(["60.0 %", "30.0 %", "10.0 %"]);
    }

    [Fact]
    public void ResultView_ShowsTheValue_TheCluster_TheAnomaly_AndAScoreWithoutProbability()
    {
        Render<PredictionResultView>(p => p.Add(x => x.Task, TrainingTask.Regression).Add(x => x.Result, new PredictionResult(Value: 123.45678)))
            .Find("#predict-value").TextContent.ShouldBe("123.4568");
        Render<PredictionResultView>(p => p.Add(x => x.Task, TrainingTask.Clustering).Add(x => x.Result, new PredictionResult(Cluster: 3, Score: 1.5)))
            .Find("#predict-cluster").TextContent.ShouldBe("3");
        Render<PredictionResultView>(p => p.Add(x => x.Task, TrainingTask.AnomalyDetection).Add(x => x.Result, new PredictionResult(IsAnomaly: true, Score: 9)))
            .Find("#predict-anomaly").TextContent.ShouldBe("Anomaly");
        var binary = Render<PredictionResultView>(p => p.Add(x => x.Task, TrainingTask.BinaryClassification)
            .Add(x => x.Result, new PredictionResult(Label: "yes", Score: 2.5)).Add(x => x.Classes, ["no", "yes"]));
        binary.FindAll("#predict-probabilities").ShouldBeEmpty();
        binary.Find("#predict-score").TextContent.ShouldContain("2.5");
    }

    [Fact]
    public void DownloadPanel_Allowed_ShowsTheButtonToTheFile()
    {
        var cut = Render<ModelDownloadPanel>(p => p.Add(x => x.Decision, new ModelDownloadDecision(true, string.Empty)).Add(x => x.Url, "/api/v1/models/abc/download"));

        var button = cut.Find("#model-download");
        button.GetAttribute("href").ShouldBe("/api/v1/models/abc/download");
        button.HasAttribute("download").ShouldBeTrue();
        cut.FindAll("#model-download-refused").ShouldBeEmpty();
    }

    [Fact]
    public void DownloadPanel_Refused_ShowsTheReason_AndNoButton()
    {
        var cut = Render<ModelDownloadPanel>(p => p.Add(x => x.Decision, new ModelDownloadDecision(false, ModelService.TrainingOnlyTermsReason)).Add(x => x.Url, "/x"));

        cut.FindAll("#model-download").ShouldBeEmpty();
        cut.Find("#model-download-refused").TextContent.ShouldContain("terms keep models trained with training-only access on the platform");
    }

    private IRenderedComponent<PredictionForm> RenderForm(ModelDescription description, Func<IReadOnlyDictionary<string, string?>, Task<PredictionResult>> predict, IReadOnlyList<ModelColumn>? columns = null)
    {
        var root = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<PredictionForm>(1);
            builder.AddComponentParameter(2, nameof(PredictionForm.Description), description);
            builder.AddComponentParameter(3, nameof(PredictionForm.Columns), columns ?? Columns);
            builder.AddComponentParameter(4, nameof(PredictionForm.Predict), predict);
            builder.CloseComponent();
        });
        return root.FindComponent<PredictionForm>();
    }
}
