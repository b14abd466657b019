using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Infrastructure.Datasets.Publishing;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;
using static NeuroData.Tests.Integration.Search.SearchTestData;

namespace NeuroData.Tests.Integration.Uploads;

/// <summary>
/// Claiming a queued upload for processing while SQLite reports "database is locked" (another connection holds the
/// write lock): the SQLite execution strategy runs the save again, and a session that still cannot be claimed is
/// failed with a reason, never left queued. A real SQLite file and a real second connection hold the lock; each
/// statement waits at most 1 s for it.
/// </summary>
public sealed class IngestClaimTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_claim_that_meets_a_locked_database_is_tried_again_and_goes_on_once_the_lock_is_released()
    {
        var (settings, sessionId, folder) = await QueuedSessionAsync();
        var ingestor = Ingestor(settings, folder);
        await using (var holder = await LockAsync(settings))
        {
            var ingest = ingestor.IngestAsync(sessionId, Ct);
            await Task.Delay(TimeSpan.FromSeconds(2), Ct); // at least one attempt has met the lock by now
            (await StatusAsync(settings, sessionId)).Status.ShouldBe(UploadStatus.Queued, "the lock is still held");
            await holder.DisposeAsync();
            await ingest;
        }

        var (status, error) = await StatusAsync(settings, sessionId);
        status.ShouldBe(UploadStatus.Failed, "claimed, then failed further on: this test registers no storage");
        error.ShouldBe(DatasetIngestor.GenericFailure, "the claim itself succeeded on a later attempt");
    }

    [Fact]
    public async Task A_session_that_cannot_be_claimed_at_all_is_failed_with_a_reason_not_left_queued()
    {
        var (settings, sessionId, folder) = await QueuedSessionAsync();
        var temp = Path.Combine(folder, sessionId.ToString("N") + ".upload");
        await File.WriteAllBytesAsync(temp, [1, 2, 3], Ct);
        var log = new GaveUpLog();
        var ingestor = Ingestor(settings, folder, log);
        var holder = await LockAsync(settings);
        var ingest = ingestor.IngestAsync(sessionId, Ct);

        // The lock stays until the ingestor has given up claiming (every attempt met it), then the failure is written.
        await log.GaveUp.Task.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        await holder.DisposeAsync();
        await ingest.WaitAsync(TimeSpan.FromMinutes(1), Ct);

        var (status, error) = await StatusAsync(settings, sessionId);
        status.ShouldBe(UploadStatus.Failed);
        error.ShouldBe(DatasetIngestor.ClaimFailure);
        File.Exists(temp).ShouldBeFalse("the temp file goes with the session");
    }

    /// <summary>Signals when the ingestor logs that it could not claim the session.</summary>
    private sealed class GaveUpLog : ILogger<DatasetIngestor>
    {
        public TaskCompletionSource GaveUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error && formatter(state, exception).Contains("could not be claimed", StringComparison.Ordinal))
            {
                GaveUp.TrySetResult();
            }
        }
    }

    private async Task<(DatabaseSettings Settings, Guid SessionId, string Folder)> QueuedSessionAsync()
    {
        var seller = await SeedUserAsync(DbProvider.Sqlite, "seller");
        var dataset = Draft(seller, null, "Locked claim", "x", Now);
        var session = new UploadSession(seller, dataset.Id, "data.csv", 3, 10, Now);
        session.Appended(3, Now);
        session.Queue(Now);
        await using (var db = await ContextAsync(DbProvider.Sqlite))
        {
            db.Datasets.Add(dataset);
            db.Add(session);
            await db.SaveChangesAsync(Ct);
        }

        var settings = await SettingsAsync(DbProvider.Sqlite);
        var busy = new DatabaseSettings(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder(settings.ConnectionString) { DefaultTimeout = 1 }.ConnectionString);
        var folder = Directory.CreateTempSubdirectory("nd-claim-").FullName;
        return (busy, session.Id, folder);
    }

    private DatasetIngestor Ingestor(DatabaseSettings settings, string folder, ILogger<DatasetIngestor>? logger = null) =>
        new(new NeuroDataDbContextFactory(settings, Clock), new ServiceCollection().BuildServiceProvider(), new UploadOptions { Directory = folder },
            TimeProvider.System, logger ?? NullLogger<DatasetIngestor>.Instance);

    /// <summary>Another connection takes SQLite's write lock and holds it until disposed.</summary>
    private static async Task<SqliteConnection> LockAsync(DatabaseSettings settings)
    {
        var connection = new SqliteConnection(settings.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN EXCLUSIVE;";
        await command.ExecuteNonQueryAsync(Ct);
        return connection;
    }

    private static async Task<(UploadStatus Status, string? Error)> StatusAsync(DatabaseSettings settings, Guid sessionId)
    {
        await using var db = new NeuroDataDbContextFactory(settings).CreateDbContext();
        var s = await db.Set<UploadSession>().AsNoTracking().SingleAsync(x => x.Id == sessionId, Ct);
        return (s.Status, s.Error);
    }
}
