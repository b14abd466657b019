using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroData.Infrastructure.Persistence;
using Quartz;

namespace NeuroData.Infrastructure.Training.Runs;

public static class TrainingRunsSetup
{
    /// <summary>
    /// The training run queue (section <c>NeuroData:Training:Runs</c>, see <see cref="TrainingRunOptions"/>):
    /// <see cref="ITrainingRuns"/>, <see cref="ITrainingRunUpdates"/>, the dispatcher and executor, and the Quartz job
    /// <c>training.dispatch</c> (fired when a run is queued and every DispatchIntervalSeconds).
    /// Needs the training engine (<c>AddTrainingEngine</c>), storage, purchases and the scheduler.
    /// </summary>
    public static IServiceCollection AddTrainingRuns(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TrainingRunOptions.SectionName);
        services.AddOptions<TrainingRunOptions>()
            .Bind(section)
            .PostConfigure<IHostEnvironment>((o, env) =>
            {
                o.TempPath = string.IsNullOrWhiteSpace(o.TempPath)
                    ? Path.Combine(DatabaseSettings.ResolveDataDirectory(configuration, env.ContentRootPath), "training-tmp")
                    : Path.GetFullPath(o.TempPath, env.ContentRootPath);
            })
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();

        services.AddSingleton<TrainingRunRegistry>();
        services.AddSingleton<TrainingRunNotifier>();
        services.AddSingleton<ITrainingRunUpdates>(sp => sp.GetRequiredService<TrainingRunNotifier>());
        services.AddSingleton<TrainingDispatchTrigger>();
        services.AddSingleton(sp =>
        {
            var signal = new TrainingRunSignal();
            if (sp.GetService<ISchedulerFactory>() is not null)
            {
                signal.Poked += sp.GetRequiredService<TrainingDispatchTrigger>().Fire;
            }

            return signal;
        });
        services.AddSingleton<TrainingRunExecutor>();
        services.AddSingleton<TrainingRunDispatcher>();
        services.AddSingleton<TrainingRunService>();
        services.AddSingleton<ITrainingRuns>(sp => sp.GetRequiredService<TrainingRunService>());

        var interval = TimeSpan.FromSeconds(Math.Max(1, section.GetValue("DispatchIntervalSeconds", 10)));
        services.Configure<QuartzOptions>(o =>
        {
            o.AddJob<TrainingDispatchJob>(job => job
                .WithIdentity(TrainingDispatchJob.Key)
                .WithDescription("Starts queued training runs (oldest first, within the concurrency limit) and recovers runs a restart interrupted")
                .StoreDurably());
            o.AddTrigger(trigger => trigger
                .ForJob(TrainingDispatchJob.Key)
                .WithIdentity(TrainingDispatchJob.TriggerKey)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount()));
        });
        return services;
    }
}
