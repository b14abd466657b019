using Microsoft.EntityFrameworkCore;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Search;

/// <summary>A dataset that matched the words searched, and how well (higher is better, on every provider).</summary>
public sealed class SearchHit
{
    public Guid DatasetId { get; set; }

    public double Rank { get; set; }
}

/// <summary>
/// The full-text match of each provider as a composable query of <see cref="SearchHit"/> (see <see cref="SearchSchema"/>):
/// PostgreSQL ranks with <c>ts_rank_cd</c> over <c>websearch_to_tsquery</c>; SQLite with <c>bm25</c> (title weighted
/// 10, keywords 4, description 1; negated so that higher is better). Input is always a parameter.
/// </summary>
public static class FullTextSearch
{
    /// <summary>Hits for the text, or null when it holds no searchable word (then the caller matches otherwise).</summary>
    public static IQueryable<SearchHit>? Hits(NeuroDataDbContext db, string? text)
    {
        ArgumentNullException.ThrowIfNull(db);
        var clean = SearchText.Clean(text);
        var terms = SearchText.Terms(clean);
        if (clean is null || terms.Count == 0)
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

        var match = SearchText.ToFts5Query(terms)!;
        return db.Database.SqlQuery<SearchHit>($"""
            SELECT d."DatasetId", -bm25("DatasetSearch", 10.0, 4.0, 1.0) AS "Rank"
            FROM "DatasetSearch" JOIN "DatasetSearchDocuments" d ON d."Rowid" = "DatasetSearch".rowid
            WHERE "DatasetSearch" MATCH {match}
            """);
    }
}
