using System.Text.Json;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training;

namespace NeuroData.Tests.Unit.Training;

public sealed class MlNetTrainerTests : IDisposable
{
    private readonly TrainingFiles files = new();
    private readonly MlNetTrainer trainer = new();

    public void Dispose() => files.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TrainingRequest Csv(string path, TrainingTask task, string trainerId, string? label, string[] features, Dictionary<string, double>? parameters = null, ValidationPlan? validation = null, TrainingLimits? limits = null, string? model = null) =>
        new(path, TrainingDataFormat.Csv, task, trainerId, label, [.. features.Select(f => new FeatureColumn(f))], parameters, validation, Seed: 1, limits, model);

    [Theory]
    [InlineData(TrainerCatalog.LightGbm)]
    [InlineData(TrainerCatalog.FastTree)]
    [InlineData(TrainerCatalog.FastForest)]
    [InlineData(TrainerCatalog.Sdca)]
    [InlineData(TrainerCatalog.Lbfgs)]
    public async Task Binary_classification_separates_separable_data(string id)
    {
        var outcome = await trainer.TrainAsync(Csv(files.Separable(), TrainingTask.BinaryClassification, id, "label", ["x1", "x2", "noise", "colour"]), null, Ct);

        var b = outcome.Metrics.Binary.ShouldNotBeNull();
        b.Auc.ShouldBeGreaterThan(0.9);
        b.Accuracy.ShouldBeGreaterThan(0.85);
        b.PositiveClass.ShouldBe("yes");
        b.ConfusionMatrix.Counts.SelectMany(r => r).Sum().ShouldBe(outcome.Metrics.TestRows);
        b.RocCurve[0].ShouldBe(new RocPoint(0, 0, double.PositiveInfinity));
        b.RocCurve[^1].FalsePositiveRate.ShouldBe(1);
        b.RocCurve[^1].TruePositiveRate.ShouldBe(1);
        outcome.Metrics.TestRows.ShouldBe(60);
        outcome.Metrics.TrainingRows.ShouldBe(240);
        outcome.Metrics.PrimaryMetric.ShouldBe("AUC");
    }

    [Fact]
    public async Task Permutation_importance_ranks_the_columns_the_label_depends_on_first()
    {
        var outcome = await trainer.TrainAsync(Csv(files.Separable(), TrainingTask.BinaryClassification, TrainerCatalog.Lbfgs, "label", ["noise", "x1", "colour", "x2"]), null, Ct);

        var ranked = outcome.Metrics.FeatureImportance.Select(f => f.Column).ToList();
        ranked.Take(2).Order().ShouldBe(["x1", "x2"]);
        outcome.Metrics.FeatureImportance.Single(f => f.Column == "x1").Drop.ShouldBeGreaterThan(0.1);
        Math.Abs(outcome.Metrics.FeatureImportance.Single(f => f.Column == "noise").Drop).ShouldBeLessThan(0.05);
    }

    [Theory]
    [InlineData(TrainerCatalog.LightGbm)]
    [InlineData(TrainerCatalog.FastTree)]
    [InlineData(TrainerCatalog.Sdca)]
    [InlineData(TrainerCatalog.Lbfgs)]
    public async Task Multiclass_classification_tells_the_blobs_apart(string id)
    {
        var parameters = id == TrainerCatalog.LightGbm ? new Dictionary<string, double> { ["minLeaf"] = 5 } : null;
        var outcome = await trainer.TrainAsync(Csv(files.Blobs(), TrainingTask.MulticlassClassification, id, "kind", ["a", "b"], parameters), null, Ct);

        var m = outcome.Metrics.Multiclass.ShouldNotBeNull();
        m.MacroAccuracy.ShouldBeGreaterThan(0.9);
        m.ConfusionMatrix.Classes.ShouldBe(["east", "north", "south"]);
        m.ConfusionMatrix.Counts.Select((row, i) => row[i]).Sum().ShouldBeGreaterThan((long)(0.9 * outcome.Metrics.TestRows));
    }

    [Theory]
    [InlineData(TrainerCatalog.LightGbm)]
    [InlineData(TrainerCatalog.FastTree)]
    [InlineData(TrainerCatalog.FastForest)]
    [InlineData(TrainerCatalog.Sdca)]
    public async Task Regression_fits_a_linear_relation(string id)
    {
        var outcome = await trainer.TrainAsync(Csv(files.Linear(), TrainingTask.Regression, id, "y", ["x1", "x2"]), null, Ct);

        var r = outcome.Metrics.Regression.ShouldNotBeNull();
        r.RSquared.ShouldBeGreaterThan(0.9);
        r.PredictedVsActual.Count.ShouldBe((int)outcome.Metrics.TestRows);
        r.Residuals.ShouldAllBe(p => double.IsFinite(p.Error));
    }

    [Fact]
    public async Task Clustering_finds_the_generated_blobs()
    {
        var path = files.Blobs();
        var model = files.PathOf("kmeans.zip");
        var outcome = await trainer.TrainAsync(Csv(path, TrainingTask.Clustering, TrainerCatalog.KMeans, null, ["a", "b"], model: model), null, Ct);

        var c = outcome.Metrics.Clustering.ShouldNotBeNull();
        c.Clusters.ShouldBe(3);
        c.DaviesBouldinIndex.ShouldBeLessThan(0.5);

        // Each blob's centre falls in its own cluster, and points of a blob share it.
        var predictor = new ModelPredictor();
        int ClusterOf(double a, double b) => predictor.Predict(model, new Dictionary<string, string?> { ["a"] = $"{a}", ["b"] = $"{b}" }).Cluster!.Value;
        int[] centres = [ClusterOf(0, 10), ClusterOf(0, -10), ClusterOf(10, 0)];
        centres.Distinct().Count().ShouldBe(3);
        ClusterOf(0.5, 9.5).ShouldBe(centres[0]);
        ClusterOf(-0.5, -10.5).ShouldBe(centres[1]);
        ClusterOf(9, 0.7).ShouldBe(centres[2]);
    }

    [Fact]
    public async Task Anomaly_detection_flags_the_injected_outliers()
    {
        var outcome = await trainer.TrainAsync(
            Csv(files.Outliers(), TrainingTask.AnomalyDetection, TrainerCatalog.Pca, "outlier", ["f1", "f2", "f3", "f4", "f5"], validation: ValidationPlan.HoldOut(0.4)), null, Ct);

        var a = outcome.Metrics.Anomaly.ShouldNotBeNull();
        a.Auc.ShouldNotBeNull().ShouldBeGreaterThan(0.9);
        a.PrecisionAtKnownCount.ShouldNotBeNull().ShouldBeGreaterThan(0.7);
        a.KnownAnomalies.ShouldNotBeNull().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Auto_tries_several_trainers_and_keeps_the_best()
    {
        var outcome = await trainer.TrainAsync(
            Csv(files.Separable(200), TrainingTask.BinaryClassification, TrainerCatalog.Auto, "label", ["x1", "x2", "noise"], new() { ["folds"] = 2 }), null, Ct);

        var trials = outcome.Metrics.AutoTrials;
        trials.Select(t => t.Trainer).Distinct().Count().ShouldBeGreaterThanOrEqualTo(4);
        var best = trials.Where(t => t.Failure is null).MaxBy(t => t.PrimaryValue)!;
        outcome.Metrics.Trainer.ShouldBe(best.Trainer);
        outcome.Metrics.Parameters.ShouldBe(best.Parameters);
        outcome.Metrics.Binary!.Auc.ShouldBeGreaterThan(0.9);
    }

    [Fact]
    public async Task K_fold_cross_validation_reports_every_fold_and_their_mean()
    {
        var outcome = await trainer.TrainAsync(
            Csv(files.Linear(), TrainingTask.Regression, TrainerCatalog.Sdca, "y", ["x1", "x2"], validation: ValidationPlan.KFold(4)), null, Ct);

        var folds = outcome.Metrics.Folds;
        folds.Count.ShouldBe(4);
        folds.Sum(f => f.TestRows).ShouldBe(300);
        folds.ShouldAllBe(f => f.PrimaryValue > 0.9 && f.TrainingRows + f.TestRows == 300);
        outcome.Metrics.PrimaryValue.ShouldBe(folds.Average(f => f.PrimaryValue), 1e-12);
        outcome.Metrics.Validation.ShouldBe("4-fold cross-validation");
    }

    [Fact]
    public async Task Same_seed_gives_the_same_metrics()
    {
        var path = files.Separable();
        var first = await trainer.TrainAsync(Csv(path, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", ["x1", "x2"]), null, Ct);
        var second = await trainer.TrainAsync(Csv(path, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", ["x1", "x2"]), null, Ct);

        second.Metrics.Binary!.Auc.ShouldBe(first.Metrics.Binary!.Auc);
        second.Metrics.Binary.ConfusionMatrix.Counts.SelectMany(r => r).ShouldBe(first.Metrics.Binary.ConfusionMatrix.Counts.SelectMany(r => r));
    }

    [Fact]
    public async Task Progress_reports_stages_with_rows_and_time_up_to_done()
    {
        var reports = new List<TrainingProgress>();
        await trainer.TrainAsync(Csv(files.Separable(), TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", ["x1", "x2"]), new ListProgress(reports), Ct);

        reports.Select(r => r.Stage).ShouldContain("Training");
        reports[^1].Stage.ShouldBe("Done");
        reports[^1].Percent.ShouldBe(100);
        reports.Select(r => r.Percent).ShouldBeInOrder();
        reports.Where(r => r.Stage == "Training").ShouldAllBe(r => r.Rows == 300 && r.Trainer == "LightGBM");
        reports.Where(r => r.Percent is >= 10 and < 100).ShouldAllBe(r => r.Remaining != null);
    }

    [Fact]
    public async Task Metrics_json_round_trips()
    {
        var outcome = await trainer.TrainAsync(Csv(files.Separable(), TrainingTask.BinaryClassification, TrainerCatalog.FastTree, "label", ["x1", "x2"]), null, Ct);

        var back = JsonSerializer.Deserialize<TrainingMetrics>(outcome.MetricsJson, MlNetTrainer.Json).ShouldNotBeNull();
        back.Binary!.Auc.ShouldBe(outcome.Metrics.Binary!.Auc);
        back.Binary.RocCurve.Count.ShouldBe(outcome.Metrics.Binary.RocCurve.Count);
        back.Task.ShouldBe(TrainingTask.BinaryClassification);
        outcome.MetricsJson.ShouldContain("\"task\":\"BinaryClassification\"");
    }

    [Fact]
    public async Task Label_with_one_distinct_value_fails_in_plain_words()
    {
        var path = files.Write("constant.csv", ["x", "y"], Enumerable.Range(0, 50).Select(i => new object?[] { i, 1 }));

        var ex = await Should.ThrowAsync<TrainingException>(() => trainer.TrainAsync(Csv(path, TrainingTask.Regression, TrainerCatalog.LightGbm, "y", ["x"]), null, Ct));
        ex.Message.ShouldContain("label column 'y' has 1 distinct value");
    }

    [Fact]
    public async Task Text_label_for_regression_asks_for_multiclass()
    {
        var ex = await Should.ThrowAsync<TrainingException>(() => trainer.TrainAsync(Csv(files.Blobs(), TrainingTask.Regression, TrainerCatalog.LightGbm, "kind", ["a", "b"]), null, Ct));
        ex.Message.ShouldContain("label column 'kind' is text: choose multiclass");
    }

    [Fact]
    public async Task Three_classes_for_binary_asks_for_multiclass()
    {
        var ex = await Should.ThrowAsync<TrainingException>(() => trainer.TrainAsync(Csv(files.Blobs(), TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "kind", ["a", "b"]), null, Ct));
        ex.Message.ShouldContain("is text with 3 distinct values: choose multiclass");
    }

    [Fact]
    public async Task No_feature_columns_fails_in_plain_words()
    {
        var ex = await Should.ThrowAsync<TrainingException>(() => trainer.TrainAsync(Csv(files.Separable(), TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", []), null, Ct));
        ex.Message.ShouldContain("no feature columns");
    }

    [Fact]
    public async Task Unknown_columns_label_as_feature_and_wrong_trainer_fail_in_plain_words()
    {
        var path = files.Separable();
        (await Should.ThrowAsync<TrainingException>(() => trainer.TrainAsync(Csv(path, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", ["x1", "nope"]), null, Ct)))
            .Message.ShouldContain("There is no column 'nope' in the data. Its columns are: x1, x2, noise, colour, label");
        (await Should.ThrowAsync<TrainingException>(() => trainer.TrainAsync(Csv(path, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", ["x1", "label"]), null, Ct)))
            .Message.ShouldContain("cannot also be a feature");
        (await Should.ThrowAsync<TrainingException>(() => trainer.TrainAsync(Csv(path, TrainingTask.BinaryClassification, TrainerCatalog.KMeans, "label", ["x1"]), null, Ct)))
            .Message.ShouldContain("K-Means cannot do binary classification");
        (await Should.ThrowAsync<TrainingException>(() => trainer.TrainAsync(Csv(path, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", ["x1"], new() { ["trees"] = 0 }), null, Ct)))
            .Message.ShouldContain("Trees (trees) must be between 1 and 5000 (got 0)");
    }

    [Fact]
    public async Task Retyping_a_number_as_a_category_and_text_as_a_number_works()
    {
        var r = new Random(2);
        var path = files.Write("retype.csv", ["code", "amount", "label"], Enumerable.Range(0, 200).Select(i =>
        {
            var code = i % 4;
            return new object?[] { code, i % 10 == 0 ? "n/a" : $"{r.Next(100)}", code is 1 or 3 ? "yes" : "no" };
        }));

        // code 1 and 3 are positive: not monotonic, so a linear model only separates it as a category.
        var request = new TrainingRequest(path, TrainingDataFormat.Csv, TrainingTask.BinaryClassification, TrainerCatalog.Lbfgs, "label",
            [new FeatureColumn("code", ColumnType.Text), new FeatureColumn("amount", ColumnType.Number)]);
        var outcome = await trainer.TrainAsync(request, null, Ct);

        outcome.Metrics.Binary!.Auc.ShouldBeGreaterThan(0.99);
    }

    [Fact]
    public async Task A_CSV_is_read_cell_by_cell_as_at_ingest()
    {
        // CRLF, a blank line, quoted cells with a delimiter and a doubled quote, exponents and signs (numbers), leading
        // zeros (an identifier: text), true/false (boolean), an empty cell (missing) and a number after text in the same
        // column (the column becomes text, the earlier numbers come back as text).
        var lines = new List<string> { "code,amount,flag,\"note, quoted\",mixed,label" };
        for (var i = 0; i < 120; i++)
        {
            var yes = i % 2 == 0;
            lines.Add(string.Join(',',
                i % 3 == 0 ? "007" : $"{10 + (i % 5)}",
                yes ? $"{i + 1}e2" : (i == 1 ? string.Empty : $"-{i}.5"),
                yes ? "TRUE" : "false",
                i == 4 ? "\"say \"\"hi\"\", twice\"" : "plain",
                i == 60 ? "n/a" : $"{i % 7}",
                yes ? "yes" : "no"));
            if (i == 10)
            {
                lines.Add(string.Empty);
            }
        }

        var path = files.PathOf("cells.csv");
        await File.WriteAllTextAsync(path, string.Join("\r\n", lines) + "\r\n", Ct);
        var model = files.PathOf("cells.zip");
        var outcome = await trainer.TrainAsync(
            new TrainingRequest(path, TrainingDataFormat.Csv, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label",
                [new("code"), new("amount"), new("flag"), new("note, quoted"), new("mixed")], new Dictionary<string, double> { ["minLeaf"] = 2 }, ModelOutputPath: model),
            null, Ct);

        outcome.Metrics.TrainingRows.ShouldBe(96, "120 rows (the blank line is not a row), 20 % held out");
        var inputs = new ModelPredictor().Describe(model).Inputs.ToDictionary(i => i.Name);
        inputs["code"].Kind.ShouldBe("category", "leading zeros keep codes as text");
        inputs["code"].Categories.ShouldContain("007");
        inputs["amount"].Kind.ShouldBe("number");
        inputs["flag"].Kind.ShouldBe("boolean");
        inputs["note, quoted"].Categories.ShouldBe(["plain", "say \"hi\", twice"], ignoreOrder: true);
        inputs["mixed"].Kind.ShouldBe("category");
        inputs["mixed"].Categories.ShouldBe(["0", "1", "2", "3", "4", "5", "6", "n/a"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_ragged_CSV_row_fails_in_plain_words_with_its_line()
    {
        var path = files.PathOf("ragged.csv");
        await File.WriteAllTextAsync(path, "x1,x2,label\n1,2,yes\n3,no\n", Ct);
        var ex = await Should.ThrowAsync<TrainingException>(() => trainer.TrainAsync(
            Csv(path, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", ["x1", "x2"]), null, Ct));
        ex.Message.ShouldContain("line 3 has 2 columns but the header has 3");

        // Far into the file (rows are split on another thread, in batches): the same message, with its line.
        var late = files.PathOf("ragged-late.csv");
        await File.WriteAllLinesAsync(late, ["x1,x2,label", .. Enumerable.Range(0, 9000).Select(i => $"{i},{i % 7},{(i % 2 == 0 ? "yes" : "no")}"), "1,no"], Ct);
        ex = await Should.ThrowAsync<TrainingException>(() => trainer.TrainAsync(
            Csv(late, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", ["x1", "x2"]), null, Ct));
        ex.Message.ShouldContain("line 9002 has 2 columns but the header has 3");

        // A cell that is not UTF-8 text, found while the other thread is still splitting rows: a plain message, no hang.
        var badText = files.PathOf("bad-text.csv");
        var bytes = new List<byte>(System.Text.Encoding.UTF8.GetBytes("x1,x2,label\n"));
        for (var i = 0; i < 20_000; i++)
        {
            bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(i == 3000 ? "1," : $"{i},{i % 7},{(i % 2 == 0 ? "yes" : "no")}\n"));
            if (i == 3000)
            {
                bytes.AddRange([0xC3, 0x28]); // an invalid UTF-8 sequence
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(",yes\n"));
            }
        }

        await File.WriteAllBytesAsync(badText, [.. bytes], Ct);
        ex = await Should.ThrowAsync<TrainingException>(() => trainer.TrainAsync(
            Csv(badText, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", ["x1", "x2"]), null, Ct));
        ex.Message.ShouldStartWith("The CSV file cannot be read:");
        ex.Message.ShouldContain("UTF-8");
    }

    [Fact]
    public async Task Row_limit_stops_before_training()
    {
        var ex = await Should.ThrowAsync<TrainingLimitException>(() => trainer.TrainAsync(
            Csv(files.Separable(), TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", ["x1"], limits: new TrainingLimits(MaxRows: 100)), null, Ct));
        ex.Message.ShouldContain("more than 100 rows");
    }

    [Fact]
    public async Task Time_limit_stops_a_long_run()
    {
        var path = files.Separable(3000);
        // 5,000 deep trees would take minutes; the limit stops the run with its reason instead of finishing it.
        var ex = await Should.ThrowAsync<TrainingLimitException>(() => trainer.TrainAsync(
            Csv(path, TrainingTask.BinaryClassification, TrainerCatalog.FastTree, "label", ["x1", "x2", "noise", "colour"], new() { ["trees"] = 5000, ["leaves"] = 64, ["minLeaf"] = 1 },
                limits: new TrainingLimits(MaxDuration: TimeSpan.FromMilliseconds(500))), null, Ct));
        ex.Message.ShouldContain("time limit");
    }

    [Fact]
    public async Task Memory_limit_below_the_data_size_fails_in_plain_words()
    {
        var ex = await Should.ThrowAsync<TrainingLimitException>(() => trainer.TrainAsync(
            Csv(files.Separable(), TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", ["x1", "x2"], limits: new TrainingLimits(MaxMemoryBytes: 1000)), null, Ct));
        ex.Message.ShouldContain("memory limit");
    }

    [Fact]
    public async Task Cancellation_stops_training_promptly()
    {
        var path = files.Separable(3000);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var reports = new List<TrainingProgress>();
        var progress = new ListProgress(reports, p =>
        {
            if (p.Stage == "Training")
            {
                cts.CancelAfter(300);
            }
        });
        // Cancelled while fitting 5,000 deep trees: it throws instead of finishing (no "Done" report, no model).
        await Should.ThrowAsync<OperationCanceledException>(() => trainer.TrainAsync(
            Csv(path, TrainingTask.BinaryClassification, TrainerCatalog.FastTree, "label", ["x1", "x2", "noise", "colour"], new() { ["trees"] = 5000, ["leaves"] = 64, ["minLeaf"] = 1 }),
            progress, cts.Token));
        reports.ShouldContain(r => r.Stage == "Training");
        reports.ShouldNotContain(r => r.Stage == "Done");
    }

    [Fact]
    public void Catalogue_lists_trainers_with_explained_defaults_for_every_task()
    {
        foreach (var task in Enum.GetValues<TrainingTask>())
        {
            TrainerCatalog.For(task).Count.ShouldBeGreaterThanOrEqualTo(2, $"{task} needs Auto and at least one trainer");
        }

        TrainerCatalog.All.SelectMany(t => t.Parameters).ShouldAllBe(p => p.Explanation.Length > 20 && p.Default >= p.Min && p.Default <= p.Max);
        TrainerCatalog.Resolve(TrainerCatalog.Find("LightGBM")!, new Dictionary<string, double> { ["Trees"] = 7 })["trees"].ShouldBe(7);
        Should.Throw<TrainingException>(() => TrainerCatalog.Resolve(TrainerCatalog.Find("lightgbm")!, new Dictionary<string, double> { ["depth"] = 3 }))
            .Message.ShouldContain("has no setting 'depth'");
        Should.Throw<TrainingException>(() => TrainerCatalog.Resolve(TrainerCatalog.Find("lightgbm")!, new Dictionary<string, double> { ["leaves"] = 2.5 }))
            .Message.ShouldContain("must be a whole number");
    }

    private sealed class ListProgress(List<TrainingProgress> reports, Action<TrainingProgress>? also = null) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }

            also?.Invoke(value);
        }
    }
}
