using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Ingest;

public static class IngestServiceCollectionExtensions
{
    /// <summary>The dataset inspector (format detection, validation, profiling, training form) and its limits.</summary>
    public static IServiceCollection AddDatasetIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestOptions>()
            .Bind(configuration.GetSection(IngestOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();
        services.AddSingleton<IDatasetInspector>(sp => new DatasetInspector(sp.GetRequiredService<IOptions<IngestOptions>>().Value));
        return services;
    }

    private sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
    {
        public ValidateOptionsResult Validate(string? name, IngestOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
