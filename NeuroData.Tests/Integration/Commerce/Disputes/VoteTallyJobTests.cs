using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Commerce.Disputes;
using NeuroData.Infrastructure.Jobs;
using NeuroData.Tests.Integration.Disputes;
using NeuroData.Tests.Integration.Indexing;
using Quartz;

namespace NeuroData.Tests.Integration.Commerce.Disputes;

/// <summary>
/// A community vote whose period is over is executed on chain by the vote tally job (Quartz, as the app schedules it),
/// with no staker pressing "execute"; every run is recorded in the JobRun table; a second run finds nothing to do.
/// Real anvil, the app's services, the indexer and the reconcilers.
/// </summary>
public sealed class VoteTallyJobTests : IAsyncLifetime
{
    private readonly DevChainFixture _chain = new();
    private DisputeHarness _h = null!;
    private IHost? _host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _chain.InitializeAsync();
        _h = new DisputeHarness(_chain);
    }

    [Fact]
    public async Task The_job_executes_the_tally_once_the_voting_period_is_over_and_records_every_run()
    {
        _chain.RequireChain();
        await _h.InitializeAsync();
        await _h.StakeAsync(DisputeHarness.StakerA, 1_000);
        await _h.StakeAsync(DisputeHarness.StakerB, 300);
        var escrowId = await _h.PurchaseAsync(500);
        await _h.SyncAsync();
        var prepared = await _h.Get<EscrowService>().PrepareDisputeAsync(_h.Viewer("buyer"), escrowId, DevAccounts.Buyer.Address, "Wrong units in every column", DisputeMode.CommunityVote, [], Ct);
        await _h.SignAndSendAsync(DevAccounts.Buyer, prepared.Approve!);
        await _h.SignAndSendAsync(DevAccounts.Buyer, prepared.OpenDispute);
        await _h.SyncAsync();
        var votes = _h.Get<VoteService>();
        await _h.SignAndSendAsync(DisputeHarness.StakerA, await votes.BuildVoteAsync(_h.Users["staker-a"], escrowId, DisputeHarness.StakerA.Address, false, Ct));
        await _h.SignAndSendAsync(DisputeHarness.StakerB, await votes.BuildVoteAsync(_h.Users["staker-b"], escrowId, DisputeHarness.StakerB.Address, true, Ct));
        await _h.SyncAsync();

        var scheduler = await StartSchedulerAsync();

        // Voting is still open: the run succeeds and tallies nothing.
        var early = await RunAsync(scheduler, expectedRuns: 1);
        (early.Outcome, early.Items, early.Summary).ShouldBe((JobRunOutcome.Succeeded, 0, "0 votes tallied"));
        (await _h.Get<IChainGateway>().GetEscrowAsync(escrowId, Ct)).ShouldNotBeNull().State.ShouldBe(EscrowState.Disputed);

        // After the voting period (anvil time travel) the job executes the tally; the indexer records the outcome.
        await _h.TravelAsync(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        var due = await RunAsync(scheduler, expectedRuns: 2);
        (due.Outcome, due.Items, due.Summary).ShouldBe((JobRunOutcome.Succeeded, 1, "1 vote tallied"));
        due.JobName.ShouldContain(VoteTallyJob.Key.Name);
        await _h.SyncAsync();
        await using (var db = await _h.Db.CreateDbContextAsync(Ct))
        {
            var dispute = await db.Disputes.SingleAsync(Ct);
            (dispute.Status, dispute.Ruling, dispute.Mode).ShouldBe((DisputeStatus.Ruled, DisputeRuling.Refund, DisputeMode.CommunityVote), "staker A (1,000) voted for the buyer");
        }

        (await _h.WithdrawableAsync(DevAccounts.Buyer.Address)).ShouldBe(Domain.Common.TokenAmount.FromTokens(500) + prepared.Bond, "the price and the bond go back to the winning buyer");

        // Nothing is left to tally: the next run does nothing, and no run failed.
        var again = await RunAsync(scheduler, expectedRuns: 3);
        (again.Outcome, again.Items).ShouldBe((JobRunOutcome.Succeeded, 0));
    }

    [Fact]
    public void The_interval_is_checked_at_start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration["NeuroData:Commerce:VoteTallyIntervalSeconds"] = "2";
        Should.Throw<InvalidOperationException>(() => builder.AddDisputes()).Message.ShouldContain("VoteTallyIntervalSeconds must be between 5 and 86400");
    }

    /// <summary>The app's Quartz setup (JobsSetup) with the JobRun listener and the vote tally job as DisputeSetup schedules it.</summary>
    private async Task<IScheduler> StartSchedulerAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration["NeuroData:Jobs:Enabled"] = "false";
        builder.AddJobs();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_h.Db);
        builder.Services.AddSingleton(_h.Get<VoteService>());
        builder.Services.AddSingleton<IJobListener, JobRunListener>();
        builder.Services.Configure<QuartzOptions>(o => DisputeSetup.ScheduleVoteTally(o, 3600));
        _host = builder.Build();
        var scheduler = await _host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);
        await scheduler.Start(Ct);
        return scheduler;
    }

    private async Task<JobRun> RunAsync(IScheduler scheduler, int expectedRuns)
    {
        await scheduler.TriggerJob(VoteTallyJob.Key, Ct);
        for (var i = 0; i < 600; i++)
        {
            await using var db = await _h.Db.CreateDbContextAsync(Ct);
            var runs = (await db.Set<JobRun>().AsNoTracking().ToListAsync(Ct)).OrderBy(r => r.StartedAt).ThenBy(r => r.Id).ToList();
            if (runs.Count >= expectedRuns && runs.All(r => r.FinishedAt is not null))
            {
                runs.Count.ShouldBe(expectedRuns);
                return runs[^1];
            }

            await Task.Delay(50, Ct);
        }

        throw new TimeoutException($"Vote tally run {expectedRuns} did not finish within 30 s.");
    }

    public async ValueTask DisposeAsync()
    {
        _host?.Dispose();
        await _h.DisposeAsync();
        await _chain.DisposeAsync();
    }
}
