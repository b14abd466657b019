using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;

namespace NeuroData.Infrastructure.Jobs;

/// <summary>
/// The background job scheduler (Quartz, section <c>NeuroData:Jobs</c>): Enabled (true), MaxConcurrency (4).
/// <para>
/// The scheduler keeps its triggers in memory; the business state a job works on (escrows to release, training runs)
/// lives in our own tables, so every job re-reads what is due and is safe to run twice. Features add their jobs with
/// <c>services.Configure&lt;QuartzOptions&gt;(o =&gt; o.AddJob&lt;T&gt;(...).AddTrigger(...))</c> or schedule them at run
/// time through <see cref="ISchedulerFactory"/>; only this file calls AddQuartz.
/// </para>
/// </summary>
public static class JobsSetup
{
    public const string SectionName = "NeuroData:Jobs";

    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SectionName);
        var maxConcurrency = section.GetValue("MaxConcurrency", 4);
        if (maxConcurrency is < 1 or > 64)
        {
            throw new InvalidOperationException($"{SectionName}:MaxConcurrency must be between 1 and 64 (was {maxConcurrency}).");
        }

        builder.Services.AddQuartz(q =>
        {
            q.SchedulerName = "NeuroData";
            q.UseInMemoryStore();
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = maxConcurrency);
        });
        UseDisposalSafeLogging(builder.Services);
        if (section.GetValue("Enabled", true))
        {
            builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        }

        return builder;
    }

    /// <summary>
    /// Quartz keeps its logger factory in a static, set when a host first builds its scheduler (through the
    /// <see cref="Quartz.Simpl.MicrosoftLoggingProvider"/> service). When one host in the process is disposed (tests run
    /// many), the static would point at a disposed factory and Quartz would throw in every other host. This replaces
    /// that service's factory so the static always ends up holding a wrapper that falls back to no logging once its factory is gone.
    /// </summary>
    private static void UseDisposalSafeLogging(IServiceCollection services)
    {
        var quartzLogging = services.Single(d => d.ServiceType.FullName == "Quartz.Simpl.MicrosoftLoggingProvider" && d.ImplementationFactory is not null);
        var setsTheStatic = quartzLogging.ImplementationFactory!;
        services.Remove(quartzLogging);
        services.Add(new ServiceDescriptor(quartzLogging.ServiceType, provider =>
        {
            var registered = setsTheStatic(provider);
            Quartz.Logging.LogContext.SetCurrentLogProvider(new DisposalSafeLoggerFactory(provider.GetRequiredService<ILoggerFactory>()));
            return registered;
        }, quartzLogging.Lifetime));
    }

    private sealed class DisposalSafeLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName)
        {
            try
            {
                return inner.CreateLogger(categoryName);
            }
            catch (ObjectDisposedException)
            {
                return NullLogger.Instance;
            }
        }

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
