using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace NeuroData.Infrastructure.Persistence;

/// <summary>
/// Runs a SQLite operation again when the database answers "database is locked". Microsoft.Data.Sqlite waits out a
/// held lock for its busy timeout on most paths, but under concurrent writers some statements fail at once with error 5
/// (seen here when the ingest worker's save met the app's background jobs; dotnet/efcore#33133 reports the same), and
/// the same operation succeeds when run again. The PostgreSQL context has Npgsql's retrying strategy for the same
/// reason, so every explicit transaction in the code base already runs inside the execution strategy.
/// </summary>
public sealed class SqliteBusyRetryStrategy(ExecutionStrategyDependencies dependencies)
    : ExecutionStrategy(dependencies, MaxRetries, TimeSpan.FromSeconds(2))
{
    public const int MaxRetries = 5;

    /// <summary>SQLite's busy (5) or locked (6) database, however it was wrapped.</summary>
    public static bool IsBusy(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: 5 or 6 })
            {
                return true;
            }
        }

        return false;
    }

    protected override bool ShouldRetryOn(Exception exception) => IsBusy(exception);
}
