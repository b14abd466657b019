using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Queries;

/// <summary>A signed-in user's numbers at a glance.</summary>
/// <param name="Purchases">Purchases the user made that did not fail (pending, paid, completed or refunded).</param>
/// <param name="Sales">Purchases of the user's datasets that were paid (confirmed or completed).</param>
/// <param name="Datasets">Datasets the user created, in any state.</param>
/// <param name="LiveDatasets">Of those, the ones on the marketplace.</param>
/// <param name="TrainingRuns">Training runs the user started.</param>
/// <param name="RecentActivity">The latest entries of the user's security log, newest first.</param>
public sealed record DashboardSummary(int Purchases, int Sales, int Datasets, int LiveDatasets, int TrainingRuns, IReadOnlyList<ActivityItem> RecentActivity);

public sealed record ActivityItem(UserActivityKind Kind, DateTimeOffset At, string? IpAddress, string? Detail);

public sealed class DashboardQueries(IDbContextFactory<NeuroDataDbContext> factory)
{
    public const int RecentActivityCount = 10;

    public async Task<DashboardSummary> GetAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var purchases = await db.Purchases.CountAsync(p => p.BuyerId == userId && p.Status != PurchaseStatus.Failed, cancellationToken);
        var sales = await db.Purchases.CountAsync(
            p => p.SellerId == userId && (p.Status == PurchaseStatus.Confirmed || p.Status == PurchaseStatus.Completed), cancellationToken);
        var datasets = await db.Datasets.CountAsync(d => d.SellerId == userId, cancellationToken);
        var live = await db.Datasets.CountAsync(d => d.SellerId == userId && d.Status == DatasetStatus.Live, cancellationToken);
        var runs = await db.TrainingRuns.CountAsync(r => r.UserId == userId, cancellationToken);
        var activity = await db.UserActivities.AsNoTracking()
            .Where(a => a.UserId == userId)
            .OrderByDescending(a => a.At)
            .ThenByDescending(a => a.Id)
            .Take(RecentActivityCount)
            .Select(a => new ActivityItem(a.Kind, a.At, a.IpAddress, a.Detail))
            .ToListAsync(cancellationToken);
        return new DashboardSummary(purchases, sales, datasets, live, runs, activity);
    }
}
