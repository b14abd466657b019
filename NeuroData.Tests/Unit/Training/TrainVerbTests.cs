using System.Text.Json;
using NeuroData.Web.Operations.Training;

namespace NeuroData.Tests.Unit.Training;

public sealed class TrainVerbTests : IDisposable
{
    private readonly TrainingFiles files = new();

    public void Dispose() => files.Dispose();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await TrainVerb.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Train_prints_the_metrics_as_one_JSON_object_on_the_last_line_and_saves_the_model()
    {
        var model = files.PathOf("out/model.zip");
        var (code, output, _) = await RunAsync(files.Separable(), "--label", "label", "--task", "binary", "--trainer", "lightgbm",
            "--trees", "50", "--leaves", "8", "--learning-rate", "0.2", "--test-fraction", "0.25", "--seed", "3", "--out", model);

        code.ShouldBe(0);
        var last = output.TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        json.RootElement.GetProperty("auc").GetDouble().ShouldBeGreaterThan(0.9);
        json.RootElement.GetProperty("trainer").GetString().ShouldBe("lightgbm");
        json.RootElement.GetProperty("testRows").GetInt64().ShouldBe(75);
        json.RootElement.GetProperty("seed").GetInt32().ShouldBe(3);
        json.RootElement.GetProperty("parameters").GetProperty("trees").GetDouble().ShouldBe(50);
        json.RootElement.GetProperty("model").GetString().ShouldBe(model);
        File.Exists(model).ShouldBeTrue();
    }

    [Fact]
    public async Task Train_uses_every_other_column_as_a_feature_by_default_and_supports_folds()
    {
        var (code, output, error) = await RunAsync(files.Linear(), "--label", "y", "--task", "regression", "--trainer", "sdca", "--folds", "3");

        code.ShouldBe(0, error);
        using var json = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]);
        json.RootElement.GetProperty("rSquared").GetDouble().ShouldBeGreaterThan(0.9);
        json.RootElement.GetProperty("folds").GetArrayLength().ShouldBe(3);
        json.RootElement.GetProperty("featureImportance").EnumerateObject().Select(p => p.Name).Order().ShouldBe(["x1", "x2"]);
    }

    [Theory]
    [InlineData("--task", "binary")]
    [InlineData("--label", "label", "--task", "binary", "--trainer", "xgboost")]
    [InlineData("--label", "label", "--task", "ranking")]
    [InlineData("--label", "label", "--task", "binary", "--trees", "many")]
    [InlineData("--label", "label", "--task", "binary", "--test-fraction", "1.5")]
    [InlineData("--label", "label", "--task", "binary", "--bogus", "1")]
    [InlineData("--label", "label", "--task")]
    public async Task Bad_arguments_exit_2_with_a_message(params string[] options)
    {
        var (code, output, error) = await RunAsync([files.Separable(50), .. options]);

        code.ShouldBe(2);
        error.ShouldStartWith("train: ");
        error.ShouldContain("Usage: train <file.csv>");
        output.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_file_exits_2()
    {
        var (code, _, error) = await RunAsync(files.PathOf("nope.csv"), "--label", "y", "--task", "regression");
        code.ShouldBe(2);
        error.ShouldContain("does not exist");
    }

    [Fact]
    public async Task Data_the_run_cannot_use_exits_2_with_the_reason()
    {
        var path = files.Write("one.csv", ["x", "y"], Enumerable.Range(0, 30).Select(i => new object?[] { i, "same" }));

        var (code, output, error) = await RunAsync(path, "--label", "y", "--task", "binary");

        code.ShouldBe(2);
        error.ShouldContain("label column 'y' has 1 distinct value");
        output.ShouldBeEmpty();
    }
}
