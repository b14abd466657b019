using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Chain;

/// <summary>AddChain wires the adapter; in Embedded mode the host starts the dev chain before anything is served.</summary>
public sealed class ChainSetupTests(AnvilFixture anvil)
{
    private static readonly string[] ContractKeys = ["NeuroCoin", "Staking", "EscrowManager", "DataMarketplace", "Governor", "Timelock"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EmbeddedHost_StartsTheDevChain_DeploysAndStopsItOnShutdown()
    {
        anvil.RequireAnvil();
        var dataDirectory = anvil.NewDirectory();
        var port = AnvilFixture.FreePort();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = dataDirectory, EnvironmentName = "Development" });
        builder.Configuration["NeuroData:DataDirectory"] = dataDirectory;
        builder.Configuration["NeuroData:Chain:DevPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["NeuroData:Chain:AnvilPath"] = anvil.AnvilPath;
        builder.AddChain();
        using var host = builder.Build();
        var gateway = host.Services.GetRequiredService<IChainGateway>();
        var contractsBeforeStart = gateway.GetContractsAsync(Ct);
        contractsBeforeStart.IsCompleted.ShouldBeFalse("addresses are not known before the dev chain is deployed");

        await host.StartAsync(Ct);

        var contracts = await contractsBeforeStart;
        (await gateway.GetTokenBalanceAsync(DevAccounts.Buyer.Address, Ct)).ShouldBe(TokenAmount.FromTokens(100_000));
        host.Services.GetRequiredService<IPlatformChainOperator>().Address.ShouldBe(DevAccounts.Deployer.Address);
        (await host.Services.GetRequiredService<IWalletTransactionBuilder>().ClaimRewardsAsync(DevAccounts.Buyer.Address, Ct)).To.ShouldBe(contracts.Staking);
        File.Exists(Path.Combine(dataDirectory, "chain", "deployment.json")).ShouldBeTrue();

        await host.StopAsync(Ct);

        File.Exists(Path.Combine(dataDirectory, "chain", "anvil-state.json")).ShouldBeTrue();
        await Should.ThrowAsync<Exception>(() => gateway.GetBlockNumberAsync(Ct));
    }

    [Fact]
    public void ExternalMode_StartsNothing_AndFailsAtRegistrationWhenIncomplete()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = anvil.NewDirectory() });
        builder.Configuration["NeuroData:Chain:Mode"] = "External";
        builder.Configuration["NeuroData:Chain:RpcUrl"] = "http://127.0.0.1:1";

        var error = Should.Throw<ChainConfigurationException>(() => builder.AddChain());
        error.Message.ShouldContain("NeuroData:Chain:ChainId is required");
        error.Message.ShouldNotContain("RpcUrl");
    }

    [Fact]
    public void ExternalMode_Complete_RegistersNoHostedService()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = anvil.NewDirectory() });
        builder.Configuration["NeuroData:Chain:Mode"] = "External";
        builder.Configuration["NeuroData:Chain:RpcUrl"] = "http://127.0.0.1:1";
        builder.Configuration["NeuroData:Chain:ChainId"] = "80002";
        foreach (var (name, i) in ContractKeys.Select((n, i) => (n, i)))
        {
            builder.Configuration[$"NeuroData:Chain:Contracts:{name}"] = "0x00000000000000000000000000000000000000a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        builder.Configuration["NeuroData:Chain:OperatorKey"] = DevAccounts.Seller.PrivateKey;
        builder.AddChain();
        using var provider = builder.Services.BuildServiceProvider();

        provider.GetServices<IHostedService>().OfType<DevChainHostedService>().ShouldBeEmpty();
        provider.GetRequiredService<IChainGateway>().ChainId.ShouldBe(new ChainId(80002));
        provider.GetRequiredService<IPlatformChainOperator>().Address.ShouldBe(DevAccounts.Seller.Address);
        provider.GetRequiredService<ChainContext>().IsReady.ShouldBeTrue();
    }
}
