using Microsoft.AspNetCore.DataProtection;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Web.Operations;

/// <summary>Logging, health, errors, security headers and Data Protection: what an operator relies on.</summary>
public static class OperationsExtensions
{
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.AddNeuroDataLogging();
        builder.AddNeuroDataHealthChecks();
        builder.Services.AddProblemDetails();
        builder.Services.AddCommandLineVerbs();
        builder.Services.AddOptions<SecurityHeadersOptions>().BindConfiguration(SecurityHeadersOptions.SectionName);

        // Keys in the database: restarts and several web nodes share one key ring, so nobody is signed out.
        builder.Services.AddDataProtection()
            .SetApplicationName("NeuroData")
            .PersistKeysToDbContext<NeuroDataDbContext>();
        return builder;
    }

    /// <summary>
    /// Security headers, request logging, error handling (ProblemDetails under /api, friendly pages elsewhere) and
    /// the health endpoints. Goes first in the pipeline.
    /// </summary>
    public static WebApplication UseOperations(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseNeuroDataRequestLogging();

        // Outer: friendly pages for browsers. Inner (/api only): problem details, which the outer ones then leave alone
        // because the response already has a body.
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseWhen(IsApi, api =>
        {
            api.UseExceptionHandler();     // RFC 9457 problem details, no stack trace
            api.UseStatusCodePages();      // 404/405/... as problem details too
        });

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.MapNeuroDataHealthChecks();
        return app;
    }

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}
