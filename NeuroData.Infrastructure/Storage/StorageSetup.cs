using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Storage;

public static class StorageSetup
{
    /// <summary>
    /// Registers dataset storage from <c>NeuroData:Storage</c> (see <see cref="StorageSettings"/>): the content store
    /// (<see cref="LocalBlockstore"/> or <see cref="KuboContentStore"/>) as <see cref="IContentStore"/> and
    /// <see cref="IPinningContentStore"/>, the platform key ring, <see cref="IDatasetStorage"/> and
    /// <see cref="StorageMaintenance"/> (garbage collection). Invalid settings, or a missing platform key outside
    /// Development, throw <see cref="StorageConfigurationException"/> here, at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddDatasetStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = StorageSettings.From(builder.Configuration, builder.Environment.ContentRootPath, requirePlatformKey: !builder.Environment.IsDevelopment());
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(sp => new PlatformKeyRing(settings, sp.GetService<ILogger<PlatformKeyRing>>()));
        if (settings.Provider == StorageProvider.Kubo)
        {
            services.AddHttpClient<KuboContentStore>(http =>
            {
                http.BaseAddress = settings.KuboApiUrl;
                http.Timeout = Timeout.InfiniteTimeSpan; // uploads of several GiB; callers cancel
            })
            // The store is a singleton holding its client: recycle connections so DNS changes are seen.
            .ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
            services.AddSingleton<IPinningContentStore>(sp => sp.GetRequiredService<KuboContentStore>());
        }
        else
        {
            services.AddSingleton(new LocalBlockstore(settings.BlocksDirectory));
            services.AddSingleton<IPinningContentStore>(sp => sp.GetRequiredService<LocalBlockstore>());
        }

        services.AddSingleton<IContentStore>(sp => sp.GetRequiredService<IPinningContentStore>());
        services.AddSingleton<IDatasetStorage, DatasetStorage>();
        services.AddSingleton<StorageMaintenance>();
        return builder;
    }
}

/// <summary>Admin-callable storage upkeep: garbage collection of the local blockstore (a Kubo node collects its own).</summary>
public sealed class StorageMaintenance(IPinningContentStore store, ILogger<StorageMaintenance> logger)
{
    /// <summary>Removes every unpinned block no pin reaches; null when the provider is Kubo (run <c>ipfs repo gc</c> there).</summary>
    public async Task<GarbageCollectionResult?> CollectGarbageAsync(CancellationToken cancellationToken = default)
    {
        if (store is not LocalBlockstore local)
        {
            return null;
        }

        var result = await local.CollectGarbageAsync(cancellationToken);
        logger.LogInformation(
            "Blockstore garbage collection: {Removed} blocks removed ({Bytes} bytes), {Kept} kept, {Temps} temp files removed.",
            result.BlocksRemoved, result.BytesRemoved, result.BlocksKept, result.TempFilesRemoved);
        return result;
    }
}
