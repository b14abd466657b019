using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Datasets.Publishing;

/// <summary>Why an upload request was refused; the web layer maps each kind to an HTTP status.</summary>
public enum UploadProblemKind
{
    /// <summary>No such session or dataset for this user (404: others' sessions are not revealed).</summary>
    NotFound,

    /// <summary>Malformed or inconsistent request (400).</summary>
    Invalid,

    /// <summary>Bigger than allowed (413).</summary>
    TooLarge,

    /// <summary>Valid but not now: wrong offset, wrong state (409).</summary>
    Conflict,

    /// <summary>Too many open uploads (429).</summary>
    TooMany,
}

/// <summary>An upload request refused with a message for the seller. Nothing was changed.</summary>
public sealed class UploadRejectedException(UploadProblemKind kind, string message, long? received = null) : Exception(message)
{
    public UploadProblemKind Kind { get; } = kind;

    /// <summary>The bytes the server holds, when that helps the client resume (wrong offset).</summary>
    public long? Received { get; } = received;
}

/// <summary>What the client sees of an upload session.</summary>
public sealed record UploadState(
    Guid Id,
    Guid DatasetId,
    string FileName,
    long SizeBytes,
    long Received,
    int ChunkSize,
    string Status,
    string? Error,
    Guid? VersionId,
    long IngestedBytes);

/// <summary>
/// The resumable chunked upload: sessions in the database, bytes in one temp file per session under
/// <see cref="UploadOptions.Directory"/>. Every call checks that the session belongs to the caller.
/// </summary>
public sealed class UploadService(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    UploadOptions options,
    IngestQueue queue,
    TimeProvider time,
    ILogger<UploadService> logger)
{
    /// <summary>Default number of preview rows shown to visitors until the seller chooses.</summary>
    public const int DefaultPreviewRows = 10;

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CLOCK$",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    public UploadOptions Options => options;

    /// <summary>Returns null when the name is acceptable, else the reason in words a seller understands.</summary>
    public static string? ValidateFileName(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return "The file needs a name.";
        }

        if (fileName.Length > UploadSession.FileNameMaxLength || Encoding.UTF8.GetByteCount(fileName) > UploadSession.FileNameMaxLength)
        {
            return $"The file name is too long (at most {UploadSession.FileNameMaxLength} characters); rename the file and try again.";
        }

        foreach (var rune in fileName.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                return "The file name contains control characters (such as line breaks); rename the file and try again.";
            }

            if (rune.Value is 0x200E or 0x200F or 0x061C or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069))
            {
                return $"The file name contains an invisible text-direction character (U+{rune.Value:X4}) that can disguise its real extension; rename the file and try again.";
            }

            if (rune.Value is 0xFEFF or 0xFFFD || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                return $"The file name contains an invisible or unassigned character (U+{rune.Value:X4}); rename the file and try again.";
            }
        }

        if (fileName.IndexOfAny(['/', '\\']) >= 0)
        {
            return "The file name must not contain path separators (/ or \\).";
        }

        if (fileName.IndexOfAny([':', '*', '?', '"', '<', '>', '|']) >= 0)
        {
            return "The file name must not contain any of : * ? \" < > |.";
        }

        if (fileName.Trim() != fileName || fileName.EndsWith('.'))
        {
            return "The file name must not start or end with a space, or end with a dot.";
        }

        if (fileName is "." or "..")
        {
            return "The file name must be a real name, not '.' or '..'.";
        }

        var stem = fileName.Split('.')[0];
        if (ReservedNames.Contains(stem))
        {
            return $"'{stem}' is a reserved device name on some systems; rename the file and try again.";
        }

        return null;
    }

    /// <summary>Opens an upload for a new version of the caller's dataset and creates its empty temp file.</summary>
    public async Task<UploadState> CreateAsync(Guid userId, Guid datasetId, string? fileName, long sizeBytes, CancellationToken ct = default)
    {
        if (ValidateFileName(fileName) is { } reason)
        {
            throw new UploadRejectedException(UploadProblemKind.Invalid, reason);
        }

        if (sizeBytes <= 0)
        {
            throw new UploadRejectedException(UploadProblemKind.Invalid, "The file is empty; choose a file with data in it.");
        }

        if (sizeBytes > options.MaxFileBytes)
        {
            throw new UploadRejectedException(UploadProblemKind.TooLarge, $"The file is {FormatBytes(sizeBytes)}; the largest file accepted is {FormatBytes(options.MaxFileBytes)}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var dataset = await db.Datasets.AsNoTracking().Where(d => d.Id == datasetId && d.SellerId == userId)
            .Select(d => new { d.Status }).SingleOrDefaultAsync(ct)
            ?? throw new UploadRejectedException(UploadProblemKind.NotFound, "There is no such dataset of yours.");
        if (dataset.Status == DatasetStatus.PendingReview)
        {
            throw new UploadRejectedException(UploadProblemKind.Conflict, "A version cannot be added while the dataset is waiting for review.");
        }

        var open = await db.Set<UploadSession>().CountAsync(s => s.OwnerId == userId && s.Status == UploadStatus.Uploading, ct);
        if (open >= options.MaxConcurrentSessionsPerUser)
        {
            throw new UploadRejectedException(
                UploadProblemKind.TooMany,
                $"You already have {open} unfinished uploads (at most {options.MaxConcurrentSessionsPerUser}); finish or cancel one first.");
        }

        var session = new UploadSession(userId, datasetId, fileName!, sizeBytes, DefaultPreviewRows, time.GetUtcNow());
        db.Add(session);
        await db.SaveChangesAsync(ct);
        try
        {
            Directory.CreateDirectory(options.Directory);
            await using (new FileStream(options.TempFilePath(session.Id), FileMode.CreateNew, FileAccess.Write))
            {
            }
        }
        catch
        {
            db.Remove(session);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }

        logger.LogInformation("Upload {SessionId} opened by {UserId} for dataset {DatasetId}: {SizeBytes} bytes", session.Id, userId, datasetId, sizeBytes);
        return ToState(session);
    }

    public async Task<UploadState> GetAsync(Guid userId, Guid sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ToState(await FindAsync(db, userId, sessionId, tracking: false, ct));
    }

    /// <summary>The caller's most recent unfinished or processing upload for a dataset (to resume after a reload).</summary>
    public async Task<UploadState?> FindLatestAsync(Guid userId, Guid datasetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.Set<UploadSession>().AsNoTracking()
            .Where(s => s.OwnerId == userId && s.DatasetId == datasetId)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .FirstOrDefaultAsync(ct);
        return session is null ? null : ToState(session);
    }

    /// <summary>
    /// Appends the bytes [<paramref name="from"/>, <paramref name="to"/>] of a file of <paramref name="total"/> bytes.
    /// <paramref name="from"/> must equal what the server holds; a range the server already holds is accepted again
    /// without change. On any refusal or failure the temp file is cut back to what was held before.
    /// </summary>
    public async Task<UploadState> AppendAsync(Guid userId, Guid sessionId, long from, long to, long total, Stream body, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await FindAsync(db, userId, sessionId, tracking: true, ct);
        if (session.Status != UploadStatus.Uploading)
        {
            throw new UploadRejectedException(UploadProblemKind.Conflict, $"This upload is {Describe(session.Status)} and takes no more bytes.", session.Received);
        }

        if (total != session.SizeBytes)
        {
            throw new UploadRejectedException(UploadProblemKind.Invalid, $"The Content-Range total ({total} bytes) is not the declared file size ({session.SizeBytes} bytes).", session.Received);
        }

        if (from < 0 || to < from)
        {
            throw new UploadRejectedException(UploadProblemKind.Invalid, "The Content-Range is not a valid byte range.", session.Received);
        }

        if (to >= session.SizeBytes)
        {
            throw new UploadRejectedException(UploadProblemKind.Invalid, $"The chunk goes beyond the declared file size ({session.SizeBytes} bytes).", session.Received);
        }

        var length = to - from + 1;
        if (length > options.ChunkBytes)
        {
            throw new UploadRejectedException(UploadProblemKind.TooLarge, $"A chunk carries at most {options.ChunkBytes} bytes; this one declared {length}.", session.Received);
        }

        if (to < session.Received)
        {
            return ToState(session); // already held: a retry of a chunk whose answer was lost
        }

        if (from != session.Received)
        {
            throw new UploadRejectedException(UploadProblemKind.Conflict, $"The next chunk must start at byte {session.Received}, not {from}.", session.Received);
        }

        var path = options.TempFilePath(sessionId);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            throw new UploadRejectedException(UploadProblemKind.NotFound, "This upload's data is gone (it was cancelled or abandoned); start again.");
        }
        catch (IOException)
        {
            throw new UploadRejectedException(UploadProblemKind.Conflict, "Another chunk of this upload is being received; try again in a moment.", session.Received);
        }

        await using (file)
        {
            var held = session.Received;
            try
            {
                file.SetLength(held);
                file.Seek(held, SeekOrigin.Begin);
                var written = await CopyAtMostAsync(body, file, length, ct);
                if (written > length)
                {
                    throw new UploadRejectedException(UploadProblemKind.Invalid, $"The chunk carries more bytes than its Content-Range declares ({length}).", held);
                }

                if (written < length)
                {
                    throw new UploadRejectedException(UploadProblemKind.Invalid, $"The chunk ended after {written} of the {length} bytes its Content-Range declares; send it again.", held);
                }

                await file.FlushAsync(ct);
                session.Appended(held + length, time.GetUtcNow());
                await db.SaveChangesAsync(ct);
            }
            catch (Exception ex)
            {
                file.SetLength(held);
                if (ex is DbUpdateConcurrencyException)
                {
                    throw new UploadRejectedException(UploadProblemKind.Conflict, "Another chunk of this upload was received at the same time; ask for the upload's state and continue from there.");
                }

                throw;
            }
        }

        return ToState(session);
    }

    /// <summary>Marks the upload complete and queues its ingest. Calling it again changes nothing.</summary>
    public async Task<UploadState> CompleteAsync(Guid userId, Guid sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await FindAsync(db, userId, sessionId, tracking: true, ct);
        if (session.Status != UploadStatus.Uploading)
        {
            return ToState(session);
        }

        if (session.Received != session.SizeBytes)
        {
            throw new UploadRejectedException(UploadProblemKind.Conflict, $"Only {session.Received} of {session.SizeBytes} bytes have arrived; send the rest first.", session.Received);
        }

        session.Queue(time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await queue.EnqueueAsync(session.Id, ct);
        return ToState(session);
    }

    /// <summary>Cancels an upload: its temp file and its row are removed. Not while it is being processed.</summary>
    public async Task CancelAsync(Guid userId, Guid sessionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await FindAsync(db, userId, sessionId, tracking: true, ct);
        if (session.Status is UploadStatus.Queued or UploadStatus.Processing)
        {
            throw new UploadRejectedException(UploadProblemKind.Conflict, "This upload is being processed and can no longer be cancelled.");
        }

        DeleteTempFiles(options, session.Id);
        db.Remove(session);
        await db.SaveChangesAsync(ct);
    }

    internal static void DeleteTempFiles(UploadOptions options, Guid sessionId)
    {
        File.Delete(options.TempFilePath(sessionId));
        File.Delete(options.TrainingFormPath(sessionId));
    }

    internal static string Describe(UploadStatus status) => status switch
    {
        UploadStatus.Uploading => "still uploading",
        UploadStatus.Queued => "waiting to be processed",
        UploadStatus.Processing => "being processed",
        UploadStatus.Ready => "done",
        UploadStatus.Failed => "failed",
        _ => status.ToString(),
    };

    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.##} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.##} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };

    private UploadState ToState(UploadSession s) =>
        new(s.Id, s.DatasetId, s.FileName, s.SizeBytes, s.Received, options.ChunkBytes, s.Status.ToString(), s.Error, s.VersionId, s.IngestedBytes);

    private static async Task<UploadSession> FindAsync(NeuroDataDbContext db, Guid userId, Guid sessionId, bool tracking, CancellationToken ct)
    {
        var query = db.Set<UploadSession>().Where(s => s.Id == sessionId && s.OwnerId == userId);
        var session = await (tracking ? query : query.AsNoTracking()).SingleOrDefaultAsync(ct);
        return session ?? throw new UploadRejectedException(UploadProblemKind.NotFound, "There is no such upload of yours.");
    }

    /// <summary>Copies until the source ends or one byte more than <paramref name="limit"/> was seen (returns the count read).</summary>
    private static async Task<long> CopyAtMostAsync(Stream source, Stream target, long limit, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long total = 0;
            while (true)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - total + 1)), ct);
                if (read == 0)
                {
                    return total;
                }

                total += read;
                if (total > limit)
                {
                    return total;
                }

                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
