using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Ingest;

namespace NeuroData.Infrastructure.Training;

/// <summary>What a model file records besides the ML.NET model: the task, trainer, parameters, label classes, inputs
/// (with the type they had in the data, to parse values the same way) and the anomaly threshold.</summary>
internal sealed record ModelManifest(
    TrainingTask Task,
    string Trainer,
    IReadOnlyDictionary<string, double> Parameters,
    string? Label,
    IReadOnlyList<string> Classes,
    IReadOnlyList<ModelFeature> Inputs,
    double AnomalyThreshold,
    string PrimaryMetric,
    double PrimaryValue);

/// <summary>
/// The model file: an ML.NET model .zip (loadable by <c>MLContext.Model.Load</c>; its input schema is the feature
/// columns) with one more entry, <see cref="ManifestEntry"/>. Written to a temporary file and moved into place, so a
/// failed save leaves nothing behind.
/// </summary>
internal static class ModelFile
{
    public const string ManifestEntry = "NeuroData/manifest.json";

    public static long Save(MLContext ml, ITransformer model, PreparedData data, ModelManifest manifest, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var inputSchema = new TableDataView(data.Features, [], CancellationToken.None).Schema;
            ml.Model.Save(model, inputSchema, temp);
            using (var zip = ZipFile.Open(temp, ZipArchiveMode.Update))
            {
                var entry = zip.CreateEntry(ManifestEntry, CompressionLevel.Fastest);
                using var stream = entry.Open();
                JsonSerializer.Serialize(stream, manifest, MlNetTrainer.Json);
            }

            File.Move(temp, full, overwrite: true);
            return new FileInfo(full).Length;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static ModelManifest ReadManifest(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(ManifestEntry) ?? throw new TrainingException($"'{Path.GetFileName(path)}' is not a NeuroData model file (it has no manifest).");
            using var stream = entry.Open();
            return JsonSerializer.Deserialize<ModelManifest>(stream, MlNetTrainer.Json) ?? throw new TrainingException("The model file's manifest is empty.");
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or IOException and not FileNotFoundException)
        {
            throw new TrainingException($"'{Path.GetFileName(path)}' is not a readable model file: {ex.Message}", ex);
        }
    }
}

/// <summary>Uses model files: describes their inputs, predicts one row from text values, or streams a CSV through the
/// model in batches (memory stays flat). Loaded models are cached by path and write time.</summary>
public sealed class ModelPredictor : IModelPredictor
{
    /// <summary>Rows per batch of <see cref="PredictCsvAsync"/>.</summary>
    public const int BatchRows = 8192;

    private readonly MLContext ml = new(seed: 1);
    private readonly ConcurrentDictionary<string, (DateTime Written, ITransformer Model, ModelManifest Manifest)> cache = new(StringComparer.Ordinal);

    public ModelDescription Describe(string modelPath)
    {
        var manifest = Load(modelPath).Manifest;
        return new ModelDescription(manifest.Task, manifest.Trainer, manifest.Label,
            [.. manifest.Inputs.Select(i => new ModelInput(i.Name, i.Kind, i.Categories))], manifest.Classes);
    }

    public PredictionResult Predict(string modelPath, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var (model, manifest) = Load(modelPath);
        var row = manifest.Inputs.Select(i => values.TryGetValue(i.Name, out var v) ? v : null).ToArray();
        var columns = Columns(manifest, [row], line: null);
        var scored = model.Transform(new TableDataView(columns, [0], CancellationToken.None));
        return Read(manifest, scored)[0];
    }

    public async Task<long> PredictCsvAsync(string modelPath, Stream input, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var (model, manifest) = Load(modelPath);
        var reader = TrainingTable.OpenCsv(input);
        var header = reader.Columns;
        var positions = manifest.Inputs.Select(i => (Input: i, Index: header.ToList().IndexOf(i.Name))).ToList();
        if (positions.Where(p => p.Index < 0).Select(p => p.Input.Name).ToList() is { Count: > 0 } missing)
        {
            throw new TrainingException($"The file has no column {string.Join(", ", missing.Select(m => $"'{m}'"))}; the model needs: {string.Join(", ", manifest.Inputs.Select(i => i.Name))}.");
        }

        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', header.Concat(OutputNames(manifest)).Select(Csv))).ConfigureAwait(false);
        long total = 0;
        var batch = new List<string?[]>(BatchRows);
        while (true)
        {
            var row = await reader.ReadRowAsync(cancellationToken).ConfigureAwait(false);
            if (row is not null)
            {
                batch.Add(row);
            }

            if (batch.Count == BatchRows || (row is null && batch.Count > 0))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var inputs = batch.Select(r => positions.Select(p => r[p.Index]).ToArray()).ToList();
                var columns = Columns(manifest, inputs, line: total + 2);
                var scored = model.Transform(new TableDataView(columns, [.. Enumerable.Range(0, batch.Count)], cancellationToken));
                var predictions = Read(manifest, scored);
                var sb = new StringBuilder();
                for (var i = 0; i < batch.Count; i++)
                {
                    sb.Clear();
                    sb.AppendJoin(',', batch[i].Select(v => Csv(Safe(v))));
                    sb.Append(',').AppendJoin(',', OutputValues(manifest, predictions[i]).Select(Csv));
                    await writer.WriteLineAsync(sb, cancellationToken).ConfigureAwait(false);
                }

                total += batch.Count;
                batch.Clear();
            }

            if (row is null)
            {
                break;
            }
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return total;
    }

    private (ITransformer Model, ModelManifest Manifest) Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new TrainingException($"The model file '{Path.GetFileName(path)}' does not exist.");
        }

        var written = File.GetLastWriteTimeUtc(path);
        var key = Path.GetFullPath(path);
        if (cache.TryGetValue(key, out var hit) && hit.Written == written)
        {
            return (hit.Model, hit.Manifest);
        }

        var manifest = ModelFile.ReadManifest(path);
        var model = ml.Model.Load(path, out _);
        cache[key] = (written, model, manifest);
        return (model, manifest);
    }

    /// <summary>The inputs as view columns, parsed as in training; a value that cannot be read fails with its column (and line).</summary>
    private static List<ViewColumn> Columns(ModelManifest manifest, List<string?[]> rows, long? line)
    {
        var columns = new List<ViewColumn>();
        for (var c = 0; c < manifest.Inputs.Count; c++)
        {
            var input = manifest.Inputs[c];
            if (input.Kind == "category")
            {
                columns.Add(new ViewColumn(input.Name, ViewKind.Text, Texts: [.. rows.Select(r => string.IsNullOrEmpty(r[c]) ? null : r[c])]));
                continue;
            }

            var floats = new float[rows.Count];
            for (var r = 0; r < rows.Count; r++)
            {
                var s = rows[r][c]?.Trim();
                floats[r] = string.IsNullOrEmpty(s) ? float.NaN : Parse(input, s) ?? throw new TrainingException(
                    $"{(line is { } l ? $"Line {l + r}: " : string.Empty)}'{TableRules.Shorten(s)}' is not {Expected(input)} (column '{input.Name}').");
            }

            columns.Add(new ViewColumn(input.Name, ViewKind.Single, Floats: floats));
        }

        return columns;
    }

    private static float? Parse(ModelFeature input, string s) => input.SourceType switch
    {
        ColumnType.Boolean => ValueParsing.TryBoolean(s, out var b) ? (b ? 1 : 0) : s is "1" ? 1 : s is "0" ? 0 : null,
        ColumnType.DateTime => ValueParsing.TryDateTime(s, out var d) ? (float)(d.UtcDateTime - DateTime.UnixEpoch).TotalSeconds : null,
        _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? (float)v : null,
    };

    private static string Expected(ModelFeature input) => input.SourceType switch
    {
        ColumnType.Boolean => "true or false",
        ColumnType.DateTime => "a date (yyyy-MM-dd or ISO 8601)",
        _ => "a number",
    };

    /// <summary>The predictions, read in one pass over the scored rows (each extra pass would run the model again).</summary>
    private static List<PredictionResult> Read(ModelManifest manifest, IDataView scored)
    {
        var results = new List<PredictionResult>();
        var schema = scored.Schema;
        var score = schema["Score"];
        var predicted = schema.GetColumnOrNull("PredictedLabel");
        var probability = schema.GetColumnOrNull("Probability");
        using var cursor = scored.GetRowCursor(new[] { score, predicted, probability }.Where(c => c is not null).Select(c => c!.Value));
        switch (manifest.Task)
        {
            case TrainingTask.BinaryClassification:
            {
                var getLabel = cursor.GetGetter<bool>(predicted!.Value);
                var getScore = cursor.GetGetter<float>(score);
                var getProbability = probability is { } p ? cursor.GetGetter<float>(p) : null;
                bool label = false;
                float s = 0, prob = 0;
                while (cursor.MoveNext())
                {
                    getLabel(ref label);
                    getScore(ref s);
                    getProbability?.Invoke(ref prob);
                    results.Add(new PredictionResult(Label: manifest.Classes[label ? 1 : 0], Score: s, Probability: getProbability is null ? null : prob));
                }

                break;
            }

            case TrainingTask.MulticlassClassification:
            {
                var getLabel = cursor.GetGetter<uint>(predicted!.Value);
                var getScore = cursor.GetGetter<VBuffer<float>>(score);
                uint key = 0;
                var scores = default(VBuffer<float>);
                while (cursor.MoveNext())
                {
                    getLabel(ref key);
                    getScore(ref scores);
                    var dense = scores.DenseValues().ToArray();
                    var probabilities = manifest.Classes.Select((c, k) => (c, p: k < dense.Length ? (double)dense[k] : 0)).ToDictionary(x => x.c, x => x.p, StringComparer.Ordinal);
                    var label = key > 0 ? manifest.Classes[(int)key - 1] : null;
                    results.Add(new PredictionResult(Label: label, Probability: label is null ? null : probabilities[label], ClassProbabilities: probabilities));
                }

                break;
            }

            case TrainingTask.Clustering:
            {
                var getCluster = cursor.GetGetter<uint>(predicted!.Value);
                var getDistances = cursor.GetGetter<VBuffer<float>>(score);
                uint cluster = 0;
                var distances = default(VBuffer<float>);
                while (cursor.MoveNext())
                {
                    getCluster(ref cluster);
                    getDistances(ref distances);
                    results.Add(new PredictionResult(Cluster: (int)cluster, Score: distances.DenseValues().DefaultIfEmpty().Min()));
                }

                break;
            }

            default:
            {
                var getScore = cursor.GetGetter<float>(score);
                float s = 0;
                while (cursor.MoveNext())
                {
                    getScore(ref s);
                    results.Add(manifest.Task == TrainingTask.Regression
                        ? new PredictionResult(Value: s)
                        : new PredictionResult(Score: s, IsAnomaly: s > manifest.AnomalyThreshold));
                }

                break;
            }
        }

        return results;
    }

    private static string[] OutputNames(ModelManifest manifest) => manifest.Task switch
    {
        TrainingTask.BinaryClassification => ["predicted_label", "probability", "score"],
        TrainingTask.MulticlassClassification => ["predicted_label", "probability"],
        TrainingTask.Regression => ["predicted_value"],
        TrainingTask.Clustering => ["cluster", "distance"],
        _ => ["is_anomaly", "anomaly_score"],
    };

    private static IEnumerable<string?> OutputValues(ModelManifest manifest, PredictionResult p) => manifest.Task switch
    {
        TrainingTask.BinaryClassification => [Safe(p.Label), Number(p.Probability), Number(p.Score)],
        TrainingTask.MulticlassClassification => [Safe(p.Label), Number(p.Probability)],
        TrainingTask.Regression => [Number(p.Value)],
        TrainingTask.Clustering => [p.Cluster?.ToString(CultureInfo.InvariantCulture), Number(p.Score)],
        _ => [p.IsAnomaly == true ? "true" : "false", Number(p.Score)],
    };

    /// <summary>Formula injection guard for the output file; plain numbers (-2, +1.5) stay as they are.</summary>
    private static string? Safe(string? v) =>
        v is not null && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? v : SpreadsheetSafety.Neutralise(v);

    private static string? Number(double? v) => v?.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string? value) =>
        value is null ? string.Empty
        : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : value;
}
