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
        var finished = new TaskCompletionSource<TrainingRunSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = services.GetRequiredService<ITrainingRunUpdates>().Subscribe(userId, id => _ = Task.Run(async () =>
        {
            if (await runs.GetAsync(userId, false, id) is { Status: not (TrainingRunStatus.Queued or TrainingRunStatus.Running) } run)
            {
                finished.TrySetResult(run);
            }
        }));

        await runs.QueueAsync(userId, TrainingRunHarness.Binary(versionId), Ct);
        var done = await finished.Task.WaitAsync(TimeSpan.FromSeconds(120), Ct);

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
}
