namespace NeuroData.Infrastructure.Search.Index;

/// <summary>A live dataset read from the database with the text the index holds.</summary>
public sealed record LoadedDataset(IndexedDataset Document, string Title, string Keywords, string Description);

/// <summary>Builds snapshots: a new one from scratch, or the next one from a previous one (copy-on-write).</summary>
public static class IndexBuilder
{
    public const int TitleWeight = 10;
    public const int KeywordsWeight = 4;
    public const int DescriptionWeight = 1;

    /// <summary>
    /// The next snapshot: the documents of <paramref name="replaced"/> leave (whether or not they come back), then the
    /// <paramref name="loaded"/> ones join with new ordinals. The previous snapshot is not changed (readers keep using it).
    /// </summary>
    public static IndexSnapshot Apply(
        IndexSnapshot? previous,
        IEnumerable<Guid> replaced,
        IReadOnlyList<LoadedDataset> loaded,
        IReadOnlyDictionary<Guid, IndexedCategory> categories,
        IReadOnlyDictionary<Guid, IndexedTag> tags)
    {
        ArgumentNullException.ThrowIfNull(replaced);
        ArgumentNullException.ThrowIfNull(loaded);
        var used = previous?.Used ?? 0;
        var capacity = Math.Max(16, used + loaded.Count);
        if (previous is not null && previous.Documents.Length >= used + loaded.Count)
        {
            capacity = previous.Documents.Length;
        }
        else if (previous is not null)
        {
            capacity = Math.Max(capacity, previous.Documents.Length * 3 / 2);
        }

        var documents = new IndexedDataset?[capacity];
        var ordinalOf = previous is null ? new Dictionary<Guid, int>(loaded.Count) : new Dictionary<Guid, int>(previous.OrdinalOf);
        var totalLength = previous?.TotalLength ?? 0;
        if (previous is not null)
        {
            Array.Copy(previous.Documents, documents, used);
        }

        foreach (var id in replaced)
        {
            if (ordinalOf.Remove(id, out var ordinal))
            {
                totalLength -= documents[ordinal]!.Length;
                documents[ordinal] = null;
            }
        }

        var termAdds = new Dictionary<string, List<(int Ordinal, int Frequency)>>(StringComparer.Ordinal);
        var tagAdds = new Dictionary<Guid, List<int>>();
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in loaded)
        {
            if (ordinalOf.Remove(row.Document.Id, out var stale))
            {
                totalLength -= documents[stale]!.Length;
                documents[stale] = null;
            }

            var ordinal = used++;
            documents[ordinal] = row.Document;
            ordinalOf[row.Document.Id] = ordinal;
            frequencies.Clear();
            var length = 0;
            void Count(string term, int weight)
            {
                length++;
                frequencies[term] = frequencies.GetValueOrDefault(term) + weight;
            }

            IndexText.Tokenize(row.Title, t => Count(t, TitleWeight));
            IndexText.Tokenize(row.Keywords, t => Count(t, KeywordsWeight));
            IndexText.Tokenize(row.Description, t => Count(t, DescriptionWeight));
            row.Document.Length = length;
            totalLength += length;
            foreach (var (term, frequency) in frequencies)
            {
                if (!termAdds.TryGetValue(term, out var list))
                {
                    termAdds[term] = list = [];
                }

                list.Add((ordinal, frequency));
            }

            foreach (var tag in row.Document.TagIds)
            {
                if (!tagAdds.TryGetValue(tag, out var list))
                {
                    tagAdds[tag] = list = [];
                }

                list.Add(ordinal);
            }
        }

        var terms = previous is null
            ? new Dictionary<string, Posting>(termAdds.Count, StringComparer.Ordinal)
            : new Dictionary<string, Posting>(previous.Terms, StringComparer.Ordinal);
        foreach (var (term, adds) in termAdds)
        {
            terms[term] = terms.TryGetValue(term, out var posting)
                ? posting.Append(adds)
                : new Posting([.. adds.Select(a => a.Ordinal)], [.. adds.Select(a => a.Frequency)]);
        }

        var tagPostings = previous is null ? [] : new Dictionary<Guid, int[]>(previous.TagPostings);
        foreach (var (tag, adds) in tagAdds)
        {
            tagPostings[tag] = tagPostings.TryGetValue(tag, out var posting) ? [.. posting, .. adds] : [.. adds];
        }

        var next = new IndexSnapshot(documents, used, terms, tagPostings, ordinalOf, totalLength, categories, tags);
        return next.Dead > 1024 && next.Dead > next.Used / 4 ? Compact(next) : next;
    }

    /// <summary>The same snapshot without the ordinals of removed documents.</summary>
    public static IndexSnapshot Compact(IndexSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var map = new int[snapshot.Used];
        var documents = new IndexedDataset?[Math.Max(16, snapshot.Live + (snapshot.Live / 4))];
        var n = 0;
        for (var i = 0; i < snapshot.Used; i++)
        {
            if (snapshot.Documents[i] is { } doc)
            {
                map[i] = n;
                documents[n++] = doc;
            }
            else
            {
                map[i] = -1;
            }
        }

        var terms = new Dictionary<string, Posting>(snapshot.Terms.Count, StringComparer.Ordinal);
        var docs = new List<int>();
        var freqs = new List<int>();
        foreach (var (term, posting) in snapshot.Terms)
        {
            docs.Clear();
            freqs.Clear();
            for (var i = 0; i < posting.Documents.Length; i++)
            {
                var mapped = map[posting.Documents[i]];
                if (mapped >= 0)
                {
                    docs.Add(mapped);
                    freqs.Add(posting.Frequencies[i]);
                }
            }

            if (docs.Count > 0)
            {
                terms[term] = new Posting([.. docs], [.. freqs]);
            }
        }

        var tagPostings = new Dictionary<Guid, int[]>(snapshot.TagPostings.Count);
        foreach (var (tag, posting) in snapshot.TagPostings)
        {
            var kept = posting.Select(o => map[o]).Where(o => o >= 0).ToArray();
            if (kept.Length > 0)
            {
                tagPostings[tag] = kept;
            }
        }

        var ordinalOf = snapshot.OrdinalOf.ToDictionary(p => p.Key, p => map[p.Value]);
        return new IndexSnapshot(documents, n, terms, tagPostings, ordinalOf, snapshot.TotalLength, snapshot.Categories, snapshot.Tags);
    }
}
