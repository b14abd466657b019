namespace NeuroData.Infrastructure.Training.Runs;

/// <summary>Settings of the training run queue (<c>NeuroData:Training:Runs</c>).</summary>
public sealed class TrainingRunOptions
{
    public const string SectionName = "NeuroData:Training:Runs";

    /// <summary>Runs one user may have queued or running at once. Default 3.</summary>
    public int MaxActivePerUser { get; set; } = 3;

    /// <summary>Most rows a run may train on (a larger version is refused when queued). Default 1,000,000.</summary>
    public long MaxRows { get; set; } = 1_000_000;

    /// <summary>Longest a run may train, in minutes. Default 30.</summary>
    public int MaxMinutes { get; set; } = 30;

    /// <summary>Most memory a run may use, in MiB. Default 2048.</summary>
    public int MaxMemoryMb { get; set; } = 2048;

    /// <summary>Runs training at the same time on this server (all users). Default 1.</summary>
    public int MaxConcurrentRuns { get; set; } = 1;

    /// <summary>Seconds between the dispatcher's safety-net passes (a queued run also wakes it at once). Default 10.</summary>
    public int DispatchIntervalSeconds { get; set; } = 10;

    /// <summary>Seconds between saves of a running run's progress to the database (pages get it live in between). Default 2.</summary>
    public double ProgressSaveSeconds { get; set; } = 2;

    /// <summary>Folder for decrypted training forms while a run trains (deleted afterwards). Empty: <c>{DataDirectory}/training-tmp</c>.</summary>
    public string TempPath { get; set; } = string.Empty;

    public void Validate()
    {
        Check(MaxActivePerUser is >= 1 and <= 1000, nameof(MaxActivePerUser), "between 1 and 1000");
        Check(MaxRows >= 1, nameof(MaxRows), "at least 1");
        Check(MaxMinutes is >= 1 and <= 24 * 60, nameof(MaxMinutes), "between 1 and 1440");
        Check(MaxMemoryMb is >= 64 and <= 1024 * 1024, nameof(MaxMemoryMb), "between 64 and 1048576");
        Check(MaxConcurrentRuns is >= 1 and <= 64, nameof(MaxConcurrentRuns), "between 1 and 64");
        Check(DispatchIntervalSeconds is >= 1 and <= 3600, nameof(DispatchIntervalSeconds), "between 1 and 3600");
        Check(ProgressSaveSeconds is >= 0.1 and <= 600, nameof(ProgressSaveSeconds), "between 0.1 and 600");
        Check(!string.IsNullOrWhiteSpace(TempPath), nameof(TempPath), "set (it defaults to {DataDirectory}/training-tmp)");
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{SectionName}:{name} must be {rule}.");
        }
    }
}
