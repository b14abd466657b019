using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Training.Baseline;

namespace NeuroData.Infrastructure.Datasets.Publishing;

/// <summary>
/// Turns one complete upload into a dataset version: inspect (format, validation, profile, training form) -> store the
/// original -> store the training form -> one transaction that adds the version, attaches storage, keeps the preview
/// and marks it ready. On any failure whatever was stored is removed, the temp files are deleted, no version row is
/// written and the session is marked failed with the reason.
/// </summary>
public sealed class DatasetIngestor(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    IServiceProvider services,
    UploadOptions options,
    TimeProvider time,
    ILogger<DatasetIngestor> logger)
{
    public const string GenericFailure = "The file could not be processed because of an error on our side; please try again later.";

    /// <summary>Write progress to the session row at most this often.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Said when the session could not even be claimed for processing (for example, the database stayed locked).</summary>
    public const string ClaimFailure = "The file could not be processed: the server could not start working on it; please upload it again.";

    /// <summary>Ingests a queued session (no effect when it is not queued). A session is never left queued: if it
    /// cannot be claimed (the database stays busy through the execution strategy's retries), it is marked failed with
    /// <see cref="ClaimFailure"/> and its temp file removed.</summary>
    public async Task IngestAsync(Guid sessionId, CancellationToken ct)
    {
        UploadSession? session;
        try
        {
            session = await ClaimAsync(sessionId, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Upload {SessionId} could not be claimed for processing", sessionId);
            await MarkFailedAsync(sessionId, ClaimFailure);
            UploadService.DeleteTempFiles(options, sessionId);
            return;
        }

        if (session is null)
        {
            return;
        }

        var stored = new List<Cid>();
        var storage = services.GetService<IDatasetStorage>();
        try
        {
            var inspector = services.GetService<IDatasetInspector>();
            if (storage is null || inspector is null)
            {
                throw new InvalidOperationException("No IDatasetStorage or IDatasetInspector is registered: dataset processing is not available.");
            }

            var versionId = await RunAsync(session, inspector, storage, stored, ct);
            logger.LogInformation("Upload {SessionId} became version {VersionId} of dataset {DatasetId}", sessionId, versionId, session.DatasetId);
        }
        catch (Exception ex)
        {
            string reason;
            if (ex is DomainException)
            {
                reason = ex.Message; // InvalidDatasetException and the aggregate's rules speak to the seller
                logger.LogInformation("Upload {SessionId} was refused: {Reason}", sessionId, reason);
            }
            else
            {
                reason = ex is OperationCanceledException ? "Processing was interrupted (the server is shutting down); upload the file again." : GenericFailure;
                logger.LogError(ex, "Ingest of upload {SessionId} failed", sessionId);
            }

            foreach (var cid in stored)
            {
                try
                {
                    await storage!.RemoveAsync(cid, CancellationToken.None);
                }
                catch (Exception removeError)
                {
                    logger.LogError(removeError, "Could not remove {StorageCid} stored for failed upload {SessionId}", cid, sessionId);
                }
            }

            await MarkFailedAsync(sessionId, reason);
        }
        finally
        {
            UploadService.DeleteTempFiles(options, sessionId);
        }
    }

    private async Task<Guid> RunAsync(UploadSession session, IDatasetInspector inspector, IDatasetStorage storage, List<Cid> stored, CancellationToken ct)
    {
        var uploadPath = options.TempFilePath(session.Id);
        await using var trainingForm = new FileStream(
            options.TrainingFormPath(session.Id), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);

        var profile = await inspector.InspectAsync(uploadPath, session.FileName, trainingForm, DatasetVersion.MaxPreviewRows, ct);

        StoredContent original;
        await using (var file = new FileStream(uploadPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var counting = new ProgressStream(file, bytes => ReportProgressAsync(session.Id, bytes)))
        {
            original = await storage.StoreAsync(counting, ct);
        }

        stored.Add(original.StorageCid);

        StoredContent? training = null;
        if (trainingForm.Length > 0)
        {
            trainingForm.Position = 0;
            training = await storage.StoreAsync(trainingForm, ct);
            stored.Add(training.StorageCid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await db.Datasets.Include(d => d.Versions).SingleOrDefaultAsync(d => d.Id == session.DatasetId && d.SellerId == session.OwnerId, ct)
            ?? throw new DomainException("The dataset of this upload no longer exists.");
        var tracked = await db.Set<UploadSession>().SingleAsync(s => s.Id == session.Id, ct);
        var now = time.GetUtcNow();

        var version = dataset.AddVersion(original.Cid, original.SizeBytes, profile.Format, original.Sha256Hex, original.WrappedKey, now);
        version.AttachStorage(original.StorageCid, training?.StorageCid, training?.WrappedKey);
        var previewRows = profile.PreviewRows.Count == 0 ? null : JsonSerializer.Serialize(profile.PreviewRows, Json);
        version.SetPreview(previewRows, Math.Min(tracked.PreviewRowsShown, profile.PreviewRows.Count));
        version.MarkReady(JsonSerializer.Serialize(profile.Schema, Json), JsonSerializer.Serialize(profile, Json), profile.RowCount);
        var keptLabel = InheritLabel(dataset, version, profile);
        tracked.Succeed(version.Id, now);
        await db.SaveChangesAsync(ct);
        if (keptLabel && services.GetService<BaselineService>() is { } baselines)
        {
            await baselines.RequestPassAsync(CancellationToken.None); // never fails the upload; the job's safety pass is the fallback
        }

        return version.Id;
    }

    /// <summary>Try before you buy: a new version keeps the label column of the latest earlier version that declared one,
    /// when it still has that column (its baseline is then pending). True when a label was kept.</summary>
    private static bool InheritLabel(Dataset dataset, DatasetVersion version, DatasetProfile profile)
    {
        var label = dataset.Versions.Where(v => v.Id != version.Id && v.LabelColumn is not null).MaxBy(v => v.VersionNumber)?.LabelColumn;
        if (label is null || profile.Columns.All(c => c.Name != label))
        {
            return false;
        }

        version.DeclareLabelColumn(label);
        return true;
    }

    private DateTimeOffset _lastProgress = DateTimeOffset.MinValue;

    private async Task ReportProgressAsync(Guid sessionId, long bytes)
    {
        var now = time.GetUtcNow();
        if (now - _lastProgress < ProgressInterval)
        {
            return;
        }

        _lastProgress = now;
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Set<UploadSession>().Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.IngestedBytes, bytes));
    }

    /// <summary>Marks a queued session as processing; null when it is missing or not queued.</summary>
    private async Task<UploadSession?> ClaimAsync(Guid sessionId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.Set<UploadSession>().SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (found is null || found.Status != UploadStatus.Queued)
        {
            return null;
        }

        found.StartProcessing(time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return found;
    }

    private async Task MarkFailedAsync(Guid sessionId, string reason)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var session = await db.Set<UploadSession>().SingleOrDefaultAsync(s => s.Id == sessionId);
            if (session is not null)
            {
                session.Fail(reason, time.GetUtcNow());
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not mark upload {SessionId} failed", sessionId);
        }
    }

    /// <summary>A read-only pass-through that reports how many bytes were read.</summary>
    private sealed class ProgressStream(Stream inner, Func<long, Task> report) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            _read += n;
            report(_read).GetAwaiter().GetResult();
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            _read += n;
            await report(_read);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
