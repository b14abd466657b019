using System.IO.Compression;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Training.Runs;

namespace NeuroData.Infrastructure.Training.Models;

/// <summary>
/// Using trained models: the user's list, one model with its lineage, predictions (one row or a CSV) and the model
/// file download. Other users' models are not found (admins see all). Using a model needs training access to the data
/// it learned from (seller, admin, or a purchase that was not refunded); downloading the file needs download access,
/// or a listing whose terms let training-only buyers take their models (<see cref="Dataset.ModelDownloadAllowed"/>).
/// The data's rows never pass through here: a model file holds no rows, and batch output holds only the caller's rows.
/// </summary>
public sealed class ModelService(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    EntitlementService entitlements,
    ModelStore store,
    IModelPredictor predictor,
    IOptions<ModelOptions> options)
{
    public const string TrainingOnlyTermsReason =
        "The dataset's terms keep models trained with training-only access on the platform: you can make predictions here, but not download the model file.";

    public ModelOptions Options => options.Value;

    public static string DownloadUrl(Guid modelId) => $"/api/v1/models/{modelId}/download";

    public static string PredictionsUrl(Guid modelId) => $"/api/v1/models/{modelId}/predictions";

    /// <summary>The user's models (all models for an admin), newest first.</summary>
    public async Task<IReadOnlyList<ModelListItem>> ListAsync(Guid userId, bool isAdmin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
                from m in db.TrainedModels.AsNoTracking()
                where isAdmin || m.UserId == userId
                join v in db.DatasetVersions.AsNoTracking() on m.DatasetVersionId equals v.Id
                join d in db.Datasets.AsNoTracking() on v.DatasetId equals d.Id
                join r in db.TrainingRuns.AsNoTracking() on m.TrainingRunId equals r.Id
                select new { Model = m, d.Id, d.Title, v.VersionNumber, v.Cid, r.MetricsJson })
            .ToListAsync(cancellationToken);
        return [.. rows
            .Select(x =>
            {
                var metrics = ParseMetrics(x.MetricsJson);
                return new ModelListItem(x.Model.Id, x.Model.Name, x.Model.VersionNumber, x.Model.Task, x.Id, x.Title, x.VersionNumber, x.Cid.Value,
                    metrics?.PrimaryMetric, metrics?.PrimaryValue, x.Model.CreatedAt);
            })
            .OrderByDescending(m => m.CreatedAt)
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .ThenByDescending(m => m.VersionNumber)];
    }

    /// <summary>One model with its lineage, or null when it does not exist or is another user's (admins see all).</summary>
    public async Task<ModelDetails?> GetAsync(Guid userId, bool isAdmin, Guid modelId, CancellationToken cancellationToken = default)
    {
        var found = await FindAsync(userId, isAdmin, modelId, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var (model, run, dataset, version) = found.Value;
        var path = store.FullPath(model);
        var description = predictor.Describe(path);
        var access = await AccessAsync(userId, isAdmin, dataset, version, cancellationToken);
        var metrics = ParseMetrics(run.MetricsJson);
        return new ModelDetails(
            model.Id, model.UserId, model.Name, model.VersionNumber, model.Task, model.CreatedAt, model.SizeBytes, model.Cid?.Value, model.ParentModelId,
            run.Id, dataset.Id, dataset.Title, dataset.Slug, version.Id, version.VersionNumber, version.Cid.Value, dataset.LicenseSpdxId,
            access.Kind, description.Trainer, description.Label ?? run.LabelColumn, ReadColumns(path, description, version.SchemaJson),
            metrics?.Parameters ?? new Dictionary<string, double>(), metrics, description, access.Download);
    }

    /// <summary>One prediction from column values as text. Throws <see cref="ModelNotFoundException"/>, <see cref="ModelAccessException"/>
    /// or a <see cref="TrainingException"/> (a value that cannot be read, named).</summary>
    public async Task<PredictionResult> PredictAsync(Guid userId, bool isAdmin, Guid modelId, IReadOnlyDictionary<string, string?> values, CancellationToken cancellationToken = default)
    {
        var path = await UsablePathAsync(userId, isAdmin, modelId, cancellationToken);
        return predictor.Predict(path, values);
    }

    /// <summary>Streams the caller's CSV through the model: the output holds exactly the uploaded rows plus the predictions.</summary>
    public async Task<long> PredictCsvAsync(Guid userId, bool isAdmin, Guid modelId, Stream input, Stream output, CancellationToken cancellationToken = default)
    {
        var path = await UsablePathAsync(userId, isAdmin, modelId, cancellationToken);
        return await predictor.PredictCsvAsync(path, input, output, cancellationToken);
    }

    /// <summary>Checks that the model exists for the caller and that they may still use it; returns its file path.</summary>
    public async Task<string> UsablePathAsync(Guid userId, bool isAdmin, Guid modelId, CancellationToken cancellationToken = default)
    {
        var found = await FindAsync(userId, isAdmin, modelId, cancellationToken) ?? throw new ModelNotFoundException();
        var (model, _, dataset, version) = found;
        var access = await AccessAsync(userId, isAdmin, dataset, version, cancellationToken);
        if (access.Kind is null)
        {
            throw new ModelAccessException(access.Download.Reason);
        }

        return store.FullPath(model);
    }

    /// <summary>Whether the caller may download the model file: 404 for other users' models, 403 with the reason.</summary>
    public async Task<ModelFileGrant> AuthorizeDownloadAsync(Guid userId, bool isAdmin, Guid modelId, CancellationToken cancellationToken = default)
    {
        var found = await FindAsync(userId, isAdmin, modelId, cancellationToken);
        if (found is null)
        {
            return new(ModelAccessDecision.NotFound, "No such model.", null, null);
        }

        var (model, _, dataset, version) = found.Value;
        var access = await AccessAsync(userId, isAdmin, dataset, version, cancellationToken);
        if (!access.Download.Allowed)
        {
            return new(ModelAccessDecision.Forbidden, access.Download.Reason, null, null);
        }

        var path = store.FullPath(model);
        if (!File.Exists(path))
        {
            return new(ModelAccessDecision.NotFound, "The model file is missing from the model store.", null, null);
        }

        return new(ModelAccessDecision.Allowed, "OK", path, FileName(model));
    }

    /// <summary>A safe ASCII attachment name: name-vN.zip.</summary>
    public static string FileName(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var safe = new string([.. model.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]).Trim('-');
        return $"{(safe.Length == 0 ? "model" : safe)}-v{model.VersionNumber}.zip";
    }

    private async Task<(TrainedModel Model, TrainingRun Run, Dataset Dataset, DatasetVersion Version)?> FindAsync(Guid userId, bool isAdmin, Guid modelId, CancellationToken ct)
    {
        if (userId == Guid.Empty && !isAdmin)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var model = await db.TrainedModels.AsNoTracking().FirstOrDefaultAsync(m => m.Id == modelId && (isAdmin || m.UserId == userId), ct);
        if (model is null)
        {
            return null;
        }

        var run = await db.TrainingRuns.AsNoTracking().FirstAsync(r => r.Id == model.TrainingRunId, ct);
        var version = await db.DatasetVersions.AsNoTracking().FirstAsync(v => v.Id == model.DatasetVersionId, ct);
        var dataset = await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == version.DatasetId, ct);
        return (model, run, dataset, version);
    }

    /// <summary>How the model's owner reaches the data today (null: no longer) and whether the model file may leave.</summary>
    private async Task<(TrainingAccess? Kind, ModelDownloadDecision Download)> AccessAsync(Guid userId, bool isAdmin, Dataset dataset, DatasetVersion version, CancellationToken ct)
    {
        if (isAdmin || dataset.SellerId == userId)
        {
            return (TrainingAccess.Owner, new(true, string.Empty));
        }

        var entitlement = await entitlements.GetAsync(userId, isAdmin, dataset.Id, version.Id, ct);
        if (entitlement.CanDownload)
        {
            return (TrainingAccess.Download, new(true, string.Empty));
        }

        if (!entitlement.CanTrain)
        {
            return (null, new(false, $"Your access to the data this model learned from has ended, so the model cannot be used or downloaded. {entitlement.Reason}".Trim()));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var boughtDownload = await db.Purchases.AsNoTracking().AnyAsync(
            p => p.BuyerId == userId && p.DatasetVersionId == version.Id && p.AccessType == DatasetAccessTypes.Download
                && (p.Status == PurchaseStatus.Confirmed || p.Status == PurchaseStatus.Completed), ct);
        var kind = boughtDownload ? TrainingAccess.Download : TrainingAccess.TrainingOnly;
        if (dataset.ModelDownloadAllowed)
        {
            return (kind, new(true, string.Empty));
        }

        return (kind, new(false, boughtDownload ? $"The model file opens with your download access: {entitlement.Reason}" : TrainingOnlyTermsReason));
    }

    private static TrainingMetrics? ParseMetrics(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TrainingMetrics>(json, MlNetTrainer.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions SchemaJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>
    /// The inputs with the type they had in the data (the version's ingest schema; the model file's manifest when the
    /// schema does not name the column) and whether the user retyped them (a number read as a category, or text read
    /// as a number).
    /// </summary>
    private static List<ModelColumn> ReadColumns(string path, ModelDescription description, string? schemaJson)
    {
        var types = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (zip.GetEntry("NeuroData/manifest.json") is { } entry)
            {
                using var stream = entry.Open();
                using var json = JsonDocument.Parse(stream);
                if (json.RootElement.TryGetProperty("inputs", out var inputs) && inputs.ValueKind == JsonValueKind.Array)
                {
                    foreach (var input in inputs.EnumerateArray())
                    {
                        if (input.TryGetProperty("name", out var name) && input.TryGetProperty("sourceType", out var type)
                            && type.ValueKind == JsonValueKind.String && Enum.TryParse<ColumnType>(type.GetString(), ignoreCase: true, out var parsed))
                        {
                            types[name.GetString() ?? string.Empty] = parsed;
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or IOException)
        {
            // The lineage then shows the kinds without the data types.
        }

        if (!string.IsNullOrWhiteSpace(schemaJson))
        {
            try
            {
                foreach (var column in JsonSerializer.Deserialize<List<ColumnSchema>>(schemaJson, SchemaJson) ?? [])
                {
                    types[column.Name] = column.Type;
                }
            }
            catch (JsonException)
            {
                // An unreadable schema: keep the manifest's types.
            }
        }

        return [.. description.Inputs.Select(i =>
        {
            ColumnType? type = types.TryGetValue(i.Name, out var t) ? t : null;
            var retyped = type is { } source && (i.Kind == "category") != (source == ColumnType.Text);
            return new ModelColumn(i.Name, i.Kind, type, retyped);
        })];
    }

    /// <summary>The type a prediction form field should take: booleans become switches (from the data type).</summary>
    public static bool IsBoolean(ModelColumn column) => column is { Kind: "boolean" } or { Kind: "number", DataType: ColumnType.Boolean, Retyped: false };
}
