using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Jobs;
using Quartz;

namespace NeuroData.Infrastructure.Payouts;

public static class PayoutsSetup
{
    /// <summary>
    /// Payouts, fees and jobs (section <c>NeuroData:Commerce</c>, see <see cref="CommerceJobSettings"/>): the
    /// auto-release job on its interval, the <see cref="JobRunListener"/> that records every job's runs, the payout
    /// reconciler (Order 30), and the queries behind /payouts, /transactions, /admin/jobs and /admin/fees.
    /// </summary>
    public static IHostApplicationBuilder AddPayouts(this IHostApplicationBuilder builder)
    {
        var settings = CommerceJobSettings.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton<BlockTimestamps>();
        services.AddSingleton<AutoReleaseService>();
        services.AddSingleton<PayoutQueries>();
        services.AddSingleton<PlatformFinanceQueries>();
        services.AddSingleton<WithdrawalService>();
        services.AddSingleton<JobsAdmin>();
        services.AddScoped<IChainReconciler, PayoutReconciler>();

        // The scheduler adds every registered IJobListener for all jobs when it is created.
        services.AddSingleton<IJobListener, JobRunListener>();
        services.Configure<QuartzOptions>(options =>
        {
            options.AddJob<AutoReleaseJob>(job => job
                .WithIdentity(AutoReleaseJob.Key)
                .WithDescription("Releases escrows past their review deadline with the platform key")
                .StoreDurably());

            // Every AutoReleaseIntervalSeconds (60 by default), first one interval after start-up.
            options.AddTrigger(trigger => trigger
                .ForJob(AutoReleaseJob.Key)
                .WithIdentity(AutoReleaseJob.TriggerKey)
                .StartAt(DateTimeOffset.UtcNow.Add(settings.AutoReleaseInterval))
                .WithSimpleSchedule(s => s.WithInterval(settings.AutoReleaseInterval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount()));
        });
        return builder;
    }
}
