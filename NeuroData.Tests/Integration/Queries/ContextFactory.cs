using Microsoft.EntityFrameworkCore;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Tests.Integration.Queries;

/// <summary>Hands the query services a context of the test's provider and migrated database.</summary>
internal sealed class ContextFactory(Func<Task<NeuroDataDbContext>> create) : IDbContextFactory<NeuroDataDbContext>
{
    public NeuroDataDbContext CreateDbContext() => create().GetAwaiter().GetResult();

    public Task<NeuroDataDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => create();
}
