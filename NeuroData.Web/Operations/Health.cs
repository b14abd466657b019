using System.Net.Mime;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Web.Operations;

/// <summary>
/// <c>/health/live</c>: the process answers (always 200, no dependency checked).
/// <c>/health/ready</c>: the database answers (200 Healthy or 503 Unhealthy), for load balancers.
/// </summary>
public static class Health
{
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddNeuroDataHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddDbContextCheck<NeuroDataDbContext>("database", HealthStatus.Unhealthy, [ReadyTag]);
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
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
