using Microsoft.ML;
using Microsoft.ML.Data;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training;

namespace NeuroData.Tests.Unit.Training;

public sealed class ModelFileTests : IDisposable
{
    private readonly TrainingFiles files = new();

    public void Dispose() => files.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> TrainBinaryAsync()
    {
        var model = files.PathOf("binary.zip");
        await new MlNetTrainer().TrainAsync(
            new TrainingRequest(files.Separable(), TrainingDataFormat.Csv, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label",
                [new("x1"), new("x2"), new("colour")], ModelOutputPath: model),
            null, Ct);
        return model;
    }

    [Fact]
    public async Task Model_zip_loads_in_plain_MLNET_and_predicts_the_same_as_the_predictor()
    {
        var model = await TrainBinaryAsync();

        var ml = new MLContext();
        var loaded = ml.Model.Load(model, out var schema);
        schema.Select(c => c.Name).ShouldBe(["x1", "x2", "colour"]);
        var input = ml.Data.LoadFromEnumerable([new Row { X1 = 1.5f, X2 = 0.5f, Colour = "red" }, new Row { X1 = -2f, X2 = -1f, Colour = "blue" }]);
        var scores = loaded.Transform(input).GetColumn<float>("Score").ToArray();

        var predictor = new ModelPredictor();
        var yes = predictor.Predict(model, new Dictionary<string, string?> { ["x1"] = "1.5", ["x2"] = "0.5", ["colour"] = "red" });
        var no = predictor.Predict(model, new Dictionary<string, string?> { ["x1"] = "-2", ["x2"] = "-1", ["colour"] = "blue" });
        yes.Label.ShouldBe("yes");
        no.Label.ShouldBe("no");
        yes.Score.ShouldBe(scores[0]);
        no.Score.ShouldBe(scores[1]);
        yes.Probability.ShouldNotBeNull().ShouldBeGreaterThan(0.5);
    }

    [Fact]
    public async Task Describe_lists_the_inputs_for_a_prediction_form()
    {
        var model = await TrainBinaryAsync();

        var d = new ModelPredictor().Describe(model);
        d.Task.ShouldBe(TrainingTask.BinaryClassification);
        d.Label.ShouldBe("label");
        d.Classes.ShouldBe(["no", "yes"]);
        d.Inputs.Select(i => (i.Name, i.Kind)).ShouldBe([("x1", "number"), ("x2", "number"), ("colour", "category")]);
        d.Inputs[2].Categories.Order().ShouldBe(["blue", "green", "red"]);
    }

    [Fact]
    public async Task Batch_prediction_streams_a_CSV_and_matches_single_predictions()
    {
        var model = await TrainBinaryAsync();
        var predictor = new ModelPredictor();
        var csv = "x1,x2,colour,extra\n1.5,0.5,red,=cmd()\n-2,-1,blue,b\n0.1,,green,c\n";
        using var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv));
        using var output = new MemoryStream();

        var count = await predictor.PredictCsvAsync(model, input, output, Ct);

        count.ShouldBe(3);
        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n').Split('\n');
        lines.Length.ShouldBe(4);
        lines[0].ShouldBe("x1,x2,colour,extra,predicted_label,probability,score");
        lines[1].ShouldStartWith("1.5,0.5,red,'=cmd(),yes,");
        lines[2].ShouldStartWith("-2,-1,blue,b,no,");
        var single = predictor.Predict(model, new Dictionary<string, string?> { ["x1"] = "0.1", ["x2"] = null, ["colour"] = "green" });
        lines[3].Split(',')[4].ShouldBe(single.Label);
    }

    [Fact]
    public async Task A_numbers_only_tree_model_reads_named_columns_and_batch_prediction_keeps_the_row_order()
    {
        // Numbers only: LightGBM learns from the features packed into one vector (no concatenating step while training);
        // the saved model must still read the named columns, and scoring many rows on several cursors keeps their order.
        var model = files.PathOf("numbers.zip");
        var outcome = await new MlNetTrainer().TrainAsync(
            new TrainingRequest(files.Separable(rows: 3000), TrainingDataFormat.Csv, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label",
                [new("x1"), new("x2"), new("noise")], ModelOutputPath: model),
            null, Ct);
        outcome.Metrics.Binary!.Auc.ShouldBeGreaterThan(0.97);
        var drops = outcome.Metrics.FeatureImportance.ToDictionary(f => f.Column, f => f.Drop);
        drops["x1"].ShouldBeGreaterThan(0.05, "x1 decides the label: shuffling it inside the packed vector must hurt");
        drops["x2"].ShouldBeGreaterThan(0.05);
        Math.Abs(drops["noise"]).ShouldBeLessThan(0.02, "the label does not depend on noise");

        var ml = new MLContext();
        ml.Model.Load(model, out var schema);
        schema.Select(c => c.Name).ShouldBe(["x1", "x2", "noise"]);

        var random = new Random(42);
        var expected = Enumerable.Range(0, 20_000).Select(_ => random.Next(2) == 0).ToArray();
        var csv = new System.Text.StringBuilder("x1,x2,noise\n");
        foreach (var yes in expected)
        {
            csv.Append(yes ? "2.5,1.5,0\n" : "-2.5,-1.5,0\n");
        }

        using var input = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv.ToString()));
        using var output = new MemoryStream();
        (await new ModelPredictor().PredictCsvAsync(model, input, output, Ct)).ShouldBe(expected.Length);
        var labels = System.Text.Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n').Split('\n').Skip(1).Select(l => l.Split(',')[3]).ToArray();
        labels.ShouldBe(expected.Select(yes => yes ? "yes" : "no").ToArray());
    }

    [Fact]
    public async Task Batch_prediction_names_a_missing_column_and_a_bad_value()
    {
        var model = await TrainBinaryAsync();
        var predictor = new ModelPredictor();

        using var noColumn = new MemoryStream("x1,colour\n1,red\n"u8.ToArray());
        (await Should.ThrowAsync<TrainingException>(() => predictor.PredictCsvAsync(model, noColumn, new MemoryStream(), Ct)))
            .Message.ShouldContain("The file has no column 'x2'");

        using var badValue = new MemoryStream("x1,x2,colour\n1,2,red\n1,abc,red\n"u8.ToArray());
        (await Should.ThrowAsync<TrainingException>(() => predictor.PredictCsvAsync(model, badValue, new MemoryStream(), Ct)))
            .Message.ShouldContain("Line 3: 'abc' is not a number (column 'x2')");
    }

    [Fact]
    public async Task Multiclass_and_regression_models_predict_from_text_values()
    {
        var trainer = new MlNetTrainer();
        var predictor = new ModelPredictor();
        var multi = files.PathOf("multi.zip");
        await trainer.TrainAsync(new TrainingRequest(files.Blobs(), TrainingDataFormat.Csv, TrainingTask.MulticlassClassification, TrainerCatalog.Lbfgs, "kind", [new("a"), new("b")], ModelOutputPath: multi), null, Ct);
        var regression = files.PathOf("regression.zip");
        await trainer.TrainAsync(new TrainingRequest(files.Linear(), TrainingDataFormat.Csv, TrainingTask.Regression, TrainerCatalog.Sdca, "y", [new("x1"), new("x2")], ModelOutputPath: regression), null, Ct);

        var east = predictor.Predict(multi, new Dictionary<string, string?> { ["a"] = "10", ["b"] = "0.3" });
        east.Label.ShouldBe("east");
        east.ClassProbabilities!.Keys.Order().ShouldBe(["east", "north", "south"]);
        east.ClassProbabilities["east"].ShouldBeGreaterThan(0.8);

        var value = predictor.Predict(regression, new Dictionary<string, string?> { ["x1"] = "1", ["x2"] = "2" }).Value.ShouldNotBeNull();
        value.ShouldBe((3 * 1) - (2 * 2) + 5, 0.5);
    }

    [Fact]
    public async Task A_failed_run_leaves_no_model_file()
    {
        var model = files.PathOf("never.zip");
        await Should.ThrowAsync<TrainingException>(() => new MlNetTrainer().TrainAsync(
            new TrainingRequest(files.Blobs(), TrainingDataFormat.Csv, TrainingTask.Regression, TrainerCatalog.LightGbm, "kind", [new("a")], ModelOutputPath: model), null, Ct));
        Directory.GetFiles(files.Folder).ShouldNotContain(f => f.Contains("never", StringComparison.Ordinal));
    }

    private sealed class Row
    {
        [ColumnName("x1")]
        public float X1 { get; set; }

        [ColumnName("x2")]
        public float X2 { get; set; }

        [ColumnName("colour")]
        public string Colour { get; set; } = string.Empty;
    }
}
