using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.Web3;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Chain;

/// <summary>The embedded dev chain: anvil start/stop with persistent state, and the one-time deployment.</summary>
public sealed class DevChainTests(AnvilFixture anvil)
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_KeepsContractsBlocksAndBalances()
    {
        anvil.RequireAnvil();
        var settings = anvil.NewEmbeddedSettings();
        var recipient = EthAddress.Parse("0x000000000000000000000000000000000000dEaD");
        DevChainDeployment first;
        long blockBeforeStop;
        await using (var launcher = new DevChainLauncher(settings, NullLogger<DevChainLauncher>.Instance))
        {
            await launcher.StartAsync(Ct);
            first = await anvil.NewDeployer(settings).EnsureDeployedAsync(Ct);
            using var seller = new ChainTransactionSender(settings, DevAccounts.Seller.PrivateKey, anvil.Decoder, NullLogger.Instance);
            var contracts = first.ToChainContracts();
            await seller.SendAsync(contracts.NeuroCoin, new TransferFunction { To = recipient.Value, Value = 1234 }, Ct);
            blockBeforeStop = await new ChainGateway(Ready(settings, first)).GetBlockNumberAsync(Ct);
            await launcher.StopAsync(Ct);
            launcher.ProcessId.ShouldBeNull();
        }

        File.Exists(settings.StateFile).ShouldBeTrue("anvil writes its state file on a graceful stop");
        File.Exists(settings.PidFile).ShouldBeFalse();

        await using (var launcher = new DevChainLauncher(settings, NullLogger<DevChainLauncher>.Instance))
        {
            await launcher.StartAsync(Ct);
            launcher.AdoptedExistingProcess.ShouldBeFalse();
            var second = await anvil.NewDeployer(settings).EnsureDeployedAsync(Ct);
            second.Contracts.ShouldBe(first.Contracts);
            second.DeployedAt.ShouldBe(first.DeployedAt, "the recorded deployment was reused, not redone");

            var gateway = new ChainGateway(Ready(settings, second));
            (await gateway.GetBlockNumberAsync(Ct)).ShouldBe(blockBeforeStop, "no transaction was sent on the second start");
            (await gateway.GetTokenBalanceAsync(recipient, Ct)).ShouldBe(TokenAmount.FromUnits(1234));
            (await gateway.GetTokenBalanceAsync(DevAccounts.Seller.Address, Ct))
                .ShouldBe(TokenAmount.FromTokens(settings.DemoAccountTokens) - TokenAmount.FromUnits(1234));
        }
    }

    [Fact]
    public async Task Deployer_SecondRun_ReusesTheDeploymentWithoutTransactions()
    {
        await anvil.RequireChainAsync();
        var web3 = new Web3(anvil.Settings.RpcUrl);
        var deployerNonce = await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(DevAccounts.Deployer.Address.Value);

        var again = await anvil.NewDeployer(anvil.Settings).EnsureDeployedAsync(Ct);

        again.Contracts.ShouldBe(anvil.Deployment.Contracts);
        (await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(DevAccounts.Deployer.Address.Value)).Value.ShouldBe(deployerNonce.Value);
    }

    [Fact]
    public async Task Deployer_WhenRecordedAddressesHaveNoCode_Redeploys()
    {
        anvil.RequireAnvil();
        var settings = anvil.NewEmbeddedSettings();
        await using var launcher = new DevChainLauncher(settings, NullLogger<DevChainLauncher>.Instance);
        await launcher.StartAsync(Ct);
        var first = await anvil.NewDeployer(settings).EnsureDeployedAsync(Ct);
        // deployment.json now points at addresses without code (as after the state file was deleted).
        var stale = first with
        {
            Contracts = first.Contracts.ToDictionary(kv => kv.Key, kv => "0x00000000000000000000000000000000000000" + (10 + kv.Key.Length).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        await File.WriteAllTextAsync(settings.DeploymentFile, JsonSerializer.Serialize(stale, WebJson), Ct);

        var fresh = await anvil.NewDeployer(settings).EnsureDeployedAsync(Ct);

        fresh.Contracts.Values.ShouldNotContain(v => stale.Contracts.Values.Contains(v));
        fresh.Contracts[nameof(ContractName.NeuroCoin)].ShouldNotBe(first.Contracts[nameof(ContractName.NeuroCoin)]);
        var web3 = new Web3(settings.RpcUrl);
        foreach (var address in fresh.Contracts.Values)
        {
            (await web3.Eth.GetCode.SendRequestAsync(address)).Length.ShouldBeGreaterThan(2);
        }

        var recorded = JsonSerializer.Deserialize<DevChainDeployment>(await File.ReadAllTextAsync(settings.DeploymentFile, Ct), WebJson)!;
        recorded.Contracts.ShouldBe(fresh.Contracts);
    }

    [Fact]
    public async Task Deployment_FundsDemoAccountsAndReserve_AndGrantsRoles()
    {
        await anvil.RequireChainAsync();
        var c = anvil.Contracts;
        var web3 = new Web3(anvil.Settings.RpcUrl);

        async Task<bool> HasRole(EthAddress contract, byte[] role, EthAddress account) =>
            await web3.Eth.GetContractQueryHandler<HasRoleFunction>().QueryAsync<bool>(contract.Value, new HasRoleFunction { Role = role, Account = account.Value });

        (await HasRole(c.DataMarketplace, Roles.Moderator, DevAccounts.Moderator.Address)).ShouldBeTrue();
        (await HasRole(c.DataMarketplace, Roles.Moderator, DevAccounts.Deployer.Address)).ShouldBeTrue("the operator moderates");
        (await HasRole(c.DataMarketplace, Roles.Moderator, DevAccounts.Seller.Address)).ShouldBeFalse();
        (await HasRole(c.EscrowManager, Roles.Arbitrator, DevAccounts.Arbitrator.Address)).ShouldBeTrue();
        (await HasRole(c.EscrowManager, Roles.Marketplace, c.DataMarketplace)).ShouldBeTrue();
        (await HasRole(c.EscrowManager, Roles.Parameter, DevAccounts.Deployer.Address)).ShouldBeFalse("the deployer renounced PARAMETER_ROLE after granting arbitrators");
        (await HasRole(c.EscrowManager, Roles.Parameter, c.Timelock)).ShouldBeTrue();
        (await HasRole(c.Staking, Roles.Pauser, DevAccounts.Deployer.Address)).ShouldBeTrue();
        (await HasRole(c.Timelock, Roles.Proposer, c.Governor)).ShouldBeTrue();
        (await HasRole(c.Timelock, Roles.DefaultAdmin, DevAccounts.Deployer.Address)).ShouldBeFalse();

        var reserve = await web3.Eth.GetContractQueryHandler<RewardReserveFunction>().QueryAsync<BigInteger>(c.Staking.Value, new RewardReserveFunction());
        reserve.ShouldBe(5_000_000 * BigInteger.Pow(10, 18));
        (await anvil.Gateway.GetTokenBalanceAsync(DevAccounts.Moderator.Address, Ct)).ShouldBe(TokenAmount.FromTokens(100_000));
        anvil.Deployment.DemoAccounts.Select(a => a.Role).ShouldBe(["seller", "buyer", "moderator", "arbitrator"]);
    }

    [Fact]
    public async Task Start_WhenPortIsTakenByAnotherProgram_FailsClearly()
    {
        anvil.RequireAnvil();
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;
        var settings = anvil.NewEmbeddedSettings(port: port);
        await using var launcher = new DevChainLauncher(settings, NullLogger<DevChainLauncher>.Instance);

        var error = await Should.ThrowAsync<DevChainException>(() => launcher.StartAsync(Ct));

        error.Message.ShouldContain($"port {port} on 127.0.0.1 is taken by another program");
        error.Message.ShouldContain("NeuroData:Chain:DevPort");
        launcher.ProcessId.ShouldBeNull();
    }

    [Fact]
    public async Task Start_WhenPortIsTakenBySomeoneElsesAnvil_FailsClearly()
    {
        await anvil.RequireChainAsync();
        // The shared chain's anvil was not started for this new data folder.
        var settings = anvil.NewEmbeddedSettings(port: anvil.Settings.DevPort);
        await using var launcher = new DevChainLauncher(settings, NullLogger<DevChainLauncher>.Instance);

        var error = await Should.ThrowAsync<DevChainException>(() => launcher.StartAsync(Ct));

        error.Message.ShouldContain("anvil/");
        error.Message.ShouldContain("NeuroData did not start");
    }

    [Fact]
    public async Task Start_WhenAnvilIsMissing_SaysToRunNpmCi()
    {
        var settings = anvil.NewEmbeddedSettings(extra: new Dictionary<string, string?> { ["NeuroData:Chain:AnvilPath"] = "/nonexistent/anvil" });
        await using var launcher = new DevChainLauncher(settings, NullLogger<DevChainLauncher>.Instance);

        var error = await Should.ThrowAsync<DevChainException>(() => launcher.StartAsync(Ct));

        error.Message.ShouldContain("anvil was not found at /nonexistent/anvil");
        error.Message.ShouldContain("npm ci");
    }

    [Fact]
    public async Task Start_AfterACrashLeftAnvilRunning_AdoptsIt()
    {
        anvil.RequireAnvil();
        var settings = anvil.NewEmbeddedSettings();
        var crashed = new DevChainLauncher(settings, NullLogger<DevChainLauncher>.Instance);
        await crashed.StartAsync(Ct);
        var pid = crashed.ProcessId!.Value; // the "crashed" run never calls StopAsync

        await using var next = new DevChainLauncher(settings, NullLogger<DevChainLauncher>.Instance);
        await next.StartAsync(Ct);

        next.AdoptedExistingProcess.ShouldBeTrue();
        next.ProcessId.ShouldBe(pid);
        await next.StopAsync(Ct);
        System.Diagnostics.Process.GetProcesses().Any(p => p.Id == pid && !p.HasExited).ShouldBeFalse();
    }

    private static ChainContext Ready(ChainSettings settings, DevChainDeployment deployment)
    {
        var context = new ChainContext(settings);
        context.SetContracts(deployment.ToChainContracts());
        return context;
    }
}
