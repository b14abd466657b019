using NeuroData.Infrastructure.Persistence;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Settings.Configuration;

namespace NeuroData.Web.Operations;

/// <summary>Serilog: levels and console from the <c>Serilog</c> configuration section, plus a rolling JSON file.</summary>
public static class Logging
{
    /// <summary>
    /// Console (configured in appsettings "Serilog") and a daily rolling file of compact JSON events at
    /// <c>{DataDirectory}/logs/neurodata-YYYYMMDD.log</c>, 14 files kept.
    /// </summary>
    public static IHostApplicationBuilder AddNeuroDataLogging(this IHostApplicationBuilder builder)
    {
        var logDirectory = Path.Combine(DatabaseSettings.ResolveDataDirectory(builder.Configuration, builder.Environment.ContentRootPath), "logs");
        var readerOptions = new ConfigurationReaderOptions(
            typeof(ConsoleLoggerConfigurationExtensions).Assembly,
            typeof(FileLoggerConfigurationExtensions).Assembly,
            typeof(LoggerConfiguration).Assembly);
        var configuration = builder.Configuration;
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(configuration, readerOptions)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .WriteTo.File(
                new CompactJsonFormatter(),
                Path.Combine(logDirectory, "neurodata-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                fileSizeLimitBytes: 100 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                shared: true));
        return builder;
    }

    /// <summary>One line per request; health probes only at Verbose so they do not flood the log.</summary>
    public static WebApplication UseNeuroDataRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) ? LogEventLevel.Verbose
                : LogEventLevel.Information;
        });
        return app;
    }
}
