namespace NeuroData.Infrastructure.Search;

/// <summary>Marketplace search settings (configuration section <c>NeuroData:Search</c>).</summary>
public sealed class SearchOptions
{
    public const string Section = "NeuroData:Search";

    /// <summary>
    /// Counting stops after this many matches: a result with more says "1,000+" and pages through the first ones
    /// (default 1,000).
    /// </summary>
    public int CountCap { get; set; } = 1000;

    /// <summary>
    /// How long a search result is reused for the identical search, in seconds (default 30; 0 = no cache). Any save
    /// through the application of a dataset, version, tag, category, review or seller profile empties the cache.
    /// </summary>
    public int CacheSeconds { get; set; } = 30;

    /// <summary>At most this many cached results (default 2,000); when full, the cache starts over.</summary>
    public int CacheEntries { get; set; } = 2000;

    /// <summary>
    /// Which engine answers searches: <c>memory</c> (default: the in-memory index of the live datasets, once loaded; the
    /// database until then) or <c>database</c> (FTS5 / tsvector queries only).
    /// </summary>
    public string Engine { get; set; } = MemoryEngine;

    /// <summary>Seconds between passes that find writes made outside this process (default 60).</summary>
    public int IndexRefreshSeconds { get; set; } = 60;

    public const string MemoryEngine = "memory";

    public const string DatabaseEngine = "database";

    public bool UsesMemoryIndex => string.Equals(Engine, MemoryEngine, StringComparison.OrdinalIgnoreCase);

    /// <summary>The settings with the cache off (what a <see cref="Queries.MarketplaceQueries"/> built by hand uses).</summary>
    public static SearchOptions NoCache => new() { CacheSeconds = 0 };

    /// <summary>Throws a clear message for values that make no sense.</summary>
    public SearchOptions Validate()
    {
        if (CountCap < 1)
        {
            throw new InvalidOperationException($"{Section}:CountCap must be at least 1 (got {CountCap}).");
        }

        if (CacheSeconds < 0)
        {
            throw new InvalidOperationException($"{Section}:CacheSeconds must be 0 (off) or more (got {CacheSeconds}).");
        }

        if (CacheEntries < 1)
        {
            throw new InvalidOperationException($"{Section}:CacheEntries must be at least 1 (got {CacheEntries}).");
        }

        if (!string.Equals(Engine, MemoryEngine, StringComparison.OrdinalIgnoreCase) && !string.Equals(Engine, DatabaseEngine, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{Section}:Engine must be \"{MemoryEngine}\" or \"{DatabaseEngine}\" (got \"{Engine}\").");
        }

        if (IndexRefreshSeconds < 1)
        {
            throw new InvalidOperationException($"{Section}:IndexRefreshSeconds must be at least 1 (got {IndexRefreshSeconds}).");
        }

        return this;
    }
}
