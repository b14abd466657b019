using Microsoft.AspNetCore.Hosting;

namespace NeuroData.Tests.Integration.Fixtures;

/// <summary>
/// For in-process hosts of the web app whose tests do not touch the chain: an External chain on a closed local port
/// (settings validated like a real deployment's) and no indexer, so no anvil is started and no port is taken.
/// </summary>
public static class OfflineChain
{
    private static readonly string[] ContractNames = ["NeuroCoin", "Staking", "EscrowManager", "DataMarketplace", "Governor", "Timelock"];

    public static IWebHostBuilder UseOfflineChain(this IWebHostBuilder builder)
    {
        builder.UseSetting("NeuroData:Chain:Mode", "External");
        builder.UseSetting("NeuroData:Chain:RpcUrl", "http://127.0.0.1:9");
        builder.UseSetting("NeuroData:Chain:ChainId", "31337");
        builder.UseSetting("NeuroData:Chain:OperatorKey", "0x" + new string('1', 64));
        for (var i = 0; i < ContractNames.Length; i++)
        {
            builder.UseSetting("NeuroData:Chain:Contracts:" + ContractNames[i], "0x" + (i + 1).ToString("x40", System.Globalization.CultureInfo.InvariantCulture));
        }

        builder.UseSetting("NeuroData:Indexer:Enabled", "false");
        return builder;
    }
}
