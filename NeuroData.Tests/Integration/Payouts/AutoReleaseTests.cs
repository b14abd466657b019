using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Jobs;
using NeuroData.Infrastructure.Payouts;
using NeuroData.Tests.Integration.Indexing;
using Quartz;

namespace NeuroData.Tests.Integration.Payouts;

/// <summary>
/// The auto-release job against a real anvil with the real contracts, run by a real Quartz scheduler through the app's
/// registrations: the deadline reached by anvil time travel, an idempotent second run, a race with a manual release,
/// and a JobRun row for every run.
/// </summary>
public sealed class AutoReleaseTests : IAsyncLifetime
{
    private readonly DevChainFixture chain = new();
    private PayoutsTestHost? _host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PayoutsTestHost Host => _host!;

    [Fact]
    public async Task Escrows_past_their_deadline_are_released_once_by_the_job_and_every_run_is_recorded()
    {
        chain.RequireChain();
        var listing = await Host.ListAsync(DevAccounts.Seller, 100, Ct);
        var byJob = await Host.BuyAsync(DevAccounts.Buyer, listing, 100, Ct);
        var raced = await Host.BuyAsync(DevAccounts.Buyer, listing, 100, Ct);
        var confirmed = await Host.BuyAsync(DevAccounts.Buyer, listing, 100, Ct);
        using (var buyer = chain.Sender(DevAccounts.Buyer))
        {
            await buyer.SendAsync(chain.Contracts.EscrowManager, new ConfirmFunction { EscrowId = confirmed }, Ct);
        }

        await Host.IndexAsync(Ct);
        var scheduler = await Host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);
        await scheduler.Start(Ct);

        // Before the deadline: nothing is due, nothing is sent.
        var operatorAddress = Host.Services.GetRequiredService<IPlatformChainOperator>().Address;
        var nonceBefore = await Host.NonceAsync(operatorAddress);
        var early = await RunJobAsync(scheduler, expectedRuns: 1);
        early.Outcome.ShouldBe(JobRunOutcome.Succeeded);
        early.Items.ShouldBe(0);
        early.Summary.ShouldStartWith("0 due");
        (await Host.NonceAsync(operatorAddress)).ShouldBe(nonceBefore);

        await Host.TimeTravelAsync(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        // A user releases one escrow themselves after the mirror last saw it funded: the job must not fail on it.
        using (var someone = chain.Sender(DevAccounts.Arbitrator))
        {
            await someone.SendAsync(chain.Contracts.EscrowManager, new ReleaseAfterDeadlineFunction { EscrowId = raced }, Ct);
        }

        var run = await RunJobAsync(scheduler, expectedRuns: 2);
        run.Outcome.ShouldBe(JobRunOutcome.Succeeded, run.Error);
        run.Items.ShouldBe(1);
        run.Summary.ShouldBe("2 due: 1 released, 1 already settled, 0 not due yet, 0 failed");
        run.JobName.ShouldBe(AutoReleaseJob.Key.ToString());
        run.FinishedAt.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(run.StartedAt);
        (await Host.NonceAsync(operatorAddress)).ShouldBe(nonceBefore + 1, "exactly one release transaction was sent");

        var gateway = Host.Services.GetRequiredService<IChainGateway>();
        foreach (var id in new[] { byJob, raced, confirmed })
        {
            (await gateway.GetEscrowAsync(id, Ct)).ShouldNotBeNull().State.ShouldBe(EscrowState.Released, $"escrow #{id}");
        }

        // Each sale credits the seller price - 0.25 % fee, exactly once.
        (await Host.WithdrawableAsync(DevAccounts.Seller.Address, Ct)).ShouldBe(TokenAmount.ParseTokens("299.25"));

        // The mirror catches up: a second run finds nothing and sends nothing.
        await Host.IndexAsync(Ct);
        var again = await RunJobAsync(scheduler, expectedRuns: 3);
        again.Outcome.ShouldBe(JobRunOutcome.Succeeded);
        again.Summary.ShouldStartWith("0 due");
        (await Host.NonceAsync(operatorAddress)).ShouldBe(nonceBefore + 1);
        (await Host.WithdrawableAsync(DevAccounts.Seller.Address, Ct)).ShouldBe(TokenAmount.ParseTokens("299.25"));

        // Losing a race outright is decoded from the contract's custom error, which the service counts as settled.
        var refused = await Should.ThrowAsync<ChainTransactionException>(() => Host.Services.GetRequiredService<IPlatformChainOperator>().ReleaseAfterDeadlineAsync(byJob, Ct));
        refused.ErrorName.ShouldBe("InvalidState");

        await scheduler.Shutdown(true, Ct);
    }

    [Fact]
    public async Task A_failing_job_run_is_recorded_as_failed_with_its_error_and_the_run_now_list_shows_the_job()
    {
        chain.RequireChain();
        var admin = Host.Services.GetRequiredService<JobsAdmin>();
        var scheduler = await Host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);
        var failing = JobBuilder.Create<AlwaysFailingJob>().WithIdentity("always-fails", "tests").StoreDurably().Build();
        await scheduler.AddJob(failing, replace: true, Ct);
        await scheduler.Start(Ct);

        var jobs = await admin.ListAsync(Ct);
        var autoRelease = jobs.Single(j => j.Name == AutoReleaseJob.Key.ToString());
        autoRelease.Schedule.ShouldBe("every 1 h");
        autoRelease.NextFireTime.ShouldNotBeNull();
        jobs.Single(j => j.Name == "tests.always-fails").Schedule.ShouldBe("on demand");

        await admin.RunNowAsync("tests.always-fails", Ct);
        var run = await WaitForFinishedRunsAsync(1);
        run.JobName.ShouldBe("tests.always-fails");
        run.Outcome.ShouldBe(JobRunOutcome.Failed);
        run.Error.ShouldBe("the node is down");
        (await admin.ListAsync(Ct)).Single(j => j.Name == "tests.always-fails").LastRun.ShouldNotBeNull().Outcome.ShouldBe(JobRunOutcome.Failed);
        (await admin.RecentRunsAsync(Ct)).Count.ShouldBe(1);

        var unknown = await Should.ThrowAsync<DomainException>(() => admin.RunNowAsync("tests.nope", Ct));
        unknown.Message.ShouldContain("no job named 'tests.nope'");
        await scheduler.Shutdown(true, Ct);
    }

    private async Task<JobRun> RunJobAsync(IScheduler scheduler, int expectedRuns)
    {
        await scheduler.TriggerJob(AutoReleaseJob.Key, Ct);
        return await WaitForFinishedRunsAsync(expectedRuns);
    }

    private async Task<JobRun> WaitForFinishedRunsAsync(int expectedRuns)
    {
        for (var i = 0; i < 600; i++)
        {
            var runs = await Host.RunsAsync(Ct);
            if (runs.Count >= expectedRuns && runs.All(r => r.FinishedAt is not null))
            {
                runs.Count.ShouldBe(expectedRuns);
                return runs[^1];
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Job run {expectedRuns} did not finish within 60 s.");
    }

    public async ValueTask InitializeAsync()
    {
        await chain.InitializeAsync();
        if (chain.Contracts is not null)
        {
            _host = await PayoutsTestHost.StartAsync(chain, null, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await chain.DisposeAsync();
    }
}

/// <summary>A job that always fails, to see the listener record a failure.</summary>
internal sealed class AlwaysFailingJob : IJob
{
    public Task Execute(IJobExecutionContext context) => throw new JobExecutionException(new HttpRequestException("the node is down"));
}
