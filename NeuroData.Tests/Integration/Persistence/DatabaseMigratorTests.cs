using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Tests.Integration.Persistence;

public sealed class DatabaseMigratorTests
{
    [Fact]
    public async Task Migrate_AgainstUnreachablePostgres_ThrowsDatabaseUnavailable_WithAClearMessage()
    {
        var port = ClosedPort();
        var settings = new DatabaseSettings(DatabaseProvider.Postgres,
            $"Host=127.0.0.1;Port={port};Database=neurodata;Username=neurodata;Password=s3cret-pass;Timeout=3");
        var migrator = new DatabaseMigrator(new NeuroDataDbContextFactory(settings), settings, NullLogger<DatabaseMigrator>.Instance);

        var ex = await Should.ThrowAsync<DatabaseUnavailableException>(() => migrator.MigrateAsync(TestContext.Current.CancellationToken));

        ex.Message.ShouldContain("Cannot reach the PostgreSQL database");
        ex.Message.ShouldContain($"Port={port}");
        ex.Message.ShouldContain("Check ConnectionStrings:Postgres");
        ex.Message.ShouldNotContain("s3cret-pass");
    }

    [Fact]
    public async Task Migrate_OnFreshSqliteFile_AppliesEveryMigration_AndIsIdempotent()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nd-migrate-{Guid.NewGuid():N}.db");
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path};Foreign Keys=True;Pooling=False");
        var factory = new NeuroDataDbContextFactory(settings);
        var migrator = new DatabaseMigrator(factory, settings, NullLogger<DatabaseMigrator>.Instance);
        try
        {
            await migrator.MigrateAsync(TestContext.Current.CancellationToken);
            await migrator.MigrateAsync(TestContext.Current.CancellationToken);

            await using var db = factory.CreateDbContext();
            var applied = await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken);
            applied.ShouldBe(db.Database.GetMigrations());
            (await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Migrate_WhenSqliteFolderCannotBeCreated_ThrowsDatabaseUnavailable()
    {
        // A path below a regular file can never be opened.
        var file = Path.GetTempFileName();
        try
        {
            var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(file, "neurodata.db")};Pooling=False");
            var migrator = new DatabaseMigrator(new NeuroDataDbContextFactory(settings), settings, NullLogger<DatabaseMigrator>.Instance);

            var ex = await Should.ThrowAsync<DatabaseUnavailableException>(() => migrator.MigrateAsync(TestContext.Current.CancellationToken));
            ex.Message.ShouldContain("Cannot open the SQLite database");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static int ClosedPort()
    {
        // Bind, read the port, release it: nothing listens there afterwards.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
