using Microsoft.Extensions.Configuration;
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
        }

        return builder;
    }
}
