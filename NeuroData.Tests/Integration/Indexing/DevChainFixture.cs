using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Indexing;

/// <summary>
/// A real anvil with the NeuroData contracts deployed by the app's own launcher and deployer, in a temporary folder on a
/// free port. Missing anvil fails the test under CI=true and skips it elsewhere.
/// </summary>
public sealed class DevChainFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nd-chain-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly HttpClient _http = new();
    private DevChainLauncher? _launcher;
    private string? _unavailable;

    public ChainSettings Settings { get; private set; } = null!;

    public ChainContracts Contracts { get; private set; } = null!;

    public ContractErrorDecoder Decoder { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var root = RepositoryRoot();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NeuroData:DataDirectory"] = _directory,
            ["NeuroData:Chain:DevPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NeuroData:Chain:DevStateIntervalSeconds"] = "3600",
        }).Build();
        Settings = ChainSettings.From(config, root);
        if (Settings.AnvilPath is null)
        {
            _unavailable = "anvil is not installed (run `npm ci` in contracts/)";
            return;
        }

        var artifacts = new ContractArtifacts();
        Decoder = new ContractErrorDecoder(artifacts);
        _launcher = new DevChainLauncher(Settings, NullLogger<DevChainLauncher>.Instance);
        await _launcher.StartAsync(TestContext.Current.CancellationToken);
        var deployer = new DevChainDeployer(Settings, artifacts, Decoder, TimeProvider.System, NullLogger<DevChainDeployer>.Instance);
        Contracts = (await deployer.EnsureDeployedAsync(TestContext.Current.CancellationToken)).ToChainContracts();
    }

    /// <summary>Fails (CI) or skips (elsewhere) when the chain could not start.</summary>
    public void RequireChain()
    {
        if (_unavailable is null)
        {
            return;
        }

        if (PostgresCluster.IsCi)
        {
            Assert.Fail($"Chain tests cannot run and CI=true: {_unavailable}");
        }

        Assert.Skip($"Chain tests skipped: {_unavailable} (with CI=true this fails instead).");
    }

    public ChainTransactionSender Sender(DevAccount account) =>
        new(Settings, account.PrivateKey, Decoder, NullLogger.Instance);

    public async Task<string> SnapshotAsync() => (await RpcAsync("evm_snapshot")).GetString()!;

    public async Task RevertAsync(string snapshot) => (await RpcAsync("evm_revert", snapshot)).GetBoolean().ShouldBeTrue();

    public async Task MineAsync(int blocks) => await RpcAsync("anvil_mine", "0x" + blocks.ToString("x", System.Globalization.CultureInfo.InvariantCulture));

    public async Task<JsonElement> RpcAsync(string method, params object[] parameters)
    {
        using var response = await _http.PostAsJsonAsync(Settings.RpcUrl, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (json.RootElement.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method} failed: {error}");
        }

        return json.RootElement.GetProperty("result").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (_launcher is not null)
        {
            await _launcher.DisposeAsync();
        }

        _http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static BigInteger Tokens(long whole) => new BigInteger(whole) * BigInteger.Pow(10, 18);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeuroData.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}

/// <summary>A marketplace session on the chain: listings, a purchase, a confirmation, staking, a rejection.</summary>
public static class MarketActivity
{
    public static async Task RunAsync(DevChainFixture chain, int variant, CancellationToken ct)
    {
        var c = chain.Contracts;
        using var seller = chain.Sender(DevAccounts.Seller);
        using var buyer = chain.Sender(DevAccounts.Buyer);
        using var moderator = chain.Sender(DevAccounts.Moderator);

        await buyer.SendAsync(c.NeuroCoin, new TransferFunction { To = DevAccounts.Arbitrator.Address.Value, Value = DevChainFixture.Tokens(7 + variant) }, ct);

        var digest = new byte[32];
        digest[0] = (byte)(variant + 1);
        var created = await seller.SendAsync(c.DataMarketplace, new CreateListingFunction
        {
            ContentDigest = digest,
            Price = DevChainFixture.Tokens(100 + variant),
            ReviewPeriod = 86_400,
            AccessType = (byte)(variant % 2),
            Tranches = 1,
        }, ct);
        created.Status.Value.ShouldBe(1);
        var listingId = await ListingCountAsync(chain, ct);

        await moderator.SendAsync(c.DataMarketplace, new ApproveListingFunction { ListingId = listingId }, ct);
        await buyer.SendAsync(c.NeuroCoin, new ApproveFunction { Spender = c.DataMarketplace.Value, Value = DevChainFixture.Tokens(100 + variant) }, ct);
        await buyer.SendAsync(c.DataMarketplace, new PurchaseFunction { ListingId = listingId, MaxPrice = DevChainFixture.Tokens(100 + variant) }, ct);
        var escrowId = await EscrowCountAsync(chain, ct);
        await buyer.SendAsync(c.EscrowManager, new ConfirmFunction { EscrowId = escrowId }, ct);
        await seller.SendAsync(c.EscrowManager, new WithdrawFunction(), ct);

        await buyer.SendAsync(c.NeuroCoin, new ApproveFunction { Spender = c.Staking.Value, Value = DevChainFixture.Tokens(50) }, ct);
        await buyer.SendAsync(c.Staking, new StakeFunction { Amount = DevChainFixture.Tokens(50) }, ct);
        await buyer.SendAsync(c.Staking, new UnstakeFunction { Amount = DevChainFixture.Tokens(20 + variant) }, ct);

        digest[1] = 0xEE;
        await seller.SendAsync(c.DataMarketplace, new CreateListingFunction
        {
            ContentDigest = digest,
            Price = DevChainFixture.Tokens(3),
            ReviewPeriod = 86_400,
            AccessType = 0,
            Tranches = 1,
        }, ct);
        await moderator.SendAsync(c.DataMarketplace, new RejectListingFunction { ListingId = await ListingCountAsync(chain, ct), Reason = "Contains personal data" }, ct);
    }

    private static async Task<BigInteger> ListingCountAsync(DevChainFixture chain, CancellationToken ct) =>
        await new Nethereum.Web3.Web3(chain.Settings.RpcUrl).Eth.GetContractQueryHandler<ListingCountFunction>()
            .QueryAsync<BigInteger>(chain.Contracts.DataMarketplace.Value, new ListingCountFunction()).WaitAsync(ct);

    private static async Task<BigInteger> EscrowCountAsync(DevChainFixture chain, CancellationToken ct) =>
        await new Nethereum.Web3.Web3(chain.Settings.RpcUrl).Eth.GetContractQueryHandler<EscrowCountFunction>()
            .QueryAsync<BigInteger>(chain.Contracts.EscrowManager.Value, new EscrowCountFunction()).WaitAsync(ct);
}
