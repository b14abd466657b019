using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace NeuroData.Infrastructure.Persistence;

/// <summary>Thrown when the configured database cannot be reached; the message says what to check.</summary>
public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Applies the migrations of the configured provider (at start in Development, or by the <c>migrate</c> verb).</summary>
public sealed class DatabaseMigrator(IDbContextFactory<NeuroDataDbContext> factory, DatabaseSettings settings, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migration(s) to {Provider}: {Migrations}", pending.Count, settings.Provider, pending);
            }

            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException && ex is not OperationCanceledException)
        {
            throw new DatabaseUnavailableException(
                settings.Provider == DatabaseProvider.Postgres
                    ? $"Cannot reach the PostgreSQL database ({Describe(settings.ConnectionString)}): {ex.GetBaseException().Message}. Check ConnectionStrings:Postgres and that the server is running."
                    : $"Cannot open the SQLite database ({Describe(settings.ConnectionString)}): {ex.GetBaseException().Message}.",
                ex);
        }
    }

    /// <summary>The connection string without secrets, for messages.</summary>
    public static string Describe(string connectionString)
    {
        var b = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (var secret in new[] { "Password", "Pwd" })
        {
            if (b.ContainsKey(secret))
            {
                b[secret] = "***";
            }
        }

        return b.ConnectionString;
    }
}
