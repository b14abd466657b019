using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NeuroData.Infrastructure.Chain;

/// <summary>
/// Embedded mode: on start, launches anvil and makes sure the contracts are deployed (the app does not start serving
/// until both are done, so nothing sees a half-ready chain); on stop, stops anvil so it saves its state.
/// </summary>
public sealed class DevChainHostedService(DevChainLauncher launcher, DevChainDeployer deployer, ChainContext context, ILogger<DevChainHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await launcher.StartAsync(cancellationToken);
            var deployment = await deployer.EnsureDeployedAsync(cancellationToken);
            context.SetContracts(deployment.ToChainContracts());
            logger.LogInformation(
                "Local chain ready: add the network to MetaMask with RPC {RpcUrl} and chain id {ChainId}; NCR token {Token}. Demo accounts: {Accounts}",
                context.Settings.RpcUrl,
                context.Settings.ChainId,
                deployment.Contracts[nameof(ContractName.NeuroCoin)],
                string.Join(", ", DevAccounts.All.Select(a => $"#{a.Index} {a.Role} {a.Address}")));
        }
        catch (Exception ex)
        {
            context.SetFailed(ex);
            await launcher.StopAsync(CancellationToken.None);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => launcher.StopAsync(cancellationToken);
}
