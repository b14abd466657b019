using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Infrastructure.Persistence.Configurations;

namespace NeuroData.Infrastructure.Jobs;

/// <summary>How a job run ended.</summary>
public enum JobRunOutcome
{
    /// <summary>Started and not finished yet (or the process stopped while it ran).</summary>
    Running,

    Succeeded,

    Failed,

    /// <summary>A trigger listener vetoed the run; the job did not execute.</summary>
    Vetoed,
}

/// <summary>
/// One execution of a Quartz job, written by <see cref="JobRunListener"/> for every job in the scheduler: when it
/// started and finished, how it ended, how many items it handled (the job's <c>context.Result</c>) and the error.
/// </summary>
public sealed class JobRun
{
    public const int NameMaxLength = 200;
    public const int ErrorMaxLength = 2000;
    public const int SummaryMaxLength = 500;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>"group.name" of the job.</summary>
    public string JobName { get; set; } = string.Empty;

    /// <summary>"group.name" of the trigger that fired it ("run now" shows as a MT_ trigger of group DEFAULT).</summary>
    public string? TriggerName { get; set; }

    /// <summary>Quartz's id of this firing (matches start and end of one run).</summary>
    public string FireInstanceId { get; set; } = string.Empty;

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public JobRunOutcome Outcome { get; set; }

    /// <summary>How many items the run handled, when the job reports it (an int or a <see cref="JobRunResult"/> as its result).</summary>
    public int? Items { get; set; }

    /// <summary>What the job reported about the run (e.g. "2 released, 1 already released").</summary>
    public string? Summary { get; set; }

    public string? Error { get; set; }

    public TimeSpan? Duration => FinishedAt is { } end ? end - StartedAt : null;
}

/// <summary>What a job can put in <c>IJobExecutionContext.Result</c> to have it recorded on its <see cref="JobRun"/>.</summary>
public sealed record JobRunResult(int Items, string? Summary);

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> b)
    {
        b.ToTable("JobRuns");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.JobName).HasMaxLength(JobRun.NameMaxLength).IsRequired();
        b.Property(r => r.TriggerName).HasMaxLength(JobRun.NameMaxLength);
        b.Property(r => r.FireInstanceId).HasMaxLength(100).IsUnicode(false).IsRequired();
        b.Property(r => r.Outcome).IsEnumText();
        b.Property(r => r.Summary).HasMaxLength(JobRun.SummaryMaxLength);
        b.Property(r => r.Error).HasMaxLength(JobRun.ErrorMaxLength);
        b.Ignore(r => r.Duration);
        b.HasIndex(r => r.FireInstanceId).IsUnique();
        b.HasIndex(r => new { r.JobName, r.StartedAt });
        b.HasIndex(r => r.StartedAt);
    }
}
