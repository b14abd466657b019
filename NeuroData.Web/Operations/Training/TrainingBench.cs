using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training;
using Parquet;
using Parquet.Schema;

namespace NeuroData.Web.Operations.Training;

/// <summary>
/// <c>bench training [--rows 500000] [--features 20] [--seed 1] [--trees 100] [--leaves 31] [--learning-rate 0.1]</c>:
/// generates a binary-classification table with a fixed seed (CSV, and the Parquet training form ingest writes), then
/// measures on the same hold-out split (20%): NeuroData in-process from the Parquet training form to an evaluated model
/// (LightGBM), the <c>train</c> verb as a whole process on the CSV, scikit-learn's HistGradientBoostingClassifier
/// (Debian's /usr/bin/python3) with the same trees, leaves, learning rate and minimum leaf size, and NeuroData's batch
/// prediction (rows/s). Prints a Markdown table. Numbers, not assertions.
/// </summary>
public static class TrainingBench
{
    public const string DebianPython = "/usr/bin/python3";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        int rows = 500_000, features = 20, seed = 1, trees = 100, leaves = 31, repeat = 3;
        var learningRate = 0.1;
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            var value = 0.0;
            var ok = i + 1 < args.Count && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value > 0;
            switch (name)
            {
                case "--rows" when ok && value >= 100: rows = (int)value; break;
                case "--features" when ok && value >= 3: features = (int)value; break;
                case "--seed" when ok: seed = (int)value; break;
                case "--trees" when ok: trees = (int)value; break;
                case "--leaves" when ok && value >= 2: leaves = (int)value; break;
                case "--learning-rate" when ok: learningRate = value; break;
                case "--repeat" when ok && value <= 20: repeat = (int)value; break;
                default:
                    await error.WriteLineAsync($"bench training: unknown or incomplete option '{name}'.");
                    await error.WriteLineAsync("Usage: bench training [--rows 500000] [--features 20] [--seed 1] [--trees 100] [--leaves 31] [--learning-rate 0.1] [--repeat 3]");
                    return TrainVerb.BadInput;
            }
        }

        var folder = Directory.CreateTempSubdirectory("nd-bench-training-").FullName;
        try
        {
            return await RunAsync(folder, rows, features, seed, trees, leaves, learningRate, repeat, output, error, cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> RunAsync(string folder, int rows, int features, int seed, int trees, int leaves, double learningRate, int repeat, TextWriter output, TextWriter error, CancellationToken ct)
    {
        const double testFraction = 0.2;
        const int minLeaf = 20;
        var csv = Path.Combine(folder, "data.csv");
        var parquet = Path.Combine(folder, "data.parquet");
        var testRows = Path.Combine(folder, "test-rows.txt");
        await error.WriteLineAsync($"Generating {rows:N0} x {features} rows (seed {seed}) ...");
        var (x, y) = Generate(rows, features, seed);
        await WriteCsvAsync(csv, x, y, ct);
        await WriteParquetAsync(parquet, x, y, ct);
        var (_, test) = MlNetTrainer.SplitRows(rows, testFraction, seed);
        await File.WriteAllLinesAsync(testRows, test.Order().Select(r => r.ToString(CultureInfo.InvariantCulture)), ct);

        var parameters = new Dictionary<string, double> { ["trees"] = trees, ["leaves"] = leaves, ["learningRate"] = learningRate, ["minLeaf"] = minLeaf };
        var names = Enumerable.Range(0, features).Select(f => new FeatureColumn($"x{f}")).ToList();
        var table = new List<(string What, string Time, string Cpu, string Auc, string Note)>();

        // The three contestants take turns, round after round, so a noisy neighbour on a shared machine slows them
        // alike; the table shows each one's median round (its own CPU time and AUC) and the range of its wall times.
        var model = Path.Combine(folder, "model.zip");
        var engine = new List<(TimeSpan Wall, TimeSpan Cpu, double Auc)>();
        var verb = new List<(TimeSpan Wall, double? Cpu, double? Auc, string? Error)>();
        var sk = new List<SklearnResult>();
        for (var round = 1; round <= repeat; round++)
        {
            await error.WriteLineAsync($"Round {round} of {repeat}: NeuroData in-process (Parquet training form -> evaluated model) ...");
            var cpu = Environment.CpuUsage.TotalTime;
            var watch = Stopwatch.StartNew();
            var stages = new StageTimes();
            var outcome = await new MlNetTrainer().TrainAsync(
                new TrainingRequest(parquet, TrainingDataFormat.Parquet, TrainingTask.BinaryClassification, TrainerCatalog.LightGbm, "label", names, parameters, ValidationPlan.HoldOut(testFraction), seed, ModelOutputPath: model),
                stages, ct);
            watch.Stop();
            engine.Add((watch.Elapsed, Environment.CpuUsage.TotalTime - cpu, outcome.Metrics.Binary!.Auc));
            await error.WriteLineAsync($"  engine {Seconds(watch.Elapsed)} s: {stages.Describe(watch.Elapsed)}");

            await error.WriteLineAsync("  NeuroData `train` verb as a process (CSV) ...");
            verb.Add(await RunTrainVerbAsync(csv, trees, leaves, learningRate, minLeaf, seed, ct));
            await error.WriteLineAsync("  scikit-learn HistGradientBoostingClassifier ...");
            sk.Add(await RunSklearnAsync(folder, csv, testRows, trees, leaves, learningRate, minLeaf, seed, ct));
        }

        var e = Median(engine, r => r.Wall);
        table.Add(("NeuroData engine, Parquet training form -> evaluated model (LightGBM)", Seconds(e.Wall), Seconds(e.Cpu), Auc(e.Auc), $"load + train + evaluate + permutation importance + save; {Range(engine.Select(r => r.Wall))}"));
        if (verb.Any(v => v.Error is not null))
        {
            table.Add(("NeuroData `train` verb, whole process on the CSV", "failed", "-", "-", verb.First(v => v.Error is not null).Error!));
        }
        else
        {
            var v = Median(verb, r => r.Wall);
            table.Add(("NeuroData `train` verb, whole process on the CSV", Seconds(v.Wall), v.Cpu is { } vc ? Seconds(TimeSpan.FromSeconds(vc)) : "-", v.Auc is { } va ? Auc(va) : "-", $"process start + CSV parse + train + evaluate; {Range(verb.Select(r => r.Wall))}"));
        }

        if (sk.FirstOrDefault(r => r.Error is not null) is { } failed)
        {
            table.Add(("scikit-learn HistGradientBoostingClassifier", "not run", "-", "-", failed.Error!));
        }
        else
        {
            var k = Median(sk, r => r.Total);
            table.Add(("scikit-learn HistGradientBoostingClassifier, whole process on the CSV", Seconds(k.Total), Seconds(TimeSpan.FromSeconds(k.Cpu)), Auc(k.Auc), $"CSV load {k.Load:F1} s, fit {k.Fit:F1} s, predict {k.Predict:F1} s (scikit-learn {k.Version}); {Range(sk.Select(r => r.Total))}"));
        }

        await error.WriteLineAsync("Batch prediction ...");
        var predicted = Path.Combine(folder, "predicted.csv");
        var predictCpu = Environment.CpuUsage.TotalTime;
        var sw = Stopwatch.StartNew();
        long count;
        await using (var input = File.OpenRead(csv))
        await using (var result = File.Create(predicted))
        {
            count = await new ModelPredictor().PredictCsvAsync(model, input, result, ct);
        }

        sw.Stop();
        predictCpu = Environment.CpuUsage.TotalTime - predictCpu;
        var rowsPerSecond = count / sw.Elapsed.TotalSeconds;

        await output.WriteLineAsync($"### Training benchmark: {rows:N0} rows x {features} numeric features, binary label, seed {seed}, hold-out {testFraction:P0} ({test.Length:N0} test rows)");
        await output.WriteLineAsync($"LightGBM / HistGradientBoosting: {trees} trees, {leaves} leaves, learning rate {learningRate.ToString(CultureInfo.InvariantCulture)}, at least {minLeaf} rows per leaf, 255 bins, no early stopping.");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| What | Wall time (s) | CPU time (s) | AUC | Notes |");
        await output.WriteLineAsync("|---|---:|---:|---:|---|");
        foreach (var (what, time, cpuTime, auc, note) in table)
        {
            await output.WriteLineAsync($"| {what} | {time} | {cpuTime} | {auc} | {note} |");
        }

        await output.WriteLineAsync($"| NeuroData batch prediction (CSV in -> CSV out, streaming) | {Seconds(sw.Elapsed)} | {Seconds(predictCpu)} | - | {rowsPerSecond:N0} rows/s over {count:N0} rows |");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Machine: " + Machine());
        return TrainVerb.Trained;
    }

    /// <summary>The round with the median wall time (the upper one of two middles).</summary>
    private static T Median<T>(IReadOnlyList<T> rounds, Func<T, TimeSpan> wall) => rounds.OrderBy(wall).ElementAt(rounds.Count / 2);

    private static string Range(IEnumerable<TimeSpan> walls)
    {
        var all = walls.ToList();
        return all.Count == 1 ? "1 round" : $"median of {all.Count} rounds, {Seconds(all.Min())}-{Seconds(all.Max())} s";
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);

    private static string Auc(double auc) => auc.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>Standard normal features; the label is drawn from a logistic model with linear terms, one interaction and
    /// one non-linearity, so trees have something to find and the best AUC is below 1.</summary>
    internal static (double[][] X, int[] Y) Generate(int rows, int features, int seed)
    {
        var random = new Random(seed);
        var weights = Enumerable.Range(0, features).Select(f => f < features / 2 ? (random.NextDouble() * 2) - 1 : 0).ToArray();
        var x = new double[features][];
        for (var f = 0; f < features; f++)
        {
            x[f] = new double[rows];
        }

        var y = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            var logit = 0.0;
            for (var f = 0; f < features; f++)
            {
                var u1 = 1.0 - random.NextDouble();
                var u2 = random.NextDouble();
                var v = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                x[f][r] = Math.Round(v, 5);
                logit += weights[f] * v;
            }

            if (features >= 3)
            {
                logit += (0.8 * x[0][r] * x[1][r]) + Math.Sin(2 * x[2][r]);
            }

            y[r] = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1 : 0;
        }

        return (x, y);
    }

    private static async Task WriteCsvAsync(string path, double[][] x, int[] y, CancellationToken ct)
    {
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        await writer.WriteLineAsync(string.Join(',', Enumerable.Range(0, x.Length).Select(f => $"x{f}").Append("label")));
        var sb = new StringBuilder();
        for (var r = 0; r < y.Length; r++)
        {
            sb.Clear();
            for (var f = 0; f < x.Length; f++)
            {
                sb.Append(x[f][r].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            }

            sb.Append(y[r]);
            await writer.WriteLineAsync(sb, ct);
        }
    }

    /// <summary>The table as ingest's training form stores it (nullable DOUBLE features, nullable INT64 label, Snappy, 100,000-row groups).</summary>
    private static async Task WriteParquetAsync(string path, double[][] x, int[] y, CancellationToken ct)
    {
        var fields = Enumerable.Range(0, x.Length).Select(f => (DataField)new DataField<double?>($"x{f}")).Append(new DataField<long?>("label")).ToArray();
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: ct);
        const int group = 100_000;
        for (var start = 0; start < y.Length; start += group)
        {
            var n = Math.Min(group, y.Length - start);
            using var rowGroup = writer.CreateRowGroup();
            for (var f = 0; f < x.Length; f++)
            {
                var values = new double?[n];
                for (var i = 0; i < n; i++)
                {
                    values[i] = x[f][start + i];
                }

                await rowGroup.WriteAsync<double>(fields[f], values.AsMemory(), null, null, ct);
            }

            var labels = new long?[n];
            for (var i = 0; i < n; i++)
            {
                labels[i] = y[start + i];
            }

            await rowGroup.WriteAsync<long>(fields[^1], labels.AsMemory(), null, null, ct);
        }
    }

    private static async Task<(TimeSpan Time, double? Cpu, double? Auc, string? Error)> RunTrainVerbAsync(string csv, int trees, int leaves, double learningRate, int minLeaf, int seed, CancellationToken ct)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var self = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.FileName = self;
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(TrainingBench).Assembly.Location);
        }
        else
        {
            start.FileName = self;
        }

        foreach (var a in new[]
        {
            "train", csv, "--label", "label", "--task", "binary", "--trainer", "lightgbm", "--trees", $"{trees}", "--leaves", $"{leaves}",
            "--learning-rate", learningRate.ToString(CultureInfo.InvariantCulture), "--min-leaf", $"{minLeaf}", "--test-fraction", "0.2", "--seed", $"{seed}",
        })
        {
            start.ArgumentList.Add(a);
        }

        var sw = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        sw.Stop();
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || lines.Length == 0)
        {
            return (sw.Elapsed, null, null, $"exit {process.ExitCode}: {(await stderr).Trim()}");
        }

        using var json = JsonDocument.Parse(lines[^1]);
        return (sw.Elapsed, json.RootElement.GetProperty("processCpuSeconds").GetDouble(), json.RootElement.GetProperty("auc").GetDouble(), null);
    }

    private sealed record SklearnResult(TimeSpan Total, double Load, double Fit, double Predict, double Auc, double Cpu, string Version, string? Error);

    private static async Task<SklearnResult> RunSklearnAsync(string folder, string csv, string testRows, int trees, int leaves, double learningRate, int minLeaf, int seed, CancellationToken ct)
    {
        if (!File.Exists(DebianPython))
        {
            return new SklearnResult(TimeSpan.Zero, 0, 0, 0, 0, 0, string.Empty, $"{DebianPython} not found (install Debian's python3-sklearn)");
        }

        var script = Path.Combine(folder, "sklearn_bench.py");
        await File.WriteAllTextAsync(script, """
            import json, sys, time
            import numpy as np
            import sklearn
            from sklearn.ensemble import HistGradientBoostingClassifier
            from sklearn.metrics import roc_auc_score
            csv, test_rows, trees, leaves, lr, min_leaf, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
            t0 = time.perf_counter()
            data = np.loadtxt(csv, delimiter=",", skiprows=1, dtype=np.float64)
            X, y = data[:, :-1], data[:, -1].astype(int)
            test = np.zeros(len(y), dtype=bool)
            test[np.loadtxt(test_rows, dtype=np.int64)] = True
            t1 = time.perf_counter()
            model = HistGradientBoostingClassifier(max_iter=trees, max_leaf_nodes=leaves, learning_rate=lr, min_samples_leaf=min_leaf,
                                                   max_bins=255, early_stopping=False, random_state=seed)
            model.fit(X[~test], y[~test])
            t2 = time.perf_counter()
            p = model.predict_proba(X[test])[:, 1]
            auc = roc_auc_score(y[test], p)
            t3 = time.perf_counter()
            print(json.dumps({"load": t1 - t0, "fit": t2 - t1, "predict": t3 - t2, "auc": auc, "cpu": time.process_time(), "version": sklearn.__version__}))
            """, ct);
        var start = new ProcessStartInfo(DebianPython) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, csv, testRows, $"{trees}", $"{leaves}", learningRate.ToString(CultureInfo.InvariantCulture), $"{minLeaf}", $"{seed}" })
        {
            start.ArgumentList.Add(a);
        }

        var sw = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        sw.Stop();
        var text = (await stdout).Trim();
        if (process.ExitCode != 0 || text.Length == 0)
        {
            var reason = (await stderr).Trim();
            return new SklearnResult(sw.Elapsed, 0, 0, 0, 0, 0, string.Empty, $"exit {process.ExitCode}: {reason[Math.Max(0, reason.Length - 300)..]}");
        }

        using var json = JsonDocument.Parse(text.Split('\n')[^1]);
        var root = json.RootElement;
        return new SklearnResult(sw.Elapsed, root.GetProperty("load").GetDouble(), root.GetProperty("fit").GetDouble(), root.GetProperty("predict").GetDouble(),
            root.GetProperty("auc").GetDouble(), root.GetProperty("cpu").GetDouble(), root.GetProperty("version").GetString() ?? "?", null);
    }

    private static string Machine()
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
            // Not Linux: the CPU stays unnamed.
        }

        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory:F0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average {load} at the end of the run.";
    }

    /// <summary>When each stage the engine reports began (reported on the training thread, in order).</summary>
    private sealed class StageTimes : IProgress<TrainingProgress>
    {
        private readonly List<(string Stage, TimeSpan At)> _stages = [];

        public void Report(TrainingProgress value)
        {
            if (_stages.Count == 0 || _stages[^1].Stage != value.Stage)
            {
                _stages.Add((value.Stage, value.Elapsed));
            }
        }

        /// <summary>"Loading data 0.4 s, Training 3.1 s, ..." up to <paramref name="total"/>.</summary>
        public string Describe(TimeSpan total) => string.Join(", ", _stages.Select((s, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{s.Stage} {((i + 1 < _stages.Count ? _stages[i + 1].At : total) - s.At).TotalSeconds:0.00} s")));
    }
}
