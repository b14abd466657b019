using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Users;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Datasets.Downloads;
using NeuroData.Infrastructure.Storage;

namespace NeuroData.Web.Downloads;

/// <summary>
/// GET /api/v1/datasets/{datasetId}/versions/{number}/download: the decrypted file of one version for an entitled user,
/// streamed with flat memory, as an attachment, with single-range support and end-to-end content verification.
/// </summary>
public static class DownloadEndpoints
{
    public const string Route = "/api/v1/datasets/{datasetId:guid}/versions/{number:int}/download";

    private const int BufferSize = 81_920;

    public static IEndpointRouteBuilder MapDatasetDownloads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Route, DownloadAsync).WithName("DownloadDatasetVersion");
        return endpoints;
    }

    private static async Task DownloadAsync(
        HttpContext context,
        Guid datasetId,
        int number,
        [FromServices] DatasetDownloadService downloads,
        [FromServices] IDatasetStorage storage,
        [FromServices] ILoggerFactory loggers)
    {
        var ct = context.RequestAborted;
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            await Problem(context, StatusCodes.Status401Unauthorized, "Sign in required", "Sign in to download dataset files.");
            return;
        }

        var authorization = await downloads.AuthorizeAsync(userId, user.IsInRole(RoleNames.Admin), datasetId, number, ct);
        switch (authorization.Decision)
        {
            case DownloadDecision.NotFound:
                await Problem(context, StatusCodes.Status404NotFound, "Not found", authorization.Message);
                return;
            case DownloadDecision.Forbidden:
                await Problem(context, StatusCodes.Status403Forbidden, "Not entitled", authorization.Message);
                return;
        }

        var grant = authorization.Grant!;
        var size = grant.SizeBytes;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.AcceptRanges = "bytes";
        headers.ETag = new EntityTagHeaderValue("\"" + grant.Cid.Value + "\"").ToString();
        headers["X-Content-Cid"] = grant.Cid.Value;
        headers.CacheControl = "private, no-store";
        var disposition = new ContentDispositionHeaderValue("attachment") { FileName = grant.FileName };
        disposition.SetHttpFileName(grant.FileName);
        headers.ContentDisposition = disposition.ToString();

        var range = ParseRange(context.Request.Headers.Range.ToString(), size);
        if (range is { Satisfiable: false })
        {
            headers.ContentRange = $"bytes */{size}";
            await Problem(context, StatusCodes.Status416RangeNotSatisfiable, "Range not satisfiable", $"The file has {size} bytes; the requested range lies outside it.");
            return;
        }

        var (start, length) = range is { } r ? (r.Start, r.End - r.Start + 1) : (0L, size);
        var full = range is null;
        var logger = loggers.CreateLogger("NeuroData.Web.Downloads");
        await downloads.RecordAsync(userId, grant, context.Connection.RemoteIpAddress?.ToString(), full, ct);

        Stream source;
        try
        {
            source = await storage.OpenAsync(grant.StorageCid, grant.WrappedKey, start, ct);
        }
        catch (Exception ex) when (ex is CryptographicException or InvalidDataException or IOException)
        {
            logger.LogError(ex, "Dataset {DatasetId} version {Version}: stored content cannot be opened ({StorageCid}); download refused", grant.DatasetId, grant.VersionNumber, grant.StorageCid);
            context.Abort();
            return;
        }

        await using (source)
        {
            context.Response.StatusCode = full ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
            context.Response.ContentType = grant.ContentType;
            context.Response.ContentLength = length;
            if (!full)
            {
                headers.ContentRange = $"bytes {start}-{start + length - 1}/{size}";
            }

            try
            {
                var verified = await CopyAsync(source, context.Response.Body, length, full ? grant.Cid : null, ct);
                if (!verified)
                {
                    logger.LogError("Dataset {DatasetId} version {Version}: the stored content does not match its CID {Cid}; download aborted", grant.DatasetId, grant.VersionNumber, grant.Cid);
                    context.Abort();
                }
            }
            catch (Exception ex) when (ex is CryptographicException or InvalidDataException or EndOfStreamException)
            {
                logger.LogError(ex, "Dataset {DatasetId} version {Version}: stored content failed to decrypt or ended early; download aborted", grant.DatasetId, grant.VersionNumber);
                context.Abort();
            }
        }
    }

    /// <summary>
    /// Copies exactly <paramref name="length"/> bytes. With <paramref name="expectedCid"/> the CIDv0 of the whole file is
    /// computed while it streams (as <c>ipfs add</c> would) and the last buffer is held back until it matches, so a client
    /// never receives a complete body of content that differs from what the seller published. Returns false on a
    /// mismatch (nothing more written).
    /// </summary>
    internal static async Task<bool> CopyAsync(Stream source, Stream destination, long length, Cid? expectedCid, CancellationToken ct)
    {
        using var hash = expectedCid is null ? null : new UnixFsBuilder();
        var current = new byte[BufferSize];
        var held = new byte[BufferSize];
        var heldCount = 0;
        var remaining = length;
        while (remaining > 0)
        {
            var read = await source.ReadAsync(current.AsMemory(0, (int)Math.Min(current.Length, remaining)), ct);
            if (read == 0)
            {
                throw new EndOfStreamException($"The stored content ended {remaining} bytes early.");
            }

            remaining -= read;
            hash?.Append(current.AsSpan(0, read));
            if (heldCount > 0)
            {
                await destination.WriteAsync(held.AsMemory(0, heldCount), ct);
            }

            (held, current) = (current, held);
            heldCount = read;
        }

        if (hash is not null)
        {
            // Content beyond the recorded size is also a mismatch.
            var extra = await source.ReadAsync(current.AsMemory(0, 1), ct);
            if (extra != 0 || hash.Complete() != expectedCid)
            {
                return false;
            }
        }

        if (heldCount > 0)
        {
            await destination.WriteAsync(held.AsMemory(0, heldCount), ct);
        }

        return true;
    }

    internal readonly record struct ByteRange(long Start, long End, bool Satisfiable);

    /// <summary>A single "bytes=" range (RFC 9110 §14): null when absent, malformed or multiple (then the whole file is sent).</summary>
    internal static ByteRange? ParseRange(string header, long size)
    {
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var spec = header[6..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return null;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            // Suffix range: the last N bytes.
            if (!long.TryParse(last, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var suffix))
            {
                return null;
            }

            return suffix == 0 || size == 0 ? new ByteRange(0, 0, false) : new ByteRange(Math.Max(0, size - suffix), size - 1, true);
        }

        if (!long.TryParse(first, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        long end;
        if (last.Length == 0)
        {
            end = size - 1;
        }
        else if (!long.TryParse(last, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out end) || end < start)
        {
            return null;
        }

        if (start >= size)
        {
            return new ByteRange(start, end, false);
        }

        return new ByteRange(start, Math.Min(end, size - 1), true);
    }

    private static Task Problem(HttpContext context, int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(context);
}
