using Microsoft.EntityFrameworkCore;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Web.Operations;

/// <summary>
/// Command-line verbs and the database start-up duty, run after the host is built and before it serves.
/// <list type="bullet">
/// <item><c>migrate</c>: applies the migrations of the configured provider and exits 0 (any environment).</item>
/// <item>no verb: in Development the migrations are applied; elsewhere the database is only checked (pending
/// migrations are logged as a warning: run <c>migrate</c>). Then the app serves.</item>
/// </list>
/// A database that cannot be reached ends the process with one log line and exit code <see cref="DatabaseUnavailable"/>.
/// </summary>
public static class Verbs
{
    public const int Success = 0;
    public const int UsageError = 1;
    public const int DatabaseUnavailable = 2;

    private static readonly Dictionary<string, Func<IServiceProvider, CancellationToken, Task<int>>> Known =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["migrate"] = MigrateAsync,
        };

    /// <summary>The verbs this build knows.</summary>
    public static IReadOnlyCollection<string> Names => Known.Keys;

    /// <summary>The verb in the command line: the first argument when it is not an option (<c>--urls ...</c>).</summary>
    public static string? VerbOf(IReadOnlyList<string> args) =>
        args.Count > 0 && !string.IsNullOrWhiteSpace(args[0]) && !args[0].StartsWith('-') && !args[0].Contains('=', StringComparison.Ordinal) ? args[0] : null;

    /// <summary>
    /// Runs the verb (returns its exit code: the process should end) or the start-up duty (returns null: go on
    /// serving, or an exit code when the database is unavailable).
    /// </summary>
    public static async Task<int?> RunAsync(IHost app, IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        var services = app.Services;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("NeuroData.Verbs");
        var verb = VerbOf(args);
        if (verb is not null)
        {
            if (!Known.TryGetValue(verb, out var run))
            {
                logger.LogError("Unknown command '{Verb:l}'. Known commands: {Known:l}.", verb, string.Join(", ", Known.Keys));
                return UsageError;
            }

            return await run(services, cancellationToken);
        }

        var environment = services.GetRequiredService<IHostEnvironment>();
        return environment.IsDevelopment()
            ? await MigrateOrExitAsync(services, logger, cancellationToken)
            : await CheckDatabaseAsync(services, logger, cancellationToken);
    }

    private static async Task<int> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("NeuroData.Verbs");
        var result = await MigrateOrExitAsync(services, logger, cancellationToken);
        if (result is null)
        {
            logger.LogInformation("The {Provider} database is up to date.", services.GetRequiredService<DatabaseSettings>().Provider);
        }

        return result ?? Success;
    }

    private static async Task<int?> MigrateOrExitAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            return null;
        }
        catch (DatabaseUnavailableException ex)
        {
            logger.LogCritical("{Reason:l}", ex.Message);
            return DatabaseUnavailable;
        }
    }

    /// <summary>Outside Development: the database must answer; pending migrations are the operator's call.</summary>
    private static async Task<int?> CheckDatabaseAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        var settings = services.GetRequiredService<DatabaseSettings>();
        try
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(cancellationToken);
            await db.Database.OpenConnectionAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogWarning(
                    "The database has {Count} pending migration(s) ({Migrations}); run 'dotnet NeuroData.Web.dll migrate' (or 'dotnet run --project NeuroData.Web -- migrate').",
                    pending.Count, pending);
            }

            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogCritical(
                "Cannot reach the {Provider} database ({Connection:l}): {Reason:l}",
                settings.Provider, DatabaseMigrator.Describe(settings.ConnectionString), ex.GetBaseException().Message);
            return DatabaseUnavailable;
        }
    }
}
