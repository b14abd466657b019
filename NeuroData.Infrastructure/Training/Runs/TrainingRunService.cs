using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Training.Runs;

/// <summary>
/// <see cref="ITrainingRuns"/>: what a user may train on (through <see cref="EntitlementService"/>), queueing with every
/// check made before anything is written, queue positions (FIFO by queue time, all users), reading and cancelling
/// runs. Execution is the <see cref="TrainingRunDispatcher"/>'s.
/// </summary>
public sealed class TrainingRunService(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    EntitlementService entitlements,
    TrainingRunRegistry registry,
    TrainingRunNotifier notifier,
    TrainingRunSignal signal,
    IOptions<TrainingRunOptions> options,
    TimeProvider clock) : ITrainingRuns
{
    internal static readonly JsonSerializerOptions ProfileJson = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<TrainableVersion>> TrainableAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        if (userId == Guid.Empty)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owned = await (from d in db.Datasets.AsNoTracking()
                           join v in db.DatasetVersions.AsNoTracking() on d.Id equals v.DatasetId
                           where d.SellerId == userId && v.Status == DatasetVersionStatus.Ready && v.TrainingDataCid != null
                           select new { Dataset = d, Version = v }).ToListAsync(cancellationToken);
        var result = owned.Select(o => Trainable(o.Dataset, o.Version, TrainingAccess.Owner)).ToList();

        var boughtDatasets = await db.Purchases.AsNoTracking()
            .Where(p => p.BuyerId == userId && (p.Status == PurchaseStatus.Confirmed || p.Status == PurchaseStatus.Completed))
            .Select(p => p.DatasetId)
            .Distinct()
            .ToListAsync(cancellationToken);
        foreach (var datasetId in boughtDatasets)
        {
            var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken);
            if (dataset is null || dataset.SellerId == userId)
            {
                continue;
            }

            foreach (var versionId in await entitlements.PurchasedVersionsAsync(userId, datasetId, cancellationToken))
            {
                var version = await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, cancellationToken);
                if (version is not { Status: DatasetVersionStatus.Ready, TrainingDataCid: not null }
                    || !await entitlements.CanTrainAsync(userId, false, datasetId, versionId, cancellationToken))
                {
                    continue;
                }

                result.Add(Trainable(dataset, version, await AccessAsync(db, userId, versionId, cancellationToken)));
            }
        }

        return [.. result.OrderBy(t => t.DatasetTitle, StringComparer.CurrentCultureIgnoreCase).ThenByDescending(t => t.VersionNumber)];
    }

    public async Task<Guid> QueueAsync(Guid userId, TrainingRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (userId == Guid.Empty)
        {
            throw new DomainException("Sign in first.");
        }

        var settings = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var version = await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == request.DatasetVersionId, cancellationToken);
        if (version is null || !await entitlements.CanTrainAsync(userId, false, version.DatasetId, version.Id, cancellationToken))
        {
            throw new DomainException("You cannot train on this dataset version: it is not yours and you have not bought access to it (or the purchase was refunded).");
        }

        if (version.Status != DatasetVersionStatus.Ready || version.TrainingDataCid is null || version.TrainingDataWrappedKey is null)
        {
            throw new DomainException($"Version {version.VersionNumber} has no training form (it is not a table, or it is still being processed), so it cannot be trained on.");
        }

        var columns = Columns(version);
        var task = request.Task;
        var label = string.IsNullOrWhiteSpace(request.LabelColumn) ? null : request.LabelColumn.Trim();
        var needsLabel = task is not (TrainingTask.Clustering or TrainingTask.AnomalyDetection);
        if (needsLabel && label is null)
        {
            throw new DomainException($"{Describe(task)} needs a label column: the column the model learns to predict.");
        }

        if (task == TrainingTask.Clustering && label is not null)
        {
            throw new DomainException("Clustering learns without a label: leave the label column empty.");
        }

        if (label is not null && !columns.Any(c => c.Name == label))
        {
            throw new DomainException($"There is no column '{label}' in version {version.VersionNumber}. Its columns are: {string.Join(", ", columns.Select(c => c.Name))}.");
        }

        var features = request.Features ?? [];
        if (features.Count == 0)
        {
            throw new DomainException("Choose at least one feature column (besides the label).");
        }

        foreach (var feature in features)
        {
            if (feature is null || string.IsNullOrWhiteSpace(feature.Name))
            {
                throw new DomainException("A feature column has no name.");
            }

            if (!columns.Any(c => c.Name == feature.Name))
            {
                throw new DomainException($"There is no column '{feature.Name}' in version {version.VersionNumber}. Its columns are: {string.Join(", ", columns.Select(c => c.Name))}.");
            }

            if (feature.Name == label)
            {
                throw new DomainException($"The label column '{label}' cannot also be a feature: the model would be given the answer.");
            }
        }

        var duplicate = features.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new DomainException($"The column '{duplicate.Key}' is chosen twice as a feature.");
        }

        var trainer = TrainerCatalog.Find(request.Trainer)
            ?? throw new DomainException($"There is no trainer '{request.Trainer}'. Choose one of: {string.Join(", ", TrainerCatalog.For(task).Select(t => t.Id))}.");
        if (!trainer.Tasks.Contains(task))
        {
            throw new DomainException($"{trainer.Name} cannot do {Describe(task).ToLowerInvariant()}; choose one of: {string.Join(", ", TrainerCatalog.For(task).Select(t => t.Id))}.");
        }

        var parameters = TrainerCatalog.Resolve(trainer, request.Parameters);
        var validation = request.Validation ?? ValidationPlan.HoldOut();
        var modelName = request.ModelName?.Trim();
        if (string.IsNullOrEmpty(modelName) || modelName.Length > TrainingRun.ModelNameMaxLength)
        {
            throw new DomainException($"Give the model a name of 1 to {TrainingRun.ModelNameMaxLength} characters.");
        }

        if (version.RowCount is { } rows && rows > settings.MaxRows)
        {
            throw new DomainException($"Version {version.VersionNumber} has {rows.ToString("N0", CultureInfo.InvariantCulture)} rows; a training run may use at most {settings.MaxRows.ToString("N0", CultureInfo.InvariantCulture)}.");
        }

        // Builds (and so validates) the run before anything is written.
        var run = new TrainingRun(userId, version.Id, task, trainer.Id, label, features, JsonSerializer.Serialize(parameters), validation, request.Seed, modelName, clock.GetUtcNow());

        await registry.StateGate.WaitAsync(cancellationToken);
        try
        {
            var active = await db.TrainingRuns.CountAsync(
                r => r.UserId == userId && (r.Status == TrainingRunStatus.Queued || r.Status == TrainingRunStatus.Running), cancellationToken);
            if (active >= settings.MaxActivePerUser)
            {
                throw new DomainException($"You already have {active} training runs queued or running (the most at once is {settings.MaxActivePerUser}). Wait for one to finish or cancel one.");
            }

            db.TrainingRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            registry.StateGate.Release();
        }

        notifier.Changed(userId, run.Id);
        signal.Poke();
        return run.Id;
    }

    public async Task<TrainingRunSnapshot?> GetAsync(Guid userId, bool isAdmin, Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await SnapshotRowsAsync(db, db.TrainingRuns.AsNoTracking().Where(r => r.Id == runId && (isAdmin || r.UserId == userId)), cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        var queue = rows[0].Run.Status == TrainingRunStatus.Queued ? await QueueAsync(db, cancellationToken) : [];
        return Snapshot(rows[0], queue);
    }

    public async Task<IReadOnlyList<TrainingRunSnapshot>> ListAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await SnapshotRowsAsync(db, db.TrainingRuns.AsNoTracking().Where(r => r.UserId == userId), cancellationToken);
        var queue = rows.Any(r => r.Run.Status == TrainingRunStatus.Queued) ? await QueueAsync(db, cancellationToken) : [];
        return [.. rows.Select(r => Snapshot(r, queue)).OrderByDescending(s => s.QueuedAt).ThenByDescending(s => s.Id.ToString("N", CultureInfo.InvariantCulture), StringComparer.Ordinal)];
    }

    public async Task CancelAsync(Guid userId, Guid runId, CancellationToken cancellationToken = default)
    {
        await registry.StateGate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var run = await db.TrainingRuns.FirstOrDefaultAsync(r => r.Id == runId && r.UserId == userId, cancellationToken)
                ?? throw new DomainException("There is no such training run.");
            if (run.IsFinished)
            {
                throw new DomainException($"This run already {run.Status.ToString().ToLowerInvariant()}; only a queued or running run can be cancelled.");
            }

            if (run.Status == TrainingRunStatus.Running && registry.Find(runId) is { } active)
            {
                // The executor stops the engine and records Cancelled (it owns the run's row while it runs).
                await active.UserCancel.CancelAsync();
                return;
            }

            // Queued, or running with no process executing it (its process stopped): cancelled here at once.
            run.Cancel(clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            registry.StateGate.Release();
        }

        notifier.Changed(userId, runId);
        await TrainingRunDispatcher.NotifyQueueAsync(dbFactory, notifier, cancellationToken);
    }

    internal static IReadOnlyList<ColumnSchema> Columns(DatasetVersion version) =>
        version.ProfileJson is { } json && JsonSerializer.Deserialize<DatasetProfile>(json, ProfileJson) is { } profile
            ? profile.Schema
            : throw new DomainException($"Version {version.VersionNumber} has no profile yet (it is still being processed or failed).");

    private static string Describe(TrainingTask task) => task switch
    {
        TrainingTask.BinaryClassification => "Binary classification",
        TrainingTask.MulticlassClassification => "Multiclass classification",
        TrainingTask.Regression => "Regression",
        TrainingTask.Clustering => "Clustering",
        _ => "Anomaly detection",
    };

    private static TrainableVersion Trainable(Dataset dataset, DatasetVersion version, TrainingAccess access) => new(
        dataset.Id,
        dataset.Title,
        version.Id,
        version.VersionNumber,
        version.Cid.ToString(),
        version.RowCount ?? 0,
        version.ProfileJson is null ? [] : Columns(version),
        version.LabelColumn,
        access,
        access != TrainingAccess.TrainingOnly || dataset.ModelDownloadAllowed);

    /// <summary>Download when any live purchase of the version is a download purchase, else training-only.</summary>
    private static async Task<TrainingAccess> AccessAsync(NeuroDataDbContext db, Guid userId, Guid versionId, CancellationToken ct) =>
        await db.Purchases.AsNoTracking().AnyAsync(
            p => p.BuyerId == userId && p.DatasetVersionId == versionId && p.AccessType == DatasetAccessTypes.Download
                && (p.Status == PurchaseStatus.Confirmed || p.Status == PurchaseStatus.Completed), ct)
            ? TrainingAccess.Download
            : TrainingAccess.TrainingOnly;

    /// <summary>All queued run ids, first in line first (FIFO by queue time; the id breaks ties the same way the dispatcher does).</summary>
    internal static async Task<List<Guid>> QueueAsync(NeuroDataDbContext db, CancellationToken ct) =>
        await db.TrainingRuns.AsNoTracking()
            .Where(r => r.Status == TrainingRunStatus.Queued)
            .OrderBy(r => r.QueuedAt).ThenBy(r => r.Id)
            .Select(r => r.Id)
            .ToListAsync(ct);

    private sealed record SnapshotRow(TrainingRun Run, Guid DatasetId, string Title, int VersionNumber, Cid Cid, Guid? ModelId);

    private static async Task<List<SnapshotRow>> SnapshotRowsAsync(NeuroDataDbContext db, IQueryable<TrainingRun> runs, CancellationToken ct)
    {
        var rows = await (from r in runs
                          join v in db.DatasetVersions.AsNoTracking() on r.DatasetVersionId equals v.Id
                          join d in db.Datasets.AsNoTracking() on v.DatasetId equals d.Id
                          select new { Run = r, v.DatasetId, d.Title, v.VersionNumber, v.Cid }).ToListAsync(ct);
        var ids = rows.Select(r => r.Run.Id).ToList();
        var models = await db.TrainedModels.AsNoTracking()
            .Where(m => ids.Contains(m.TrainingRunId))
            .Select(m => new { m.TrainingRunId, m.Id })
            .ToListAsync(ct);
        return [.. rows.Select(r => new SnapshotRow(r.Run, r.DatasetId, r.Title, r.VersionNumber, r.Cid,
            models.FirstOrDefault(m => m.TrainingRunId == r.Run.Id)?.Id))];
    }

    private TrainingRunSnapshot Snapshot(SnapshotRow row, List<Guid> queue)
    {
        var run = row.Run;
        var parameters = JsonSerializer.Deserialize<Dictionary<string, double>>(run.ParametersJson) ?? [];
        var request = new TrainingRunRequest(run.DatasetVersionId, run.Task, run.Trainer, run.LabelColumn, run.Features, parameters, run.Validation, run.Seed, run.ModelName);
        int? position = run.Status == TrainingRunStatus.Queued && queue.IndexOf(run.Id) is var index and >= 0 ? index + 1 : null;
        TrainingProgress? progress = null;
        if (run.Status == TrainingRunStatus.Running)
        {
            progress = registry.Find(run.Id)?.Latest ?? ReadProgress(run.ProgressJson);
        }

        var metrics = run.MetricsJson is { } json ? JsonSerializer.Deserialize<TrainingMetrics>(json, MlNetTrainer.Json) : null;
        return new TrainingRunSnapshot(run.Id, run.UserId, row.DatasetId, row.Title, run.DatasetVersionId, row.VersionNumber, row.Cid.ToString(), request,
            run.Status, position, progress, run.FailureReason, metrics, row.ModelId, run.QueuedAt, run.StartedAt, run.FinishedAt);
    }

    internal static TrainingProgress? ReadProgress(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TrainingProgress>(json, MlNetTrainer.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
