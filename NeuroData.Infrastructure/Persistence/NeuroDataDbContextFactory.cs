using Microsoft.EntityFrameworkCore;
using NeuroData.Infrastructure.Persistence.Interceptors;

namespace NeuroData.Infrastructure.Persistence;

/// <summary>
/// Creates a context of the configured provider's subclass, one per operation (Blazor Server: never share a context
/// across a circuit).
/// </summary>
public sealed class NeuroDataDbContextFactory(DatabaseSettings settings, TimeProvider? timeProvider = null) : IDbContextFactory<NeuroDataDbContext>
{
    private readonly DbContextOptions<SqliteNeuroDataDbContext>? _sqlite =
        settings.Provider == DatabaseProvider.Sqlite ? BuildSqlite(settings.ConnectionString, timeProvider) : null;

    private readonly DbContextOptions<PostgresNeuroDataDbContext>? _postgres =
        settings.Provider == DatabaseProvider.Postgres ? BuildPostgres(settings.ConnectionString, timeProvider) : null;

    public DatabaseSettings Settings => settings;

    public NeuroDataDbContext CreateDbContext() =>
        settings.Provider switch
        {
            DatabaseProvider.Sqlite => new SqliteNeuroDataDbContext(_sqlite!),
            DatabaseProvider.Postgres => new PostgresNeuroDataDbContext(_postgres!),
            _ => throw new InvalidOperationException($"Unknown database provider {settings.Provider}."),
        };

    public static DbContextOptions<SqliteNeuroDataDbContext> BuildSqlite(string connectionString, TimeProvider? timeProvider = null) =>
        new DbContextOptionsBuilder<SqliteNeuroDataDbContext>()
            .UseSqlite(connectionString, o => o.MigrationsHistoryTable("__EFMigrationsHistory").ExecutionStrategy(d => new SqliteBusyRetryStrategy(d)))
            .AddInterceptors(new AuditInterceptor(timeProvider ?? TimeProvider.System), Search.SearchChangeInterceptor.Instance)
            .Options;

    public static DbContextOptions<PostgresNeuroDataDbContext> BuildPostgres(string connectionString, TimeProvider? timeProvider = null) =>
        new DbContextOptionsBuilder<PostgresNeuroDataDbContext>()
            .UseNpgsql(connectionString, o => o.EnableRetryOnFailure(3))
            .AddInterceptors(new AuditInterceptor(timeProvider ?? TimeProvider.System), Search.SearchChangeInterceptor.Instance)
            .Options;
}
