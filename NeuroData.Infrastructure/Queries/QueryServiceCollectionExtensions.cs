using Microsoft.Extensions.DependencyInjection;

namespace NeuroData.Infrastructure.Queries;

public static class QueryServiceCollectionExtensions
{
    /// <summary>Read-only queries for pages. Stateless (one context per call), so singletons.</summary>
    public static IServiceCollection AddNeuroDataQueries(this IServiceCollection services)
    {
        services.AddSingleton<MarketplaceQueries>();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<TrainingQueries>();
        services.AddSingleton<ChainMirrorQueries>();
        return services;
    }
}
