using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
        if (section.GetValue("Enabled", true))
        {
            builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
            builder.Services.AddHostedService<QuartzLoggingGuard>();
        }

        return builder;
    }
}

/// <summary>
/// Quartz keeps its logger factory in a static, set by every scheduler that starts. When one host in the process stops
/// (tests run many), the static would point at a disposed factory and Quartz would throw in the others. Started after
/// the scheduler, this points the static at a wrapper that falls back to no logging once the factory is gone.
/// </summary>
internal sealed class QuartzLoggingGuard(Microsoft.Extensions.Logging.ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Quartz.Logging.LogContext.SetCurrentLogProvider(new SafeLoggerFactory(loggers));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class SafeLoggerFactory(Microsoft.Extensions.Logging.ILoggerFactory inner) : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName)
        {
            try
            {
                return inner.CreateLogger(categoryName);
            }
            catch (ObjectDisposedException)
            {
                return Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
            }
        }

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
