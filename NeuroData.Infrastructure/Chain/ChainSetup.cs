using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Chain;

public static class ChainSetup
{
    /// <summary>
    /// Registers the chain adapter from <c>NeuroData:Chain</c> (see <see cref="ChainSettings"/>): settings, the
    /// <see cref="ChainContext"/>, <see cref="IChainGateway"/>, <see cref="IPlatformChainOperator"/> (operator key),
    /// <see cref="IWalletTransactionBuilder"/>, the ABI artifacts and the revert decoder. In Embedded mode it also adds
    /// the dev chain (anvil launcher + one-time deployer) as a hosted service; External mode starts nothing and fails
    /// here, at start-up, with every missing setting listed.
    /// </summary>
    public static IHostApplicationBuilder AddChain(this IHostApplicationBuilder builder)
    {
        // A local dev chain is the default only in Development; elsewhere an unset Mode means External, so production
        // never starts anvil by accident and fails at start-up listing the chain settings it still needs.
        var defaultMode = builder.Environment.IsDevelopment() ? ChainMode.Embedded : ChainMode.External;
        var settings = ChainSettings.From(builder.Configuration, builder.Environment.ContentRootPath, defaultMode);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ContractArtifacts>();
        services.AddSingleton<ContractErrorDecoder>();
        services.AddSingleton<ChainContext>();
        services.AddSingleton<ChainGateway>();
        services.AddSingleton<IChainGateway>(sp => sp.GetRequiredService<ChainGateway>());
        services.AddSingleton<OperatorTransactionService>();
        services.AddSingleton<IPlatformChainOperator>(sp => sp.GetRequiredService<OperatorTransactionService>());
        services.AddSingleton<TransactionRequestBuilder>();
        services.AddSingleton<IWalletTransactionBuilder>(sp => sp.GetRequiredService<TransactionRequestBuilder>());

        if (settings.Mode == ChainMode.Embedded)
        {
            services.AddSingleton<DevChainLauncher>();
            services.AddSingleton<DevChainDeployer>();
            services.AddHostedService<DevChainHostedService>();
        }

        return builder;
    }
}
