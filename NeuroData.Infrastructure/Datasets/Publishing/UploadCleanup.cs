using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Datasets.Publishing;

/// <summary>
/// Removes uploads nobody touched for <see cref="UploadOptions.AbandonAfter"/> (unfinished, failed or done; never
/// those queued or processing) with their temp files, and temp files that belong to no session.
/// </summary>
public sealed class UploadCleanup(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    UploadOptions options,
    TimeProvider time,
    ILogger<UploadCleanup> logger)
{
    /// <summary>One sweep; returns how many sessions were removed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var cutoff = time.GetUtcNow() - options.AbandonAfter;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stale = await db.Set<UploadSession>()
            .Where(s => s.Status == UploadStatus.Uploading || s.Status == UploadStatus.Failed || s.Status == UploadStatus.Ready)
            .ToListAsync(ct);
        stale = [.. stale.Where(s => s.UpdatedAt < cutoff)]; // compared in memory: timestamps are stored per provider
        foreach (var session in stale)
        {
            UploadService.DeleteTempFiles(options, session.Id);
            db.Remove(session);
        }

        await db.SaveChangesAsync(ct);
        if (stale.Count > 0)
        {
            logger.LogInformation("Removed {Count} abandoned uploads", stale.Count);
        }

        await RemoveOrphanFilesAsync(db, ct);
        return stale.Count;
    }

    private async Task RemoveOrphanFilesAsync(NeuroDataDbContext db, CancellationToken ct)
    {
        if (!Directory.Exists(options.Directory))
        {
            return;
        }

        var cutoff = time.GetUtcNow() - options.AbandonAfter;
        foreach (var path in Directory.EnumerateFiles(options.Directory))
        {
            var stem = Path.GetFileNameWithoutExtension(path);
            if (!Guid.TryParseExact(stem, "N", out var id) || File.GetLastWriteTimeUtc(path) > cutoff.UtcDateTime)
            {
                continue;
            }

            if (!await db.Set<UploadSession>().AnyAsync(s => s.Id == id, ct))
            {
                File.Delete(path);
                logger.LogInformation("Removed orphan upload file {File}", Path.GetFileName(path).ToString(CultureInfo.InvariantCulture));
            }
        }
    }
}

/// <summary>Runs <see cref="UploadCleanup"/> every <see cref="UploadOptions.CleanupInterval"/>.</summary>
public sealed class UploadCleanupService(UploadCleanup cleanup, UploadOptions options, TimeProvider time, ILogger<UploadCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CleanupInterval, time);
        do
        {
            try
            {
                await cleanup.RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Abandoned-upload cleanup failed; trying again later");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
