using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Queries;

/// <summary>A training run as the user's list shows it.</summary>
public sealed record TrainingRunRow(
    Guid Id,
    string DatasetTitle,
    int VersionNumber,
    TrainingTask Task,
    string Trainer,
    TrainingRunStatus Status,
    int ProgressPercent,
    DateTimeOffset QueuedAt,
    DateTimeOffset? FinishedAt,
    string? FailureReason);

public sealed class TrainingQueries(IDbContextFactory<NeuroDataDbContext> factory)
{
    public const int MaxPageSize = 100;

    /// <summary>The user's own runs, newest first (never anybody else's).</summary>
    public async Task<PagedResult<TrainingRunRow>> ListForUserAsync(Guid userId, int page = 1, int pageSize = 25, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var runs = db.TrainingRuns.AsNoTracking().Where(r => r.UserId == userId);
        var total = await runs.CountAsync(cancellationToken);
        var rows = await (
                from r in runs
                join v in db.DatasetVersions on r.DatasetVersionId equals v.Id
                join d in db.Datasets on v.DatasetId equals d.Id
                orderby r.QueuedAt descending, r.Id descending
                select new TrainingRunRow(r.Id, d.Title, v.VersionNumber, r.Task, r.Trainer, r.Status, r.ProgressPercent, r.QueuedAt, r.FinishedAt, r.FailureReason))
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        return new PagedResult<TrainingRunRow>(rows, total, page, pageSize);
    }
}
