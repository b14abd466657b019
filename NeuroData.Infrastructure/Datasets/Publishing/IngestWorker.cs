using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Datasets.Publishing;

/// <summary>
/// Runs ingests one at a time from the <see cref="IngestQueue"/>. At start it recovers from a restart: a session that
/// was being processed is marked failed (its partial work is gone), a queued one is queued again.
/// </summary>
public sealed class IngestWorker(
    IngestQueue queue,
    DatasetIngestor ingestor,
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    UploadOptions options,
    TimeProvider time,
    ILogger<IngestWorker> logger) : BackgroundService
{
    public const string InterruptedMessage = "Processing was interrupted by a server restart; upload the file again.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RecoverAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A database that is not migrated yet (or unreachable) must not stop the host; new uploads still queue.
            logger.LogWarning(ex, "Could not recover interrupted uploads at start");
        }

        await foreach (var sessionId in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await ingestor.IngestAsync(sessionId, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Ingest of upload {SessionId} ended with an error", sessionId);
            }
        }
    }

    /// <summary>Fails sessions a previous process left in Processing and re-queues those left in Queued.</summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pending = await db.Set<UploadSession>()
            .Where(s => s.Status == UploadStatus.Processing || s.Status == UploadStatus.Queued)
            .ToListAsync(ct);
        foreach (var session in pending.Where(s => s.Status == UploadStatus.Processing))
        {
            session.Fail(InterruptedMessage, time.GetUtcNow());
            UploadService.DeleteTempFiles(options, session.Id);
            logger.LogWarning("Upload {SessionId} was being processed when the server stopped; marked failed", session.Id);
        }

        await db.SaveChangesAsync(ct);
        foreach (var session in pending.Where(s => s.Status == UploadStatus.Queued))
        {
            await queue.EnqueueAsync(session.Id, ct);
        }
    }
}
