using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

[assembly: AssemblyFixture(typeof(NeuroData.Tests.Integration.Fixtures.PostgresCluster))]

namespace NeuroData.Tests.Integration.Fixtures;

/// <summary>
/// A private PostgreSQL cluster for the test run, created with the server's own tools: <c>initdb</c> into a temp
/// folder owned by the <c>postgres</c> OS user (initdb refuses to run as root), trust authentication on 127.0.0.1 only,
/// a free TCP port, <c>pg_ctl start -w</c>. It starts on first use (so test runs that need no database pay nothing)
/// and is stopped (<c>pg_ctl stop -m immediate</c>) and deleted when the run ends.
/// The tools are looked up in <c>NEURODATA_PG_BINDIR</c> (set by test.sh), then PATH, then /usr/lib/postgresql/*/bin.
/// When the PostgreSQL server tools are missing, <see cref="RequireAsync"/> fails the test with a clear message if
/// the environment variable CI is "true", and otherwise skips it with the reason.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _root;
    private string? _pgCtl;
    private bool _started;
    private string? _unavailable;
    private string? _startFailure;

    /// <summary>Connection string to the cluster's <c>postgres</c> database (after <see cref="RequireAsync"/>).</summary>
    public string AdminConnectionString { get; private set; } = string.Empty;

    public int Port { get; private set; }

    /// <summary>How long initdb + start took (reported in test output).</summary>
    public TimeSpan StartupTime { get; private set; }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts the cluster if needed; fails (CI) or skips (elsewhere) the calling test when it cannot run.</summary>
    public async Task RequireAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (!_started && _unavailable is null && _startFailure is null)
            {
                try
                {
                    await StartAsync();
                    _started = true;
                }
                catch (PostgresToolsMissingException ex)
                {
                    _unavailable = ex.Message;
                }
                catch (Exception ex) when (ex is InvalidOperationException or IOException or NpgsqlException or System.ComponentModel.Win32Exception)
                {
                    // The tools are there but the cluster did not come up: that is a failure, never a skip.
                    _startFailure = ex.Message;
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (_startFailure is not null)
        {
            Assert.Fail($"The private PostgreSQL cluster failed to start: {_startFailure}");
        }

        if (_unavailable is not null)
        {
            if (IsCi)
            {
                Assert.Fail($"PostgreSQL tests cannot run and CI=true: {_unavailable}");
            }

            Assert.Skip($"PostgreSQL tests skipped: {_unavailable} (with CI=true this fails instead).");
        }
    }

    /// <summary>Creates a new, empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        await RequireAsync();
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        if (name.Length > 63 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException("Use a short prefix of lower-case letters, digits and underscores.", nameof(prefix));
        }

        await using (var conn = new NpgsqlConnection(AdminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        if (!_started)
        {
            return;
        }

        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_root is null)
        {
            return;
        }

        try
        {
            if (_started && _pgCtl is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await RunAsync(_pgCtl, ["stop", "-D", DataDir, "-m", "immediate", "-w"], TimeSpan.FromSeconds(30), throwOnError: false);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A stray server process may still hold a file; the folder is in the temp directory.
            }

            _gate.Dispose();
        }
    }

    private string DataDir => Path.Combine(_root!, "data");

    private async Task StartAsync()
    {
        var sw = Stopwatch.StartNew();
        var initdb = FindTool("initdb");
        _pgCtl = FindTool("pg_ctl");
        var asRoot = Environment.IsPrivilegedProcess;
        if (asRoot && FindOnPath("runuser") is null)
        {
            throw new PostgresToolsMissingException("running as root, but 'runuser' is missing to run initdb as the postgres user");
        }

        // A short path: the Unix socket lives in it and socket paths are limited to ~100 characters.
        _root = Path.Combine(Path.GetTempPath(), "nd-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_root);
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _root], TimeSpan.FromSeconds(10));
        }

        Port = FreePort();
        await RunAsServerUserAsync(asRoot, initdb,
            ["-D", DataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            TimeSpan.FromMinutes(2));

        // Loopback only; fsync off because the cluster is thrown away after the run.
        var options = $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await RunAsServerUserAsync(asRoot, _pgCtl,
            ["start", "-w", "-t", "60", "-D", DataDir, "-l", Path.Combine(_root, "server.log"), "-o", options],
            TimeSpan.FromSeconds(90));

        AdminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = "postgres",
            Timeout = 15,
            IncludeErrorDetail = true,
        }.ConnectionString;
        StartupTime = sw.Elapsed;
        var line = $"[PostgresCluster] private PostgreSQL cluster on 127.0.0.1:{Port} ready in {StartupTime.TotalSeconds:0.00} s ({_root})";
        Console.Error.WriteLine(line);
        TestContext.Current.SendDiagnosticMessage(line);
    }

    private static Task<string> RunAsServerUserAsync(bool asRoot, string tool, IReadOnlyList<string> args, TimeSpan timeout) =>
        asRoot ? RunAsync("runuser", ["-u", "postgres", "--", tool, .. args], timeout) : RunAsync(tool, args, timeout);

    private static async Task<string> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, bool throwOnError = true)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"'{file} {string.Join(' ', args)}' did not finish within {timeout.TotalSeconds:0} s.");
        }

        var output = await stdout + await stderr;
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', args)}' failed with exit code {process.ExitCode}: {output}");
        }

        return output;
    }

    private static string FindTool(string name)
    {
        // test.sh exports the folder it found (or installed) the server tools in.
        var binDir = Environment.GetEnvironmentVariable("NEURODATA_PG_BINDIR");
        if (!string.IsNullOrWhiteSpace(binDir))
        {
            var configured = Path.Combine(binDir, name);
            return File.Exists(configured)
                ? configured
                : throw new PostgresToolsMissingException($"NEURODATA_PG_BINDIR is '{binDir}' but it holds no '{name}'");
        }

        var onPath = FindOnPath(name);
        if (onPath is not null)
        {
            return onPath;
        }

        // Debian keeps the server tools out of PATH; look in the versioned folders, newest first.
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var candidate = Directory.GetDirectories(debianRoot)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin", name))
                .FirstOrDefault(File.Exists);
            if (candidate is not null)
            {
                return candidate;
            }
        }

        throw new PostgresToolsMissingException(
            $"the PostgreSQL server tool '{name}' was not found in NEURODATA_PG_BINDIR, on PATH or under /usr/lib/postgresql/*/bin (install the Debian package 'postgresql')");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class PostgresToolsMissingException(string message) : Exception(message);
}
