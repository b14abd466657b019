using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Tests.Integration.Fixtures;

/// <summary>
/// Base of the persistence tests: each test is a theory over <see cref="AllProviders"/>, gets contexts for that
/// provider's migrated database, and uses fresh data (unique ids and slugs) so tests in a class need no reset.
/// </summary>
public abstract class PersistenceTest(PostgresCluster cluster, TestDatabases databases) : IClassFixture<TestDatabases>
{
    protected FixedClock Clock => databases.Clock;

    protected DateTimeOffset Now => databases.Clock.Now;

    /// <summary>A new context (one per unit of work, as the app does).</summary>
    protected async Task<NeuroDataDbContext> ContextAsync(DbProvider provider)
    {
        var settings = await databases.GetAsync(provider, cluster);
        return new NeuroDataDbContextFactory(settings, databases.Clock).CreateDbContext();
    }

    /// <summary>The provider's migrated test database (for a connection string of one's own).</summary>
    protected Task<DatabaseSettings> SettingsAsync(DbProvider provider) => databases.GetAsync(provider, cluster);

    /// <summary>Creates an Identity user row (most tables reference AspNetUsers) and returns its id.</summary>
    protected async Task<Guid> SeedUserAsync(DbProvider provider, string? name = null)
    {
        var id = Guid.CreateVersion7();
        var userName = (name ?? "user") + "-" + id.ToString("N")[..12] + "@example.test";
        await using var db = await ContextAsync(provider);
        db.Users.Add(new ApplicationUser
        {
            Id = id,
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            Email = userName,
            NormalizedEmail = userName.ToUpperInvariant(),
            EmailConfirmed = true,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = Now,
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return id;
    }

    protected static string UniqueSlug(string stem) => $"{stem}-{Guid.NewGuid():N}"[..Math.Min(80, stem.Length + 33)];
}
