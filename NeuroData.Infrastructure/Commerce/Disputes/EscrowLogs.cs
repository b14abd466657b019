using System.Globalization;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Commerce.Disputes;

/// <summary>A raw EscrowManager log of one escrow, decoded.</summary>
public sealed record EscrowLogEntry(long EscrowId, long BlockNumber, int LogIndex, TxHash TxHash, DecodedEvent Event);

/// <summary>Reads the EscrowManager's raw logs (the indexer keeps every log as the chain gave it).</summary>
public static class EscrowLogs
{
    /// <summary>The events that carry an escrow id (topic 1, or topic 2 for Credited).</summary>
    public static readonly IReadOnlyList<string> EscrowEvents =
        ["EscrowOpened", "TrancheReleased", "EscrowReleased", "EscrowRefunded", "DisputeOpened", "VoteCast", "DisputeResolved", "Credited"];

    /// <summary>The 32-byte topic of an escrow id ("0x000…0c").</summary>
    public static string Topic(long escrowId) => "0x" + escrowId.ToString("x64", CultureInfo.InvariantCulture);

    /// <summary>Every log of one escrow, in chain order.</summary>
    public static async Task<IReadOnlyList<EscrowLogEntry>> ForEscrowAsync(NeuroDataDbContext db, ChainId chainId, long escrowId, CancellationToken ct)
    {
        var topic = Topic(escrowId);
        var rows = await db.Set<ChainLogRecord>().AsNoTracking()
            .Where(l => l.ChainId == chainId && l.EventName != null && EscrowEvents.Contains(l.EventName) && l.Topics.Contains(topic))
            .ToListAsync(ct);
        return Decode(rows).Where(e => e.EscrowId == escrowId).OrderBy(e => e.BlockNumber).ThenBy(e => e.LogIndex).ToList();
    }

    /// <summary>Every log of the named events of the chain, decoded (for the few dispute events).</summary>
    public static async Task<IReadOnlyList<EscrowLogEntry>> OfEventsAsync(NeuroDataDbContext db, ChainId chainId, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        var rows = await db.Set<ChainLogRecord>().AsNoTracking()
            .Where(l => l.ChainId == chainId && l.EventName != null && names.Contains(l.EventName))
            .ToListAsync(ct);
        return Decode(rows).OrderBy(e => e.BlockNumber).ThenBy(e => e.LogIndex).ToList();
    }

    private static IEnumerable<EscrowLogEntry> Decode(IEnumerable<ChainLogRecord> rows)
    {
        foreach (var row in rows)
        {
            var topics = row.Topics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var definition = ContractEvents.Find("EscrowManager", topics[0]);
            if (definition is null)
            {
                continue;
            }

            var decoded = definition.Decode(topics, row.Data);
            var id = decoded.Values.TryGetValue("escrowId", out var v) ? (BigInteger)v : BigInteger.MinusOne;
            if (id < 0 || id > long.MaxValue)
            {
                continue;
            }

            yield return new EscrowLogEntry((long)id, row.BlockNumber, row.LogIndex, row.TxHash, decoded);
        }
    }
}
