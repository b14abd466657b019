using NeuroData.Infrastructure.Queries;

namespace NeuroData.Infrastructure.Search.Index;

/// <summary>A page of dataset ids and the (capped) number of matches.</summary>
public sealed record IndexResult(IReadOnlyList<Guid> Ids, int Total, bool TotalIsCapped)
{
    /// <summary>The page's cards built from the index's documents, in <see cref="Ids"/> order.</summary>
    public IReadOnlyList<DatasetCard> Cards { get; init; } = [];
}

/// <summary>
/// Answers a <see cref="MarketplaceSearch"/> from a snapshot with the semantics of the database path: every term must
/// match; relevance is FTS5's bm25 (k1 1.2, b 0.75, column weights title 10, keywords 4, description 1), ties by newest
/// then id; other sorts walk pre-sorted arrays; the count stops after the cap.
/// </summary>
public static class IndexSearcher
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    public static IndexResult Search(IndexSnapshot s, MarketplaceSearch search, IReadOnlyList<string> terms, int countCap)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(terms);
        var page = Math.Max(1, search.Page);
        var pageSize = Math.Clamp(search.PageSize, 1, MarketplaceQueries.MaxPageSize);
        var empty = new IndexResult([], 0, false);
        if (Filter.Create(s, search) is not { } filter)
        {
            return empty;
        }

        var skip = (long)(page - 1) * pageSize;
        var pageEnd = (int)Math.Min(int.MaxValue, skip + pageSize);
        var byRelevance = search.Sort == MarketplaceSort.Relevance && terms.Count > 0;
        var sort = search.Sort switch
        {
            MarketplaceSort.PriceLowToHigh => 1,
            MarketplaceSort.PriceHighToLow => 2,
            MarketplaceSort.MostPurchased => 3,
            MarketplaceSort.TopRated => 4,
            _ => 0,
        };

        // Candidates from the postings (words, tags), intersected smallest first; null = every live dataset.
        int[]? candidates = null;
        double[]? scores = null;
        if (terms.Count > 0)
        {
            if (!Match(s, terms, byRelevance, out candidates, out scores))
            {
                return empty;
            }
        }

        foreach (var tag in filter.TagIds)
        {
            if (!s.TagPostings.TryGetValue(tag, out var tagged))
            {
                return empty;
            }

            if (candidates is null)
            {
                candidates = [.. tagged.Where(o => s.Documents[o] is not null)];
            }
            else
            {
                (candidates, scores) = Intersect(candidates, scores, tagged);
            }
        }

        if (candidates is not null && (byRelevance || candidates.Length * 16 < s.Live))
        {
            return FromCandidates(s, filter, candidates, scores, byRelevance, sort, skip, pageEnd, countCap);
        }

        ulong[]? member = null;
        if (candidates is not null)
        {
            member = new ulong[(s.Used + 63) / 64];
            foreach (var o in candidates)
            {
                member[o >> 6] |= 1UL << (o & 63);
            }
        }

        return Walk(s, filter, member, sort, skip, pageEnd, countCap);
    }

    /// <summary>Walks the sort's array, keeping what passes, until the count passes the cap and the page is full.</summary>
    private static IndexResult Walk(IndexSnapshot s, Filter filter, ulong[]? member, int sort, long skip, int pageEnd, int countCap)
    {
        var order = s.Sorted(sort);
        var ids = new List<Guid>();
        var count = 0;
        foreach (var o in order)
        {
            if (member is not null && (member[o >> 6] & (1UL << (o & 63))) == 0)
            {
                continue;
            }

            if (!filter.Passes(s, o))
            {
                continue;
            }

            if (count >= skip && count < pageEnd)
            {
                ids.Add(s.Documents[o]!.Id);
            }

            count++;
            if (count > countCap && count >= pageEnd)
            {
                break;
            }
        }

        return count > countCap ? new IndexResult(ids, countCap, true) : new IndexResult(ids, count, false);
    }

    private static IndexResult FromCandidates(
        IndexSnapshot s, Filter filter, int[] candidates, double[]? scores, bool byRelevance, int sort, long skip, int pageEnd, int countCap)
    {
        var docs = s.Documents;
        Comparison<int> better; // over positions in candidates: negative = a comes first
        if (byRelevance)
        {
            var sc = scores!;
            better = (a, b) =>
            {
                var c = sc[b].CompareTo(sc[a]);
                return c != 0 ? c : IndexSnapshot.Newest(docs[candidates[a]]!, docs[candidates[b]]!);
            };
        }
        else
        {
            var byOrdinal = s.Comparer(sort);
            better = (a, b) => byOrdinal(candidates[a], candidates[b]);
        }

        // The worst kept result on top: a bounded heap of the best pageEnd.
        var heap = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) => better(b, a)));
        var count = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (!filter.Passes(s, candidates[i]))
            {
                continue;
            }

            count++;
            if (heap.Count < pageEnd)
            {
                heap.Enqueue(i, i);
            }
            else if (better(i, heap.Peek()) < 0)
            {
                heap.DequeueEnqueue(i, i);
            }
        }

        var best = new int[heap.Count];
        for (var i = best.Length - 1; i >= 0; i--)
        {
            best[i] = heap.Dequeue();
        }

        var ids = best.Skip((int)Math.Min(skip, best.Length)).Select(i => docs[candidates[i]]!.Id).ToList();
        return count > countCap ? new IndexResult(ids, countCap, true) : new IndexResult(ids, count, false);
    }

    /// <summary>Live documents holding every term (and their bm25 scores when ranking); false when a term is unknown.</summary>
    private static bool Match(IndexSnapshot s, IReadOnlyList<string> terms, bool rank, out int[]? candidates, out double[]? scores)
    {
        candidates = null;
        scores = null;
        var postings = new List<Posting>(terms.Count);
        foreach (var term in terms)
        {
            if (!s.Terms.TryGetValue(term, out var posting))
            {
                return false;
            }

            postings.Add(posting);
        }

        postings.Sort((a, b) => a.Documents.Length.CompareTo(b.Documents.Length));
        var docs = s.Documents;
        var live = Math.Max(1, s.Live);
        var averageLength = s.Live == 0 ? 1.0 : (double)s.TotalLength / s.Live;
        double Idf(Posting p)
        {
            var hits = s.Dead == 0 ? p.Documents.Length : p.Documents.Count(o => docs[o] is not null);
            var idf = Math.Log((live - hits + 0.5) / (hits + 0.5));
            return idf <= 0.0 ? 1e-6 : idf;
        }

        var lengths = s.Columns.Length;
        double Part(double idf, int frequency, int ordinal) =>
            idf * (frequency * (K1 + 1.0) / (frequency + (K1 * (1 - B + (B * lengths[ordinal] / averageLength)))));

        var first = postings[0];
        var firstIdf = rank ? Idf(first) : 0;
        var ords = new List<int>(first.Documents.Length);
        var sc = new List<double>(rank ? first.Documents.Length : 0);
        for (var i = 0; i < first.Documents.Length; i++)
        {
            var o = first.Documents[i];
            if (docs[o] is not null)
            {
                ords.Add(o);
                if (rank)
                {
                    sc.Add(Part(firstIdf, first.Frequencies[i], o));
                }
            }
        }

        for (var t = 1; t < postings.Count && ords.Count > 0; t++)
        {
            var p = postings[t];
            var idf = rank ? Idf(p) : 0;
            var keptOrds = new List<int>(ords.Count);
            var keptScores = new List<double>(rank ? ords.Count : 0);
            var from = 0;
            for (var i = 0; i < ords.Count; i++)
            {
                var at = Find(p.Documents, from, ords[i]);
                if (at < 0)
                {
                    from = ~at;
                    continue;
                }

                from = at + 1;
                keptOrds.Add(ords[i]);
                if (rank)
                {
                    keptScores.Add(sc[i] + Part(idf, p.Frequencies[at], ords[i]));
                }
            }

            ords = keptOrds;
            sc = keptScores;
        }

        candidates = [.. ords];
        scores = rank ? [.. sc] : null;
        return true;
    }

    /// <summary>Galloping search for <paramref name="value"/> in <paramref name="sorted"/> from <paramref name="from"/>: its index, or the complement of where it would be.</summary>
    private static int Find(int[] sorted, int from, int value)
    {
        var step = 1;
        var hi = from;
        while (hi < sorted.Length && sorted[hi] < value)
        {
            from = hi + 1;
            hi += step;
            step <<= 1;
        }

        var index = Array.BinarySearch(sorted, from, Math.Min(hi + 1, sorted.Length) - from, value);
        return index;
    }

    private static (int[] Candidates, double[]? Scores) Intersect(int[] candidates, double[]? scores, int[] tagged)
    {
        var ords = new List<int>(Math.Min(candidates.Length, tagged.Length));
        var sc = scores is null ? null : new List<double>(ords.Capacity);
        var from = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            var at = Find(tagged, from, candidates[i]);
            if (at < 0)
            {
                from = ~at;
                continue;
            }

            from = at + 1;
            ords.Add(candidates[i]);
            sc?.Add(scores![i]);
        }

        return ([.. ords], sc is null ? null : [.. sc]);
    }

    /// <summary>Every filter of the search except words and tags, resolved against the snapshot.</summary>
    private sealed class Filter
    {
        public Guid[] TagIds { get; private init; } = [];

        private bool[]? _categories; // by FilterColumns.CategoryNumber; null = any category
        private int _format = -1;
        private double _stars;
        private bool _rating;
        private int _accessBits;
        private bool _featuredOnly;
        private bool _needsDocument; // price, size, seller or an excluded id: read from the document itself
        private MarketplaceSearch _search = null!;

        /// <summary>Null when the search can match nothing (unknown category or tag).</summary>
        public static Filter? Create(IndexSnapshot s, MarketplaceSearch search)
        {
            bool[]? categories = null;
            if (search.CategoryId is not null || !string.IsNullOrWhiteSpace(search.CategorySlug))
            {
                var root = search.CategoryId
                    ?? s.Categories.Values.FirstOrDefault(c => string.Equals(c.Slug, search.CategorySlug!.Trim(), StringComparison.OrdinalIgnoreCase))?.Id;
                if (root is null || !s.Categories.ContainsKey(root.Value))
                {
                    return null;
                }

                var numbers = s.Columns.CategoryNumber;
                categories = new bool[numbers.Count];
                categories[numbers[root.Value]] = true;
                var queue = new Queue<Guid>([root.Value]);
                while (queue.TryDequeue(out var parent))
                {
                    foreach (var child in s.Categories.Values.Where(c => c.ParentId == parent))
                    {
                        if (!categories[numbers[child.Id]])
                        {
                            categories[numbers[child.Id]] = true;
                            queue.Enqueue(child.Id);
                        }
                    }
                }
            }

            var tagIds = new List<Guid>();
            if (search.TagSlugs.Count > 0)
            {
                var slugs = search.TagSlugs.Select(x => x.Trim().ToLowerInvariant()).Where(x => x.Length > 0).Distinct().ToList();
                foreach (var slug in slugs)
                {
                    if (!s.TagBySlug.TryGetValue(slug, out var tag))
                    {
                        return null;
                    }

                    tagIds.Add(tag.Id);
                }
            }

            return new Filter
            {
                TagIds = [.. tagIds],
                _categories = categories,
                _format = search.Format is { } f ? (int)f : -1,
                _rating = search.MinRating is not null,
                _stars = search.MinRating is { } r ? Math.Clamp(r, 1, 5) : 0,
                _accessBits = search.AccessType is { } a ? (int)a : 0,
                _featuredOnly = search.FeaturedOnly,
                _needsDocument = search.MinPrice is not null || search.MaxPrice is not null || search.MinSizeBytes is not null
                    || search.MaxSizeBytes is not null || search.SellerId is not null || search.ExcludeDatasetId is not null,
                _search = search,
            };
        }

        /// <summary>Whether the live document at <paramref name="ordinal"/> passes: the column checks first, the document only when needed.</summary>
        public bool Passes(IndexSnapshot s, int ordinal)
        {
            var c = s.Columns;
            if (_categories is not null && (c.Category[ordinal] is var k && (k < 0 || !_categories[k])))
            {
                return false;
            }

            if ((_format >= 0 && c.Format[ordinal] != _format)
                || (_rating && c.Rating[ordinal] < _stars)
                || (_accessBits != 0 && (c.Access[ordinal] & _accessBits) != _accessBits)
                || (_featuredOnly && !c.Featured[ordinal]))
            {
                return false;
            }

            if (!_needsDocument)
            {
                return true;
            }

            var d = s.Documents[ordinal]!;
            var q = _search;
            return (q.MinPrice is not { } min || d.Price >= min)
                && (q.MaxPrice is not { } max || d.Price <= max)
                && (q.MinSizeBytes is not { } minSize || (d.SizeBytes is { } s1 && s1 >= minSize))
                && (q.MaxSizeBytes is not { } maxSize || (d.SizeBytes is { } s2 && s2 <= maxSize))
                && (q.SellerId is not { } seller || d.SellerId == seller)
                && (q.ExcludeDatasetId is not { } excluded || d.Id != excluded);
        }
    }
}
