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
/// More verbs (e.g. <c>seed</c>) are added as <see cref="ICommandLineVerb"/> services, without editing this class.
/// </summary>
public static class Verbs
{
    public const int Success = 0;
    public const int UsageError = 1;
    public const int DatabaseUnavailable = 2;
    public const int ChainUnavailable = 3;

    /// <summary>Registers the built-in verbs (<c>migrate</c>).</summary>
    public static IServiceCollection AddCommandLineVerbs(this IServiceCollection services)
    {
        services.AddSingleton<ICommandLineVerb, MigrateVerb>();
        return services;
    }

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
            var known = services.GetServices<ICommandLineVerb>().ToList();
            var run = known.FirstOrDefault(v => string.Equals(v.Name, verb, StringComparison.OrdinalIgnoreCase));
            if (run is null)
            {
                logger.LogError("Unknown command '{Verb:l}'. Known commands: {Known:l}.", verb, string.Join(", ", known.Select(v => v.Name).Order(StringComparer.Ordinal)));
                return UsageError;
            }

            return await run.RunAsync(services, [.. args.Skip(1)], cancellationToken);
        }

        var environment = services.GetRequiredService<IHostEnvironment>();
        return environment.IsDevelopment()
            ? await MigrateOrExitAsync(services, logger, cancellationToken)
            : await CheckDatabaseAsync(services, logger, cancellationToken);
    }

    /// <summary>Applies the migrations; null when done, <see cref="DatabaseUnavailable"/> (logged in one line) when not.</summary>
    internal static async Task<int?> MigrateOrExitAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
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

/// <summary>A command-line verb: <c>dotnet NeuroData.Web.dll {Name} [args]</c> runs it instead of serving, and exits with its code.</summary>
public interface ICommandLineVerb
{
    /// <summary>The word on the command line (case-insensitive).</summary>
    string Name { get; }

    /// <summary>Runs the verb with the arguments after its name; returns the process exit code.</summary>
    Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken cancellationToken);
}

/// <summary><c>migrate</c>: applies the migrations of the configured provider and exits 0, in any environment.</summary>
internal sealed class MigrateVerb : ICommandLineVerb
{
    public string Name => "migrate";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("NeuroData.Verbs");
        var result = await Verbs.MigrateOrExitAsync(services, logger, cancellationToken);
        if (result is null)
        {
            logger.LogInformation("The {Provider} database is up to date.", services.GetRequiredService<DatabaseSettings>().Provider);
        }

        return result ?? Verbs.Success;
    }
}
