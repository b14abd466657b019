using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace NeuroData.Infrastructure.Training.Baseline;

public static class BaselineSetup
{
    /// <summary>
    /// The baseline service and the <c>training.baseline</c> job: fired on demand (a label declared or changed) and every
    /// <c>NeuroData:Training:Baseline:SweepIntervalSeconds</c> (default 300), first a few seconds after start-up so
    /// baselines left pending by a restart are computed. The trainer itself is registered by <c>AddTrainingEngine</c>.
    /// </summary>
    public static IServiceCollection AddBaselines(this IServiceCollection services, IConfiguration configuration)
    {
        var seconds = configuration.GetSection(BaselineOptions.SectionName).GetValue(nameof(BaselineOptions.SweepIntervalSeconds), new BaselineOptions().SweepIntervalSeconds);
        if (seconds is < 5 or > 86_400)
        {
            throw new InvalidOperationException($"{BaselineOptions.SectionName}:{nameof(BaselineOptions.SweepIntervalSeconds)} must be between 5 and 86400 (was {seconds}).");
        }

        var interval = TimeSpan.FromSeconds(seconds);
        services.AddSingleton<BaselineService>();
        services.Configure<QuartzOptions>(options =>
        {
            options.AddJob<BaselineJob>(job => job
                .WithIdentity(BaselineJob.Key)
                .WithDescription("Computes pending try-before-you-buy baselines on declared label columns")
                .StoreDurably());
            options.AddTrigger(trigger => trigger
                .ForJob(BaselineJob.Key)
                .WithIdentity(BaselineJob.TriggerKey)
                .StartAt(DateTimeOffset.UtcNow.AddSeconds(Math.Min(seconds, 10)))
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount()));
        });
        return services;
    }
}
