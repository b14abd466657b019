using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Persistence;
using Quartz;

namespace NeuroData.Infrastructure.Training.Baseline;

/// <summary>A column the seller can declare as the label (from the version's ingest profile).</summary>
public sealed record LabelColumnOption(string Name, ColumnType Type, long Distinct);

/// <summary>What the seller's label picker shows for one of their versions.</summary>
public sealed record LabelChoice(Guid VersionId, int VersionNumber, string? LabelColumn, IReadOnlyList<LabelColumnOption> Columns, BaselineStatus Status);

/// <summary>The baseline of one version as the dataset page shows it.</summary>
public sealed record BaselineView(
    Guid VersionId,
    int VersionNumber,
    string? LabelColumn,
    BaselineStatus Status,
    string? FailureReason,
    DateTimeOffset? ComputedAt,
    TrainingMetrics? Metrics);

/// <summary>Outcome of one pass of the baseline job.</summary>
public sealed record BaselinePassResult(int Computed, int Failed)
{
    public string Summary => $"{Computed} baseline(s) computed, {Failed} failed";
}

/// <summary>
/// Try before you buy, hooked in: the seller declares a label column on one of their versions (checked against the
/// version's profile; nothing changes on a bad column), which makes the baseline pending and fires the
/// <c>training.baseline</c> job; the job (<see cref="RunPendingAsync"/>) trains each pending baseline with
/// <see cref="BaselineTrainer"/> and stores the metrics or a failure reason in plain words. A pass interrupted by a
/// shutdown leaves the version pending, so the next pass (at start-up or on the safety interval) picks it up again.
/// </summary>
public sealed class BaselineService(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    BaselineTrainer trainer,
    ISchedulerFactory schedulers,
    TimeProvider clock,
    ILogger<BaselineService> logger)
{
    public const string GenericFailure = "The baseline could not be computed because of an error on our side.";

    private static readonly JsonSerializerOptions ProfileJson = new(JsonSerializerDefaults.Web);

    /// <summary>The label picker of one of the caller's versions, or null when the version is not theirs.</summary>
    public async Task<LabelChoice?> GetLabelChoiceAsync(Guid userId, Guid versionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await OwnVersion(db, userId, versionId).AsNoTracking().SingleOrDefaultAsync(ct);
        return version is null ? null : ToChoice(version);
    }

    /// <summary>
    /// Declares (or clears, with null or empty) the label column of one of the caller's ready versions. A changed label
    /// drops the old baseline and queues a new one. Throws <see cref="DomainException"/> (nothing changed) for a version that
    /// is not the caller's or not ready, or a column the version does not have.
    /// </summary>
    public async Task<LabelChoice> DeclareLabelAsync(Guid userId, Guid versionId, string? column, CancellationToken ct = default)
    {
        var label = string.IsNullOrWhiteSpace(column) ? null : column;
        LabelChoice choice;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var version = await OwnVersion(db, userId, versionId).SingleOrDefaultAsync(ct)
                ?? throw new DomainException("There is no such version of your datasets.");
            if (version.Status != DatasetVersionStatus.Ready)
            {
                throw new DomainException($"Version {version.VersionNumber} is {version.Status.ToString().ToLowerInvariant()}; a label column is declared on a ready version.");
            }

            var columns = Columns(version);
            if (label is not null && columns.All(c => c.Name != label))
            {
                throw new DomainException($"Version {version.VersionNumber} has no column '{label}'. Its columns are: {string.Join(", ", columns.Select(c => c.Name))}.");
            }

            version.DeclareLabelColumn(label);
            await db.SaveChangesAsync(ct);
            choice = ToChoice(version);
        }

        if (choice.Status == BaselineStatus.Pending)
        {
            await RequestPassAsync(ct);
        }

        return choice;
    }

    /// <summary>The baseline of a dataset's version (by number), as the public page shows it; null when there is no such version.</summary>
    public async Task<BaselineView?> GetAsync(Guid datasetId, int versionNumber, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync(v => v.DatasetId == datasetId && v.VersionNumber == versionNumber, ct);
        return version is null ? null : ToView(version);
    }

    /// <summary>Fires the <c>training.baseline</c> job now (its periodic pass stays as it is). Never fails the caller:
    /// if the scheduler cannot take it, the periodic pass picks the pending baseline up.</summary>
    public async Task RequestPassAsync(CancellationToken ct = default)
    {
        try
        {
            var scheduler = await schedulers.GetScheduler(ct);
            if (await scheduler.CheckExists(BaselineJob.Key, ct))
            {
                await scheduler.TriggerJob(BaselineJob.Key, ct);
            }
        }
        catch (Exception ex) when (ex is SchedulerException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Could not fire the baseline job; the periodic pass will compute the pending baseline.");
        }
    }

    /// <summary>
    /// Computes every pending baseline of a ready version (oldest first), storing metrics or a failure reason. A label
    /// changed during training is computed again in the same pass. Cancellation (shutdown) leaves the version pending.
    /// </summary>
    public async Task<BaselinePassResult> RunPendingAsync(CancellationToken ct = default)
    {
        var computed = 0;
        var failed = 0;
        var tried = new HashSet<(Guid, string)>();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            List<(Guid Id, string? Label)> pending;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                pending = (await db.DatasetVersions.AsNoTracking()
                    .Where(v => v.BaselineStatus == BaselineStatus.Pending && v.Status == DatasetVersionStatus.Ready && v.LabelColumn != null)
                    .Select(v => new { v.Id, v.LabelColumn, v.CreatedAt })
                    .ToListAsync(ct))
                    .OrderBy(v => v.CreatedAt).Select(v => (v.Id, v.LabelColumn)).ToList();
            }

            var next = pending.FirstOrDefault(p => !tried.Contains((p.Id, p.Label!)));
            if (next.Label is null)
            {
                return new BaselinePassResult(computed, failed);
            }

            tried.Add((next.Id, next.Label));
            if (await ComputeOneAsync(next.Id, next.Label, ct))
            {
                computed++;
            }
            else
            {
                failed++;
            }
        }
    }

    private async Task<bool> ComputeOneAsync(Guid versionId, string label, CancellationToken ct)
    {
        string reason;
        try
        {
            await trainer.ComputeAsync(versionId, ct);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // left pending: the next pass computes it
        }
        catch (DomainException ex)
        {
            reason = ex.Message; // TrainingException and the version's rules speak in plain words
            logger.LogInformation("Baseline of dataset version {VersionId} failed: {Reason}", versionId, reason);
        }
        catch (Exception ex)
        {
            reason = GenericFailure;
            logger.LogError(ex, "Baseline of dataset version {VersionId} failed", versionId);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.DatasetVersions.SingleOrDefaultAsync(v => v.Id == versionId, ct);
        // Store the failure only for the label it belongs to (the seller may have changed it meanwhile).
        if (version is { BaselineStatus: BaselineStatus.Pending, Status: DatasetVersionStatus.Ready } && version.LabelColumn == label)
        {
            version.MarkBaselineFailed(reason.Length > DatasetVersion.FailureMaxLength ? reason[..DatasetVersion.FailureMaxLength] : reason, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
        }

        return false;
    }

    private static IQueryable<DatasetVersion> OwnVersion(NeuroDataDbContext db, Guid userId, Guid versionId) =>
        from v in db.DatasetVersions
        join d in db.Datasets on v.DatasetId equals d.Id
        where v.Id == versionId && d.SellerId == userId
        select v;

    private static IReadOnlyList<LabelColumnOption> Columns(DatasetVersion version) =>
        version.ProfileJson is { } json && JsonSerializer.Deserialize<DatasetProfile>(json, ProfileJson) is { } profile
            ? [.. profile.Columns.Select(c => new LabelColumnOption(c.Name, c.Type, c.Distinct))]
            : [];

    private static LabelChoice ToChoice(DatasetVersion version) =>
        new(version.Id, version.VersionNumber, version.LabelColumn, Columns(version), version.BaselineStatus);

    private static BaselineView ToView(DatasetVersion version) =>
        new(version.Id, version.VersionNumber, version.LabelColumn, version.BaselineStatus, version.BaselineFailureReason, version.BaselineComputedAt,
            version.BaselineStatus == BaselineStatus.Computed ? BaselineTrainer.Read(version) : null);
}
