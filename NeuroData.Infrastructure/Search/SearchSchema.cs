namespace NeuroData.Infrastructure.Search;

/// <summary>
/// The full-text index of datasets, created by raw SQL in the <c>DatasetSearch</c> migration of each provider (EF's
/// model does not know these tables; nothing in the app writes them: database triggers keep them in step with
/// Datasets, DatasetTags, Tags and Categories, whoever writes those rows).
/// <para>
/// One search document per dataset (<c>DatasetSearchDocuments</c>): title, keywords (tag names and the category
/// name) and description. PostgreSQL: a stored generated <c>tsvector</c> (title weight A, keywords B, description C)
/// with a GIN index. SQLite: an FTS5 external-content table <c>DatasetSearch</c> over the documents table (whose
/// INTEGER PRIMARY KEY is the stable rowid FTS5 needs; the Datasets table has a Guid key).
/// </para>
/// </summary>
public static class SearchSchema
{
    /// <summary>Text search configuration of PostgreSQL (stemming, stop words).</summary>
    public const string PostgresConfiguration = "english";

    private const string SqliteKeywordsOf = """
        trim(coalesce((SELECT group_concat(t."Name", ' ') FROM "DatasetTags" dt JOIN "Tags" t ON t."Id" = dt."TagId" WHERE dt."DatasetId" = {0}), '')
          || ' ' || coalesce((SELECT c."Name" FROM "Datasets" d JOIN "Categories" c ON c."Id" = d."CategoryId" WHERE d."Id" = {0}), ''))
        """;

    private static string KeywordsOf(string datasetId) => SqliteKeywordsOf.Replace("{0}", datasetId, StringComparison.Ordinal);

    /// <summary>Creates the SQLite index, its triggers, and fills it from the existing datasets.</summary>
    public static string SqliteUp => $"""
        CREATE TABLE "DatasetSearchDocuments" (
            "Rowid" INTEGER PRIMARY KEY,
            "DatasetId" TEXT NOT NULL UNIQUE,
            "Title" TEXT NOT NULL,
            "Keywords" TEXT NOT NULL,
            "Description" TEXT NOT NULL);

        CREATE VIRTUAL TABLE "DatasetSearch" USING fts5(
            "Title", "Keywords", "Description",
            content='DatasetSearchDocuments', content_rowid='Rowid',
            tokenize='porter unicode61 remove_diacritics 2');

        CREATE TRIGGER "DatasetSearchDocuments_Inserted" AFTER INSERT ON "DatasetSearchDocuments" BEGIN
            INSERT INTO "DatasetSearch"(rowid, "Title", "Keywords", "Description")
            VALUES (new."Rowid", new."Title", new."Keywords", new."Description");
        END;

        CREATE TRIGGER "DatasetSearchDocuments_Deleted" AFTER DELETE ON "DatasetSearchDocuments" BEGIN
            INSERT INTO "DatasetSearch"("DatasetSearch", rowid, "Title", "Keywords", "Description")
            VALUES ('delete', old."Rowid", old."Title", old."Keywords", old."Description");
        END;

        CREATE TRIGGER "DatasetSearchDocuments_Updated" AFTER UPDATE ON "DatasetSearchDocuments" BEGIN
            INSERT INTO "DatasetSearch"("DatasetSearch", rowid, "Title", "Keywords", "Description")
            VALUES ('delete', old."Rowid", old."Title", old."Keywords", old."Description");
            INSERT INTO "DatasetSearch"(rowid, "Title", "Keywords", "Description")
            VALUES (new."Rowid", new."Title", new."Keywords", new."Description");
        END;

        CREATE TRIGGER "Datasets_Search_Inserted" AFTER INSERT ON "Datasets" BEGIN
            INSERT INTO "DatasetSearchDocuments"("DatasetId", "Title", "Keywords", "Description")
            VALUES (new."Id", new."Title", {KeywordsOf("new.\"Id\"")}, new."DescriptionMarkdown");
        END;

        CREATE TRIGGER "Datasets_Search_Updated" AFTER UPDATE OF "Title", "DescriptionMarkdown", "CategoryId" ON "Datasets" BEGIN
            UPDATE "DatasetSearchDocuments"
            SET "Title" = new."Title", "Description" = new."DescriptionMarkdown",
                "Keywords" = {KeywordsOf("new.\"Id\"")}
            WHERE "DatasetId" = new."Id";
        END;

        CREATE TRIGGER "Datasets_Search_Deleted" AFTER DELETE ON "Datasets" BEGIN
            DELETE FROM "DatasetSearchDocuments" WHERE "DatasetId" = old."Id";
        END;

        CREATE TRIGGER "DatasetTags_Search_Inserted" AFTER INSERT ON "DatasetTags" BEGIN
            UPDATE "DatasetSearchDocuments"
            SET "Keywords" = {KeywordsOf("new.\"DatasetId\"")}
            WHERE "DatasetId" = new."DatasetId";
        END;

        CREATE TRIGGER "DatasetTags_Search_Deleted" AFTER DELETE ON "DatasetTags" BEGIN
            UPDATE "DatasetSearchDocuments"
            SET "Keywords" = {KeywordsOf("old.\"DatasetId\"")}
            WHERE "DatasetId" = old."DatasetId";
        END;

        CREATE TRIGGER "Tags_Search_Renamed" AFTER UPDATE OF "Name" ON "Tags" BEGIN
            UPDATE "DatasetSearchDocuments"
            SET "Keywords" = {KeywordsOf("\"DatasetSearchDocuments\".\"DatasetId\"")}
            WHERE "DatasetId" IN (SELECT "DatasetId" FROM "DatasetTags" WHERE "TagId" = new."Id");
        END;

        CREATE TRIGGER "Categories_Search_Renamed" AFTER UPDATE OF "Name" ON "Categories" BEGIN
            UPDATE "DatasetSearchDocuments"
            SET "Keywords" = {KeywordsOf("\"DatasetSearchDocuments\".\"DatasetId\"")}
            WHERE "DatasetId" IN (SELECT "Id" FROM "Datasets" WHERE "CategoryId" = new."Id");
        END;

        INSERT INTO "DatasetSearchDocuments"("DatasetId", "Title", "Keywords", "Description")
        SELECT ds."Id", ds."Title", {KeywordsOf("ds.\"Id\"")}, ds."DescriptionMarkdown"
        FROM "Datasets" ds;
        """;

    /// <summary>Drops everything <see cref="SqliteUp"/> created.</summary>
    public const string SqliteDown = """
        DROP TRIGGER IF EXISTS "Categories_Search_Renamed";
        DROP TRIGGER IF EXISTS "Tags_Search_Renamed";
        DROP TRIGGER IF EXISTS "DatasetTags_Search_Deleted";
        DROP TRIGGER IF EXISTS "DatasetTags_Search_Inserted";
        DROP TRIGGER IF EXISTS "Datasets_Search_Deleted";
        DROP TRIGGER IF EXISTS "Datasets_Search_Updated";
        DROP TRIGGER IF EXISTS "Datasets_Search_Inserted";
        DROP TRIGGER IF EXISTS "DatasetSearchDocuments_Updated";
        DROP TRIGGER IF EXISTS "DatasetSearchDocuments_Deleted";
        DROP TRIGGER IF EXISTS "DatasetSearchDocuments_Inserted";
        DROP TABLE IF EXISTS "DatasetSearch";
        DROP TABLE IF EXISTS "DatasetSearchDocuments";
        """;

    /// <summary>Creates the PostgreSQL index, its triggers, and fills it from the existing datasets.</summary>
    public const string PostgresUp = """
        CREATE TABLE "DatasetSearchDocuments" (
            "DatasetId" uuid PRIMARY KEY REFERENCES "Datasets"("Id") ON DELETE CASCADE,
            "Title" text NOT NULL,
            "Keywords" text NOT NULL,
            "Description" text NOT NULL,
            "SearchVector" tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english'::regconfig, "Title"), 'A') ||
                setweight(to_tsvector('english'::regconfig, "Keywords"), 'B') ||
                setweight(to_tsvector('english'::regconfig, "Description"), 'C')) STORED);

        CREATE INDEX "IX_DatasetSearchDocuments_SearchVector" ON "DatasetSearchDocuments" USING GIN ("SearchVector");

        CREATE FUNCTION neurodata_refresh_dataset_search(dataset uuid) RETURNS void LANGUAGE sql AS $fn$
            INSERT INTO "DatasetSearchDocuments"("DatasetId", "Title", "Keywords", "Description")
            SELECT d."Id", d."Title",
                   concat_ws(' ',
                       (SELECT string_agg(t."Name", ' ') FROM "DatasetTags" dt JOIN "Tags" t ON t."Id" = dt."TagId" WHERE dt."DatasetId" = d."Id"),
                       (SELECT c."Name" FROM "Categories" c WHERE c."Id" = d."CategoryId")),
                   d."DescriptionMarkdown"
            FROM "Datasets" d
            WHERE d."Id" = dataset
            ON CONFLICT ("DatasetId") DO UPDATE
            SET "Title" = excluded."Title", "Keywords" = excluded."Keywords", "Description" = excluded."Description";
        $fn$;

        CREATE FUNCTION neurodata_datasets_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            PERFORM neurodata_refresh_dataset_search(NEW."Id");
            RETURN NULL;
        END
        $fn$;

        CREATE TRIGGER "Datasets_Search" AFTER INSERT OR UPDATE OF "Title", "DescriptionMarkdown", "CategoryId" ON "Datasets"
            FOR EACH ROW EXECUTE FUNCTION neurodata_datasets_search_trigger();

        CREATE FUNCTION neurodata_dataset_tags_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM neurodata_refresh_dataset_search(OLD."DatasetId");
            ELSE
                PERFORM neurodata_refresh_dataset_search(NEW."DatasetId");
            END IF;
            RETURN NULL;
        END
        $fn$;

        CREATE TRIGGER "DatasetTags_Search" AFTER INSERT OR DELETE ON "DatasetTags"
            FOR EACH ROW EXECUTE FUNCTION neurodata_dataset_tags_search_trigger();

        CREATE FUNCTION neurodata_tags_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            PERFORM neurodata_refresh_dataset_search(dt."DatasetId") FROM "DatasetTags" dt WHERE dt."TagId" = NEW."Id";
            RETURN NULL;
        END
        $fn$;

        CREATE TRIGGER "Tags_Search" AFTER UPDATE OF "Name" ON "Tags"
            FOR EACH ROW EXECUTE FUNCTION neurodata_tags_search_trigger();

        CREATE FUNCTION neurodata_categories_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            PERFORM neurodata_refresh_dataset_search(d."Id") FROM "Datasets" d WHERE d."CategoryId" = NEW."Id";
            RETURN NULL;
        END
        $fn$;

        CREATE TRIGGER "Categories_Search" AFTER UPDATE OF "Name" ON "Categories"
            FOR EACH ROW EXECUTE FUNCTION neurodata_categories_search_trigger();

        SELECT neurodata_refresh_dataset_search(d."Id") FROM "Datasets" d;
        """;

    /// <summary>Drops everything <see cref="PostgresUp"/> created.</summary>
    public const string PostgresDown = """
        DROP TRIGGER IF EXISTS "Categories_Search" ON "Categories";
        DROP TRIGGER IF EXISTS "Tags_Search" ON "Tags";
        DROP TRIGGER IF EXISTS "DatasetTags_Search" ON "DatasetTags";
        DROP TRIGGER IF EXISTS "Datasets_Search" ON "Datasets";
        DROP FUNCTION IF EXISTS neurodata_categories_search_trigger();
        DROP FUNCTION IF EXISTS neurodata_tags_search_trigger();
        DROP FUNCTION IF EXISTS neurodata_dataset_tags_search_trigger();
        DROP FUNCTION IF EXISTS neurodata_datasets_search_trigger();
        DROP FUNCTION IF EXISTS neurodata_refresh_dataset_search(uuid);
        DROP TABLE IF EXISTS "DatasetSearchDocuments";
        """;

    private const string BackfillLatestVersion = """
        UPDATE "Datasets" SET
            "LatestFormat" = (SELECT v."Format" FROM "DatasetVersions" v WHERE v."DatasetId" = "Datasets"."Id" AND v."Status" = 'Ready' ORDER BY v."VersionNumber" DESC LIMIT 1),
            "LatestSizeBytes" = (SELECT v."SizeBytes" FROM "DatasetVersions" v WHERE v."DatasetId" = "Datasets"."Id" AND v."Status" = 'Ready' ORDER BY v."VersionNumber" DESC LIMIT 1);
        """;

    /// <summary>
    /// Fills the columns the <c>SearchPerformance</c> migration adds to existing datasets (afterwards the domain keeps
    /// them): the latest ready version's format and size, and the average rating.
    /// </summary>
    public const string SqliteBackfill = BackfillLatestVersion + """

        UPDATE "Datasets" SET "RatingAverage" = CASE WHEN "ReviewCount" = 0 THEN 0.0 ELSE CAST("RatingSum" AS REAL) / "ReviewCount" END;
        """;

    /// <inheritdoc cref="SqliteBackfill"/>
    public const string PostgresBackfill = BackfillLatestVersion + """

        UPDATE "Datasets" SET "RatingAverage" = CASE WHEN "ReviewCount" = 0 THEN 0.0 ELSE CAST("RatingSum" AS double precision) / "ReviewCount" END;
        """;
}
