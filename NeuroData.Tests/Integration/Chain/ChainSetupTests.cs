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
        var context = host.Services.GetRequiredService<ChainContext>();
        var startBlock = await context.GetStartBlockAsync(Ct);
        startBlock.ShouldBeGreaterThan(0);
        var code = await context.Web3.Eth.GetCode.SendRequestAsync(contracts.NeuroCoin.Value, new Nethereum.RPC.Eth.DTOs.BlockParameter((ulong)startBlock - 1));
        code.ShouldBe("0x", "the token did not exist before the start block");
        (await context.Web3.Eth.GetCode.SendRequestAsync(contracts.NeuroCoin.Value, new Nethereum.RPC.Eth.DTOs.BlockParameter((ulong)startBlock))).Length.ShouldBeGreaterThan(2);

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
    public async Task ExternalMode_Complete_RegistersNoHostedService()
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
        builder.Configuration["NeuroData:Chain:StartBlock"] = "123456";
        builder.AddChain();
        using var provider = builder.Services.BuildServiceProvider();

        provider.GetServices<IHostedService>().OfType<DevChainHostedService>().ShouldBeEmpty();
        provider.GetRequiredService<IChainGateway>().ChainId.ShouldBe(new ChainId(80002));
        provider.GetRequiredService<IPlatformChainOperator>().Address.ShouldBe(DevAccounts.Seller.Address);
        provider.GetRequiredService<ChainContext>().IsReady.ShouldBeTrue();
        (await provider.GetRequiredService<ChainContext>().GetStartBlockAsync(Ct)).ShouldBe(123456);
    }

    [Fact]
    public async Task ExternalHost_AgainstADeployedChain_StartsAndReads()
    {
        await anvil.RequireChainAsync();
        using var host = ExternalHost(anvil.Settings.ChainId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), anvil.Contracts.Staking.Value);

        await host.StartAsync(Ct);

        (await host.Services.GetRequiredService<IChainGateway>().GetTokenBalanceAsync(DevAccounts.Moderator.Address, Ct)).ShouldBe(TokenAmount.FromTokens(100_000));
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task ExternalHost_WithTheWrongChainId_RefusesToStart()
    {
        await anvil.RequireChainAsync();
        using var host = ExternalHost("137", anvil.Contracts.Staking.Value);

        var error = await Should.ThrowAsync<ChainConfigurationException>(() => host.StartAsync(Ct));

        error.Message.ShouldBe($"NeuroData:Chain:ChainId is 137 but the node at {anvil.Settings.RpcUrl} serves chain 31337. Fix the ChainId or the RpcUrl.");
    }

    [Fact]
    public async Task ExternalHost_WithAnAddressWithoutCode_RefusesToStart()
    {
        await anvil.RequireChainAsync();
        using var host = ExternalHost("31337", "0x000000000000000000000000000000000000bEEF");

        var error = await Should.ThrowAsync<ChainConfigurationException>(() => host.StartAsync(Ct));

        error.Message.ShouldContain("NeuroData:Chain:Contracts:Staking (0x000000000000000000000000000000000000bEEF) has no contract code on chain 31337");
        error.Message.ShouldNotContain("Contracts:NeuroCoin");
    }

    [Fact]
    public async Task ExternalHost_WithAnUnreachableNode_StillStarts()
    {
        using var host = ExternalHost("31337", "0x000000000000000000000000000000000000bEEF", rpcUrl: $"http://127.0.0.1:{AnvilFixture.FreePort()}");

        await host.StartAsync(Ct);

        await Should.ThrowAsync<Exception>(() => host.Services.GetRequiredService<IChainGateway>().GetBlockNumberAsync(Ct));
        await host.StopAsync(Ct);
    }

    private IHost ExternalHost(string chainId, string stakingAddress, string? rpcUrl = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = anvil.NewDirectory() });
        var c = rpcUrl is null ? anvil.Contracts : new ChainContracts(DevAccounts.Seller.Address, DevAccounts.Seller.Address, DevAccounts.Seller.Address, DevAccounts.Seller.Address, DevAccounts.Seller.Address, DevAccounts.Seller.Address);
        builder.Configuration["NeuroData:Chain:Mode"] = "External";
        builder.Configuration["NeuroData:Chain:RpcUrl"] = rpcUrl ?? anvil.Settings.RpcUrl;
        builder.Configuration["NeuroData:Chain:ChainId"] = chainId;
        builder.Configuration["NeuroData:Chain:Contracts:NeuroCoin"] = c.NeuroCoin.Value;
        builder.Configuration["NeuroData:Chain:Contracts:Staking"] = stakingAddress;
        builder.Configuration["NeuroData:Chain:Contracts:EscrowManager"] = c.EscrowManager.Value;
        builder.Configuration["NeuroData:Chain:Contracts:DataMarketplace"] = c.DataMarketplace.Value;
        builder.Configuration["NeuroData:Chain:Contracts:Governor"] = c.Governor.Value;
        builder.Configuration["NeuroData:Chain:Contracts:Timelock"] = c.Timelock.Value;
        builder.Configuration["NeuroData:Chain:OperatorKey"] = DevAccounts.Arbitrator.PrivateKey;
        builder.AddChain();
        return builder.Build();
    }
}
