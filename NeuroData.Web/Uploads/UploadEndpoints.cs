using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using NeuroData.Infrastructure.Datasets.Publishing;
using NeuroData.Web.Components.Layout;

namespace NeuroData.Web.Uploads;

/// <summary>Body of <c>POST /api/v1/uploads</c>.</summary>
public sealed record CreateUploadRequest(string? FileName, long SizeBytes, Guid DatasetId);

/// <summary>
/// The resumable chunked upload API (docs/uploads.md). Cookie-authenticated and antiforgery-protected: the publish page
/// hands its request token to the JS, which sends it in the <c>RequestVerificationToken</c> header. Sessions of other
/// users answer 404.
/// </summary>
public static partial class UploadEndpoints
{
    public const string BasePath = "/api/v1/uploads";

    /// <summary>Maps POST/GET/PUT/DELETE under <see cref="BasePath"/>.</summary>
    public static IEndpointRouteBuilder MapUploadEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).RequireAuthorization().AddEndpointFilter(ValidateAntiforgeryAsync);

        group.MapPost("/", CreateAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPut("/{id:guid}", AppendAsync);
        group.MapPost("/{id:guid}/complete", CompleteAsync);
        group.MapDelete("/{id:guid}", CancelAsync);
        return app;
    }

    private static async ValueTask<object?> ValidateAntiforgeryAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return Problem(StatusCodes.Status400BadRequest, "Missing or invalid antiforgery token", "Reload the page and try again: the request did not carry a valid antiforgery token.");
            }
        }

        return await next(context);
    }

    private static async Task<IResult> CreateAsync(CreateUploadRequest? request, HttpContext http, UploadService uploads, CancellationToken ct)
    {
        if (request is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid upload", "Send {fileName, sizeBytes, datasetId} as JSON.");
        }

        return await RunAsync(http, async user =>
        {
            var state = await uploads.CreateAsync(user, request.DatasetId, request.FileName, request.SizeBytes, ct);
            return Results.Created($"{BasePath}/{state.Id}", Answer(state));
        });
    }

    private static Task<IResult> GetAsync(Guid id, HttpContext http, UploadService uploads, CancellationToken ct) =>
        RunAsync(http, async user => Results.Ok(Answer(await uploads.GetAsync(user, id, ct))));

    private static Task<IResult> AppendAsync(Guid id, HttpContext http, UploadService uploads, CancellationToken ct)
    {
        var options = uploads.Options;

        // Per-endpoint body limits: one chunk at most, and a minimum data rate so a slow body cannot hold the request.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = options.ChunkBytes;
        }

        if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = options.MinBodyBytesPerSecond == 0 ? null : new MinDataRate(options.MinBodyBytesPerSecond, TimeSpan.FromSeconds(10));
        }

        if (!TryParseContentRange(http.Request.Headers.ContentRange.ToString(), out var from, out var to, out var total))
        {
            return Task.FromResult(Problem(StatusCodes.Status400BadRequest, "Invalid Content-Range", "Send each chunk with a header 'Content-Range: bytes start-end/total'."));
        }

        return RunAsync(http, async user =>
        {
            try
            {
                return Results.Ok(Answer(await uploads.AppendAsync(user, id, from, to, total, http.Request.Body, ct)));
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
            {
                var status = ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? ex.StatusCode : StatusCodes.Status400BadRequest;
                return Problem(status, "Chunk refused", status == StatusCodes.Status413PayloadTooLarge
                    ? $"A chunk carries at most {options.ChunkBytes} bytes."
                    : "The chunk's body could not be read completely (too slow or cut off); send it again.");
            }
        });
    }

    private static Task<IResult> CompleteAsync(Guid id, HttpContext http, UploadService uploads, CancellationToken ct) =>
        RunAsync(http, async user => Results.Accepted($"{BasePath}/{id}", Answer(await uploads.CompleteAsync(user, id, ct))));

    private static Task<IResult> CancelAsync(Guid id, HttpContext http, UploadService uploads, CancellationToken ct) =>
        RunAsync(http, async user =>
        {
            await uploads.CancelAsync(user, id, ct);
            return Results.NoContent();
        });

    /// <summary>Parses <c>bytes start-end/total</c> (all three required; range checks are the service's).</summary>
    internal static bool TryParseContentRange(string? header, out long from, out long to, out long total)
    {
        from = to = total = 0;
        var match = ContentRangePattern().Match(header ?? string.Empty);
        return match.Success
            && long.TryParse(match.Groups[1].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out from)
            && long.TryParse(match.Groups[2].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out to)
            && long.TryParse(match.Groups[3].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out total);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*bytes\s+(\d{1,18})-(\d{1,18})/(\d{1,18})\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex ContentRangePattern();

    private static async Task<IResult> RunAsync(HttpContext http, Func<Guid, Task<IResult>> action)
    {
        if (UserClaims.IdOf(http.User) is not { } user)
        {
            return Results.Unauthorized();
        }

        try
        {
            return await action(user);
        }
        catch (UploadRejectedException ex)
        {
            var status = ex.Kind switch
            {
                UploadProblemKind.NotFound => StatusCodes.Status404NotFound,
                UploadProblemKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
                UploadProblemKind.Conflict => StatusCodes.Status409Conflict,
                UploadProblemKind.TooMany => StatusCodes.Status429TooManyRequests,
                _ => StatusCodes.Status400BadRequest,
            };
            return Problem(status, Title(ex.Kind), ex.Message, ex.Received);
        }
    }

    private static object Answer(UploadState s) => new
    {
        id = s.Id,
        datasetId = s.DatasetId,
        fileName = s.FileName,
        sizeBytes = s.SizeBytes,
        chunkSize = s.ChunkSize,
        received = s.Received,
        status = s.Status,
        error = s.Error,
        versionId = s.VersionId,
        ingestedBytes = s.IngestedBytes,
    };

    private static string Title(UploadProblemKind kind) => kind switch
    {
        UploadProblemKind.NotFound => "Upload not found",
        UploadProblemKind.TooLarge => "Too large",
        UploadProblemKind.Conflict => "Upload state conflict",
        UploadProblemKind.TooMany => "Too many uploads",
        _ => "Invalid upload",
    };

    private static IResult Problem(int status, string title, string detail, long? received = null) =>
        Results.Problem(
            detail: detail,
            statusCode: status,
            title: title,
            extensions: received is { } r ? new Dictionary<string, object?> { ["received"] = r } : null);
}
