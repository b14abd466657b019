using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nethereum.JsonRpc.Client;

namespace NeuroData.Infrastructure.Chain;

/// <summary>
/// External mode: at start-up, checks that the node at RpcUrl serves the configured chain id and that every
/// configured contract address has code. A mismatch stops start-up with a message naming the setting; an
/// unreachable node is only logged (the app can still serve pages that do not need the chain).
/// </summary>
public sealed class ExternalChainCheck(ChainContext context, ILogger<ExternalChainCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        var contracts = await context.GetContractsAsync(cancellationToken);
        var eth = context.Web3.Eth;
        long chainId;
        try
        {
            chainId = (long)(await eth.ChainId.SendRequestAsync().WaitAsync(cancellationToken)).Value;
        }
        catch (Exception ex) when (ex is RpcClientUnknownException or RpcClientTimeoutException or HttpRequestException)
        {
            logger.LogWarning(ex, "The chain node at {RpcUrl} did not answer at start-up; chain features fail until it does", settings.RpcUrl);
            return;
        }

        if (chainId != settings.ChainId.Value)
        {
            throw new ChainConfigurationException(
                $"{ChainSettings.SectionName}:ChainId is {settings.ChainId} but the node at {settings.RpcUrl} serves chain {chainId.ToString(CultureInfo.InvariantCulture)}. Fix the ChainId or the RpcUrl.");
        }

        var missing = new List<string>();
        foreach (var (key, address) in new[]
        {
            ("NeuroCoin", contracts.NeuroCoin), ("Staking", contracts.Staking), ("EscrowManager", contracts.EscrowManager),
            ("DataMarketplace", contracts.DataMarketplace), ("Governor", contracts.Governor), ("Timelock", contracts.Timelock),
        })
        {
            var code = await eth.GetCode.SendRequestAsync(address.Value).WaitAsync(cancellationToken);
            if (string.IsNullOrEmpty(code) || code == "0x")
            {
                missing.Add($"{ChainSettings.SectionName}:Contracts:{key} ({address}) has no contract code on chain {chainId.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        if (missing.Count > 0)
        {
            throw new ChainConfigurationException(
                $"The configured contracts are not deployed on the chain at {settings.RpcUrl}:{Environment.NewLine}- " + string.Join(Environment.NewLine + "- ", missing));
        }

        logger.LogInformation("Chain {ChainId} at {RpcUrl}: all six contracts found", chainId, settings.RpcUrl);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
