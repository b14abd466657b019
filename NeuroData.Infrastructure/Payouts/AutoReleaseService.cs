using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Payouts;

/// <summary>What one auto-release run did.</summary>
/// <param name="Due">Escrows the mirror showed as funded and past their deadline.</param>
/// <param name="Released">Released by this run (the operator's transaction succeeded).</param>
/// <param name="AlreadySettled">No longer funded on chain (released, refunded or disputed by someone else first).</param>
/// <param name="NotDue">The contract's clock had not reached the deadline yet.</param>
/// <param name="Failed">Refused for another reason, or the node kept failing after every retry.</param>
public sealed record AutoReleaseResult(int Due, int Released, int AlreadySettled, int NotDue, int Failed, IReadOnlyList<string> Errors)
{
    public string Summary =>
        $"{Due} due: {Released} released, {AlreadySettled} already settled, {NotDue} not due yet, {Failed} failed";
}

/// <summary>
/// Releases escrows whose review deadline has passed, with the platform operator key (anyone may call
/// <c>releaseAfterDeadline</c>). Candidates come from the chain mirror (state Funded, deadline at or before the
/// latest block's timestamp, which is the clock the contract uses). Each candidate is re-read from the contract first;
/// an escrow that someone settled in the meantime (a buyer's confirmation, a dispute, a user's own release) is
/// skipped, and a refusal with <c>InvalidState</c> (a race lost by a few seconds) counts the same: idempotent, never
/// an error. Node failures (unreachable, timeouts, refused before the contract ran) are retried with exponential backoff.
/// </summary>
public sealed class AutoReleaseService(
    IDbContextFactory<NeuroDataDbContext> contexts,
    ChainContext chain,
    IChainGateway gateway,
    IPlatformChainOperator chainOperator,
    CommerceJobSettings settings,
    TimeProvider clock,
    ILogger<AutoReleaseService> logger)
{
    public async Task<AutoReleaseResult> RunAsync(CancellationToken cancellationToken)
    {
        await chain.GetContractsAsync(cancellationToken);
        var chainNow = await WithRetryAsync("read the latest block", LatestBlockTimeAsync, cancellationToken);

        List<long> due;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var chainId = chain.Settings.ChainId;
            var funded = await db.Set<MirrorEscrow>().AsNoTracking()
                .Where(e => e.ChainId == chainId && e.State == MirrorEscrowState.Funded)
                .Select(e => new { e.EscrowId, e.Deadline })
                .ToListAsync(cancellationToken);

            // Filtered in memory: DateTimeOffset comparisons differ between the providers' converters.
            due = funded.Where(e => e.Deadline <= chainNow).OrderBy(e => e.Deadline).ThenBy(e => e.EscrowId)
                .Take(settings.AutoReleaseBatchSize).Select(e => e.EscrowId).ToList();
        }

        int released = 0, settled = 0, notDue = 0, failed = 0;
        var errors = new List<string>();
        foreach (var escrowId in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var onChain = await WithRetryAsync($"read escrow #{escrowId}", ct => gateway.GetEscrowAsync(escrowId, ct), cancellationToken);
                if (onChain is null || onChain.State != EscrowState.Funded)
                {
                    settled++;
                    continue;
                }

                if (onChain.Deadline > chainNow)
                {
                    notDue++;
                    continue;
                }

                var receipt = await WithRetryAsync($"release escrow #{escrowId}", ct => chainOperator.ReleaseAfterDeadlineAsync(escrowId, ct), cancellationToken);
                logger.LogInformation("Auto-released escrow #{EscrowId} after its deadline in {Hash} (block {Block})", escrowId, receipt.Hash, receipt.BlockNumber);
                released++;
            }
            catch (ChainTransactionException ex) when (ex.ErrorName is "InvalidState" or "UnknownEscrow")
            {
                logger.LogInformation("Escrow #{EscrowId} was settled by someone else first; nothing to release", escrowId);
                settled++;
            }
            catch (ChainTransactionException ex) when (ex.ErrorName == "DeadlineNotReached")
            {
                notDue++;
            }
            catch (Exception ex) when (ex is ChainTransactionException || IsNodeFailure(ex))
            {
                logger.LogWarning(ex, "Auto-release of escrow #{EscrowId} failed", escrowId);
                failed++;
                errors.Add($"escrow #{escrowId}: {ex.Message}");
            }
        }

        return new AutoReleaseResult(due.Count, released, settled, notDue, failed, errors);
    }

    /// <summary>The timestamp of the latest block: the contract compares deadlines with block time, not ours.</summary>
    private async Task<DateTimeOffset> LatestBlockTimeAsync(CancellationToken cancellationToken)
    {
        var block = await chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest())
            .WaitAsync(cancellationToken);
        return DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
    }

    /// <summary>Runs a chain call, retrying node failures with exponential backoff; contract refusals are not retried.</summary>
    private async Task<T> WithRetryAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var delay = settings.AutoReleaseBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (Exception ex) when (attempt < settings.AutoReleaseMaxAttempts && IsRetryable(ex) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not {What} (attempt {Attempt} of {Max}): {Reason}; retrying in {Delay} ms",
                    what, attempt, settings.AutoReleaseMaxAttempts, ex.Message, (int)delay.TotalMilliseconds);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, clock, cancellationToken);
                }

                delay *= 2;
            }
        }
    }

    /// <summary>A node problem (worth another try), not a decision of the contract.</summary>
    public static bool IsRetryable(Exception ex) => ex switch
    {
        ChainTransactionException chainError => chainError.ErrorName is null && !chainError.Message.StartsWith("The contract refused", StringComparison.Ordinal),
        _ => IsNodeFailure(ex),
    };

    private static bool IsNodeFailure(Exception ex) =>
        ex is HttpRequestException or RpcClientUnknownException or RpcClientTimeoutException or TimeoutException or RpcResponseException;
}
