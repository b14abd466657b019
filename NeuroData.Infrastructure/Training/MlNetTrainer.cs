using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Training;

namespace NeuroData.Infrastructure.Training;

/// <summary>
/// The ML.NET training engine. Loads the Parquet training form or a CSV into memory, checks the request against the
/// data (plain-word <see cref="TrainingException"/>s), splits rows with a fixed seed (hold-out or k-fold), runs the
/// chosen trainer or "Auto" (its own search: candidates compared by k-fold cross-validation on a sample of the
/// training rows), evaluates on rows the model did not see, measures permutation feature importance and saves the
/// model as an ML.NET .zip with a manifest. Cancellation is honoured between rows and iterations; the run's time and
/// memory limits cancel it with a <see cref="TrainingLimitException"/>.
/// </summary>
public sealed class MlNetTrainer(TimeProvider clock) : IModelTrainer
{
    /// <summary>Rows used to measure permutation importance (a sample of the test rows).</summary>
    public const int ImportanceRows = 5_000;

    /// <summary>Most feature columns whose importance is measured.</summary>
    public const int ImportanceColumns = 100;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public MlNetTrainer()
        : this(TimeProvider.System)
    {
    }

    public async Task<TrainingOutcome> TrainAsync(TrainingRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limits = request.Limits ?? TrainingLimits.Default;
        var validation = request.Validation ?? new ValidationPlan();
        var trainer = TrainerCatalog.Find(request.Trainer)
            ?? throw new TrainingException($"There is no trainer '{request.Trainer}'. Choose one of: {string.Join(", ", TrainerCatalog.All.Select(t => t.Id))}.");
        if (!trainer.Tasks.Contains(request.Task))
        {
            throw new TrainingException($"{trainer.Name} cannot do {PreparedData.Describe(request.Task).ToLowerInvariant()}; choose one of: {string.Join(", ", TrainerCatalog.For(request.Task).Select(t => t.Id))}.");
        }

        var parameters = TrainerCatalog.Resolve(trainer, request.Parameters);
        CheckValidation(validation);
        if (!File.Exists(request.DataPath))
        {
            throw new TrainingException($"The data file '{request.DataPath}' does not exist.");
        }

        var tracker = new ProgressTracker(progress, clock);
        using var limitCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limitCts.CancelAfter(limits.Duration);
        using var watchdog = new MemoryWatchdog(limits.MaxMemoryBytes, limitCts);
        var ml = new MLContext(request.Seed);
        using var cancelMl = limitCts.Token.Register(() => CancelExecution(ml));
        try
        {
            tracker.Report("Loading data", 0, 0);
            var table = await TrainingTable.LoadAsync(request.DataPath, request.Format, limits.MaxRows, limitCts.Token).ConfigureAwait(false);
            tracker.Rows = table.RowCount;
            tracker.Report("Checking columns", 8, 0);
            return await Task.Run(() => TrainCore(ml, table, request, trainer, parameters, validation, tracker, limitCts.Token), limitCts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (limitCts.IsCancellationRequested && ex is not TrainingException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (watchdog.Exceeded)
            {
                throw new TrainingLimitException($"Training stopped: it needed more than the memory limit of {limits.MaxMemoryBytes / (1024 * 1024):N0} MiB. Use fewer rows or columns.");
            }

            throw new TrainingLimitException($"Training stopped: it ran longer than the time limit of {limits.Duration}. Use fewer rows, fewer trees or a faster trainer.");
        }
    }

    private TrainingOutcome TrainCore(MLContext ml, TrainingTable table, TrainingRequest request, TrainerInfo trainer, IReadOnlyDictionary<string, double> parameters, ValidationPlan validation, ProgressTracker tracker, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var data = PreparedData.Prepare(table, request.Task, request.LabelColumn, request.Features);
        var notes = data.Notes.ToList();
        var estimate = (long)data.Rows.Length * ((data.Features.Count * 4L) + 8) * 3;
        if (estimate > (request.Limits ?? TrainingLimits.Default).MaxMemoryBytes)
        {
            throw new TrainingLimitException($"Training this data would need about {estimate / (1024 * 1024):N0} MiB, more than the memory limit. Use fewer rows or columns.");
        }

        var shuffled = Shuffle(data.Rows, request.Seed);
        var trainerId = trainer.Id;
        var autoTrials = new List<AutoTrial>();
        if (trainerId == TrainerCatalog.Auto)
        {
            var pool = validation.IsCrossValidation ? shuffled : Split(shuffled, validation.TestFraction).Train;
            (trainerId, parameters) = AutoSearch(ml, data, pool, parameters, request.Seed, tracker, autoTrials, notes, ct);
        }

        parameters = Adjust(data, request.Task, trainerId, parameters, notes);
        var threshold = parameters.TryGetValue("threshold", out var t) ? t : 0.5;
        var (primaryName, higher) = Evaluation.PrimaryOf(request.Task, data.HasLabel);
        FittedModel model;
        EvaluationResult result;
        TableDataView testView;
        var folds = new List<FoldResult>();
        long trainRows, testRows;
        string validationText;
        if (validation.IsCrossValidation)
        {
            validationText = $"{validation.Folds}-fold cross-validation";
            EvaluationResult? first = null;
            TableDataView? firstTest = null;
            var values = new List<double>();
            for (var f = 0; f < validation.Folds; f++)
            {
                var (train, test) = Fold(shuffled, validation.Folds, f);
                tracker.Report($"Training fold {f + 1} of {validation.Folds}", 15 + (60 * f / validation.Folds), 0, TrainerCatalog.Find(trainerId)!.Name, f + 1, validation.Folds);
                var foldModel = Fit(ml, data, request.Task, trainerId, parameters, request.Seed, train, ct);
                var view = foldModel.ViewOf(data, test, ct);
                var evaluation = Evaluation.Evaluate(ml, data, foldModel.Score(view), threshold, details: f == 0);
                values.Add(evaluation.Primary);
                folds.Add(new FoldResult(f + 1, train.Length, test.Length, evaluation.Primary));
                first ??= evaluation;
                firstTest ??= view;
            }

            tracker.Report("Training the final model on all rows", 78, 0, TrainerCatalog.Find(trainerId)!.Name);
            model = Fit(ml, data, request.Task, trainerId, parameters, request.Seed, shuffled, ct);
            result = first! with { Primary = values.Average() };
            testView = firstTest!;
            trainRows = shuffled.Length;
            testRows = shuffled.Length / validation.Folds;
            notes.Add($"The metric is the mean over {validation.Folds} folds; the charts and detailed metrics are those of fold 1; the saved model learned from all rows.");
        }
        else
        {
            validationText = $"hold-out {validation.TestFraction.ToString("P0", CultureInfo.InvariantCulture)}";
            var (train, test) = Split(shuffled, validation.TestFraction);
            tracker.Report("Training", 60, 0, TrainerCatalog.Find(trainerId)!.Name);
            model = Fit(ml, data, request.Task, trainerId, parameters, request.Seed, train, ct);
            tracker.Report("Evaluating", 85, 0, TrainerCatalog.Find(trainerId)!.Name);
            testView = model.ViewOf(data, test, ct);
            result = Evaluation.Evaluate(ml, data, model.Score(testView), threshold);
            trainRows = train.Length;
            testRows = test.Length;
        }

        tracker.Report("Measuring feature importance", 90, 0, TrainerCatalog.Find(trainerId)!.Name);
        var importance = data.HasLabel ? Importance(ml, data, model, testView, threshold, request.Seed, notes, ct) : [];
        var metrics = new TrainingMetrics
        {
            Task = request.Task,
            Trainer = trainerId,
            Parameters = parameters,
            Validation = validationText,
            Seed = request.Seed,
            TrainingRows = trainRows,
            TestRows = testRows,
            SkippedRows = data.Skipped,
            Features = [.. data.Features.Select(f => f.Name)],
            Label = data.Label,
            PrimaryMetric = primaryName,
            PrimaryValue = result.Primary,
            HigherIsBetter = higher,
            Seconds = clock.GetElapsedTime(started).TotalSeconds,
            Binary = result.Binary,
            Multiclass = result.Multiclass,
            Regression = result.Regression,
            Clustering = result.Clustering,
            Anomaly = result.Anomaly,
            FeatureImportance = importance,
            Folds = folds,
            AutoTrials = autoTrials,
            Notes = notes,
        };

        string? modelPath = null;
        long size = 0;
        if (request.ModelOutputPath is { } output)
        {
            tracker.Report("Saving the model", 97, 0, TrainerCatalog.Find(trainerId)!.Name);
            ct.ThrowIfCancellationRequested();
            var manifest = new ModelManifest(request.Task, trainerId, parameters, data.Label, data.Classes, data.Inputs, threshold, primaryName, result.Primary);
            size = ModelFile.Save(ml, model.Full, data, manifest, output);
            modelPath = output;
        }

        tracker.Report("Done", 100, 0, TrainerCatalog.Find(trainerId)!.Name);
        return new TrainingOutcome(metrics, JsonSerializer.Serialize(metrics, Json), modelPath, size);
    }

    /// <summary>ML.NET's own cancellation (its trainers check it between iterations); the interface is internal, so by reflection.</summary>
    private static void CancelExecution(MLContext ml)
    {
        var method = typeof(MLContext).GetInterfaces().FirstOrDefault(i => i.Name == "ICancelable")?.GetMethod("CancelExecution");
        method?.Invoke(ml, null);
    }

    private static FittedModel Fit(MLContext ml, PreparedData data, TrainingTask task, string trainer, IReadOnlyDictionary<string, double> parameters, int seed, int[] rows, CancellationToken ct)
    {
        try
        {
            FittedModel model;
            if (Pipelines.CanPack(data, trainer))
            {
                var scorer = Pipelines.Trainer(ml, task, trainer, parameters, seed).Fit(data.PackedView(Pipelines.FeaturesName, rows, ct));
                model = new FittedModel(Pipelines.Concatenation(ml, data).Append(scorer), scorer);
            }
            else
            {
                model = new FittedModel(Pipelines.Build(ml, data, task, trainer, parameters, seed).Fit(data.View(rows, ct)), null);
            }

            ct.ThrowIfCancellationRequested(); // a cancelled ML.NET trainer may return a truncated model instead of throwing
            return model;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is InvalidOperationException or ArgumentException or FormatException)
        {
            throw new TrainingException($"{TrainerCatalog.Find(trainer)?.Name ?? trainer} could not learn from this data: {ex.GetBaseException().Message}", ex);
        }
    }

    /// <summary>Caps parameters the data cannot support (PCA rank, more clusters than rows).</summary>
    private static IReadOnlyDictionary<string, double> Adjust(PreparedData data, TrainingTask task, string trainer, IReadOnlyDictionary<string, double> parameters, List<string> notes)
    {
        if (task == TrainingTask.AnomalyDetection && trainer == TrainerCatalog.Pca)
        {
            var slots = data.Inputs.Sum(i => i.Kind == "category" ? Math.Max(1, i.Categories.Count) : 1);
            var max = Math.Max(1, slots - 1);
            if (parameters["rank"] > max)
            {
                notes.Add($"Components reduced from {parameters["rank"]} to {max}: the data has {slots} feature values.");
                return new SortedDictionary<string, double>(parameters.ToDictionary(), StringComparer.Ordinal) { ["rank"] = max };
            }
        }

        return parameters;
    }

    /// <summary>Auto: each candidate is cross-validated on a sample of the training rows; the best by the task's metric wins.</summary>
    private static (string Trainer, IReadOnlyDictionary<string, double> Parameters) AutoSearch(
        MLContext ml, PreparedData data, int[] pool, IReadOnlyDictionary<string, double> autoParameters, int seed, ProgressTracker tracker, List<AutoTrial> trials, List<string> notes, CancellationToken ct)
    {
        var folds = (int)autoParameters["folds"];
        var sampleRows = (int)autoParameters["sampleRows"];
        var sample = pool.Length > sampleRows ? pool[..sampleRows] : pool;
        if (sample.Length < pool.Length)
        {
            notes.Add($"Auto compared candidates on {sample.Length:N0} of the {pool.Length:N0} training rows.");
        }

        var (_, higher) = Evaluation.PrimaryOf(data.Task, data.HasLabel);
        var candidates = Candidates(data.Task);
        for (var c = 0; c < candidates.Count; c++)
        {
            var (id, given) = candidates[c];
            var info = TrainerCatalog.Find(id)!;
            var parameters = Adjust(data, data.Task, id, TrainerCatalog.Resolve(info, given), []);
            tracker.Report($"Auto: trying {info.Name}", 15 + (45 * c / candidates.Count), 0, info.Name, c + 1, candidates.Count);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var values = new List<double>();
                for (var f = 0; f < folds; f++)
                {
                    var (train, test) = Fold(sample, folds, f);
                    var model = Fit(ml, data, data.Task, id, parameters, seed, train, ct);
                    var threshold = parameters.TryGetValue("threshold", out var t) ? t : 0.5;
                    values.Add(Evaluation.Primary(ml, data, model.Score(model.ViewOf(data, test, ct)), threshold));
                }

                trials.Add(new AutoTrial(id, parameters, values.Average(), Stopwatch.GetElapsedTime(started).TotalSeconds, null));
            }
            catch (TrainingException ex)
            {
                trials.Add(new AutoTrial(id, parameters, double.NaN, Stopwatch.GetElapsedTime(started).TotalSeconds, ex.Message));
            }
        }

        var ok = trials.Where(t => t.Failure is null && double.IsFinite(t.PrimaryValue)).ToList();
        if (ok.Count == 0)
        {
            throw new TrainingException("Auto found no trainer that could learn from this data: " + string.Join(" ", trials.Select(t => t.Failure).Distinct()));
        }

        var best = higher ? ok.MaxBy(t => t.PrimaryValue)! : ok.MinBy(t => t.PrimaryValue)!;
        return (best.Trainer, best.Parameters);
    }

    private static List<(string Trainer, Dictionary<string, double>? Parameters)> Candidates(TrainingTask task) => task switch
    {
        TrainingTask.BinaryClassification =>
        [
            (TrainerCatalog.LightGbm, null),
            (TrainerCatalog.LightGbm, new() { ["trees"] = 300, ["leaves"] = 15, ["learningRate"] = 0.05 }),
            (TrainerCatalog.FastTree, null),
            (TrainerCatalog.FastForest, null),
            (TrainerCatalog.Sdca, null),
            (TrainerCatalog.Lbfgs, null),
        ],
        TrainingTask.MulticlassClassification =>
        [
            (TrainerCatalog.LightGbm, null),
            (TrainerCatalog.LightGbm, new() { ["trees"] = 300, ["leaves"] = 15, ["learningRate"] = 0.05 }),
            (TrainerCatalog.Sdca, null),
            (TrainerCatalog.Lbfgs, null),
        ],
        TrainingTask.Regression =>
        [
            (TrainerCatalog.LightGbm, null),
            (TrainerCatalog.LightGbm, new() { ["trees"] = 300, ["leaves"] = 15, ["learningRate"] = 0.05 }),
            (TrainerCatalog.FastTree, null),
            (TrainerCatalog.FastForest, null),
            (TrainerCatalog.Sdca, null),
        ],
        TrainingTask.Clustering => [.. Enumerable.Range(2, 7).Select(k => (TrainerCatalog.KMeans, (Dictionary<string, double>?)new Dictionary<string, double> { ["clusters"] = k }))],
        _ => [(TrainerCatalog.Pca, null), (TrainerCatalog.Pca, new() { ["rank"] = 1 }), (TrainerCatalog.Pca, new() { ["rank"] = 5 })],
    };

    /// <summary>Permutation importance: the headline metric on (a sample of) the test rows with one column shuffled, subtracted from the metric without shuffling; positive = the model relies on that column.</summary>
    private static IReadOnlyList<FeatureImportance> Importance(MLContext ml, PreparedData data, FittedModel model, TableDataView test, double threshold, int seed, List<string> notes, CancellationToken ct)
    {
        var rows = test.Rows.Length > ImportanceRows ? test.Rows[..ImportanceRows] : test.Rows;
        var view = test.WithRows(rows);
        var (_, higher) = Evaluation.PrimaryOf(data.Task, data.HasLabel);
        try
        {
            var baseline = Evaluation.Primary(ml, data, model.Score(view), threshold);
            var result = new List<FeatureImportance>();
            foreach (var feature in data.Features.Take(ImportanceColumns))
            {
                ct.ThrowIfCancellationRequested();
                var permuted = Shuffle(rows, seed + result.Count + 1);
                var value = Evaluation.Primary(ml, data, model.Score(view.WithColumnRows(feature.Name, permuted)), threshold);
                result.Add(new FeatureImportance(feature.Name, higher ? baseline - value : value - baseline));
            }

            if (data.Features.Count > ImportanceColumns)
            {
                notes.Add($"Feature importance was measured for the first {ImportanceColumns} columns only.");
            }

            return [.. result.OrderByDescending(r => r.Drop)];
        }
        catch (TrainingException ex)
        {
            notes.Add("Feature importance could not be measured: " + ex.Message);
            return [];
        }
    }

    private static void CheckValidation(ValidationPlan validation)
    {
        if (validation.IsCrossValidation)
        {
            if (validation.Folds > 20)
            {
                throw new TrainingException($"Cross-validation uses 2 to 20 folds (got {validation.Folds}).");
            }
        }
        else if (!(validation.TestFraction is > 0 and <= 0.9))
        {
            throw new TrainingException($"The test fraction must be above 0 and at most 0.9 (got {validation.TestFraction.ToString(CultureInfo.InvariantCulture)}).");
        }
    }

    /// <summary>The header of a CSV file (delimiter detected as in training).</summary>
    public static IReadOnlyList<string> CsvColumns(Stream csv) => TrainingTable.OpenCsv(csv).Columns;

    /// <summary>The hold-out split a run with this seed makes over rows 0..count-1 when every row has a label
    /// (for comparisons with other tools on exactly the same rows).</summary>
    public static (int[] Train, int[] Test) SplitRows(int count, double testFraction, int seed) =>
        Split(Shuffle([.. Enumerable.Range(0, count)], seed), testFraction);

    internal static int[] Shuffle(int[] rows, int seed)
    {
        var copy = (int[])rows.Clone();
        new Random(seed).Shuffle(copy);
        return copy;
    }

    internal static (int[] Train, int[] Test) Split(int[] shuffled, double testFraction)
    {
        var test = (int)Math.Clamp(Math.Round(shuffled.Length * testFraction), 1, shuffled.Length - 1);
        return (shuffled[test..], shuffled[..test]);
    }

    private static (int[] Train, int[] Test) Fold(int[] shuffled, int folds, int fold)
    {
        var start = (int)((long)shuffled.Length * fold / folds);
        var end = (int)((long)shuffled.Length * (fold + 1) / folds);
        return ([.. shuffled[..start], .. shuffled[end..]], shuffled[start..end]);
    }

    /// <summary>Reports progress with elapsed time and a linear estimate of the time left.</summary>
    private sealed class ProgressTracker(IProgress<TrainingProgress>? progress, TimeProvider clock)
    {
        private readonly long started = clock.GetTimestamp();

        public long Rows { get; set; }

        public void Report(string stage, int percent, long rows, string? trainer = null, int iteration = 0, int iterations = 0)
        {
            if (progress is null)
            {
                return;
            }

            var elapsed = clock.GetElapsedTime(started);
            TimeSpan? remaining = percent is >= 10 and < 100 ? elapsed * ((100.0 - percent) / percent) : percent >= 100 ? TimeSpan.Zero : null;
            progress.Report(new TrainingProgress(stage, percent, rows > 0 ? rows : Rows, trainer, iteration, iterations, elapsed, remaining));
        }
    }

    /// <summary>Cancels the run when the process's memory grows past the limit above what it used at the start
    /// (checked every 250 ms; process-wide, so concurrent runs share the headroom).</summary>
    private sealed class MemoryWatchdog : IDisposable
    {
        private readonly long baseline = Environment.WorkingSet;
        private readonly Timer timer;
        private volatile bool exceeded;

        public MemoryWatchdog(long limit, CancellationTokenSource cts)
        {
            timer = new Timer(_ =>
            {
                if (!exceeded && Environment.WorkingSet - baseline > limit)
                {
                    exceeded = true;
                    cts.Cancel();
                }
            }, null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        }

        public bool Exceeded => exceeded;

        public void Dispose() => timer.Dispose();
    }
}

/// <summary>
/// A trained model and how to score rows with it. <see cref="Full"/> reads the named feature columns (what is saved and
/// what predictions use); when the features were packed (<see cref="Pipelines.CanPack"/>), <see cref="PackedScorer"/>
/// is the trainer's model alone and scores <see cref="PreparedData.PackedView"/> rows without the concatenating step.
/// </summary>
internal sealed record FittedModel(ITransformer Full, ITransformer? PackedScorer)
{
    /// <summary>The rows as this model scores them (packed or named columns).</summary>
    public TableDataView ViewOf(PreparedData data, int[] rows, CancellationToken ct) =>
        PackedScorer is null ? data.View(rows, ct) : data.PackedView(Pipelines.FeaturesName, rows, ct);

    /// <summary>Scores a view made by <see cref="ViewOf"/> (or derived from one).</summary>
    public IDataView Score(TableDataView view) => (PackedScorer ?? Full).Transform(view);
}
