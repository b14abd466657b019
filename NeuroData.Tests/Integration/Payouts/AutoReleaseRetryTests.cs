using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Payouts;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Web;

namespace NeuroData.Tests.Integration.Payouts;

/// <summary>
/// Node failures are retried with exponential backoff: a real HTTP server stands in for a chain node that answers
/// every JSON-RPC request with 502, and a fake clock shows when each retry happens (1 s, 2 s, 4 s with the defaults).
/// </summary>
public sealed class AutoReleaseRetryTests : IDisposable
{
    private readonly HttpListener _node = new();
    private readonly string _url;
    private int _requests;

    public AutoReleaseRetryTests()
    {
        var port = FreePort();
        _url = $"http://127.0.0.1:{port}/";
        _node.Prefixes.Add(_url);
        _node.Start();
        _ = ServeAsync();
    }

    private int Requests => Volatile.Read(ref _requests);

    [Fact]
    public async Task A_failing_node_is_retried_after_1_2_and_4_seconds_then_the_run_fails_with_the_node_error()
    {
        var clock = new RecordingClock();
        var service = Service(clock);

        var run = service.RunAsync(TestContext.Current.CancellationToken);

        foreach (var (attempt, wait) in new[] { (1, 1), (2, 2), (3, 4) })
        {
            await WaitForRequestsAsync(attempt);
            var delay = await clock.NextDelayAsync(attempt);
            delay.ShouldBe(TimeSpan.FromSeconds(wait), $"the wait after attempt {attempt}");
            Requests.ShouldBe(attempt, "nobody retries before the wait is over");
            clock.Advance(delay);
        }

        await WaitForRequestsAsync(4);
        var error = await Should.ThrowAsync<Exception>(() => run);
        AutoReleaseService.IsRetryable(error).ShouldBeTrue($"a node failure, not a contract decision: {error.GetType().Name}");
        Requests.ShouldBe(4, "AutoReleaseMaxAttempts (4) tries, no more");
        clock.Delays.Count.ShouldBe(3);
    }

    [Fact]
    public void Contract_refusals_are_not_retried_but_node_refusals_are()
    {
        AutoReleaseService.IsRetryable(new ChainTransactionException("The contract refused releaseAfterDeadline: InvalidState(escrowId: 1, state: 2).", "InvalidState")).ShouldBeFalse();
        AutoReleaseService.IsRetryable(new ChainTransactionException("The contract refused releaseAfterDeadline: execution reverted.", errorName: null)).ShouldBeFalse();
        AutoReleaseService.IsRetryable(new ChainTransactionException("The chain node refused releaseAfterDeadline: nonce too low.", errorName: null)).ShouldBeTrue();
        AutoReleaseService.IsRetryable(new HttpRequestException("connection refused")).ShouldBeTrue();
        AutoReleaseService.IsRetryable(new InvalidOperationException("a bug")).ShouldBeFalse();
    }

    private AutoReleaseService Service(TimeProvider clock)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(
            NeuroDataWebFactory.ExternalChainSettings
                .Where(kv => kv.Key != "NeuroData:Chain:RpcUrl")
                .Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))
                .Append(new("NeuroData:Chain:RpcUrl", _url)))
            .Build();
        var settings = ChainSettings.From(config, Path.GetTempPath(), ChainMode.External);
        var context = new ChainContext(settings);
        var signers = new ChainSigners(settings, new ContractErrorDecoder(new ContractArtifacts()), NullLoggerFactory.Instance);
        var database = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(Path.GetTempPath(), $"nd-unused-{Guid.NewGuid():N}.db")}");
        return new AutoReleaseService(
            new NeuroDataDbContextFactory(database, clock),
            context,
            new ChainGateway(context),
            new OperatorTransactionService(context, signers),
            CommerceJobSettings.Default,
            clock,
            NullLogger<AutoReleaseService>.Instance);
    }

    private async Task WaitForRequestsAsync(int count)
    {
        for (var i = 0; i < 300 && Requests < count; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Requests.ShouldBe(count);
    }

    private async Task ServeAsync()
    {
        while (_node.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _node.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            context.Response.StatusCode = (int)HttpStatusCode.BadGateway;
            context.Response.Close();
        }
    }

    /// <summary>A fake clock that records every timer (each Task.Delay) the code under test starts.</summary>
    private sealed class RecordingClock() : FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 20, 0, 0, TimeSpan.Zero))
    {
        private readonly List<TimeSpan> _delays = [];

        public IReadOnlyList<TimeSpan> Delays
        {
            get
            {
                lock (_delays)
                {
                    return [.. _delays];
                }
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_delays)
            {
                _delays.Add(dueTime);
            }

            return base.CreateTimer(callback, state, dueTime, period);
        }

        /// <summary>Waits (real time) until the n-th timer was started and returns its due time.</summary>
        public async Task<TimeSpan> NextDelayAsync(int n)
        {
            for (var i = 0; i < 300 && Delays.Count < n; i++)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }

            return Delays.Count >= n ? Delays[n - 1] : throw new TimeoutException($"no timer number {n} was started");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _node.Stop();
        _node.Close();
    }
}
