using System.Net.Mime;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Web.Operations;

/// <summary>
/// <c>/health/live</c>: the process answers (always 200, no dependency checked).
/// <c>/health/ready</c>: the database answers (200 Healthy or 503 Unhealthy), for load balancers; the chain indexer's
/// lag is reported too (Degraded, still 200, while it is behind or the chain is unavailable).
/// </summary>
public static class Health
{
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddNeuroDataHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<NeuroDataDbContext>("database", HealthStatus.Unhealthy, [ReadyTag])
            .AddCheck<IndexerHealthCheck>("indexer", HealthStatus.Degraded, [ReadyTag]);
        return builder;
    }

    public static WebApplication MapNeuroDataHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .DisableHttpMetrics();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .DisableHttpMetrics();
        return app;
    }

    /// <summary>A small JSON body: overall status and each check's status (no exception details leave the server).</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = MediaTypeNames.Application.Json;
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
            indexer = report.Entries.TryGetValue("indexer", out var indexer)
                ? new { detail = indexer.Description, lag = indexer.Data.GetValueOrDefault("lag"), lastBlock = indexer.Data.GetValueOrDefault("lastBlock") }
                : null,
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
