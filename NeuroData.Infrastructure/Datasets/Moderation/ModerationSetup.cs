using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Infrastructure.Datasets.Downloads;
using NeuroData.Infrastructure.Datasets.Listings;

namespace NeuroData.Infrastructure.Datasets.Moderation;

public static class ModerationSetup
{
    /// <summary>Moderation, on-chain listing and download entitlement services (singletons: one DbContext per operation).</summary>
    public static IServiceCollection AddDatasetModeration(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<DatasetListingService>();
        services.AddSingleton<SellerDatasetService>();
        services.AddSingleton<ModerationService>();
        services.AddSingleton<DatasetDownloadService>();
        return services;
    }
}
