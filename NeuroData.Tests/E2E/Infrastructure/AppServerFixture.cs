using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Numerics;
using System.Text;
using System.Text.Json;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;

namespace NeuroData.Tests.E2E.Infrastructure;

/// <summary>
/// The real NeuroData web app, started as its own process from the build output (<c>dotnet NeuroData.Web.dll</c>, the
/// same binary <c>dotnet run</c> starts) on real Kestrel at <c>http://127.0.0.1:{free port}</c>, in the Development
/// environment (so with its embedded dev chain, on another free port), with a fresh temp data folder (<c>NeuroData:DataDirectory</c>) that holds the SQLite file, the mail
/// pickup folder and the logs. A separate process keeps the app's static state (loggers, caches) apart from the test
/// host and exercises the real start-up path. The process is killed and the data folder deleted at the end; the app's
/// console output is copied to <c>TestResults/e2e-app.log</c> and its log files to <c>TestResults/e2e-app-logs/</c>.
/// If the app cannot start, every E2E test fails with the app's output (never a skip).
/// </summary>
public sealed class AppServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private Process? _process;

    /// <summary>Base address of the running app, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The app's data folder (SQLite file, mail pickup folder, logs); deleted when the run ends.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "nd-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The port of the app's own dev chain (anvil, Embedded mode): a free port, so runs never share a chain.</summary>
    public int ChainPort { get; } = FreePort();

    /// <summary>The first administrator the app creates from configuration at start.</summary>
    public const string AdminEmail = "e2e-admin@neurodata.local";

    /// <summary>Its password (passes the password rules; test-only).</summary>
    public const string AdminPassword = "quiet-harbour-lantern-47";

    /// <summary>The dev chain's JSON-RPC endpoint.</summary>
    public string ChainRpcUrl => $"http://127.0.0.1:{ChainPort}";

    /// <summary>How long the app took from process start to answering its first request.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The app's console output so far (stdout and stderr interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>An absolute URL for a path of the app (<c>"/Account/Login"</c>).</summary>
    public string Url(string path) => BaseUrl + (path.StartsWith('/') ? path : "/" + path);

    /// <summary>The contract addresses the app deployed to its dev chain (its <c>chain/deployment.json</c>).</summary>
    public async Task<ChainContracts> ContractsAsync(CancellationToken ct)
    {
        var json = await File.ReadAllTextAsync(Path.Combine(DataDirectory, "chain", "deployment.json"), ct);
        return JsonSerializer.Deserialize<DevChainDeployment>(json, JsonSerializerOptions.Web)!.ToChainContracts();
    }

    /// <summary>An account's NCR balance on the dev chain right now (tests share the demo accounts, so never assume one).</summary>
    public async Task<TokenAmount> TokenBalanceAsync(EthAddress account, CancellationToken ct)
    {
        var contracts = await ContractsAsync(ct);
        return new(await new Nethereum.Web3.Web3(ChainRpcUrl).Eth.GetContractQueryHandler<BalanceOfFunction>()
            .QueryAsync<BigInteger>(contracts.NeuroCoin.Value, new BalanceOfFunction { Account = account.Value }).WaitAsync(ct));
    }

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var appDll = LocateAppDll();
        var sw = Stopwatch.StartNew();

        // A port taken between FreePort() and Kestrel's bind makes the app exit: try a few ports before giving up.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var chainPort = ChainPort;
            BaseUrl = $"http://127.0.0.1:{port}";
            _process = Start(appDll, port, chainPort);
            var ready = await WaitUntilReadyAsync(_process);
            if (ready)
            {
                break;
            }

            var exited = _process.HasExited;
            await StopAsync();
            if (!exited || attempt == 3 || !Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"The NeuroData app did not start at {BaseUrl} within {StartTimeout.TotalSeconds:0} s " +
                    $"({(exited ? "the process exited" : "no answer")}). App output:{Environment.NewLine}{Tail(Output, 150)}");
            }
        }

        StartupTime = sw.Elapsed;
        var line = $"[AppServerFixture] NeuroData app ({appDll}) listening on {BaseUrl}, ready in {StartupTime.TotalSeconds:0.0} s, data in {DataDirectory}";
        Console.Error.WriteLine(line);
        TestContext.Current.SendDiagnosticMessage(line);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(TestEnvironment.ResultsDirectory, "e2e-app.log"), Output);
            CopyLogFiles();
        }
        catch (IOException)
        {
            // Diagnostics only.
        }

        try
        {
            if (Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // The folder is in the temp directory; a leftover does no harm.
        }
    }

    /// <summary>The app's own log files ({data}/logs) go to TestResults/e2e-app-logs before the data folder is deleted.</summary>
    private void CopyLogFiles()
    {
        var source = Path.Combine(DataDirectory, "logs");
        if (!Directory.Exists(source))
        {
            return;
        }

        var target = Path.Combine(TestEnvironment.ResultsDirectory, "e2e-app-logs");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }

    private Process Start(string appDll, int port, int chainPort)
    {
        var webProjectDir = Path.Combine(TestEnvironment.RepoRoot, "NeuroData.Web");
        var psi = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Like `dotnet run`: the project folder is the content root, the build output holds the static web assets manifests.
            WorkingDirectory = webProjectDir,
        };
        foreach (var arg in new[]
                 {
                     appDll,
                     "--urls", $"http://127.0.0.1:{port}",
                     "--environment", "Development",
                     "--contentRoot", webProjectDir,
                     $"--NeuroData:DataDirectory={DataDirectory}",
                     // The embedded dev chain (anvil) on its own free port, never a developer's 8545.
                     $"--NeuroData:Chain:DevPort={chainPort}",
                     // A known first administrator, for the admin pages.
                     $"--NeuroData:Admin:Email={AdminEmail}",
                     $"--NeuroData:Admin:Password={AdminPassword}",
                     // Tests seed rows from their own process, behind the app's back: the in-memory search index shows such
                     // writes only after its refresh pass (docs/search.md), so the app searches the database directly.
                     "--NeuroData:Search:Engine=database",
                 })
        {
            psi.ArgumentList.Add(arg);
        }

        // The embedded default (SQLite in the data folder) whatever the caller's environment says.
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Development";
        psi.Environment.Remove("ASPNETCORE_URLS");
        psi.Environment.Remove("ConnectionStrings__Postgres");
        psi.Environment["NeuroData__DataDirectory"] = DataDirectory;

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start '{psi.FileName} {appDll}'.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<bool> WaitUntilReadyAsync(Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTimeOffset.UtcNow + StartTimeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using var response = await http.GetAsync(BaseUrl + "/");
                return true; // any HTTP answer: Kestrel is up and the pipeline runs
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow first request (start-up work); try again.
            }

            await Task.Delay(250);
        }

        return false;
    }

    private async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            Append($"[AppServerFixture] stopping the app: {ex.Message}");
        }
        finally
        {
            _process.Dispose();
            _process = null;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>
    /// The web app's own build output for the configuration the tests were built with:
    /// <c>NEURODATA_E2E_APP_DLL</c> when set, else <c>NeuroData.Web/bin/{Configuration}/{tfm}/NeuroData.Web.dll</c>
    /// (or the artifacts layout).
    /// </summary>
    private static string LocateAppDll()
    {
        var configured = Environment.GetEnvironmentVariable("NEURODATA_E2E_APP_DLL");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new InvalidOperationException($"NEURODATA_E2E_APP_DLL points to '{configured}', which does not exist.");
        }

        var configuration = typeof(AppServerFixture).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name; // e.g. net10.0
        var root = TestEnvironment.RepoRoot;
        string[] candidates =
        [
            Path.Combine(root, "NeuroData.Web", "bin", configuration, tfm, "NeuroData.Web.dll"),
            Path.Combine(root, "artifacts", "bin", "NeuroData.Web", configuration.ToLowerInvariant(), "NeuroData.Web.dll"),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"The web app's build output was not found (looked for {string.Join(", ", candidates)}). " +
                $"Build the solution first: dotnet build NeuroData.sln -c {configuration}.");
    }

    private static string DotnetHost()
    {
        // Set by the dotnet CLI for processes it starts (dotnet test); otherwise the muxer next to the runtime, or PATH.
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrWhiteSpace(fromCli) && File.Exists(fromCli))
        {
            return fromCli;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrWhiteSpace(root) && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        return "dotnet";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
