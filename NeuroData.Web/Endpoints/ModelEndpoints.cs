using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Net.Http.Headers;
using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Training.Models;

namespace NeuroData.Web.Endpoints;

/// <summary>
/// GET /api/v1/models/{id}/download (the ML.NET .zip as an attachment, when the data's terms allow it) and
/// POST /api/v1/models/{id}/predictions (a CSV in the body, the same rows with their predictions out). Cookie or test
/// authentication; POST needs the antiforgery header like the upload API; other users' models answer 404.
/// Batch predictions are limited per user (concurrency, body size, minimum upload rate) and their result is written
/// to a temporary file that is deleted when the answer is sent (or the request fails), so no file is left behind.
/// </summary>
public static class ModelEndpoints
{
    public const string BasePath = "/api/v1/models";

    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(BasePath);
        group.MapGet("/{id:guid}/download", DownloadAsync).WithName("DownloadModel");
        group.MapPost("/{id:guid}/predictions", PredictAsync).WithName("PredictWithModel").DisableAntiforgery();
        return endpoints;
    }

    private static async Task DownloadAsync(HttpContext context, Guid id, ModelService models)
    {
        if (!TryUser(context, out var userId, out var isAdmin))
        {
            await Problem(context, StatusCodes.Status401Unauthorized, "Sign in required", "Sign in to download models.");
            return;
        }

        var grant = await models.AuthorizeDownloadAsync(userId, isAdmin, id, context.RequestAborted);
        switch (grant.Decision)
        {
            case ModelAccessDecision.NotFound:
                await Problem(context, StatusCodes.Status404NotFound, "Not found", grant.Message);
                return;
            case ModelAccessDecision.Forbidden:
                await Problem(context, StatusCodes.Status403Forbidden, "Model download not allowed", grant.Message);
                return;
        }

        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, no-store";
        var disposition = new ContentDispositionHeaderValue("attachment") { FileName = grant.FileName };
        disposition.SetHttpFileName(grant.FileName);
        headers.ContentDisposition = disposition.ToString();
        await Results.File(grant.FullPath!, "application/zip").ExecuteAsync(context);
    }

    private static async Task PredictAsync(HttpContext context, Guid id, ModelService models, ModelBatchLimiter limiter, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        var ct = context.RequestAborted;
        if (!TryUser(context, out var userId, out var isAdmin))
        {
            await Problem(context, StatusCodes.Status401Unauthorized, "Sign in required", "Sign in to make predictions.");
            return;
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            await Problem(context, StatusCodes.Status400BadRequest, "Missing or invalid antiforgery token", "Reload the page and try again: the request did not carry a valid antiforgery token.");
            return;
        }

        var options = models.Options;
        if (context.Request.ContentLength is { } length && length > options.MaxBatchBytes)
        {
            await Problem(context, StatusCodes.Status413PayloadTooLarge, "File too large", TooLarge(options));
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = options.MaxBatchBytes;
        }

        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = options.MinBodyBytesPerSecond == 0 ? null : new MinDataRate(options.MinBodyBytesPerSecond, TimeSpan.FromSeconds(10));
        }

        using var slot = limiter.TryEnter(userId);
        if (slot is null)
        {
            context.Response.Headers.RetryAfter = "10";
            await Problem(context, StatusCodes.Status429TooManyRequests, "Too many batch predictions",
                $"You already run {options.MaxConcurrentBatchesPerUser} batch predictions; wait until one finishes.");
            return;
        }

        var folder = options.ResolvedTempPath;
        Directory.CreateDirectory(folder);
        var inputPath = Path.Combine(folder, $"{Guid.NewGuid():N}-in.csv");
        var temp = Path.Combine(folder, $"{Guid.NewGuid():N}-out.csv");
        try
        {
            // The body is received into a temporary file first (the CSV reader reads synchronously, and the size limit
            // then holds also without a Content-Length); both files are deleted when they are closed.
            await using var input = new FileStream(inputPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            long rows;
            try
            {
                await models.UsablePathAsync(userId, isAdmin, id, ct); // 404 / 403 before the body is read
                await using (var limited = new LimitedStream(context.Request.Body, options.MaxBatchBytes))
                {
                    await limited.CopyToAsync(input, ct);
                }

                input.Position = 0;
                rows = await models.PredictCsvAsync(userId, isAdmin, id, input, output, ct);
            }
            catch (ModelNotFoundException ex)
            {
                await Problem(context, StatusCodes.Status404NotFound, "Not found", ex.Message);
                return;
            }
            catch (ModelAccessException ex)
            {
                await Problem(context, StatusCodes.Status403Forbidden, "Model use not allowed", ex.Message);
                return;
            }
            catch (LimitedStream.TooLargeException)
            {
                await Problem(context, StatusCodes.Status413PayloadTooLarge, "File too large", TooLarge(options));
                return;
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await Problem(context, StatusCodes.Status413PayloadTooLarge, "File too large", TooLarge(options));
                return;
            }
            catch (DomainException ex)
            {
                await Problem(context, StatusCodes.Status400BadRequest, "The file cannot be used", ex.Message);
                return;
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or System.Text.DecoderFallbackException)
            {
                await Problem(context, StatusCodes.Status400BadRequest, "The file cannot be used", "The file is not a CSV with a header row: " + ex.Message);
                return;
            }

            output.Position = 0;
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.ContentLength = output.Length;
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "private, no-store";
            headers["X-Prediction-Rows"] = rows.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var disposition = new ContentDispositionHeaderValue("attachment") { FileName = "predictions.csv" };
            headers.ContentDisposition = disposition.ToString();
            await output.CopyToAsync(context.Response.Body, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            loggers.CreateLogger("NeuroData.Web.Models").LogInformation("Batch prediction with model {ModelId} cancelled by the client", id);
        }
        finally
        {
            // DeleteOnClose already removed it; this covers a file that was created but never opened by the stream.
            File.Delete(inputPath);
            File.Delete(temp);
        }
    }

    private static string TooLarge(ModelOptions options) =>
        $"The file is larger than the batch limit of {options.MaxBatchBytes / (1024.0 * 1024):0.#} MB; split it into smaller files.";

    private static bool TryUser(HttpContext context, out Guid userId, out bool isAdmin)
    {
        var user = context.User;
        isAdmin = user.IsInRole(RoleNames.Admin);
        userId = Guid.Empty;
        return user.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out userId);
    }

    private static Task Problem(HttpContext context, int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(context);

    /// <summary>Reads at most <c>limit</c> bytes of the request body (also without a Content-Length), then fails.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw new TooLargeException() : read;
        }

        public sealed class TooLargeException : Exception
        {
            public TooLargeException()
                : base("The body is larger than allowed.")
            {
            }
        }
    }
}
