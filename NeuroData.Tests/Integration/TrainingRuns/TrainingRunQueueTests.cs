using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.ML;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training;
using NeuroData.Infrastructure.Training.Runs;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Unit.Training;

namespace NeuroData.Tests.Integration.TrainingRuns;

/// <summary>The training run queue end to end: queue, positions, execution by the real engine on stored encrypted data,
/// models, cancel, restart recovery, limits, validation and who may see what. Every test runs on SQLite and PostgreSQL.</summary>
public sealed class TrainingRunQueueTests : PersistenceTest, IDisposable
{
    private readonly PostgresCluster cluster;
    private readonly TestDatabases databases;
    private readonly TrainingFiles _files = new();
    private readonly List<TrainingRunHarness> _harnesses = [];

    public TrainingRunQueueTests(PostgresCluster cluster, TestDatabases databases)
        : base(cluster, databases)
    {
        this.cluster = cluster;
        this.databases = databases;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var harness in _harnesses)
        {
            harness.Dispose();
        }

        _files.Dispose();
    }

    private async Task<TrainingRunHarness> HarnessAsync(DbProvider provider, Action<TrainingRunOptions>? configure = null)
    {
        var harness = new TrainingRunHarness(await databases.GetAsync(provider, cluster), Clock, configure);
        _harnesses.Add(harness);
        return harness;
    }

    private static async Task<TrainingRunSnapshot> RunAsync(TrainingRunHarness h, Guid userId, Guid runId)
    {
        await h.Dispatcher.RunPassAsync(Ct);
        return (await h.Runs.GetAsync(userId, false, runId, Ct)).ShouldNotBeNull();
    }

    private static async Task<int> CountRunsAsync(TrainingRunHarness h, Guid userId)
    {
        await using var db = h.Factory.CreateDbContext();
        return await db.TrainingRuns.CountAsync(r => r.UserId == userId, Ct);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Queued_runs_wait_in_line_then_train_into_metrics_and_versioned_loadable_models(DbProvider provider)
    {
        var h = await HarnessAsync(provider);
        var seller = await SeedUserAsync(provider, "seller");
        var (_, versionId) = await h.SeedDatasetAsync(seller, _files.Separable(), Ct);

        var trainable = (await h.Runs.TrainableAsync(seller, Ct)).ShouldHaveSingleItem();
        trainable.VersionId.ShouldBe(versionId);
        trainable.Access.ShouldBe(TrainingAccess.Owner);
        trainable.ModelDownloadAllowed.ShouldBeTrue();
        trainable.DeclaredLabel.ShouldBe("label");
        trainable.RowCount.ShouldBe(300);
        trainable.Columns.Select(c => c.Name).ShouldBe(["x1", "x2", "noise", "colour", "label"]);
        trainable.Cid.ShouldStartWith("Qm");

        var first = await h.Runs.QueueAsync(seller, TrainingRunHarness.Binary(versionId), Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await h.Runs.QueueAsync(seller, TrainingRunHarness.Binary(versionId) with
        {
            Features = [new FeatureColumn("x1"), new FeatureColumn("x2"), new FeatureColumn("colour", ColumnType.Text)],
            Validation = ValidationPlan.KFold(3),
        }, Ct);

        var queued = await h.Runs.ListAsync(seller, Ct);
        queued.Select(r => r.Id).ShouldBe([second, first]);
        queued.Select(r => r.QueuePosition).ShouldBe([2, 1]);
        queued.ShouldAllBe(r => r.Status == TrainingRunStatus.Queued && r.Progress == null && r.Metrics == null);
        queued[0].Request.Features.ShouldContain(new FeatureColumn("colour", ColumnType.Text));
        queued[0].Request.Validation.ShouldBe(ValidationPlan.KFold(3));
        queued[0].Request.Parameters["trees"].ShouldBe(20);
        queued[0].Request.Parameters["learningRate"].ShouldBe(0.1); // defaults filled in and kept with the run

        var changes = new List<Guid>();
        using (h.Notifier.Subscribe(seller, id =>
        {
            lock (changes)
            {
                changes.Add(id);
            }
        }))
        {
            (await h.Dispatcher.RunPassAsync(Ct)).ShouldBe(2);
        }

        changes.ShouldContain(first);
        changes.ShouldContain(second);
        var runs = await h.Runs.ListAsync(seller, Ct);
        runs.ShouldAllBe(r => r.Status == TrainingRunStatus.Succeeded && r.QueuePosition == null && r.FailureReason == null);
        foreach (var run in runs)
        {
            run.Metrics.ShouldNotBeNull().Binary!.Auc.ShouldBeGreaterThan(0.9);
            run.StartedAt.ShouldNotBeNull();
            run.FinishedAt.ShouldNotBeNull();
            run.ModelId.ShouldNotBeNull();
        }

        runs.Single(r => r.Id == second).Metrics!.Folds.Count.ShouldBe(3);
        await using var db = h.Factory.CreateDbContext();
        var models = await db.TrainedModels.Where(m => m.UserId == seller).ToListAsync(Ct);
        models.OrderBy(m => m.VersionNumber).Select(m => (m.Name, m.VersionNumber, m.TrainingRunId)).ShouldBe([("Churn", 1, first), ("Churn", 2, second)]);
        models.ShouldAllBe(m => m.DatasetVersionId == versionId && m.Task == TrainingTask.BinaryClassification);
        foreach (var model in models)
        {
            var path = h.Models.FullPath(model);
            new FileInfo(path).Length.ShouldBe(model.SizeBytes);
            new MLContext().Model.Load(path, out var schema).ShouldNotBeNull();
            schema.GetColumnOrNull("x1").ShouldNotBeNull();
        }

        var row = await db.TrainingRuns.SingleAsync(r => r.Id == first, Ct);
        row.Attempts.ShouldBe(1);
        row.ProgressPercent.ShouldBe(100);
        h.TempFiles().ShouldBeEmpty();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_training_only_buyer_trains_but_strangers_cannot_queue_see_or_cancel_the_run(DbProvider provider)
    {
        var h = await HarnessAsync(provider);
        var seller = await SeedUserAsync(provider, "seller");
        var buyer = await SeedUserAsync(provider, "buyer");
        var downloader = await SeedUserAsync(provider, "downloader");
        var stranger = await SeedUserAsync(provider, "stranger");
        var (datasetId, versionId) = await h.SeedDatasetAsync(seller, _files.Separable(), Ct);
        await h.BuyAsync(buyer, seller, datasetId, versionId, DatasetAccessTypes.TrainingOnly, Ct);
        await h.BuyAsync(downloader, seller, datasetId, versionId, DatasetAccessTypes.Download, Ct);

        var bought = (await h.Runs.TrainableAsync(buyer, Ct)).ShouldHaveSingleItem();
        (bought.Access, bought.ModelDownloadAllowed).ShouldBe((TrainingAccess.TrainingOnly, false));
        var downloaded = (await h.Runs.TrainableAsync(downloader, Ct)).ShouldHaveSingleItem();
        (downloaded.Access, downloaded.ModelDownloadAllowed).ShouldBe((TrainingAccess.Download, true));
        (await h.Runs.TrainableAsync(stranger, Ct)).ShouldBeEmpty();

        var refused = await Should.ThrowAsync<DomainException>(() => h.Runs.QueueAsync(stranger, TrainingRunHarness.Binary(versionId), Ct));
        refused.Message.ShouldContain("cannot train on this dataset version");
        (await CountRunsAsync(h, stranger)).ShouldBe(0);

        var runId = await h.Runs.QueueAsync(buyer, TrainingRunHarness.Binary(versionId), Ct);
        (await h.Runs.GetAsync(stranger, false, runId, Ct)).ShouldBeNull();
        (await h.Runs.ListAsync(stranger, Ct)).ShouldBeEmpty();
        (await h.Runs.GetAsync(seller, false, runId, Ct)).ShouldBeNull(); // the seller does not see the buyer's runs either
        (await Should.ThrowAsync<DomainException>(() => h.Runs.CancelAsync(stranger, runId, Ct))).Message.ShouldBe("There is no such training run.");
        (await h.Runs.GetAsync(stranger, true, runId, Ct)).ShouldNotBeNull().UserId.ShouldBe(buyer); // admins see any run

        var done = await RunAsync(h, buyer, runId);
        done.Status.ShouldBe(TrainingRunStatus.Succeeded, done.FailureReason);
        done.Metrics!.Binary!.Auc.ShouldBeGreaterThan(0.9);
        done.DatasetId.ShouldBe(datasetId);
        done.DatasetTitle.ShouldBe("Outcomes");
        h.TempFiles().ShouldBeEmpty();
    }

    public static TheoryData<DbProvider, string, string> BadRequests()
    {
        var data = new TheoryData<DbProvider, string, string>();
        foreach (var provider in new[] { DbProvider.Sqlite, DbProvider.Postgres })
        {
            data.Add(provider, "unknown column", "There is no column 'price'");
            data.Add(provider, "label as feature", "The label column 'label' cannot also be a feature");
            data.Add(provider, "wrong trainer", "K-Means cannot do binary classification; choose one of:");
            data.Add(provider, "unknown trainer", "There is no trainer 'xgboost'");
            data.Add(provider, "out of range", "Trees (trees) must be between 1 and 5000 (got 0)");
            data.Add(provider, "unknown parameter", "LightGBM has no setting 'depth'");
            data.Add(provider, "test fraction", "The test fraction must be between 0 and 1");
            data.Add(provider, "folds", "Cross-validation needs between 2 and 10 folds (got 11)");
            data.Add(provider, "model name", "Give the model a name of 1 to 120 characters");
            data.Add(provider, "no label", "Binary classification needs a label column");
            data.Add(provider, "no features", "Choose at least one feature column");
            data.Add(provider, "no version", "cannot train on this dataset version");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_are_refused_with_the_reason_and_write_nothing(DbProvider provider, string problem, string expected)
    {
        var h = await HarnessAsync(provider);
        var seller = await SeedUserAsync(provider, "seller");
        var (_, versionId) = await h.SeedDatasetAsync(seller, _files.Separable(), Ct);
        var good = TrainingRunHarness.Binary(versionId);
        var request = problem switch
        {
            "unknown column" => good with { Features = [new FeatureColumn("x1"), new FeatureColumn("price")] },
            "label as feature" => good with { Features = [new FeatureColumn("x1"), new FeatureColumn("label")] },
            "wrong trainer" => good with { Trainer = TrainerCatalog.KMeans, Parameters = new Dictionary<string, double>() },
            "unknown trainer" => good with { Trainer = "xgboost" },
            "out of range" => good with { Parameters = new Dictionary<string, double> { ["trees"] = 0 } },
            "unknown parameter" => good with { Parameters = new Dictionary<string, double> { ["depth"] = 3 } },
            "test fraction" => good with { Validation = ValidationPlan.HoldOut(1) },
            "folds" => good with { Validation = ValidationPlan.KFold(11) },
            "model name" => good with { ModelName = "  " },
            "no label" => good with { LabelColumn = null },
            "no features" => good with { Features = [] },
            "no version" => good with { DatasetVersionId = Guid.NewGuid() },
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        (await Should.ThrowAsync<DomainException>(() => h.Runs.QueueAsync(seller, request, Ct))).Message.ShouldContain(expected);
        (await CountRunsAsync(h, seller)).ShouldBe(0);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Per_user_limits_refuse_with_a_clear_message_and_write_nothing(DbProvider provider)
    {
        var h = await HarnessAsync(provider, o =>
        {
            o.MaxActivePerUser = 2;
            o.MaxRows = 250;
        });
        var seller = await SeedUserAsync(provider, "seller");
        var (_, small) = await h.SeedDatasetAsync(seller, _files.Separable(200), Ct);
        var (_, large) = await h.SeedDatasetAsync(seller, _files.Separable(300, seed: 9), Ct);

        (await Should.ThrowAsync<DomainException>(() => h.Runs.QueueAsync(seller, TrainingRunHarness.Binary(large), Ct)))
            .Message.ShouldBe("Version 1 has 300 rows; a training run may use at most 250.");
        (await CountRunsAsync(h, seller)).ShouldBe(0);

        await h.Runs.QueueAsync(seller, TrainingRunHarness.Binary(small), Ct);
        await h.Runs.QueueAsync(seller, TrainingRunHarness.Binary(small), Ct);
        (await Should.ThrowAsync<DomainException>(() => h.Runs.QueueAsync(seller, TrainingRunHarness.Binary(small), Ct)))
            .Message.ShouldBe("You already have 2 training runs queued or running (the most at once is 2). Wait for one to finish or cancel one.");
        (await CountRunsAsync(h, seller)).ShouldBe(2);

        // Another user is not limited by this user's runs.
        var other = await SeedUserAsync(provider, "other");
        var (_, theirs) = await h.SeedDatasetAsync(other, _files.Separable(200, seed: 4), Ct);
        await h.Runs.QueueAsync(other, TrainingRunHarness.Binary(theirs), Ct);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Cancelling_a_queued_run_ends_it_at_once_and_moves_the_queue(DbProvider provider)
    {
        var h = await HarnessAsync(provider);
        var seller = await SeedUserAsync(provider, "seller");
        var (_, versionId) = await h.SeedDatasetAsync(seller, _files.Separable(), Ct);
        var first = await h.Runs.QueueAsync(seller, TrainingRunHarness.Binary(versionId), Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await h.Runs.QueueAsync(seller, TrainingRunHarness.Binary(versionId), Ct);
        (await h.Runs.GetAsync(seller, false, second, Ct))!.QueuePosition.ShouldBe(2);

        await h.Runs.CancelAsync(seller, first, Ct);

        var cancelled = (await h.Runs.GetAsync(seller, false, first, Ct))!;
        cancelled.Status.ShouldBe(TrainingRunStatus.Cancelled);
        cancelled.QueuePosition.ShouldBeNull();
        cancelled.FinishedAt.ShouldBe(Now);
        (await h.Runs.GetAsync(seller, false, second, Ct))!.QueuePosition.ShouldBe(1);
        (await Should.ThrowAsync<DomainException>(() => h.Runs.CancelAsync(seller, first, Ct))).Message.ShouldContain("already cancelled");

        (await h.Dispatcher.RunPassAsync(Ct)).ShouldBe(1);
        (await h.Runs.GetAsync(seller, false, first, Ct))!.Status.ShouldBe(TrainingRunStatus.Cancelled);
        (await h.Runs.GetAsync(seller, false, second, Ct))!.Status.ShouldBe(TrainingRunStatus.Succeeded);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Cancelling_a_running_run_stops_the_engine_promptly_and_ends_cancelled_without_files(DbProvider provider)
    {
        var h = await HarnessAsync(provider);
        var seller = await SeedUserAsync(provider, "seller");
        var (_, versionId) = await h.SeedDatasetAsync(seller, _files.Separable(3000), Ct);
        var slow = TrainingRunHarness.Binary(versionId, trainer: TrainerCatalog.FastTree,
            parameters: new Dictionary<string, double> { ["trees"] = 5000, ["leaves"] = 64, ["minLeaf"] = 1 });
        var runId = await h.Runs.QueueAsync(seller, slow, Ct);

        var pass = h.Dispatcher.RunPassAsync(Ct);
        var waited = Stopwatch.StartNew();
        while (h.Registry.Find(runId)?.Latest?.Stage != "Training")
        {
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), "the run should reach the training stage");
            pass.IsCompleted.ShouldBeFalse("the run ended before it could be cancelled");
            await Task.Delay(20, Ct);
        }

        // Into the fit (ML.NET misses a cancel that comes before the trainer has set itself up; the engine's own test waits 300 ms too).
        await Task.Delay(500, Ct);
        var running = (await h.Runs.GetAsync(seller, false, runId, Ct))!;
        running.Status.ShouldBe(TrainingRunStatus.Running);
        running.Progress.ShouldNotBeNull().Stage.ShouldBe("Training");
        running.QueuePosition.ShouldBeNull();
        h.TempFiles().ShouldNotBeEmpty(); // the decrypted training form, while it trains

        var cancelledAt = Stopwatch.StartNew();
        var reachedTraining = waited.Elapsed;
        await h.Runs.CancelAsync(seller, runId, Ct);
        var cancelCall = cancelledAt.Elapsed;
        var after = new List<string>();
        while (!pass.IsCompleted)
        {
            if (h.Registry.Find(runId)?.Latest is { } p && (after.Count == 0 || after[^1] != $"{p.Stage} {p.Iteration}"))
            {
                after.Add($"{p.Stage} {p.Iteration}");
            }

            await Task.WhenAny(pass, Task.Delay(20, Ct));
        }

        TestContext.Current.TestOutputHelper?.WriteLine("after cancel: " + string.Join(" | ", after.Take(30)) + $" ({after.Count})");
        await pass.WaitAsync(TimeSpan.FromSeconds(90), Ct);

        // ML.NET's tree trainers finish the fit they are in (5-25 s here under load) rather than abort it; the engine then
        // stops before evaluating, measuring importance or saving a model, and the run ends Cancelled.
        after.ShouldAllBe(stage => stage.StartsWith("Training", StringComparison.Ordinal));
        cancelledAt.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(40), $"cancel call {cancelCall}, stage {h.Registry.Find(runId)?.Latest?.Stage}");

        TestContext.Current.TestOutputHelper?.WriteLine($"reached training after {reachedTraining}, cancel call took {cancelCall}, run ended {cancelledAt.Elapsed} after the cancel");
        var done = (await h.Runs.GetAsync(seller, false, runId, Ct))!;
        done.Status.ShouldBe(TrainingRunStatus.Cancelled);
        done.FailureReason.ShouldBeNull();
        done.ModelId.ShouldBeNull();
        done.Metrics.ShouldBeNull();
        h.TempFiles().ShouldBeEmpty();
        if (Directory.Exists(h.Models.Root))
        {
            Directory.EnumerateFiles(h.Models.Root, "*", SearchOption.AllDirectories).ShouldBeEmpty();
        }
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_run_the_engine_refuses_fails_with_its_plain_words_reason_and_leaves_no_files(DbProvider provider)
    {
        var h = await HarnessAsync(provider);
        var seller = await SeedUserAsync(provider, "seller");
        var (_, versionId) = await h.SeedDatasetAsync(seller, _files.Write("three.csv", ["a", "b", "label"],
            Enumerable.Range(0, 90).Select(i => new object?[] { i, i % 7, (i % 3) switch { 0 => "red", 1 => "green", _ => "blue" } })), Ct);

        var runId = await h.Runs.QueueAsync(seller, TrainingRunHarness.Binary(versionId) with { Features = [new FeatureColumn("a"), new FeatureColumn("b")] }, Ct);
        var done = await RunAsync(h, seller, runId);

        done.Status.ShouldBe(TrainingRunStatus.Failed);
        done.FailureReason.ShouldNotBeNull().ShouldContain("The label column 'label' is text with 3 distinct values: choose multiclass classification");
        done.ModelId.ShouldBeNull();
        h.TempFiles().ShouldBeEmpty();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_run_left_running_by_a_stopped_process_is_queued_again_once_then_fails(DbProvider provider)
    {
        var h = await HarnessAsync(provider);
        var seller = await SeedUserAsync(provider, "seller");
        var (_, versionId) = await h.SeedDatasetAsync(seller, _files.Separable(), Ct);
        var runId = await h.Runs.QueueAsync(seller, TrainingRunHarness.Binary(versionId), Ct);

        async Task StartedByAProcessThatDiesAsync()
        {
            await using var db = h.Factory.CreateDbContext();
            var run = await db.TrainingRuns.SingleAsync(r => r.Id == runId, Ct);
            run.Start(Now);
            await db.SaveChangesAsync(Ct);
            Directory.CreateDirectory(h.TempPath);
            await File.WriteAllTextAsync(Path.Combine(h.TempPath, $"{TrainingRunExecutor.TempPrefix}{runId:N}-leftover.parquet"), "plaintext rows", Ct);
        }

        await StartedByAProcessThatDiesAsync();
        h.Restart();
        (await h.Dispatcher.RecoverAsync(Ct)).ShouldBe(1);
        h.TempFiles().ShouldBeEmpty();
        await using (var db = h.Factory.CreateDbContext())
        {
            var run = await db.TrainingRuns.SingleAsync(r => r.Id == runId, Ct);
            (run.Status, run.Attempts).ShouldBe((TrainingRunStatus.Queued, 1));
            run.StartedAt.ShouldBeNull();
            run.Note.ShouldBe("Interrupted by a restart of the server; queued again (attempt 2 of 2).");
        }

        (await h.Runs.GetAsync(seller, false, runId, Ct))!.QueuePosition.ShouldBe(1);

        await StartedByAProcessThatDiesAsync();
        h.Restart();
        (await h.Dispatcher.RunPassAsync(Ct)).ShouldBe(0); // the first pass recovers: second interruption, so it fails
        var failed = (await h.Runs.GetAsync(seller, false, runId, Ct))!;
        failed.Status.ShouldBe(TrainingRunStatus.Failed);
        failed.FailureReason!.ShouldContain("interrupted by a restart twice");
        h.TempFiles().ShouldBeEmpty();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_recovered_run_trains_on_its_second_attempt(DbProvider provider)
    {
        var h = await HarnessAsync(provider);
        var seller = await SeedUserAsync(provider, "seller");
        var (_, versionId) = await h.SeedDatasetAsync(seller, _files.Separable(), Ct);
        var runId = await h.Runs.QueueAsync(seller, TrainingRunHarness.Binary(versionId), Ct);
        await using (var db = h.Factory.CreateDbContext())
        {
            (await db.TrainingRuns.SingleAsync(r => r.Id == runId, Ct)).Start(Now);
            await db.SaveChangesAsync(Ct);
        }

        h.Restart();
        (await h.Dispatcher.RunPassAsync(Ct)).ShouldBe(1);

        (await h.Runs.GetAsync(seller, false, runId, Ct))!.Status.ShouldBe(TrainingRunStatus.Succeeded);
        await using var check = h.Factory.CreateDbContext();
        (await check.TrainingRuns.SingleAsync(r => r.Id == runId, Ct)).Attempts.ShouldBe(2);
    }
}
