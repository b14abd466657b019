using Microsoft.Extensions.Configuration;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Chain;

namespace NeuroData.Tests.Integration.Chain;

public sealed class ChainSettingsTests : IDisposable
{
    private const string Key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "neurodata-settings-" + Guid.NewGuid().ToString("N")[..12]);

    public ChainSettingsTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void External_WithNothingConfigured_ListsEverythingMissing()
    {
        var error = Should.Throw<ChainConfigurationException>(() => Read(new() { ["NeuroData:Chain:Mode"] = "External" }));

        error.Message.ShouldStartWith("The chain configuration (Mode=External) is incomplete or invalid:");
        foreach (var key in new[] { "RpcUrl", "ChainId", "Contracts:NeuroCoin", "Contracts:Staking", "Contracts:EscrowManager", "Contracts:DataMarketplace", "Contracts:Governor", "Contracts:Timelock", "OperatorKey" })
        {
            error.Message.ShouldContain($"- NeuroData:Chain:{key} is required");
        }
    }

    [Fact]
    public void External_WithInvalidValues_SaysWhatIsWrongWithEach()
    {
        var values = ValidExternal();
        values["NeuroData:Chain:RpcUrl"] = "ftp://node";
        values["NeuroData:Chain:ChainId"] = "-5";
        values["NeuroData:Chain:Contracts:Staking"] = "0x1234";
        values["NeuroData:Chain:Contracts:Governor"] = "0x0000000000000000000000000000000000000000";
        values["NeuroData:Chain:OperatorKey"] = "not-a-key";

        var error = Should.Throw<ChainConfigurationException>(() => Read(values));

        error.Message.ShouldContain("NeuroData:Chain:RpcUrl must be an absolute http(s) URL (got 'ftp://node')");
        error.Message.ShouldContain("NeuroData:Chain:ChainId must be a positive whole number (got '-5')");
        error.Message.ShouldContain("NeuroData:Chain:Contracts:Staking: '0x1234' is not an Ethereum address");
        error.Message.ShouldContain("NeuroData:Chain:Contracts:Governor must not be the zero address");
        error.Message.ShouldContain("NeuroData:Chain:OperatorKey must be 0x followed by 64 hexadecimal digits");
        error.Message.ShouldNotContain("not-a-key", customMessage: "the key is a secret and never echoed");
        error.Message.ShouldNotContain("NeuroCoin");
    }

    [Fact]
    public void External_Complete_IsAccepted()
    {
        var settings = Read(ValidExternal());

        settings.Mode.ShouldBe(ChainMode.External);
        settings.RpcUrl.ShouldBe("https://rpc.example.test/v1");
        settings.ChainId.ShouldBe(new ChainId(137));
        settings.Contracts.ShouldNotBeNull();
        settings.Contracts.NeuroCoin.ShouldBe(EthAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
        settings.Contracts.Timelock.ShouldBe(EthAddress.Parse("0x0165878A594ca255338adfa4d48449f69242Eb8F"));
        settings.OperatorKey.ShouldBe(Key);
        settings.AnvilPath.ShouldBeNull();
    }

    [Fact]
    public void Embedded_Defaults()
    {
        var settings = Read([]);

        settings.Mode.ShouldBe(ChainMode.Embedded);
        settings.DevPort.ShouldBe(8545);
        settings.RpcUrl.ShouldBe("http://127.0.0.1:8545");
        settings.ChainId.ShouldBe(ChainId.LocalDev);
        settings.Contracts.ShouldBeNull();
        settings.OperatorKey.ShouldBe(DevAccounts.Deployer.PrivateKey);
        settings.ChainDirectory.ShouldBe(Path.Combine(_root, ".neurodata", "chain"));
        settings.StateFile.ShouldBe(Path.Combine(_root, ".neurodata", "chain", "anvil-state.json"));
        settings.ReceiptTimeout.ShouldBe(TimeSpan.FromSeconds(60));
        settings.DemoAccountTokens.ShouldBe(100_000);
        settings.DevBlockTimeSeconds.ShouldBe(0);
    }

    [Fact]
    public void Embedded_FindsAnvil_WalkingUpFromTheContentRoot()
    {
        var anvil = Path.Combine(_root, ChainSettings.AnvilRelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(anvil)!);
        File.WriteAllText(anvil, string.Empty);
        var contentRoot = Path.Combine(_root, "NeuroData.Web");
        Directory.CreateDirectory(contentRoot);

        ChainSettings.FindAnvil(contentRoot).ShouldBe(anvil);
        ChainSettings.FindAnvil(Path.GetTempPath()).ShouldNotBe(anvil);
    }

    [Fact]
    public void Embedded_InvalidNumbersAndMode_AreListed()
    {
        var error = Should.Throw<ChainConfigurationException>(() => Read(new()
        {
            ["NeuroData:Chain:Mode"] = "Cloud",
            ["NeuroData:Chain:DevPort"] = "70000",
            ["NeuroData:Chain:ReceiptTimeoutSeconds"] = "soon",
        }));

        error.Message.ShouldContain("NeuroData:Chain:Mode must be Embedded or External (got 'Cloud')");
        error.Message.ShouldContain("NeuroData:Chain:DevPort must be a whole number from 1 to 65535 (got '70000')");
        error.Message.ShouldContain("NeuroData:Chain:ReceiptTimeoutSeconds must be a whole number from 1 to 3600 (got 'soon')");
    }

    private ChainSettings Read(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return ChainSettings.From(configuration, _root);
    }

    private static Dictionary<string, string?> ValidExternal() => new()
    {
        ["NeuroData:Chain:Mode"] = "External",
        ["NeuroData:Chain:RpcUrl"] = "https://rpc.example.test/v1",
        ["NeuroData:Chain:ChainId"] = "137",
        ["NeuroData:Chain:Contracts:NeuroCoin"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        ["NeuroData:Chain:Contracts:Staking"] = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
        ["NeuroData:Chain:Contracts:EscrowManager"] = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        ["NeuroData:Chain:Contracts:DataMarketplace"] = "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
        ["NeuroData:Chain:Contracts:Governor"] = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
        ["NeuroData:Chain:Contracts:Timelock"] = "0x0165878A594ca255338adfa4d48449f69242Eb8F",
        ["NeuroData:Chain:OperatorKey"] = Key,
    };
}
