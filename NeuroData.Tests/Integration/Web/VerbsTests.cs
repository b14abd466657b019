using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroData.Infrastructure;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Web.Operations;

namespace NeuroData.Tests.Integration.Web;

/// <summary>The <c>migrate</c> verb and the start-up database duty, on a host built like Program.cs builds it.</summary>
public sealed class VerbsTests(PostgresCluster cluster) : IDisposable
{
    private const string UnreachablePostgres = "Host=127.0.0.1;Port=1;Username=nobody;Password=hunter2;Database=nd;Timeout=2";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "nd-verbs-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly LogSink _logs = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "migrate" }, "migrate")]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5100" }, null)]
    [InlineData(new[] { "urls=http://127.0.0.1:5100" }, null)]
    [InlineData(new[] { "seed", "--force" }, "seed")]
    public void TheVerb_IsTheFirstArgument_WhenItIsNotAnOption(string[] args, string? verb) => Verbs.VerbOf(args).ShouldBe(verb);

    [Fact]
    public async Task Migrate_OnSqlite_AppliesEveryMigration_AndExitsZero()
    {
        using var app = Build(Environments.Production, postgres: null);

        var exit = await Verbs.RunAsync(app, ["migrate"], Ct);

        exit.ShouldBe(Verbs.Success);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        (await db.Database.GetPendingMigrationsAsync(Ct)).ShouldBeEmpty();
        (await db.Database.GetAppliedMigrationsAsync(Ct)).ShouldNotBeEmpty();
        _logs.Messages.ShouldContain(m => m.Contains("up to date", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrate_OnPostgres_AppliesEveryMigration_AndExitsZero()
    {
        var connectionString = await cluster.CreateDatabaseAsync("nd_verbs");
        try
        {
            using var app = Build(Environments.Production, connectionString);

            var exit = await Verbs.RunAsync(app, ["migrate"], Ct);

            exit.ShouldBe(Verbs.Success);
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
            db.IsPostgres.ShouldBeTrue();
            (await db.Database.GetPendingMigrationsAsync(Ct)).ShouldBeEmpty();
        }
        finally
        {
            await cluster.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task Migrate_WithPostgresUnreachable_LogsOneClearLine_AndExitsTwo()
    {
        using var app = Build(Environments.Production, UnreachablePostgres);

        var exit = await Verbs.RunAsync(app, ["migrate"], Ct);

        exit.ShouldBe(Verbs.DatabaseUnavailable);
        var critical = _logs.Entries.Where(e => e.Level >= LogLevel.Error).ShouldHaveSingleItem();
        critical.Message.ShouldStartWith("Cannot reach the PostgreSQL database");
        critical.Message.ShouldNotContain("hunter2");
        critical.HasException.ShouldBeFalse();
    }

    [Fact]
    public async Task Start_OutsideDevelopment_WithDatabaseUnreachable_ExitsTwo()
    {
        using var app = Build(Environments.Production, UnreachablePostgres);

        var exit = await Verbs.RunAsync(app, [], Ct);

        exit.ShouldBe(Verbs.DatabaseUnavailable);
        var critical = _logs.Entries.Where(e => e.Level >= LogLevel.Error).ShouldHaveSingleItem();
        critical.Message.ShouldStartWith("Cannot reach the Postgres database");
        critical.Message.ShouldNotContain("hunter2");
        critical.HasException.ShouldBeFalse();
    }

    [Fact]
    public async Task Start_OutsideDevelopment_DoesNotMigrate_ButWarnsAboutPendingMigrations()
    {
        using var app = Build(Environments.Production, postgres: null);

        var exit = await Verbs.RunAsync(app, [], Ct);

        exit.ShouldBeNull();
        _logs.Entries.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains("pending migration", StringComparison.Ordinal));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        (await db.Database.GetAppliedMigrationsAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Start_InDevelopment_Migrates_AndGoesOnServing()
    {
        using var app = Build(Environments.Development, postgres: null);

        var exit = await Verbs.RunAsync(app, [], Ct);

        exit.ShouldBeNull();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        (await db.Database.GetPendingMigrationsAsync(Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task UnknownVerb_IsAUsageError_AndNamesTheKnownOnes()
    {
        using var app = Build(Environments.Production, postgres: null);

        var exit = await Verbs.RunAsync(app, ["frobnicate"], Ct);

        exit.ShouldBe(Verbs.UsageError);
        _logs.Messages.ShouldContain(m => m.Contains("Unknown command 'frobnicate'. Known commands: echo, migrate.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegisteredVerbs_RunWithTheirOwnArguments_AndSetTheExitCode()
    {
        using var app = Build(Environments.Production, postgres: null);

        var exit = await Verbs.RunAsync(app, ["ECHO", "a", "b"], Ct);

        exit.ShouldBe(7);
        _logs.Messages.ShouldContain("echo: a b");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private WebApplication Build(string environment, string? postgres)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, Args = [] });
        builder.Configuration[DatabaseSettings.DataDirectoryKey] = _dataDirectory;
        builder.Configuration["ConnectionStrings:" + DatabaseSettings.PostgresConnectionStringName] = postgres ?? string.Empty;
        foreach (var (key, value) in NeuroDataWebFactory.ExternalChainSettings)
        {
            builder.Configuration[key] = value;
        }

        builder.Logging.ClearProviders().AddProvider(_logs);
        builder.AddInfrastructure();
        builder.Services.AddCommandLineVerbs();
        builder.Services.AddSingleton<ICommandLineVerb>(new EchoVerb());
        return builder.Build();
    }

    /// <summary>A verb another module could add: logs its arguments, exits 7.</summary>
    private sealed class EchoVerb : ICommandLineVerb
    {
        public string Name => "echo";

        public Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken cancellationToken)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Echo").LogInformation("echo: {Args:l}", string.Join(' ', args));
            return Task.FromResult(7);
        }
    }

    internal sealed record LogEntry(LogLevel Level, string Category, string Message, bool HasException);

    /// <summary>Collects what the app logs.</summary>
    internal sealed class LogSink : ILoggerProvider
    {
        private readonly ConcurrentQueue<LogEntry> _entries = new();

        public IReadOnlyList<LogEntry> Entries => [.. _entries];

        public IEnumerable<string> Messages => _entries.Select(e => e.Message);

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogSink sink, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    sink._entries.Enqueue(new LogEntry(logLevel, category, formatter(state, exception), exception is not null));
                }
            }
        }
    }
}
