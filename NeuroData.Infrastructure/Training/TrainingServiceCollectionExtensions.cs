using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Training.Runs;

namespace NeuroData.Infrastructure.Training;

public static class TrainingServiceCollectionExtensions
{
    /// <summary>The training engine (<see cref="IModelTrainer"/>), model use (<see cref="IModelPredictor"/>) and the
    /// try-before-you-buy baseline (<see cref="BaselineTrainer"/>, settings in <c>NeuroData:Training:Baseline</c>) and the
    /// <see cref="ModelStore"/> (<c>{DataDirectory}/models</c>).</summary>
    public static IServiceCollection AddTrainingEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IModelTrainer, MlNetTrainer>();
        services.AddSingleton<IModelPredictor, ModelPredictor>();
        services.Configure<BaselineOptions>(configuration.GetSection(BaselineOptions.SectionName));
        services.AddSingleton<BaselineTrainer>();
        services.AddSingleton(sp => new ModelStore(Path.Combine(
            DatabaseSettings.ResolveDataDirectory(configuration, sp.GetRequiredService<IHostEnvironment>().ContentRootPath), "models")));
        return services;
    }
}
