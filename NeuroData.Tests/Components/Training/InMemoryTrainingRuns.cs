using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Training.Runs;

namespace NeuroData.Tests.Components.Training;

/// <summary>
/// A small in-memory run queue for the page tests: versions and runs per user, queued requests recorded, an optional
/// refusal (as the real service refuses bad requests with a DomainException), and change notifications on demand.
/// Runs of other users are not found, like the real service.
/// </summary>
internal sealed class InMemoryTrainingRuns : ITrainingRuns, ITrainingRunUpdates
{
    private readonly Lock _gate = new();
    private readonly List<(Guid UserId, Action<Guid> Changed)> _subscribers = [];

    public Dictionary<Guid, List<TrainableVersion>> Versions { get; } = [];

    public List<TrainingRunSnapshot> Stored { get; } = [];

    public List<(Guid UserId, TrainingRunRequest Request)> Queued { get; } = [];

    public List<(Guid UserId, Guid RunId)> Cancelled { get; } = [];

    /// <summary>When set, QueueAsync refuses with this message.</summary>
    public string? RefuseWith { get; set; }

    public Guid NextRunId { get; set; } = Guid.CreateVersion7();

    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    public Task<IReadOnlyList<TrainableVersion>> TrainableAsync(Guid userId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TrainableVersion>>(Versions.GetValueOrDefault(userId) ?? []);

    public Task<Guid> QueueAsync(Guid userId, TrainingRunRequest request, CancellationToken cancellationToken = default)
    {
        if (RefuseWith is not null)
        {
            throw new DomainException(RefuseWith);
        }

        Queued.Add((userId, request));
        return Task.FromResult(NextRunId);
    }

    public Task<TrainingRunSnapshot?> GetAsync(Guid userId, bool isAdmin, Guid runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Stored.FirstOrDefault(r => r.Id == runId && (r.UserId == userId || isAdmin)));
        }
    }

    public Task<IReadOnlyList<TrainingRunSnapshot>> ListAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<TrainingRunSnapshot>>([.. Stored.Where(r => r.UserId == userId).OrderByDescending(r => r.QueuedAt)]);
        }
    }

    public Task CancelAsync(Guid userId, Guid runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var index = Stored.FindIndex(r => r.Id == runId && r.UserId == userId);
            if (index < 0)
            {
                throw new DomainException("There is no such run.");
            }

            if (Stored[index].Status is not (Domain.Training.TrainingRunStatus.Queued or Domain.Training.TrainingRunStatus.Running))
            {
                throw new DomainException("The run has finished and cannot be cancelled.");
            }

            Cancelled.Add((userId, runId));
            Stored[index] = Stored[index] with { Status = Domain.Training.TrainingRunStatus.Cancelled, Progress = null, QueuePosition = null, FinishedAt = Stored[index].QueuedAt.AddMinutes(1) };
        }

        return Task.CompletedTask;
    }

    public IDisposable Subscribe(Guid userId, Action<Guid> changed)
    {
        var entry = (userId, changed);
        lock (_gate)
        {
            _subscribers.Add(entry);
        }

        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                _subscribers.Remove(entry);
            }
        });
    }

    /// <summary>Replaces a stored run and tells its user's subscribers, as the queue does when a run changes.</summary>
    public void Update(TrainingRunSnapshot run)
    {
        List<Action<Guid>> targets;
        lock (_gate)
        {
            var index = Stored.FindIndex(r => r.Id == run.Id);
            if (index >= 0)
            {
                Stored[index] = run;
            }
            else
            {
                Stored.Add(run);
            }

            targets = [.. _subscribers.Where(s => s.UserId == run.UserId).Select(s => s.Changed)];
        }

        foreach (var changed in targets)
        {
            changed(run.Id);
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
