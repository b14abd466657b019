using System.Collections.Concurrent;

namespace NeuroData.Infrastructure.Search;

/// <summary>
/// A small, short-lived cache of search results for identical searches. Entries live <see cref="SearchOptions.CacheSeconds"/>
/// and are void as soon as <see cref="SearchChanges"/> reports a change saved through the application; at most
/// <see cref="SearchOptions.CacheEntries"/> entries (when full it starts over). Writes the application does not make
/// through EF's SaveChanges (raw SQL, other processes, the view counter) show after at most the lifetime.
/// </summary>
public sealed class SearchResultCache<T>(SearchOptions options, TimeProvider clock)
    where T : class
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(options.CacheSeconds);

    public bool Enabled => _lifetime > TimeSpan.Zero;

    public int Count => _entries.Count;

    /// <summary>The cached value for the key if it is fresh and nothing changed since it was read.</summary>
    public bool TryGet(string key, out T value)
    {
        value = null!;
        if (!Enabled || !_entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        if (entry.Generation != SearchChanges.Generation || clock.GetUtcNow() >= entry.Expires)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return false;
        }

        value = entry.Value;
        return true;
    }

    /// <summary>Keeps a value read while <paramref name="generation"/> (taken before reading) was current.</summary>
    public void Set(string key, T value, long generation)
    {
        if (!Enabled || generation != SearchChanges.Generation)
        {
            return;
        }

        if (_entries.Count >= options.CacheEntries)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(value, generation, clock.GetUtcNow() + _lifetime);
    }

    private sealed record Entry(T Value, long Generation, DateTimeOffset Expires);
}
