using NeuroData.Infrastructure.Auth;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Auth;

public sealed class SiweNonceStoreTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private readonly PostgresCluster _cluster = cluster;
    private readonly TestDatabases _databases = databases;
    private readonly FixedClock _clock = new(FixedClock.Start);

    private async Task<DatabaseSiweNonceStore> StoreAsync(DbProvider provider)
    {
        await using var probe = await ContextAsync(provider); // migrates the database for this provider
        var settings = await _databases.GetAsync(provider, _cluster);
        return new DatabaseSiweNonceStore(new NeuroDataDbContextFactory(settings, _clock), _clock);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task An_issued_nonce_is_consumed_exactly_once(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await StoreAsync(provider);
        var nonce = await store.IssueAsync(ct);

        (await store.TryConsumeAsync(nonce, ct)).ShouldBeTrue();
        (await store.TryConsumeAsync(nonce, ct)).ShouldBeFalse();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Concurrent_attempts_with_one_nonce_have_one_winner(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await StoreAsync(provider);
        var nonce = await store.IssueAsync(ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.TryConsumeAsync(nonce, ct)));
        results.Count(r => r).ShouldBe(1);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task An_expired_nonce_is_refused(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await StoreAsync(provider);
        var nonce = await store.IssueAsync(ct);
        _clock.Advance(DatabaseSiweNonceStore.Lifetime + TimeSpan.FromSeconds(1));

        (await store.TryConsumeAsync(nonce, ct)).ShouldBeFalse();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_nonce_never_issued_is_refused(DbProvider provider)
    {
        var store = await StoreAsync(provider);
        (await store.TryConsumeAsync("abcdefgh12345678", TestContext.Current.CancellationToken)).ShouldBeFalse();
    }
}
