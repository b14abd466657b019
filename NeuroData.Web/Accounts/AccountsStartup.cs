using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Seeding;

namespace NeuroData.Web.Accounts;

/// <summary>
/// At start: roles, first administrator and (Development) the demo seed. In Development it first applies pending
/// migrations (idempotent; the database must exist before accounts can); elsewhere, with migrations pending it logs
/// what to run and leaves the database alone.
/// </summary>
public sealed class AccountsStartup(
    IServiceProvider services,
    IHostEnvironment environment,
    ILogger<AccountsStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment())
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }
        else
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NeuroDataDbContext>();
            var pending = await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetPendingMigrationsAsync(db.Database, cancellationToken);
            if (pending.Any())
            {
                logger.LogError(
                    "The database has pending migrations; roles and the first administrator are not set up. Run: dotnet run --project NeuroData.Web -- migrate");
                return;
            }
        }

        var bootstrapper = services.GetRequiredService<AccountsBootstrapper>();
        await bootstrapper.EnsureRolesAsync(cancellationToken);
        await bootstrapper.EnsureFirstAdminAsync(cancellationToken);
        if (environment.IsDevelopment())
        {
            await services.GetRequiredService<DevelopmentSeeder>().SeedAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
