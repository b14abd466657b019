using Microsoft.AspNetCore.Hosting;
using NeuroData.Tests.Integration.Web;

namespace NeuroData.Tests.Integration.Fixtures;

/// <summary>
/// For in-process hosts of the web app whose tests do not touch the chain: the external-chain settings of
/// <see cref="NeuroDataWebFactory.ExternalChainSettings"/> (closed local port, indexer off), so no anvil is started
/// and no port is taken, whatever the environment.
/// </summary>
public static class OfflineChain
{
    public static IWebHostBuilder UseOfflineChain(this IWebHostBuilder builder)
    {
        foreach (var (key, value) in NeuroDataWebFactory.ExternalChainSettings)
        {
            builder.UseSetting(key, value);
        }

        return builder;
    }
}
