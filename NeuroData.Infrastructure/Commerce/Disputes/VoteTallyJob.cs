using Microsoft.Extensions.Logging;
using NeuroData.Infrastructure.Jobs;
using Quartz;

namespace NeuroData.Infrastructure.Commerce.Disputes;

/// <summary>
/// Quartz job (every VoteTallyIntervalSeconds): executes the tally of every community vote whose voting period is over
/// (<see cref="VoteService.ExecuteDueVoteTalliesAsync"/>, with the platform key), so a vote's result reaches the chain
/// even when no staker presses "execute". Idempotent: a tally somebody else executed first is skipped. Each run is
/// recorded in the JobRun table with the number of tallies executed.
/// </summary>
[DisallowConcurrentExecution]
public sealed class VoteTallyJob(VoteService votes, ILogger<VoteTallyJob> logger) : IJob
{
    public static readonly JobKey Key = new("vote-tally", "commerce");

    public async Task Execute(IJobExecutionContext context)
    {
        try
        {
            var tallied = await votes.ExecuteDueVoteTalliesAsync(context.CancellationToken);
            context.Result = new JobRunResult(tallied, tallied == 1 ? "1 vote tallied" : $"{tallied} votes tallied");
            if (tallied > 0)
            {
                logger.LogInformation("Executed {Count} community vote tallies", tallied);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Executing the due vote tallies failed; the next run tries again");
            throw new JobExecutionException(ex, refireImmediately: false);
        }
    }
}
