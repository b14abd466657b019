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

        return this;
    }
}
