using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Tests.Integration.Web;

/// <summary>
/// The real app in memory (Production environment) with its own data folder (SQLite file, logs, keys) in a temp
/// directory, migrated before the first request. <see cref="Postgres"/> points it at PostgreSQL instead.
/// </summary>
/// <remarks>
/// Program.cs runs to the end under the factory (the host is started in memory), so the start-up database duty runs
/// too: outside Development it only checks the database, and this fixture migrates it first.
/// </remarks>
public class NeuroDataWebFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "nd-web-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>A PostgreSQL connection string to use instead of SQLite. Default: none (SQLite).</summary>
    protected virtual string? Postgres => null;

    /// <summary>Whether to apply migrations before the tests. Default: true.</summary>
    protected virtual bool Migrate => true;

    private static readonly string[] ContractNames = ["NeuroCoin", "Staking", "EscrowManager", "DataMarketplace", "Governor", "Timelock"];

    /// <summary>A complete, valid external-chain configuration that nothing contacts (closed port, indexer off).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ExternalChainSettings { get; } =
    [
        new("NeuroData:Chain:Mode", "External"),
        new("NeuroData:Chain:RpcUrl", "http://127.0.0.1:9"),
        new("NeuroData:Chain:ChainId", "31337"),
        new("NeuroData:Chain:OperatorKey", "0x" + new string('1', 64)),
        .. ContractNames.Select((name, index) => new KeyValuePair<string, string>(
            "NeuroData:Chain:Contracts:" + name, "0x" + (index + 1).ToString("x40", System.Globalization.CultureInfo.InvariantCulture))),
        new("NeuroData:Indexer:Enabled", "false"),
        new("NeuroData:Storage:PlatformKey", Convert.ToBase64String(new byte[32])), // required outside Development; a test-only key
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting(DatabaseSettings.DataDirectoryKey, DataDirectory);
        builder.UseSetting("ConnectionStrings:" + DatabaseSettings.PostgresConnectionStringName, Postgres ?? string.Empty);
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");

        // Production requires an external chain; these tests do not touch it, so point at a closed local port and do
        // not index (the settings are still validated like a real deployment's).
        foreach (var (key, value) in ExternalChainSettings)
        {
            builder.UseSetting(key, value);
        }

        ConfigureMore(builder);
    }

    /// <summary>Extra configuration for derived factories.</summary>
    protected virtual void ConfigureMore(IWebHostBuilder builder)
    {
    }

    /// <summary>
    /// Migrates the database before the app starts, as an operator runs the <c>migrate</c> verb before starting a
    /// deployment: the app's hosted services (ingest worker, search index, Quartz jobs) query the database as soon as
    /// they start, and a schema still being created under them made CI runs fail with "no such table" and "database is
    /// locked" long after the migration had finished.
    /// </summary>
    public async ValueTask InitializeAsync()
    {
        if (Migrate)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    [DatabaseSettings.DataDirectoryKey] = DataDirectory,
                    ["ConnectionStrings:" + DatabaseSettings.PostgresConnectionStringName] = Postgres,
                })
                .Build();
            var settings = DatabaseSettings.From(configuration, DataDirectory);
            await new DatabaseMigrator(new NeuroDataDbContextFactory(settings), settings, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance)
                .MigrateAsync(TestContext.Current.CancellationToken);
            SqliteConnection.ClearAllPools();
        }

        _ = Services; // starts the app
    }

    /// <summary>The end of the app's log files (warnings and errors; for failure messages).</summary>
    public string RecentLog(int maxChars = 20_000)
    {
        var folder = Path.Combine(DataDirectory, "logs");
        if (!Directory.Exists(folder))
        {
            return "(no log files)";
        }

        var logs = string.Join('\n', Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).Select(f =>
        {
            using var reader = new StreamReader(new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadToEnd();
        }));
        return logs.Length <= maxChars ? logs : logs[^maxChars..];
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be held for a moment; the folder is in the temp directory.
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>The app on a PostgreSQL database (of the test cluster).</summary>
public sealed class PostgresWebFactory(string connectionString) : NeuroDataWebFactory
{
    protected override string? Postgres => connectionString;
}
