using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Infrastructure.Search.Index;

namespace NeuroData.Infrastructure.Search;

public static class SearchSetup
{
    /// <summary>
    /// Marketplace search settings (<c>NeuroData:Search</c>: CountCap, CacheSeconds, CacheEntries, Engine,
    /// IndexRefreshSeconds) and, with the memory engine, the in-memory index and the service that loads and refreshes it.
    /// </summary>
    public static IServiceCollection AddMarketplaceSearch(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new SearchOptions();
        configuration.GetSection(SearchOptions.Section).Bind(options);
        services.AddSingleton(options.Validate());
        if (options.UsesMemoryIndex)
        {
            services.AddSingleton<MarketplaceSearchIndex>();
            services.AddHostedService<SearchIndexService>();
        }

        return services;
    }
}
