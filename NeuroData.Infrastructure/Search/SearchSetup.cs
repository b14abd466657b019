using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NeuroData.Infrastructure.Search;

public static class SearchSetup
{
    /// <summary>Marketplace search settings (<c>NeuroData:Search</c>: CountCap, CacheSeconds, CacheEntries).</summary>
    public static IServiceCollection AddMarketplaceSearch(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new SearchOptions();
        configuration.GetSection(SearchOptions.Section).Bind(options);
        services.AddSingleton(options.Validate());
        return services;
    }
}
