using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Training;

/// <summary>Settings of the try-before-you-buy baseline (<c>NeuroData:Training:Baseline</c>).</summary>
public sealed class BaselineOptions
{
    public const string SectionName = "NeuroData:Training:Baseline";

    /// <summary>Longest a baseline may train, in seconds. Default 120.</summary>
    public int MaxSeconds { get; set; } = 120;

    /// <summary>Most rows a baseline trains on (larger versions get no baseline, with that reason). Default 2,000,000.</summary>
    public long MaxRows { get; set; } = 2_000_000;

    /// <summary>Trees of the baseline's LightGBM model. Default 50.</summary>
    public int Trees { get; set; } = 50;

    /// <summary>Leaves per tree. Default 15.</summary>
    public int Leaves { get; set; } = 15;

    /// <summary>Seconds between the <c>training.baseline</c> job's safety passes over pending baselines (it also runs whenever a
    /// label is declared or changed). Default 300.</summary>
    public int SweepIntervalSeconds { get; set; } = 300;

    /// <summary>Folder for the decrypted training form while the baseline trains (deleted afterwards). Empty: the system temp folder.</summary>
    public string TempPath { get; set; } = string.Empty;
}

/// <summary>
/// Try before you buy: trains a quick LightGBM model (small, time-capped, 20% hold-out, seed 1) on a dataset version's
/// training form with the seller's declared label column and stores the validation metrics on the version, so the
/// listing shows what the platform measured rather than what the seller claims. The task follows the label's profile:
/// two values = binary, text or few whole numbers = multiclass, other numbers = regression. Text columns that look like
/// identifiers (more than 1,000 distinct values) are left out of the features.
/// </summary>
public sealed class BaselineTrainer(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    IDatasetStorage storage,
    IModelTrainer trainer,
    IOptions<BaselineOptions> options,
    ILogger<BaselineTrainer> logger,
    TimeProvider? clock = null)
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    private static readonly JsonSerializerOptions ProfileJson = new(JsonSerializerDefaults.Web);

    /// <summary>Declares the version's label column (null clears it and its baseline), without training.</summary>
    public async Task DeclareLabelAsync(Guid datasetVersionId, string? labelColumn, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var version = await db.Set<DatasetVersion>().SingleOrDefaultAsync(v => v.Id == datasetVersionId, cancellationToken)
            ?? throw new TrainingException("There is no such dataset version.");
        if (labelColumn is not null && Profile(version).Columns.All(c => c.Name != labelColumn))
        {
            throw new TrainingException($"Version {version.VersionNumber} has no column '{labelColumn}'.");
        }

        version.DeclareLabelColumn(labelColumn);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Trains the baseline for the declared label, stores its metrics on the version and returns them.
    /// Throws <see cref="TrainingException"/> (nothing stored) when the version has no label, no training form, or the data cannot be learned from.</summary>
    public async Task<TrainingMetrics> ComputeAsync(Guid datasetVersionId, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var version = await db.Set<DatasetVersion>().SingleOrDefaultAsync(v => v.Id == datasetVersionId, cancellationToken)
            ?? throw new TrainingException("There is no such dataset version.");
        var label = version.LabelColumn ?? throw new TrainingException("The seller declared no label column for this version, so there is no baseline.");
        if (version.TrainingDataCid is null || version.TrainingDataWrappedKey is null)
        {
            throw new TrainingException("This version has no training form (its format is not a table), so there is no baseline.");
        }

        var profile = Profile(version);
        var labelProfile = profile.Columns.FirstOrDefault(c => c.Name == label)
            ?? throw new TrainingException($"The declared label column '{label}' is not in version {version.VersionNumber}.");
        var task = labelProfile switch
        {
            { Type: ColumnType.Boolean } or { Distinct: 2 } => TrainingTask.BinaryClassification,
            { Type: ColumnType.Text } or { Type: ColumnType.WholeNumber, Distinct: <= 20 } => TrainingTask.MulticlassClassification,
            { Type: ColumnType.Number or ColumnType.WholeNumber } => TrainingTask.Regression,
            _ => throw new TrainingException($"The label column '{label}' holds dates; a baseline predicts categories or numbers."),
        };
        var features = profile.Columns
            .Where(c => c.Name != label && !(c.Type == ColumnType.Text && c.Distinct > PreparedData.MaxCategories))
            .Select(c => new FeatureColumn(c.Name))
            .ToList();

        var folder = string.IsNullOrWhiteSpace(settings.TempPath) ? Path.Combine(Path.GetTempPath(), "neurodata-training") : settings.TempPath;
        Directory.CreateDirectory(folder);
        var form = Path.Combine(folder, $"baseline-{Guid.NewGuid():N}.parquet");
        try
        {
            await using (var plain = await storage.OpenAsync(version.TrainingDataCid, version.TrainingDataWrappedKey, 0, cancellationToken))
            await using (var file = File.Create(form))
            {
                await plain.CopyToAsync(file, cancellationToken);
            }

            var outcome = await trainer.TrainAsync(
                new TrainingRequest(form, TrainingDataFormat.Parquet, task, TrainerCatalog.LightGbm, label, features,
                    new Dictionary<string, double> { ["trees"] = settings.Trees, ["leaves"] = settings.Leaves, ["minLeaf"] = 5 },
                    ValidationPlan.HoldOut(0.2), Seed: 1, new TrainingLimits(settings.MaxRows, TimeSpan.FromSeconds(settings.MaxSeconds))),
                null, cancellationToken);
            // The seller may have changed the label while the model trained: store the metrics only for the label they are for.
            await db.Entry(version).ReloadAsync(cancellationToken);
            if (!string.Equals(version.LabelColumn, label, StringComparison.Ordinal))
            {
                logger.LogInformation("Baseline of dataset version {VersionId} for label {Label} not stored: the label changed to {NewLabel} meanwhile.",
                    version.Id, label, version.LabelColumn);
                return outcome.Metrics;
            }

            version.SetBaselineMetrics(outcome.MetricsJson, this.clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Baseline of dataset version {VersionId}: {Metric} = {Value:F4} ({Task}, label {Label}).",
                version.Id, outcome.Metrics.PrimaryMetric, outcome.Metrics.PrimaryValue, task, label);
            return outcome.Metrics;
        }
        finally
        {
            File.Delete(form);
        }
    }

    /// <summary>The stored baseline metrics of a version, or null when none were computed.</summary>
    public static TrainingMetrics? Read(DatasetVersion version) =>
        version?.BaselineMetricsJson is { } json ? JsonSerializer.Deserialize<TrainingMetrics>(json, MlNetTrainer.Json) : null;

    private static DatasetProfile Profile(DatasetVersion version) =>
        version.ProfileJson is { } json && JsonSerializer.Deserialize<DatasetProfile>(json, ProfileJson) is { } profile
            ? profile
            : throw new TrainingException($"Version {version.VersionNumber} has no profile yet (it is still being processed or failed).");
}
