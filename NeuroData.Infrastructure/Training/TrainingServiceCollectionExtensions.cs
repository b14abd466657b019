using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Training;

public static class TrainingServiceCollectionExtensions
{
    /// <summary>The training engine (<see cref="IModelTrainer"/>), model use (<see cref="IModelPredictor"/>) and the
    /// try-before-you-buy baseline (<see cref="BaselineTrainer"/>, settings in <c>NeuroData:Training:Baseline</c>).</summary>
    public static IServiceCollection AddTrainingEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IModelTrainer, MlNetTrainer>();
        services.AddSingleton<IModelPredictor, ModelPredictor>();
        services.Configure<BaselineOptions>(configuration.GetSection(BaselineOptions.SectionName));
        services.AddSingleton<BaselineTrainer>();
        return services;
    }
}
