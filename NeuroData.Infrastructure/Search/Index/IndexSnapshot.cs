using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;

namespace NeuroData.Infrastructure.Search.Index;

/// <summary>One live dataset as the index holds it: every field a filter or sort reads, and what change detection compares.</summary>
public sealed class IndexedDataset
{
    public required Guid Id { get; init; }

    /// <summary>The id as two big-endian halves: the order of its hexadecimal text (the databases' id order).</summary>
    public ulong IdHigh { get; init; }

    public ulong IdLow { get; init; }

    public required long PublishedTicks { get; init; }

    public required TokenAmount Price { get; init; }

    public Guid? CategoryId { get; init; }

    public required Guid[] TagIds { get; init; }

    public DatasetFormat? Format { get; init; }

    public long? SizeBytes { get; init; }

    public double RatingAverage { get; init; }

    public int ReviewCount { get; init; }

    public int RatingSum { get; init; }

    public int PurchaseCount { get; init; }

    public int ViewCount { get; init; }

    public DatasetAccessTypes AccessTypes { get; init; }

    public bool IsFeatured { get; init; }

    public Guid SellerId { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>What a search result card shows (held here so a page of results needs no database round trip).</summary>
    public string Title { get; init; } = string.Empty;

    public string Slug { get; init; } = string.Empty;

    /// <summary>The card's plain-text summary of the description (<see cref="Queries.MarketplaceQueries.Summarize"/>).</summary>
    public string Summary { get; init; } = string.Empty;

    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>The seller's display name when the document was read (null: no profile).</summary>
    public string? SellerName { get; init; }

    /// <summary>Words in title, keywords and description together (bm25's document length).</summary>
    public int Length { get; set; }

    public static (ulong High, ulong Low) Split(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return (System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes), System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    public int CompareId(IndexedDataset other)
    {
        var c = IdHigh.CompareTo(other.IdHigh);
        return c != 0 ? c : IdLow.CompareTo(other.IdLow);
    }
}

/// <summary>Documents (ascending ordinals) of one term and the column-weighted number of times it occurs in each.</summary>
public sealed class Posting(int[] documents, int[] frequencies)
{
    public int[] Documents { get; } = documents;

    /// <summary>10 × occurrences in the title + 4 × in the keywords + 1 × in the description (bm25's weighted count).</summary>
    public int[] Frequencies { get; } = frequencies;

    public Posting Append(List<(int Ordinal, int Frequency)> added)
    {
        var docs = new int[Documents.Length + added.Count];
        var freqs = new int[docs.Length];
        Documents.CopyTo(docs, 0);
        Frequencies.CopyTo(freqs, 0);
        for (var i = 0; i < added.Count; i++)
        {
            docs[Documents.Length + i] = added[i].Ordinal;
            freqs[Documents.Length + i] = added[i].Frequency;
        }

        return new Posting(docs, freqs);
    }
}

public sealed record IndexedCategory(Guid Id, Guid? ParentId, string Slug, string Name);

public sealed record IndexedTag(Guid Id, string Slug, string Name);

/// <summary>
/// An immutable state of the index. Ordinals of removed or replaced documents stay in the postings and are skipped
/// (<see cref="Documents"/> holds null there) until the next compaction.
/// </summary>
public sealed class IndexSnapshot
{
    private readonly Lazy<int[]>[] _sorted;

    public IndexSnapshot(
        IndexedDataset?[] documents,
        int used,
        Dictionary<string, Posting> terms,
        Dictionary<Guid, int[]> tagPostings,
        Dictionary<Guid, int> ordinalOf,
        long totalLength,
        IReadOnlyDictionary<Guid, IndexedCategory> categories,
        IReadOnlyDictionary<Guid, IndexedTag> tags)
    {
        Documents = documents;
        Used = used;
        Terms = terms;
        TagPostings = tagPostings;
        OrdinalOf = ordinalOf;
        TotalLength = totalLength;
        Categories = categories;
        Tags = tags;
        TagBySlug = tags.Values.GroupBy(t => t.Slug, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _sorted = [.. Enumerable.Range(0, SortCount).Select(i => new Lazy<int[]>(() => BuildSorted(i)))];
        Columns = new FilterColumns(documents, used, categories);
    }

    /// <summary>The fields filters and ranking read most, one array per field indexed by ordinal (see <see cref="FilterColumns"/>).</summary>
    public FilterColumns Columns { get; }

    /// <summary>Sorts kept as arrays: newest, price up, price down, popular, rating.</summary>
    public const int SortCount = 5;

    public IndexedDataset?[] Documents { get; }

    /// <summary>Ordinals in use (the rest of <see cref="Documents"/> is spare room).</summary>
    public int Used { get; }

    public Dictionary<string, Posting> Terms { get; }

    public Dictionary<Guid, int[]> TagPostings { get; }

    public Dictionary<Guid, int> OrdinalOf { get; }

    public int Live => OrdinalOf.Count;

    public int Dead => Used - OrdinalOf.Count;

    public long TotalLength { get; }

    public IReadOnlyDictionary<Guid, IndexedCategory> Categories { get; }

    public IReadOnlyDictionary<Guid, IndexedTag> Tags { get; }

    public IReadOnlyDictionary<string, IndexedTag> TagBySlug { get; }

    /// <summary>Live ordinals in the order of sort <paramref name="sort"/> (built on first use).</summary>
    public int[] Sorted(int sort) => _sorted[sort].Value;

    public Comparison<int> Comparer(int sort)
    {
        var docs = Documents;
        return sort switch
        {
            0 => (a, b) => Newest(docs[a]!, docs[b]!),
            1 => (a, b) => Then(docs[a]!.Price.CompareTo(docs[b]!.Price), docs[a]!, docs[b]!),
            2 => (a, b) => Then(docs[b]!.Price.CompareTo(docs[a]!.Price), docs[a]!, docs[b]!),
            3 => (a, b) =>
            {
                var x = docs[a]!;
                var y = docs[b]!;
                var c = y.PurchaseCount.CompareTo(x.PurchaseCount);
                return Then(c != 0 ? c : y.ViewCount.CompareTo(x.ViewCount), x, y);
            },
            _ => (a, b) =>
            {
                var x = docs[a]!;
                var y = docs[b]!;
                var c = y.RatingAverage.CompareTo(x.RatingAverage);
                return Then(c != 0 ? c : y.ReviewCount.CompareTo(x.ReviewCount), x, y);
            },
        };
    }

    /// <summary>Newest first, then id.</summary>
    public static int Newest(IndexedDataset x, IndexedDataset y) => Then(y.PublishedTicks.CompareTo(x.PublishedTicks), x, y);

    private static int Then(int c, IndexedDataset x, IndexedDataset y) => c != 0 ? c : x.CompareId(y);

    private int[] BuildSorted(int sort)
    {
        var live = new int[Live];
        var n = 0;
        for (var i = 0; i < Used; i++)
        {
            if (Documents[i] is not null)
            {
                live[n++] = i;
            }
        }

        Array.Sort(live, Comparer(sort));
        return live;
    }
}

/// <summary>
/// Per-ordinal copies of the document fields that filters and bm25 read for many documents per search (category,
/// format, rating, access types, featured, length). Walking a sort order touches documents in random order; reading
/// these small arrays instead of each <see cref="IndexedDataset"/> object keeps that walk in the CPU cache.
/// </summary>
public sealed class FilterColumns
{
    public FilterColumns(IndexedDataset?[] documents, int used, IReadOnlyDictionary<Guid, IndexedCategory> categories)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(categories);
        CategoryNumber = new Dictionary<Guid, int>(categories.Count);
        foreach (var id in categories.Keys)
        {
            CategoryNumber[id] = CategoryNumber.Count;
        }

        Category = new int[used];
        Format = new sbyte[used];
        Rating = new double[used];
        Access = new int[used];
        Featured = new bool[used];
        Length = new int[used];
        for (var o = 0; o < used; o++)
        {
            if (documents[o] is not { } d)
            {
                Category[o] = -1;
                Format[o] = -1;
                continue;
            }

            Category[o] = d.CategoryId is { } c && CategoryNumber.TryGetValue(c, out var n) ? n : -1;
            Format[o] = d.Format is { } f ? (sbyte)f : (sbyte)-1;
            Rating[o] = d.RatingAverage;
            Access[o] = (int)d.AccessTypes;
            Featured[o] = d.IsFeatured;
            Length[o] = d.Length;
        }
    }

    /// <summary>A small number per category id (the index into a filter's allowed-categories array).</summary>
    public Dictionary<Guid, int> CategoryNumber { get; }

    /// <summary>The document's category number, -1 when it has none (or it is not in the catalog).</summary>
    public int[] Category { get; }

    /// <summary>The latest version's format, -1 when unknown.</summary>
    public sbyte[] Format { get; }

    public double[] Rating { get; }

    public int[] Access { get; }

    public bool[] Featured { get; }

    /// <summary>Words in title, keywords and description (bm25's document length).</summary>
    public int[] Length { get; }
}
