using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NeuroData.Infrastructure.Training.Models;

public static class ModelsSetup
{
    /// <summary>Model use: <see cref="ModelService"/> and the per-user batch limit (settings in <c>NeuroData:Training:Models</c>).</summary>
    public static IServiceCollection AddModels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ModelOptions>()
            .Bind(configuration.GetSection(ModelOptions.SectionName))
            .Validate(o => o.MaxBatchBytes > 0 && o.MaxConcurrentBatchesPerUser >= 1 && o.MinBodyBytesPerSecond >= 0,
                $"{ModelOptions.SectionName}: MaxBatchBytes must be positive, MaxConcurrentBatchesPerUser at least 1, MinBodyBytesPerSecond not negative.")
            .ValidateOnStart();
        services.AddSingleton<ModelService>();
        services.AddSingleton<ModelBatchLimiter>();
        return services;
    }
}

/// <summary>How many batch predictions each user runs at once (at most <see cref="ModelOptions.MaxConcurrentBatchesPerUser"/>).</summary>
public sealed class ModelBatchLimiter(IOptions<ModelOptions> options)
{
    private readonly ConcurrentDictionary<Guid, int> _running = new();

    /// <summary>A slot for the user, released on dispose; null when they already run the maximum.</summary>
    public IDisposable? TryEnter(Guid userId)
    {
        var max = options.Value.MaxConcurrentBatchesPerUser;
        while (true)
        {
            var current = _running.GetOrAdd(userId, 0);
            if (current >= max)
            {
                return null;
            }

            if (_running.TryUpdate(userId, current + 1, current))
            {
                return new Slot(this, userId);
            }
        }
    }

    private void Leave(Guid userId) => _running.AddOrUpdate(userId, 0, (_, n) => Math.Max(0, n - 1));

    private sealed class Slot(ModelBatchLimiter owner, Guid userId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(userId);
            }
        }
    }
}
