using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NeuroData.Infrastructure.Datasets.Engagement;

public static class EngagementSetup
{
    /// <summary>Discovery: the dataset page, views, reviews and favourites (stateless: one context per call).</summary>
    public static IServiceCollection AddDatasetDiscovery(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Queries.MarketplaceQueries>();
        services.AddSingleton<DatasetEngagement>();
        return services;
    }
}
