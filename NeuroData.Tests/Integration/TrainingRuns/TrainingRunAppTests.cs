using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Jobs;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Training.Runs;
using NeuroData.Tests.Integration.Web;
using NeuroData.Tests.Unit.Training;

namespace NeuroData.Tests.Integration.TrainingRuns;

/// <summary>The queue as the app wires it: queueing fires the Quartz job <c>training.dispatch</c>, which trains the run;
/// the page is told through <see cref="ITrainingRunUpdates"/> without polling.</summary>
public sealed class TrainingRunAppTests : IAsyncLifetime
{
    private readonly NeuroDataWebFactory _app = new();
    private readonly TrainingFiles _files = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _app.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task A_queued_run_is_trained_by_the_dispatch_job_and_its_user_is_told()
    {
        var services = _app.Services;
        var factory = services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>();
        var clock = services.GetRequiredService<TimeProvider>();
        var userId = Guid.CreateVersion7();
        await using (var db = await factory.CreateDbContextAsync(Ct))
        {
            var name = $"trainer-{userId:N}@example.test";
            db.Users.Add(new ApplicationUser
            {
                Id = userId, UserName = name, NormalizedUserName = name.ToUpperInvariant(), Email = name, NormalizedEmail = name.ToUpperInvariant(),
                EmailConfirmed = true, SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(Ct);
        }

        var (_, versionId) = await TrainingRunHarness.SeedDatasetAsync(factory, services.GetRequiredService<IDatasetStorage>(), clock.GetUtcNow(), userId, _files.Separable(), Ct);
        var runs = services.GetRequiredService<ITrainingRuns>();

        // The handler only records which run changed (as a page's handler only schedules a re-render); the test reads
        // the run itself, so a failed read fails the test instead of silently losing the notification.
        var told = System.Threading.Channels.Channel.CreateUnbounded<Guid>();
        using var subscription = services.GetRequiredService<ITrainingRunUpdates>().Subscribe(userId, id => told.Writer.TryWrite(id));

        var runId = await runs.QueueAsync(userId, TrainingRunHarness.Binary(versionId), Ct);
        var done = await FinishedAsync(runs, userId, runId, told.Reader);

        done.Status.ShouldBe(TrainingRunStatus.Succeeded, done.FailureReason);
        done.Metrics!.Binary!.Auc.ShouldBeGreaterThan(0.9);
        done.ModelId.ShouldNotBeNull();
        var options = services.GetRequiredService<IOptions<TrainingRunOptions>>().Value;
        options.TempPath.ShouldBe(Path.Combine(_app.DataDirectory, "training-tmp"));
        Directory.EnumerateFiles(options.TempPath).ShouldBeEmpty();
        await using var check = await factory.CreateDbContextAsync(Ct);
        var model = await check.TrainedModels.SingleAsync(m => m.Id == done.ModelId, Ct);
        File.Exists(services.GetRequiredService<ModelStore>().FullPath(model)).ShouldBeTrue();
        (await check.Set<JobRun>().AnyAsync(j => j.JobName == TrainingDispatchJob.Key.ToString(), Ct)).ShouldBeTrue();
    }

    /// <summary>
    /// Waits for a notification after which the run reads as ended. The limit only detects a hang (a 2-core CI machine
    /// shares the CPU with the E2E app); then the message says where the run stopped and shows the app's log.
    /// </summary>
    private async Task<TrainingRunSnapshot> FinishedAsync(ITrainingRuns runs, Guid userId, Guid runId, System.Threading.Channels.ChannelReader<Guid> told)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(180));
        try
        {
            while (true)
            {
                if (await told.ReadAsync(limit.Token) == runId
                    && await runs.GetAsync(userId, false, runId) is { Status: not (TrainingRunStatus.Queued or TrainingRunStatus.Running) } run)
                {
                    return run;
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            var last = await runs.GetAsync(userId, false, runId);
            throw new ShouldAssertException(
                $"no notification told the end of run {runId} within 180 s; it reads {last?.Status} (stage {last?.Progress?.Stage}), " +
                $"failure: {last?.FailureReason}\nApp log:\n{_app.RecentLog()}");
        }
    }
}
