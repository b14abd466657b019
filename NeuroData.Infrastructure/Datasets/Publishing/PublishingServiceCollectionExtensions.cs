using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace NeuroData.Infrastructure.Datasets.Publishing;

public static class PublishingServiceCollectionExtensions
{
    /// <summary>
    /// Uploads (sessions, temp files, limits from <c>NeuroData:Uploads</c>), the ingest queue and its worker, the
    /// abandoned-upload cleanup and <see cref="DatasetPublishingService"/>. Ingest resolves <c>IDatasetStorage</c> and
    /// <c>IDatasetInspector</c> when it runs, so they are registered elsewhere.
    /// </summary>
    public static IServiceCollection AddDatasetPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => UploadOptions.From(configuration, sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<UploadService>();
        services.AddSingleton<DatasetIngestor>();
        services.AddSingleton<UploadCleanup>();
        services.AddSingleton<DatasetPublishingService>();
        services.AddHostedService<IngestWorker>();
        services.AddHostedService<UploadCleanupService>();
        return services;
    }
}
