using Microsoft.EntityFrameworkCore;

namespace NeuroData.Infrastructure.Persistence;

/// <summary>
/// Creates a context of the configured provider's subclass, one per operation (Blazor Server: never share a context
/// across a circuit).
/// </summary>
public sealed class NeuroDataDbContextFactory(DatabaseSettings settings) : IDbContextFactory<NeuroDataDbContext>
{
    private readonly DbContextOptions<SqliteNeuroDataDbContext>? _sqlite =
        settings.Provider == DatabaseProvider.Sqlite ? BuildSqlite(settings.ConnectionString) : null;

    private readonly DbContextOptions<PostgresNeuroDataDbContext>? _postgres =
        settings.Provider == DatabaseProvider.Postgres ? BuildPostgres(settings.ConnectionString) : null;

    public DatabaseSettings Settings => settings;

    public NeuroDataDbContext CreateDbContext() =>
        settings.Provider switch
        {
            DatabaseProvider.Sqlite => new SqliteNeuroDataDbContext(_sqlite!),
            DatabaseProvider.Postgres => new PostgresNeuroDataDbContext(_postgres!),
            _ => throw new InvalidOperationException($"Unknown database provider {settings.Provider}."),
        };

    public static DbContextOptions<SqliteNeuroDataDbContext> BuildSqlite(string connectionString) =>
        new DbContextOptionsBuilder<SqliteNeuroDataDbContext>()
            .UseSqlite(connectionString, o => o.MigrationsHistoryTable("__EFMigrationsHistory"))
            .Options;

    public static DbContextOptions<PostgresNeuroDataDbContext> BuildPostgres(string connectionString) =>
        new DbContextOptionsBuilder<PostgresNeuroDataDbContext>()
            .UseNpgsql(connectionString, o => o.EnableRetryOnFailure(3))
            .Options;
}
