using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence.Converters;

namespace NeuroData.Infrastructure.Persistence;

/// <summary>
/// The one model of NeuroData. Each database provider has its own subclass (<see cref="SqliteNeuroDataDbContext"/>,
/// <see cref="PostgresNeuroDataDbContext"/>) so that each keeps its own migrations folder; code depends on this base type.
/// Mappings live in Configurations/ (one <see cref="IEntityTypeConfiguration{TEntity}"/> per entity); value types are
/// converted by convention here, with provider quirks behind <c>Database.IsNpgsql()</c>.
/// </summary>
public abstract class NeuroDataDbContext(DbContextOptions options)
    : IdentityDbContext<ApplicationUser, ApplicationRole, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core Data Protection key ring, persisted so restarts do not sign everyone out.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<UserProfile> UserProfiles => Set<UserProfile>();

    public DbSet<WalletLink> WalletLinks => Set<WalletLink>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<UserActivity> UserActivities => Set<UserActivity>();

    public DbSet<Category> Categories => Set<Category>();

    public DbSet<Tag> Tags => Set<Tag>();

    public DbSet<Dataset> Datasets => Set<Dataset>();

    public DbSet<DatasetVersion> DatasetVersions => Set<DatasetVersion>();

    public DbSet<DatasetReview> DatasetReviews => Set<DatasetReview>();

    public DbSet<DatasetAccess> DatasetAccesses => Set<DatasetAccess>();

    public DbSet<Favorite> Favorites => Set<Favorite>();

    public DbSet<Purchase> Purchases => Set<Purchase>();

    public DbSet<ChainTransaction> ChainTransactions => Set<ChainTransaction>();

    public DbSet<Escrow> Escrows => Set<Escrow>();

    public DbSet<Dispute> Disputes => Set<Dispute>();

    public DbSet<Payout> Payouts => Set<Payout>();

    public DbSet<PlatformFee> PlatformFees => Set<PlatformFee>();

    public DbSet<Refund> Refunds => Set<Refund>();

    public DbSet<TrainingRun> TrainingRuns => Set<TrainingRun>();

    public DbSet<TrainedModel> TrainedModels => Set<TrainedModel>();

    /// <summary>True when this context talks to PostgreSQL (Npgsql).</summary>
    public bool IsPostgres => Database.IsNpgsql();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);

        configurationBuilder.Properties<EthAddress>().HaveConversion<EthAddressConverter>().HaveMaxLength(42).AreUnicode(false);
        configurationBuilder.Properties<TxHash>().HaveConversion<TxHashConverter>().HaveMaxLength(66).AreUnicode(false);
        configurationBuilder.Properties<Cid>().HaveConversion<CidConverter>().HaveMaxLength(128).AreUnicode(false);
        configurationBuilder.Properties<ChainId>().HaveConversion<ChainIdConverter>();

        if (IsPostgres)
        {
            configurationBuilder.Properties<TokenAmount>()
                .HaveConversion<TokenAmountConversion.PostgresConverter>()
                .HaveColumnType(TokenAmountConversion.PostgresColumnType);
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTimestamps.PostgresConverter>();
        }
        else
        {
            configurationBuilder.Properties<TokenAmount>()
                .HaveConversion<TokenAmountConversion.SqliteConverter>()
                .HaveMaxLength(TokenAmountConversion.Digits)
                .AreUnicode(false);
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTimestamps.SqliteConverter>().HaveMaxLength(28);
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(NeuroDataDbContext).Assembly);

        // Domain entities create their own ids (Guid v7); the database never generates them. Without this EF would
        // treat a new child added to a tracked aggregate as an existing row and issue an UPDATE.
        foreach (var entity in builder.Model.GetEntityTypes().Where(t => typeof(Entity).IsAssignableFrom(t.ClrType)))
        {
            builder.Entity(entity.ClrType).Property(nameof(Entity.Id)).ValueGeneratedNever();
        }
    }
}

/// <summary>The model on SQLite (embedded default). Migrations: Persistence/Migrations/Sqlite.</summary>
public sealed class SqliteNeuroDataDbContext(DbContextOptions<SqliteNeuroDataDbContext> options) : NeuroDataDbContext(options);

/// <summary>The model on PostgreSQL (production). Migrations: Persistence/Migrations/Postgres.</summary>
public sealed class PostgresNeuroDataDbContext(DbContextOptions<PostgresNeuroDataDbContext> options) : NeuroDataDbContext(options);
