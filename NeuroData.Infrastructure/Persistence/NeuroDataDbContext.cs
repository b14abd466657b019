using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence;

/// <summary>
/// The one model of NeuroData. Each database provider has its own subclass (<see cref="SqliteNeuroDataDbContext"/>,
/// <see cref="PostgresNeuroDataDbContext"/>) so that each keeps its own migrations folder; code depends on this base type.
/// </summary>
public abstract class NeuroDataDbContext(DbContextOptions options)
    : IdentityDbContext<ApplicationUser, ApplicationRole, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection key ring, persisted so restarts do not sign everyone out.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(NeuroDataDbContext).Assembly);
    }
}

/// <summary>The model on SQLite (embedded default). Migrations: Persistence/Migrations/Sqlite.</summary>
public sealed class SqliteNeuroDataDbContext(DbContextOptions<SqliteNeuroDataDbContext> options) : NeuroDataDbContext(options);

/// <summary>The model on PostgreSQL (production). Migrations: Persistence/Migrations/Postgres.</summary>
public sealed class PostgresNeuroDataDbContext(DbContextOptions<PostgresNeuroDataDbContext> options) : NeuroDataDbContext(options);
