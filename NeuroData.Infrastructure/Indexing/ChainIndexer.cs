using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Persistence;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace NeuroData.Infrastructure.Indexing;

/// <summary>What the indexer mirrors and how carefully.</summary>
public sealed record ChainIndexerOptions
{
    public required string RpcUrl { get; init; }

    public required ChainId ChainId { get; init; }

    /// <summary>Contract name (NeuroCoin, Staking, DataMarketplace, EscrowManager) to its address.</summary>
    public required IReadOnlyDictionary<string, EthAddress> Contracts { get; init; }

    /// <summary>The block the contracts were deployed in; nothing before it is read.</summary>
    public long StartBlock { get; init; }

    /// <summary>Blocks that must follow a block before it is indexed (0 on a local dev chain).</summary>
    public int ConfirmationDepth { get; init; }

    /// <summary>Most blocks read in one pass (one database transaction).</summary>
    public int BatchSize { get; init; } = 500;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>What one pass did.</summary>
public enum IndexerPassOutcome
{
    UpToDate,
    Advanced,
    ReorgReverted,
    Retry,
}

/// <summary>The result of a pass: what happened, the range, the touched accounts.</summary>
public sealed record IndexerPass(IndexerPassOutcome Outcome, long LastBlock, long ChainHead, int Events, IReadOnlyCollection<EthAddress> TouchedAccounts);

/// <summary>
/// Mirrors contract events into the database. Each pass reads at most <see cref="ChainIndexerOptions.BatchSize"/>
/// confirmed blocks and commits, in ONE transaction, the raw logs, their projections, the block hashes and the cursor:
/// a crash at any point leaves either the whole batch or none of it. Before each pass the stored hash of the cursor
/// block is compared with the chain; on a mismatch (a reorganisation) the indexer walks back to the last block both
/// agree on, deletes what came after, and rebuilds the projections from the remaining raw logs.
/// </summary>
public sealed class ChainIndexer(
    IDbContextFactory<NeuroDataDbContext> contexts,
    ChainIndexerOptions options,
    TimeProvider clock,
    ILogger<ChainIndexer> logger)
{
    private readonly Web3 _web3 = new(options.RpcUrl);
    private readonly Dictionary<EthAddress, string> _contractByAddress = options.Contracts.ToDictionary(kv => kv.Value, kv => kv.Key);

    public ChainIndexerOptions Options => options;

    /// <summary>Runs passes until the mirror is at the confirmed head (or the token is cancelled).</summary>
    public async Task<IndexerPass> CatchUpAsync(CancellationToken ct)
    {
        while (true)
        {
            var pass = await RunOnceAsync(ct).ConfigureAwait(false);
            if (pass.Outcome == IndexerPassOutcome.UpToDate)
            {
                return pass;
            }
        }
    }

    /// <summary>One pass: check for a reorg, then index the next batch of confirmed blocks.</summary>
    public async Task<IndexerPass> RunOnceAsync(CancellationToken ct)
    {
        var head = (long)(await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(ct).ConfigureAwait(false)).Value;
        var safe = head - options.ConfirmationDepth;

        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var cursor = await db.Set<IndexerCursor>().AsNoTracking().SingleOrDefaultAsync(c => c.ChainId == options.ChainId, ct).ConfigureAwait(false);
        var last = cursor?.LastBlock ?? options.StartBlock - 1;

        var stored = await db.Set<IndexedBlock>().AsNoTracking()
            .Where(b => b.ChainId == options.ChainId && b.Number == last)
            .SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (stored is not null)
        {
            var onChain = last <= head ? await HeaderAsync(last, ct).ConfigureAwait(false) : null;
            if (onChain is null || !SameHash(onChain.BlockHash, stored.Hash))
            {
                var fork = await RevertReorgAsync(db, last, head, ct).ConfigureAwait(false);
                return new IndexerPass(IndexerPassOutcome.ReorgReverted, fork, head, 0, []);
            }
        }

        if (last >= safe)
        {
            return new IndexerPass(IndexerPassOutcome.UpToDate, last, head, 0, []);
        }

        var from = last + 1;
        var to = Math.Min(safe, from + options.BatchSize - 1);
        var before = await HeaderAsync(to, ct).ConfigureAwait(false);
        var logs = await _web3.Eth.Filters.GetLogs.SendRequestAsync(new NewFilterInput
        {
            FromBlock = new BlockParameter(new HexBigInteger(from)),
            ToBlock = new BlockParameter(new HexBigInteger(to)),
            Address = options.Contracts.Values.Select(a => a.Value).ToArray(),
        }).WaitAsync(ct).ConfigureAwait(false);
        var after = await HeaderAsync(to, ct).ConfigureAwait(false);
        if (before is null || after is null || !SameHash(before.BlockHash, after.BlockHash))
        {
            logger.LogInformation("Chain changed under blocks {From}-{To} while reading; retrying", from, to);
            return new IndexerPass(IndexerPassOutcome.Retry, last, head, 0, []);
        }

        var fromHeader = from == to ? after : await HeaderAsync(from, ct).ConfigureAwait(false);
        if (stored is not null && fromHeader is not null && !SameHash(fromHeader.ParentHash, stored.Hash))
        {
            return new IndexerPass(IndexerPassOutcome.Retry, last, head, 0, []);
        }

        var ordered = logs.Where(l => l.Removed != true)
            .OrderBy(l => l.BlockNumber.Value).ThenBy(l => l.LogIndex.Value).ToList();

        // One transaction for the batch; under a retrying execution strategy (PostgreSQL) the whole unit re-runs on a
        // fresh context, so a retry can never apply half a batch twice.
        IReadOnlyCollection<EthAddress> touched = [];
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var write = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            await using var transaction = await write.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            var projector = new Projector(write, options.ChainId);
            var blocks = new Dictionary<long, (string Hash, string? Parent)>();
            foreach (var log in ordered)
            {
                var record = ToRecord(log);
                write.Set<ChainLogRecord>().Add(record);
                blocks[record.BlockNumber] = (record.BlockHash, null);
                if (Decode(record) is { } decoded)
                {
                    await projector.ApplyAsync(decoded, record.TxHash, record.BlockNumber, ct).ConfigureAwait(false);
                }
            }

            blocks[to] = (Normalize(after.BlockHash), Normalize(after.ParentHash));
            foreach (var (number, (hash, parent)) in blocks)
            {
                write.Set<IndexedBlock>().Add(new IndexedBlock { ChainId = options.ChainId, Number = number, Hash = hash, ParentHash = parent ?? string.Empty });
            }

            await UpsertCursorAsync(write, to, ct).ConfigureAwait(false);
            await write.SaveChangesAsync(ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            touched = projector.TouchedAccounts;
        }).ConfigureAwait(false);

        logger.LogDebug("Indexed blocks {From}-{To}: {Events} events", from, to, ordered.Count);
        return new IndexerPass(IndexerPassOutcome.Advanced, to, head, ordered.Count, touched);
    }

    /// <summary>Deletes everything the mirror holds for this chain and indexes again from the start block.</summary>
    public async Task RebuildFromRawLogsAsync(CancellationToken ct)
    {
        await using var probe = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await probe.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            await ReplayAsync(db, ct).ConfigureAwait(false);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private async Task<long> RevertReorgAsync(NeuroDataDbContext db, long last, long head, CancellationToken ct)
    {
        // Walk back over the blocks we stored until the chain agrees with us.
        var candidates = await db.Set<IndexedBlock>().AsNoTracking()
            .Where(b => b.ChainId == options.ChainId && b.Number <= last)
            .OrderByDescending(b => b.Number)
            .Select(b => new { b.Number, b.Hash })
            .ToListAsync(ct).ConfigureAwait(false);
        var fork = options.StartBlock - 1;
        foreach (var candidate in candidates)
        {
            if (candidate.Number > head)
            {
                continue;
            }

            var header = await HeaderAsync(candidate.Number, ct).ConfigureAwait(false);
            if (header is not null && SameHash(header.BlockHash, candidate.Hash))
            {
                fork = candidate.Number;
                break;
            }
        }

        logger.LogWarning("Chain reorganisation: stored block {Last} is no longer on chain {ChainId}; reverting to block {Fork}", last, options.ChainId.Value, fork);

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var write = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            await using var transaction = await write.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            await write.Set<ChainLogRecord>().Where(l => l.ChainId == options.ChainId && l.BlockNumber > fork).ExecuteDeleteAsync(ct).ConfigureAwait(false);
            await write.Set<IndexedBlock>().Where(b => b.ChainId == options.ChainId && b.Number > fork).ExecuteDeleteAsync(ct).ConfigureAwait(false);
            await ReplayAsync(write, ct).ConfigureAwait(false);
            await UpsertCursorAsync(write, fork, ct).ConfigureAwait(false);
            await write.SaveChangesAsync(ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return fork;
    }

    private async Task ReplayAsync(NeuroDataDbContext db, CancellationToken ct)
    {
        var projector = new Projector(db, options.ChainId);
        await projector.ClearAsync(ct).ConfigureAwait(false);
        var records = await db.Set<ChainLogRecord>().AsNoTracking()
            .Where(l => l.ChainId == options.ChainId)
            .OrderBy(l => l.BlockNumber).ThenBy(l => l.LogIndex)
            .ToListAsync(ct).ConfigureAwait(false);
        foreach (var record in records)
        {
            if (Decode(record) is { } decoded)
            {
                await projector.ApplyAsync(decoded, record.TxHash, record.BlockNumber, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task UpsertCursorAsync(NeuroDataDbContext db, long lastBlock, CancellationToken ct)
    {
        var cursor = await db.Set<IndexerCursor>().SingleOrDefaultAsync(c => c.ChainId == options.ChainId, ct).ConfigureAwait(false);
        if (cursor is null)
        {
            cursor = new IndexerCursor { ChainId = options.ChainId };
            db.Set<IndexerCursor>().Add(cursor);
        }

        cursor.LastBlock = lastBlock;
        cursor.UpdatedAt = clock.GetUtcNow();
    }

    private DecodedEvent? Decode(ChainLogRecord record)
    {
        var topics = record.Topics.Length == 0 ? [] : record.Topics.Split(',');
        if (topics.Length == 0 || !_contractByAddress.TryGetValue(record.Address, out var contract))
        {
            return null;
        }

        return ContractEvents.Find(contract, topics[0])?.Decode(topics, record.Data);
    }

    private ChainLogRecord ToRecord(FilterLog log)
    {
        var record = new ChainLogRecord
        {
            ChainId = options.ChainId,
            BlockNumber = (long)log.BlockNumber.Value,
            BlockHash = Normalize(log.BlockHash),
            TxHash = TxHash.Parse(log.TransactionHash),
            LogIndex = (int)log.LogIndex.Value,
            Address = EthAddress.Parse(log.Address),
            Topics = string.Join(',', (log.Topics ?? []).Select(t => Normalize(t?.ToString() ?? string.Empty))),
            Data = Normalize(log.Data ?? "0x"),
        };
        record.EventName = Decode(record)?.Name;
        return record;
    }

    private async Task<BlockWithTransactionHashes?> HeaderAsync(long number, CancellationToken ct) =>
        await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber
            .SendRequestAsync(new BlockParameter(new HexBigInteger(new BigInteger(number))))
            .WaitAsync(ct).ConfigureAwait(false);

    private static string Normalize(string hex) => hex.ToLowerInvariant();

    private static bool SameHash(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
