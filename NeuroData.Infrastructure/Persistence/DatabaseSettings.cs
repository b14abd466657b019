using Microsoft.Extensions.Configuration;

namespace NeuroData.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Which database to use. No <c>ConnectionStrings:Postgres</c> -> a SQLite file in the data folder (embedded default);
/// with it -> PostgreSQL.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string PostgresConnectionStringName = "Postgres";
    public const string DataDirectoryKey = "NeuroData:DataDirectory";

    /// <summary>Resolves the data folder: <c>NeuroData:DataDirectory</c>, default <c>{contentRoot}/.neurodata</c>.</summary>
    public static string ResolveDataDirectory(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration[DataDirectoryKey];
        var dir = string.IsNullOrWhiteSpace(configured) ? Path.Combine(contentRoot, ".neurodata") : Path.GetFullPath(configured, contentRoot);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var pg = configuration.GetConnectionString(PostgresConnectionStringName);
        if (!string.IsNullOrWhiteSpace(pg))
        {
            return new DatabaseSettings(DatabaseProvider.Postgres, pg);
        }

        var dbPath = Path.Combine(ResolveDataDirectory(configuration, contentRoot), "neurodata.db");
        return new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={dbPath};Foreign Keys=True");
    }
}
