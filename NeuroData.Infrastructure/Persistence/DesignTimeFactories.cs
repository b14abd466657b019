using Microsoft.EntityFrameworkCore.Design;

namespace NeuroData.Infrastructure.Persistence;

/// <summary>Used by <c>dotnet ef</c> for the SQLite migrations.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteNeuroDataDbContext>
{
    public SqliteNeuroDataDbContext CreateDbContext(string[] args) =>
        new(NeuroDataDbContextFactory.BuildSqlite("Data Source=design-time.db"));
}

/// <summary>Used by <c>dotnet ef</c> for the PostgreSQL migrations (no server is contacted to add a migration).</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresNeuroDataDbContext>
{
    public PostgresNeuroDataDbContext CreateDbContext(string[] args) =>
        new(NeuroDataDbContextFactory.BuildPostgres("Host=localhost;Database=neurodata_design;Username=postgres"));
}
