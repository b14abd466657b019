using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace NeuroData.Infrastructure.Chain;

/// <summary>The local dev chain could not be started (anvil missing, port taken, anvil failed).</summary>
public sealed class DevChainException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// Starts and stops the local dev chain (Embedded mode): anvil on 127.0.0.1:DevPort with
/// <c>--state {DataDirectory}/chain/anvil-state.json</c>, so blocks, logs and balances survive restarts (anvil loads
/// the file on start, writes it every DevStateIntervalSeconds and on a graceful exit). A pid file lets the next run
/// recognise an anvil that a crashed run left behind: it is adopted (its state is the newest), never duplicated.
/// </summary>
public sealed class DevChainLauncher(ChainSettings settings, ILogger<DevChainLauncher> logger) : IAsyncDisposable
{
    private static readonly TimeSpan GracefulStopTimeout = TimeSpan.FromSeconds(15);
    private readonly Queue<string> _recentOutput = new();
    private readonly Lock _outputLock = new();
    private Process? _process;

    /// <summary>The anvil process id while running (started or adopted).</summary>
    public int? ProcessId => _process is { HasExited: false } ? _process.Id : null;

    /// <summary>True when this run found an anvil from an earlier run still serving this data folder and kept it.</summary>
    public bool AdoptedExistingProcess { get; private set; }

    public string RpcUrl => settings.RpcUrl;

    /// <summary>Starts anvil (or adopts ours), then waits until it answers JSON-RPC.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Mode != ChainMode.Embedded)
        {
            throw new InvalidOperationException("The dev chain launcher runs only in Embedded mode.");
        }

        if (_process is { HasExited: false })
        {
            return;
        }

        if (settings.AnvilPath is null || !File.Exists(settings.AnvilPath))
        {
            var where = settings.AnvilPath ?? $"{ChainSettings.AnvilRelativePath} (searched upwards from the content root)";
            throw new DevChainException(
                $"The local dev chain cannot start: anvil was not found at {where}. Run `npm ci` in contracts/ to install it, "
                + "or set NeuroData:Chain:AnvilPath, or use NeuroData:Chain:Mode=External with an RPC endpoint.");
        }

        Directory.CreateDirectory(settings.ChainDirectory);
        if (!IsPortFree(settings.DevPort))
        {
            await AdoptOrRefuseAsync(cancellationToken);
            return;
        }

        StartProcess(settings.AnvilPath);
        try
        {
            await WaitUntilAnsweringAsync(cancellationToken);
        }
        catch
        {
            await StopAsync(CancellationToken.None);
            throw;
        }

        await File.WriteAllTextAsync(settings.PidFile, _process!.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);
        logger.LogInformation("Local dev chain (anvil, chain id {ChainId}) listening on {RpcUrl}, state in {StateFile}", settings.ChainId, settings.RpcUrl, settings.StateFile);
    }

    /// <summary>Stops anvil gracefully (SIGTERM, so it writes its state file), killing its process tree if it does not exit in time.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                await TerminateAsync(process.Id);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(GracefulStopTimeout);
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    logger.LogWarning("anvil (pid {Pid}) did not stop within {Timeout}; killing it", process.Id, GracefulStopTimeout);
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }

            logger.LogInformation("Local dev chain stopped (state saved to {StateFile})", settings.StateFile);
        }
        catch (InvalidOperationException)
        {
            // The process already went away.
        }
        finally
        {
            process.Dispose();
            TryDelete(settings.PidFile);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>The last lines anvil printed (for error messages).</summary>
    public string RecentOutput()
    {
        lock (_outputLock)
        {
            return string.Join(Environment.NewLine, _recentOutput);
        }
    }

    private void StartProcess(string anvilPath)
    {
        var psi = new ProcessStartInfo(anvilPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = settings.ChainDirectory,
        };
        foreach (var arg in new[]
        {
            "--host", "127.0.0.1",
            "--port", settings.DevPort.ToString(CultureInfo.InvariantCulture),
            "--chain-id", settings.ChainId.Value.ToString(CultureInfo.InvariantCulture),
            "--state", settings.StateFile,
            "--state-interval", settings.DevStateIntervalSeconds.ToString(CultureInfo.InvariantCulture),
        })
        {
            psi.ArgumentList.Add(arg);
        }

        if (settings.DevBlockTimeSeconds > 0)
        {
            psi.ArgumentList.Add("--block-time");
            psi.ArgumentList.Add(settings.DevBlockTimeSeconds.ToString(CultureInfo.InvariantCulture));
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new DevChainException($"The local dev chain cannot start: running {anvilPath} failed ({ex.Message}). Run `npm ci` in contracts/ to reinstall anvil.", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        AdoptedExistingProcess = false;
    }

    private void Remember(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        logger.LogDebug("anvil: {Line}", line);
        lock (_outputLock)
        {
            _recentOutput.Enqueue(line);
            while (_recentOutput.Count > 40)
            {
                _recentOutput.Dequeue();
            }
        }
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process is null || _process.HasExited)
            {
                // Give the output readers a moment to collect anvil's last words.
                await Task.Delay(100, CancellationToken.None);
                throw new DevChainException(
                    $"The local dev chain exited during start-up (exit code {(_process?.HasExited == true ? _process.ExitCode : -1)}). "
                    + $"If its state file {settings.StateFile} is damaged, move it away to start a fresh chain. anvil said:{Environment.NewLine}{RecentOutput()}");
            }

            var answer = await ProbeAsync(http, settings.RpcUrl, "eth_chainId", cancellationToken);
            if (answer is not null)
            {
                return;
            }

            if (started.Elapsed > settings.DevStartupTimeout)
            {
                throw new DevChainException($"The local dev chain did not answer on {settings.RpcUrl} within {settings.DevStartupTimeout.TotalSeconds:0} s. anvil said:{Environment.NewLine}{RecentOutput()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task AdoptOrRefuseAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var client = await ProbeAsync(http, settings.RpcUrl, "web3_clientVersion", cancellationToken);
        var chainIdHex = await ProbeAsync(http, settings.RpcUrl, "eth_chainId", cancellationToken);
        var ours = TryFindOurProcess();
        var expectedChainId = "0x" + settings.ChainId.Value.ToString("x", CultureInfo.InvariantCulture);
        if (ours is not null && client?.StartsWith("anvil", StringComparison.OrdinalIgnoreCase) == true
            && string.Equals(chainIdHex, expectedChainId, StringComparison.OrdinalIgnoreCase))
        {
            _process = ours;
            AdoptedExistingProcess = true;
            logger.LogWarning("Reusing the local dev chain (anvil pid {Pid}) that an earlier run left on {RpcUrl}; it will be stopped on shutdown", ours.Id, settings.RpcUrl);
            return;
        }

        ours?.Dispose();
        var who = client is null ? "another program" : $"another program ({client}{(chainIdHex is null ? string.Empty : $", chain id {chainIdHex}")})";
        throw new DevChainException(
            $"The local dev chain cannot start: port {settings.DevPort} on 127.0.0.1 is taken by {who} that NeuroData did not start for "
            + $"the data folder {settings.ChainDirectory}. Stop that program, or set NeuroData:Chain:DevPort to a free port.");
    }

    /// <summary>The anvil named by our pid file, if it is still running with our state file.</summary>
    private Process? TryFindOurProcess()
    {
        try
        {
            if (!File.Exists(settings.PidFile)
                || !int.TryParse(File.ReadAllText(settings.PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                return null;
            }

            var cmdline = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Split('\0');
            if (cmdline.Length == 0 || !Path.GetFileName(cmdline[0]).StartsWith("anvil", StringComparison.Ordinal) || !cmdline.Contains(settings.StateFile))
            {
                return null;
            }

            return Process.GetProcessById(pid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Calls a parameterless JSON-RPC method; the string result, or null when nothing (or not JSON-RPC) answered.</summary>
    internal static async Task<string?> ProbeAsync(HttpClient http, string url, string method, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = Array.Empty<object>() }, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return doc.RootElement.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.String ? result.GetString() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException { InnerException: TimeoutException } or IOException)
        {
            return null;
        }
    }

    private static bool IsPortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stale pid file is checked against /proc before it is trusted.
        }
    }

    /// <summary>Sends SIGTERM with the system's kill command (anvil dumps its state on SIGTERM, not on SIGKILL).</summary>
    private static async Task TerminateAsync(int pid)
    {
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            if (kill is not null)
            {
                await kill.WaitForExitAsync();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill command: the caller falls back to killing the process tree after the timeout.
        }
    }
}
