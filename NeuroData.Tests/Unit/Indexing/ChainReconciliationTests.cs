using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Indexing;

namespace NeuroData.Tests.Unit.Indexing;

public sealed class ChainReconciliationTests
{
    private static readonly ChainId Chain = new(31337);

    [Fact]
    public async Task Reconcilers_run_in_order_and_one_failing_does_not_stop_the_others()
    {
        var log = new List<string>();
        var users = (First: Guid.NewGuid(), Last: Guid.NewGuid());
        var services = new ServiceCollection();
        services.AddSingleton<IChainReconciler>(new Recording(30, "last", log, users.Last));
        services.AddSingleton<IChainReconciler>(new Recording(10, "first", log, users.First));
        services.AddSingleton<IChainReconciler>(new Recording(20, "broken", log, null));
        await using var provider = services.BuildServiceProvider();
        var reconciliation = new ChainReconciliation(provider.GetRequiredService<IServiceScopeFactory>(), NullLogger<ChainReconciliation>.Instance);

        var changed = await reconciliation.RunAsync(Chain, TestContext.Current.CancellationToken);

        log.ShouldBe(["first", "broken", "last"]);
        changed.ShouldBe([users.First, users.Last], ignoreOrder: true);
    }

    [Fact]
    public async Task Cancellation_is_not_swallowed()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IChainReconciler>(new Recording(1, "a", [], Guid.NewGuid()));
        await using var provider = services.BuildServiceProvider();
        var reconciliation = new ChainReconciliation(provider.GetRequiredService<IServiceScopeFactory>(), NullLogger<ChainReconciliation>.Instance);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => reconciliation.RunAsync(Chain, cancelled.Token));
    }

    private sealed class Recording(int order, string name, List<string> log, Guid? user) : IChainReconciler
    {
        public int Order => order;

        public Task<IReadOnlyCollection<Guid>> ReconcileAsync(ChainId chainId, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            log.Add(name);
            return user is { } u
                ? Task.FromResult<IReadOnlyCollection<Guid>>([u])
                : throw new InvalidOperationException("mirror out of step");
        }
    }
}
