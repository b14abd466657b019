using Microsoft.EntityFrameworkCore;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Search;

/// <summary>A dataset that matched the words searched, and how well (higher is better, on every provider).</summary>
public sealed class SearchHit
{
    public Guid DatasetId { get; set; }

    public double Rank { get; set; }
}

/// <summary>A dataset that matched the words searched (no ranking computed).</summary>
public sealed class SearchMatch
{
    public Guid DatasetId { get; set; }
}

/// <summary>
/// The full-text match of each provider as a composable query (see <see cref="SearchSchema"/>): PostgreSQL ranks with
/// <c>ts_rank_cd</c> over <c>websearch_to_tsquery</c>; SQLite with <c>bm25</c> (title weighted 10, keywords 4,
/// description 1; negated so that higher is better). Input is always a parameter.
/// </summary>
public static class FullTextSearch
{
    /// <summary>The FTS5 rank function of the SQLite index (same weights as <see cref="Hits"/>).</summary>
    private const string SqliteRank = "bm25(10.0, 4.0, 1.0)";

    /// <summary>Hits with their rank, or null when the text holds no searchable word (then the caller matches otherwise).</summary>
    public static IQueryable<SearchHit>? Hits(NeuroDataDbContext db, string? text)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (Parse(text) is not var (clean, match))
        {
            return null;
        }

        if (db.IsPostgres)
        {
            return db.Database.SqlQuery<SearchHit>($"""
                SELECT s."DatasetId", ts_rank_cd(s."SearchVector", q.query)::float8 AS "Rank"
                FROM "DatasetSearchDocuments" s, websearch_to_tsquery('english'::regconfig, {clean}) AS q(query)
                WHERE s."SearchVector" @@ q.query
                """);
        }

        return db.Database.SqlQuery<SearchHit>($"""
            SELECT d."DatasetId", -bm25("DatasetSearch", 10.0, 4.0, 1.0) AS "Rank"
            FROM "DatasetSearch" JOIN "DatasetSearchDocuments" d ON d."Rowid" = "DatasetSearch".rowid
            WHERE "DatasetSearch" MATCH {match}
            """);
    }

    /// <summary>Matching datasets without ranking (for filters, counts and the other sorts), or null as <see cref="Hits"/>.</summary>
    public static IQueryable<SearchMatch>? Matches(NeuroDataDbContext db, string? text)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (Parse(text) is not var (clean, match))
        {
            return null;
        }

        if (db.IsPostgres)
        {
            return db.Database.SqlQuery<SearchMatch>($"""
                SELECT s."DatasetId"
                FROM "DatasetSearchDocuments" s
                WHERE s."SearchVector" @@ websearch_to_tsquery('english'::regconfig, {clean})
                """);
        }

        return db.Database.SqlQuery<SearchMatch>($"""
            SELECT d."DatasetId"
            FROM "DatasetSearch" JOIN "DatasetSearchDocuments" d ON d."Rowid" = "DatasetSearch".rowid
            WHERE "DatasetSearch" MATCH {match}
            """);
    }

    /// <summary>
    /// The <paramref name="limit"/> best hits, best first (ranking every match inside the index, but reading no dataset
    /// row), or null as <see cref="Hits"/>. Ties keep no particular order: the caller orders them.
    /// </summary>
    public static async Task<List<SearchHit>?> TopAsync(NeuroDataDbContext db, string? text, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (Parse(text) is not var (clean, match))
        {
            return null;
        }

        if (db.IsPostgres)
        {
            return await db.Database.SqlQuery<SearchHit>($"""
                SELECT s."DatasetId", ts_rank_cd(s."SearchVector", q.query)::float8 AS "Rank"
                FROM "DatasetSearchDocuments" s, websearch_to_tsquery('english'::regconfig, {clean}) AS q(query)
                WHERE s."SearchVector" @@ q.query
                ORDER BY 2 DESC
                LIMIT {limit}
                """).ToListAsync(cancellationToken);
        }

        // FTS5 sorts by its rank column itself (no join before the limit); the weights are given per query.
        return await db.Database.SqlQuery<SearchHit>($"""
            SELECT d."DatasetId", -t.rank AS "Rank"
            FROM (SELECT rowid, rank FROM "DatasetSearch" WHERE "DatasetSearch" MATCH {match} AND rank MATCH {SqliteRank} ORDER BY rank LIMIT {limit}) t
            JOIN "DatasetSearchDocuments" d ON d."Rowid" = t.rowid
            """).ToListAsync(cancellationToken);
    }

    private static (string Clean, string Match)? Parse(string? text)
    {
        var clean = SearchText.Clean(text);
        var terms = SearchText.Terms(clean);
        if (clean is null || terms.Count == 0)
        {
            return null;
        }

        return (clean, SearchText.ToFts5Query(terms)!);
    }
}
