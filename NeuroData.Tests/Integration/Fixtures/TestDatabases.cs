using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Tests.Integration.Fixtures;

/// <summary>
/// Per test class: a fresh SQLite file and a fresh PostgreSQL database (CREATE DATABASE with a unique name in the
/// private cluster), each brought up to date by the real migrations through <see cref="DatabaseMigrator"/>.
/// Created on first use per provider, removed when the class is done.
/// </summary>
public sealed class TestDatabases : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<DbProvider, DatabaseSettings> _ready = [];
    private PostgresCluster? _cluster;

    public FixedClock Clock { get; } = new();

    /// <summary>Settings for the provider's migrated database, creating it on first use.</summary>
    public async Task<DatabaseSettings> GetAsync(DbProvider provider, PostgresCluster cluster)
    {
        if (provider == DbProvider.Postgres)
        {
            await cluster.RequireAsync(); // fails (CI) or skips (elsewhere) before anything is created
        }

        await _gate.WaitAsync();
        try
        {
            if (_ready.TryGetValue(provider, out var existing))
            {
                return existing;
            }

            var settings = provider switch
            {
                DbProvider.Sqlite => new DatabaseSettings(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder
                {
                    DataSource = Path.Combine(Path.GetTempPath(), $"nd-test-{Guid.NewGuid():N}.db"),
                    ForeignKeys = true,
                    Pooling = false,
                }.ConnectionString),
                DbProvider.Postgres => new DatabaseSettings(DatabaseProvider.Postgres, await cluster.CreateDatabaseAsync("nd_test")),
                _ => throw new ArgumentOutOfRangeException(nameof(provider)),
            };

            var factory = new NeuroDataDbContextFactory(settings, Clock);
            await new DatabaseMigrator(factory, settings, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
            _ready[provider] = settings;
            _cluster ??= provider == DbProvider.Postgres ? cluster : null;
            return settings;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (provider, settings) in _ready)
        {
            if (provider == DbProvider.Sqlite)
            {
                var path = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
                SqliteConnection.ClearAllPools();
                File.Delete(path);
            }
            else if (_cluster is not null)
            {
                await _cluster.DropDatabaseAsync(settings.ConnectionString);
            }
        }

        _gate.Dispose();
    }
}
