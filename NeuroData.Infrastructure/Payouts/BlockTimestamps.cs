using System.Collections.Concurrent;
using NeuroData.Infrastructure.Chain;

namespace NeuroData.Infrastructure.Payouts;

/// <summary>
/// Block timestamps by block hash (a hash names one block forever, so the cache never goes stale, even across
/// reorganisations). The mirror's raw logs carry block hash and number but no time; payouts and fee income need it.
/// </summary>
public sealed class BlockTimestamps(ChainContext chain)
{
    private const int MaxCached = 200_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The timestamp of each block (by hash); a block the node no longer knows (reorganised away) is left out.</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetAsync(IEnumerable<string> blockHashes, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        foreach (var hash in blockHashes.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (_cache.TryGetValue(hash, out var known))
            {
                result[hash] = known;
                continue;
            }

            var block = await chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByHash.SendRequestAsync(hash).WaitAsync(cancellationToken);
            if (block?.Timestamp is null)
            {
                continue;
            }

            var time = DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
            if (_cache.Count >= MaxCached)
            {
                _cache.Clear();
            }

            _cache[hash] = time;
            result[hash] = time;
        }

        return result;
    }
}
