using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Commerce.Disputes;

namespace NeuroData.Web.Disputes;

/// <summary>
/// GET /api/v1/escrows/{escrowId}/evidence/{cid}: an evidence file of the escrow's dispute, for the buyer, the seller,
/// arbitrators and admins; 404 for anyone else and for a CID that is not evidence of this escrow.
/// </summary>
public static class DisputeEndpoints
{
    public const string EvidenceRoute = "/api/v1/escrows/{escrowId:long}/evidence/{cid}";

    public static IEndpointRouteBuilder MapDisputeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(EvidenceRoute, EvidenceAsync).WithName("DisputeEvidence");
        return endpoints;
    }

    private static async Task<IResult> EvidenceAsync(HttpContext context, long escrowId, string cid, [FromServices] EscrowService escrows)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign in required", detail: "Sign in to see dispute evidence.");
        }

        if (!Cid.TryParse(cid, out var parsed, out _))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such evidence.");
        }

        var viewer = new EscrowViewer(userId, user.IsInRole(RoleNames.Arbitrator), user.IsInRole(RoleNames.Admin));
        var stream = await escrows.OpenEvidenceAsync(viewer, escrowId, parsed, context.RequestAborted);
        if (stream is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such evidence for this escrow.");
        }

        context.Response.Headers.XContentTypeOptions = "nosniff";
        // Evidence is untrusted user content: always a download, never rendered in the app's origin.
        return Results.File(stream, "application/octet-stream", fileDownloadName: parsed.Value, enableRangeProcessing: false);
    }
}
