using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Training.Runs;

/// <summary>
/// Executes one claimed run: decrypts the version's training form inside the platform into a private temp file
/// (deleted afterwards whatever happens), trains with the configured limits, pushes progress (live in memory, to pages
/// at most 4 times a second, to the database every few seconds) and records the outcome: Succeeded with the metrics
/// and a <see cref="TrainedModel"/> row whose file is in the <see cref="ModelStore"/> (never one without the other),
/// Cancelled when the user cancelled, Failed with the engine's plain-words reason, or "internal error (logged)".
/// When the process shuts down mid-run the run is left Running for the next process to recover.
/// </summary>
public sealed class TrainingRunExecutor(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    IDatasetStorage storage,
    IModelTrainer trainer,
    ModelStore models,
    EntitlementService entitlements,
    TrainingRunRegistry registry,
    TrainingRunNotifier notifier,
    IOptions<TrainingRunOptions> options,
    TimeProvider clock,
    ILogger<TrainingRunExecutor> logger)
{
    public const string InternalErrorReason = "internal error (logged)";

    /// <summary>Temp files of a run start with this (so a restart can remove what a stopped process left).</summary>
    public const string TempPrefix = "run-";

    private TrainingRunNotifier Notifier => notifier;

    private TimeProvider Clock => clock;

    public async Task ExecuteAsync(ActiveRun active, CancellationToken shutdown)
    {
        var settings = options.Value;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(active.UserCancel.Token, shutdown);
        var folder = settings.TempPath;
        var form = Path.Combine(folder, $"{TempPrefix}{active.RunId:N}-{Guid.NewGuid():N}.parquet");
        var modelFile = Path.Combine(folder, $"{TempPrefix}{active.RunId:N}-{Guid.NewGuid():N}.zip");
        var sink = new ProgressSink(this, active, settings);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(stop.Token);
            var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == active.RunId, stop.Token);
            var version = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == run.DatasetVersionId, stop.Token);
            if (!await entitlements.CanTrainAsync(run.UserId, false, version.DatasetId, version.Id, stop.Token))
            {
                throw new TrainingException("You no longer have access to this dataset version (the purchase was refunded or the dataset removed).");
            }

            if (version.TrainingDataCid is null || version.TrainingDataWrappedKey is null)
            {
                throw new TrainingException($"Version {version.VersionNumber} has no training form, so it cannot be trained on.");
            }

            Directory.CreateDirectory(folder);
            sink.Report(new TrainingProgress("Opening the data", 0, 0, null, 0, 0, TimeSpan.Zero, null));
            await using (var plain = await storage.OpenAsync(version.TrainingDataCid, version.TrainingDataWrappedKey, 0, stop.Token))
            await using (var file = new FileStream(form, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await plain.CopyToAsync(file, stop.Token);
            }

            var parameters = JsonSerializer.Deserialize<Dictionary<string, double>>(run.ParametersJson) ?? [];
            var limits = new TrainingLimits(settings.MaxRows, TimeSpan.FromMinutes(settings.MaxMinutes), (long)settings.MaxMemoryMb << 20);
            var outcome = await trainer.TrainAsync(
                new TrainingRequest(form, TrainingDataFormat.Parquet, run.Task, run.Trainer, run.LabelColumn, run.Features, parameters, run.Validation, run.Seed, limits, modelFile),
                sink,
                stop.Token);
            stop.Token.ThrowIfCancellationRequested();
            await sink.StopAsync();
            await SucceedAsync(active, outcome);
        }
        catch (OperationCanceledException) when (active.UserCancel.IsCancellationRequested)
        {
            await sink.StopAsync();
            await FinishAsync(active, run => run.Cancel(clock.GetUtcNow()));
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            await sink.StopAsync();
            logger.LogWarning("Training run {RunId} stopped by shutdown; the next start queues it again.", active.RunId);
        }
        catch (TrainingException ex)
        {
            await sink.StopAsync();
            await FinishAsync(active, run => run.Fail(ex.Message, clock.GetUtcNow()));
        }
        catch (Exception ex)
        {
            await sink.StopAsync();
            logger.LogError(ex, "Training run {RunId} failed with an internal error.", active.RunId);
            await FinishAsync(active, run => run.Fail(InternalErrorReason, clock.GetUtcNow()));
        }
        finally
        {
            Delete(form);
            Delete(modelFile);
            await registry.StateGate.WaitAsync(CancellationToken.None);
            try
            {
                registry.Remove(active); // under the gate, so a cancel never touches a disposed run
            }
            finally
            {
                registry.StateGate.Release();
            }

            notifier.Changed(active.UserId, active.RunId);
        }
    }

    /// <summary>Deletes run temp files no run of this process uses (a stopped process's leftovers).</summary>
    internal static void CleanTempFolder(string folder, TrainingRunRegistry registry, ILogger logger)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, TempPrefix + "*"))
        {
            var name = Path.GetFileName(file);
            if (name.Length > TempPrefix.Length + 32 && Guid.TryParseExact(name.AsSpan(TempPrefix.Length, 32), "N", out var runId) && registry.Find(runId) is not null)
            {
                continue;
            }

            try
            {
                File.Delete(file);
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "Could not delete the leftover training file {File}.", file);
            }
        }
    }

    private async Task SucceedAsync(ActiveRun active, TrainingOutcome outcome)
    {
        if (outcome.ModelPath is null || !File.Exists(outcome.ModelPath))
        {
            throw new InvalidOperationException("The engine reported success without a model file.");
        }

        string? stored = null;
        await registry.StateGate.WaitAsync(CancellationToken.None);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var run = await db.TrainingRuns.SingleAsync(r => r.Id == active.RunId, CancellationToken.None);
            var now = clock.GetUtcNow();
            run.Succeed(outcome.MetricsJson, now);
            var previous = await db.TrainedModels
                .Where(m => m.UserId == run.UserId && m.Name == run.ModelName)
                .MaxAsync(m => (int?)m.VersionNumber, CancellationToken.None) ?? 0;

            // One model per run, so the run's id names the file. File first, then the row; a failed save removes the file.
            stored = models.Import(run.UserId, run.Id, outcome.ModelPath);
            var model = new TrainedModel(run, run.ModelName, previous + 1, stored, new FileInfo(models.FullPath(stored)).Length, null, null, now);
            db.TrainedModels.Add(model);
            await db.SaveChangesAsync(CancellationToken.None);
            logger.LogInformation("Training run {RunId} succeeded: {Metric} = {Value:F4}, model {ModelId} ({Name} v{Version}).",
                run.Id, outcome.Metrics.PrimaryMetric, outcome.Metrics.PrimaryValue, model.Id, model.Name, model.VersionNumber);
        }
        catch
        {
            if (stored is not null)
            {
                models.Delete(stored);
            }

            throw;
        }
        finally
        {
            registry.StateGate.Release();
        }
    }

    /// <summary>Records a final state; a database failure here is logged (the run stays Running and a restart recovers it).</summary>
    private async Task FinishAsync(ActiveRun active, Action<TrainingRun> change)
    {
        await registry.StateGate.WaitAsync(CancellationToken.None);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var run = await db.TrainingRuns.SingleAsync(r => r.Id == active.RunId, CancellationToken.None);
            if (!run.IsFinished)
            {
                change(run);
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record the end of training run {RunId}.", active.RunId);
        }
        finally
        {
            registry.StateGate.Release();
        }
    }

    private async Task SaveProgressAsync(Guid runId, TrainingProgress progress)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var run = await db.TrainingRuns.SingleAsync(r => r.Id == runId, CancellationToken.None);
            if (run.Status == TrainingRunStatus.Running)
            {
                run.ReportProgress(Math.Clamp(progress.Percent, 0, 100), progress.Stage, JsonSerializer.Serialize(progress, MlNetTrainer.Json));
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not save the progress of training run {RunId}.", runId);
        }
    }

    private void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException ex)
        {
            logger.LogError(ex, "Could not delete the training temp file {File}.", path);
        }
    }

    /// <summary>Receives the engine's reports on its thread: keeps the latest, tells the pages (throttled) and saves to
    /// the database at most every <see cref="TrainingRunOptions.ProgressSaveSeconds"/> (one save at a time).</summary>
    private sealed class ProgressSink(TrainingRunExecutor owner, ActiveRun active, TrainingRunOptions settings) : IProgress<TrainingProgress>
    {
        private readonly Lock _gate = new();
        private Task _saving = Task.CompletedTask;
        private long? _lastSave;
        private bool _stopped;

        public void Report(TrainingProgress value)
        {
            active.Latest = value;
            owner.Notifier.Progressed(active.UserId, active.RunId);
            var now = owner.Clock.GetTimestamp();
            lock (_gate)
            {
                if (_stopped || !_saving.IsCompleted
                    || (_lastSave is { } last && owner.Clock.GetElapsedTime(last, now).TotalSeconds < settings.ProgressSaveSeconds))
                {
                    return;
                }

                _lastSave = now;
                _saving = Task.Run(() => owner.SaveProgressAsync(active.RunId, value));
            }
        }

        /// <summary>No more saves; waits for the one in flight (so the final state is written after it).</summary>
        public Task StopAsync()
        {
            lock (_gate)
            {
                _stopped = true;
                return _saving;
            }
        }
    }
}
