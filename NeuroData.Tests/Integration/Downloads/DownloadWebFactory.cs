using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Web;

namespace NeuroData.Tests.Integration.Downloads;

/// <summary>The app with test sign-in (<see cref="TestAuthHandler"/>) and in-memory dataset storage, on SQLite or PostgreSQL.</summary>
public sealed class DownloadWebFactory(string? postgres) : NeuroDataWebFactory
{
    public InMemoryDatasetStorage Storage { get; } = new();

    protected override string? Postgres => postgres;

    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        // No chain here: purchases are seeded rows without mirrored escrows, so the download waits for no confirmations.
        builder.UseSetting("NeuroData:Commerce:DownloadConfirmations", "0");
        builder.ConfigureTestServices(services =>
        {
            services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, _ => { });
            services.PostConfigure<AuthenticationOptions>(o =>
            {
                o.DefaultScheme = TestAuthHandler.SchemeName;
                o.DefaultAuthenticateScheme = TestAuthHandler.SchemeName;
                o.DefaultChallengeScheme = TestAuthHandler.SchemeName;
                o.DefaultForbidScheme = TestAuthHandler.SchemeName;
            });
            services.AddSingleton<IStartupFilter, ClientAddressFilter>();
            services.RemoveAll<IDatasetStorage>();
            services.AddSingleton<IDatasetStorage>(Storage);
        });
    }

    public async Task<NeuroDataDbContext> ContextAsync(CancellationToken ct) =>
        await Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(ct);

    public async Task<Guid> SeedUserAsync(string name, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var userName = $"{name}-{id:N}@example.test";
        await using var db = await ContextAsync(ct);
        db.Users.Add(new ApplicationUser
        {
            Id = id,
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            Email = userName,
            NormalizedEmail = userName.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(ct);
        return id;
    }
}

/// <summary>The in-memory test server has no client address; give every request the documentation address 203.0.113.7.</summary>
internal sealed class ClientAddressFilter : IStartupFilter
{
    public const string Address = "203.0.113.7";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress ??= System.Net.IPAddress.Parse(Address);
            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>One app per provider for a test class, created on first use (PostgreSQL fails under CI=true when missing).</summary>
public sealed class DownloadFactories : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<DbProvider, DownloadWebFactory> _factories = [];

    public async Task<DownloadWebFactory> GetAsync(DbProvider provider, PostgresCluster cluster)
    {
        if (provider == DbProvider.Postgres)
        {
            await cluster.RequireAsync();
        }

        await _gate.WaitAsync();
        try
        {
            if (!_factories.TryGetValue(provider, out var factory))
            {
                var postgres = provider == DbProvider.Postgres ? await cluster.CreateDatabaseAsync("nd_dl") : null;
                factory = new DownloadWebFactory(postgres);
                await factory.InitializeAsync();
                _factories[provider] = factory;
            }

            return factory;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var factory in _factories.Values)
        {
            await factory.DisposeAsync();
        }

        _gate.Dispose();
    }
}
