using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;

[assembly: AssemblyFixture(typeof(NeuroData.Tests.Integration.Fixtures.AnvilFixture))]

namespace NeuroData.Tests.Integration.Fixtures;

/// <summary>
/// A real anvil for the chain tests, from contracts/node_modules (npm ci in contracts/). One shared dev chain is
/// started on a free port and deployed on first use (<see cref="RequireChainAsync"/>); tests that need their own
/// chain (restarts) call <see cref="NewEmbeddedSettings"/> and run their own launcher. When the binary is missing,
/// <see cref="RequireAnvil"/> fails the test if CI=true and skips it otherwise.
/// </summary>
public sealed class AnvilFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<string> _directories = [];
    private DevChainLauncher? _launcher;
    private string? _startFailure;

    public AnvilFixture()
    {
        AnvilPath = ChainSettings.FindAnvil(AppContext.BaseDirectory);
    }

    /// <summary>The anvil binary, or null when contracts/node_modules is not installed.</summary>
    public string? AnvilPath { get; }

    public ContractArtifacts Artifacts { get; } = new();

    public ContractErrorDecoder Decoder => _decoder ??= new ContractErrorDecoder(Artifacts);

    /// <summary>The shared chain (after <see cref="RequireChainAsync"/>).</summary>
    public ChainSettings Settings { get; private set; } = null!;

    public ChainContext Context { get; private set; } = null!;

    public DevChainDeployment Deployment { get; private set; } = null!;

    public ChainContracts Contracts => Deployment.ToChainContracts();

    public ChainGateway Gateway { get; private set; } = null!;

    /// <summary>The one operator service of the shared chain (one nonce manager per key).</summary>
    public OperatorTransactionService Operator { get; private set; } = null!;

    public TransactionRequestBuilder Builder { get; private set; } = null!;

    private ContractErrorDecoder? _decoder;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails (CI) or skips the calling test when anvil is not installed.</summary>
    public void RequireAnvil()
    {
        if (AnvilPath is not null)
        {
            return;
        }

        var reason = $"anvil is not installed ({ChainSettings.AnvilRelativePath} not found above {AppContext.BaseDirectory}); run npm ci in contracts/";
        if (IsCi)
        {
            Assert.Fail($"Chain tests cannot run and CI=true: {reason}.");
        }

        Assert.Skip($"Chain tests skipped: {reason} (with CI=true this fails instead).");
    }

    /// <summary>Starts and deploys the shared chain once.</summary>
    public async Task RequireChainAsync()
    {
        RequireAnvil();
        await _gate.WaitAsync();
        try
        {
            if (_launcher is null && _startFailure is null)
            {
                try
                {
                    Settings = NewEmbeddedSettings();
                    _launcher = new DevChainLauncher(Settings, NullLogger<DevChainLauncher>.Instance);
                    await _launcher.StartAsync(CancellationToken.None);
                    Deployment = await NewDeployer(Settings).EnsureDeployedAsync(CancellationToken.None);
                    Context = new ChainContext(Settings);
                    Context.SetContracts(Deployment.ToChainContracts());
                    Gateway = new ChainGateway(Context);
                    Operator = new OperatorTransactionService(Context, Decoder, NullLogger<OperatorTransactionService>.Instance);
                    Builder = new TransactionRequestBuilder(Context);
                }
                catch (Exception ex) when (ex is DevChainException or ChainTransactionException or IOException or HttpRequestException)
                {
                    _startFailure = ex.ToString();
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (_startFailure is not null)
        {
            Assert.Fail($"The shared test chain failed to start: {_startFailure}");
        }
    }

    /// <summary>Settings for a new embedded chain: a fresh data folder and a free port, read through ChainSettings.From.</summary>
    public ChainSettings NewEmbeddedSettings(string? dataDirectory = null, int? port = null, IDictionary<string, string?>? extra = null)
    {
        var dir = dataDirectory ?? NewDirectory();
        var values = new Dictionary<string, string?>
        {
            ["NeuroData:DataDirectory"] = dir,
            ["NeuroData:Chain:DevPort"] = (port ?? FreePort()).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["NeuroData:Chain:AnvilPath"] = AnvilPath,
            ["NeuroData:Chain:ReceiptTimeoutSeconds"] = "30",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return ChainSettings.From(configuration, dir);
    }

    public DevChainDeployer NewDeployer(ChainSettings settings) =>
        new(settings, Artifacts, Decoder, TimeProvider.System, NullLogger<DevChainDeployer>.Instance);

    /// <summary>A new temp folder, deleted when the run ends.</summary>
    public string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "neurodata-chain-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        lock (_directories)
        {
            _directories.Add(dir);
        }

        return dir;
    }

    /// <summary>Sends a transaction from one of anvil's unlocked dev accounts (eth_sendTransaction, as a wallet would) and returns the hash, or the JSON-RPC error.</summary>
    public static async Task<RpcOutcome> SendFromUnlockedAsync(string rpcUrl, IReadOnlyDictionary<string, string> tx, CancellationToken cancellationToken)
    {
        var (result, message, data) = await RpcAsync(rpcUrl, "eth_sendTransaction", [tx], cancellationToken);
        return new RpcOutcome(result is null ? null : TxHash.Parse(result), message, data);
    }

    /// <summary>eth_estimateGas for a request, as a wallet runs it before asking the user to sign.</summary>
    public static async Task<RpcOutcome> EstimateGasAsync(string rpcUrl, IReadOnlyDictionary<string, string> tx, CancellationToken cancellationToken)
    {
        var (_, message, data) = await RpcAsync(rpcUrl, "eth_estimateGas", [tx], cancellationToken);
        return new RpcOutcome(null, message, data);
    }

    /// <summary>eth_signTypedData_v4 by an unlocked dev account (what MetaMask does for a permit); the 65-byte signature.</summary>
    public static async Task<string> SignTypedDataAsync(string rpcUrl, EthAddress signer, string typedDataJson, CancellationToken cancellationToken)
    {
        var (result, message, _) = await RpcAsync(rpcUrl, "eth_signTypedData_v4", [signer.Value, typedDataJson], cancellationToken);
        return result ?? throw new InvalidOperationException($"eth_signTypedData_v4 failed: {message}");
    }

    /// <summary>Polls for a receipt (anvil may answer eth_sendTransaction before the block is mined).</summary>
    public static async Task<Nethereum.RPC.Eth.DTOs.TransactionReceipt> WaitForReceiptAsync(string rpcUrl, TxHash hash, CancellationToken cancellationToken)
    {
        var web3 = new Nethereum.Web3.Web3(rpcUrl);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var receipt = await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash.Value);
            if (receipt?.BlockNumber is not null)
            {
                return receipt;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No receipt for {hash} within 20 s.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task<(string? Result, string? Message, string? Data)> RpcAsync(string rpcUrl, string method, object[] parameters, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsJsonAsync(rpcUrl, new { jsonrpc = "2.0", id = 1, method, @params = parameters }, cancellationToken);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        if (doc.RootElement.TryGetProperty("result", out var result))
        {
            return (result.GetString(), null, null);
        }

        var error = doc.RootElement.GetProperty("error");
        var data = error.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        return (null, error.GetProperty("message").GetString(), data);
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        Operator?.Dispose();
        if (_launcher is not null)
        {
            await _launcher.DisposeAsync();
        }

        foreach (var dir in _directories)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner.
            }
        }

        _gate.Dispose();
    }
}

/// <summary>What eth_sendTransaction answered: a hash, or an error message with optional revert data.</summary>
public sealed record RpcOutcome(TxHash? Hash, string? ErrorMessage, string? ErrorData);
