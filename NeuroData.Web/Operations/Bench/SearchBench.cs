using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Queries;
using NeuroData.Infrastructure.Search;
using NeuroData.Infrastructure.Search.Index;
using Npgsql;

namespace NeuroData.Web.Operations.Bench;

/// <summary>
/// <c>bench search [--listings 100000] [--clients 20] [--queries 200] [--provider sqlite|postgres|both] [--postgres "conn"]
/// [--cache-seconds 0,30] [--engine memory,database] [--keep] [--sqlite-file PATH]</c>:
/// seeds a throwaway database per provider with live listings (SQLite: a temp file; PostgreSQL: the given server, in a
/// new database that is dropped afterwards, or a private cluster started with initdb/pg_ctl), runs a mix of marketplace
/// queries (full-text with relevance, full-text with filters, filtered browsing with every sort, deep pages, tag pages)
/// from concurrent clients through the real <see cref="MarketplaceQueries"/>, and prints latency percentiles as a
/// Markdown table. <c>--cache-seconds</c> sets the result cache as <c>NeuroData:Search:CacheSeconds</c> does (0 = off;
/// default: the application's default; a list such as <c>0,30</c> measures each setting on the same seeded database); <c>--keep</c> keeps the SQLite file for inspection and <c>--sqlite-file</c> runs
/// the queries again on such a kept file (no seeding). A benchmark, not a test: it
/// asserts nothing.
/// </summary>
internal sealed class SearchBenchVerb : ICommandLineVerb
{
    private static readonly string[] Words =
    [
        "weather", "climate", "rain", "temperature", "wind", "solar", "energy", "traffic", "sensor", "city", "health", "hospital",
        "genome", "protein", "finance", "stock", "crypto", "retail", "sales", "customer", "churn", "image", "vision", "speech",
        "audio", "text", "sentiment", "review", "language", "translation", "satellite", "ocean", "river", "forest", "soil", "crop",
        "yield", "farm", "air", "quality", "pollution", "mobility", "bike", "taxi", "flight", "shipping", "logistics", "energy",
        "grid", "battery", "vehicle", "electric", "sport", "football", "election", "survey", "census", "population", "housing",
        "price", "rent", "education", "school", "student", "crime", "police", "fire", "earthquake", "flood", "drought", "insurance",
        "claims", "fraud", "credit", "loan", "bank", "payment", "ecommerce", "product", "catalog", "music", "movie", "book",
        "library", "news", "social", "network", "graph", "telemetry", "server", "log", "security", "malware", "phishing", "email",
        "spam", "chat", "dialogue", "question", "answer", "medical", "xray", "mri", "cancer", "diabetes", "heart", "sleep",
        "fitness", "wearable", "gps", "map", "road", "bridge", "building", "manufacturing", "machine", "failure", "maintenance",
        "hourly", "daily", "monthly", "annual", "europe", "asia", "africa", "america", "berlin", "paris", "tokyo", "london",
    ];

    private static readonly string[] Fillers =
    [
        "collected", "from", "public", "sources", "cleaned", "with", "labels", "and", "metadata", "covering", "several", "years",
        "of", "measurements", "records", "rows", "columns", "for", "research", "training", "models", "benchmark", "quality", "checked",
    ];

    public string Name => "bench";

    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count == 0 || !string.Equals(args[0], "search", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync("usage: bench search [--listings 100000] [--clients 20] [--queries 200] [--provider sqlite|postgres|both] [--postgres \"<connection string>\"] [--cache-seconds 0,30] [--engine memory,database] [--keep] [--sqlite-file PATH]");
            return Verbs.UsageError;
        }

        var options = BenchOptions.Parse(args.Skip(1).ToList(), out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync(error);
            return Verbs.UsageError;
        }

        var results = new List<BenchResult>();
        if (options.Providers.Contains(DatabaseProvider.Sqlite))
        {
            results.AddRange(await RunSqliteAsync(options, cancellationToken));
        }

        if (options.Providers.Contains(DatabaseProvider.Postgres))
        {
            results.AddRange(await RunPostgresAsync(options, cancellationToken));
        }

        Console.WriteLine();
        Console.WriteLine($"Search latency, {options.Listings:N0} live listings, {options.Clients} concurrent clients, {options.QueriesPerClient} queries each ({Environment.ProcessorCount} cores, {RuntimeLabel()}):");
        Console.WriteLine();
        Console.WriteLine("| Provider | Seed time | Queries | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | Throughput (q/s) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Provider} | {r.SeedTime.TotalSeconds:0.0} s | {r.Latencies.Count:N0} | {r.Percentile(50):0.0} | {r.Percentile(95):0.0} | {r.Percentile(99):0.0} | {r.Latencies.Max():0.0} | {r.Throughput:0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("Per query kind, p95 (ms):");
        Console.WriteLine();
        var kinds = Enum.GetValues<QueryKind>();
        Console.WriteLine("| Provider | " + string.Join(" | ", kinds) + " |");
        Console.WriteLine("|---|" + string.Concat(kinds.Select(_ => "---:|")));
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Provider} | " + string.Join(" | ", kinds.Select(k => r.Percentile(95, k).ToString("0.0", CultureInfo.InvariantCulture))) + " |");
        }

        return Verbs.Success;
    }

    private static string RuntimeLabel() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    private static async Task<List<BenchResult>> RunSqliteAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var path = options.SqliteFile ?? Path.Combine(Path.GetTempPath(), $"nd-bench-{Guid.NewGuid():N}.db");
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = path, ForeignKeys = true }.ConnectionString);
        try
        {
            return await RunAsync("SQLite (FTS5)", settings, options, cancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (options.Keep || options.SqliteFile is not null)
            {
                Console.WriteLine($"[SQLite] kept {path}");
            }

            foreach (var file in options.Keep || options.SqliteFile is not null ? Array.Empty<string>() : new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            {
                File.Delete(file);
            }
        }
    }

    private static async Task<List<BenchResult>> RunPostgresAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (options.PostgresConnectionString is { } given)
        {
            var database = "nd_bench_" + Guid.NewGuid().ToString("N")[..12];
            var admin = new NpgsqlConnectionStringBuilder(given);
            await ExecuteAsync(admin.ConnectionString, $"CREATE DATABASE \"{database}\"", cancellationToken);
            try
            {
                var settings = new DatabaseSettings(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(given) { Database = database, MaxPoolSize = 100 }.ConnectionString);
                return await RunAsync("PostgreSQL (tsvector + GIN)", settings, options, cancellationToken);
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(admin.ConnectionString, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", CancellationToken.None);
            }
        }

        await using var cluster = await PrivateCluster.StartAsync(cancellationToken);
        var clusterSettings = new DatabaseSettings(DatabaseProvider.Postgres, cluster.ConnectionString("neurodata_bench"));
        await ExecuteAsync(cluster.ConnectionString("postgres"), "CREATE DATABASE neurodata_bench", cancellationToken);
        try
        {
            return await RunAsync("PostgreSQL (tsvector + GIN)", clusterSettings, options, cancellationToken);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<BenchResult>> RunAsync(string label, DatabaseSettings settings, BenchOptions options, CancellationToken cancellationToken)
    {
        var factory = new NeuroDataDbContextFactory(settings);
        Console.WriteLine($"[{label}] migrating ...");
        await new DatabaseMigrator(factory, settings, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(cancellationToken);
        var seed = Stopwatch.StartNew();
        var catalog = await ExistingCatalogAsync(factory, cancellationToken) ?? await SeedAsync(factory, options.Listings, label, cancellationToken);
        seed.Stop();
        Console.WriteLine($"[{label}] seeded {options.Listings:N0} listings in {seed.Elapsed.TotalSeconds:0.0} s");
        if (factory.Settings.Provider == DatabaseProvider.Postgres)
        {
            await using var db = factory.CreateDbContext();
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE", cancellationToken);
        }
        else
        {
            await using var db = factory.CreateDbContext();
            await db.Database.ExecuteSqlRawAsync("ANALYZE; INSERT INTO \"DatasetSearch\"(\"DatasetSearch\") VALUES ('optimize');", cancellationToken);
        }

        var results = new List<BenchResult>();
        foreach (var engine in options.Engines)
        {
            using var index = engine == SearchOptions.MemoryEngine ? await BuildIndexAsync(label, factory, cancellationToken) : null;
            foreach (var cacheSeconds in options.CacheSettings)
            {
                var cached = $"{label}, {engine}, cache {(cacheSeconds == 0 ? "off" : $"{cacheSeconds} s")}";
                results.Add(await MeasureAsync(cached, factory, catalog, seed.Elapsed, cacheSeconds, engine, index, options, cancellationToken));
            }
        }

        return results;
    }

    /// <summary>Loads the in-memory index and prints its build time and the managed memory it holds.</summary>
    private static async Task<MarketplaceSearchIndex> BuildIndexAsync(string label, NeuroDataDbContextFactory factory, CancellationToken cancellationToken)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = new MarketplaceSearchIndex(factory);
        await index.LoadAsync(cancellationToken);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{label}] in-memory index: {index.Count:N0} datasets, {index.TermCount:N0} terms, built in {index.LastLoadDuration.TotalSeconds:0.0} s, {(after - before) / (1024.0 * 1024.0):0.0} MB managed memory"));
        return index;
    }

    private static async Task<BenchResult> MeasureAsync(
        string label, NeuroDataDbContextFactory factory, SeededCatalog catalog, TimeSpan seedTime, int cacheSeconds, string engine, MarketplaceSearchIndex? index,
        BenchOptions options, CancellationToken cancellationToken)
    {
        var queries = new MarketplaceQueries(factory, new SearchOptions { CacheSeconds = cacheSeconds, Engine = engine }, null, index);

        // Warm-up: connection pools, query plans, caches.
        var warmRandom = new Random(7);
        for (var i = 0; i < 100; i++)
        {
            await queries.SearchAsync(NextQuery(warmRandom, catalog).Search, cancellationToken);
        }

        var latencies = new List<(QueryKind Kind, double Ms)>[options.Clients];
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(1000 + client);
            var own = new List<(QueryKind, double)>(options.QueriesPerClient);
            for (var i = 0; i < options.QueriesPerClient; i++)
            {
                var (kind, search) = NextQuery(random, catalog);
                var sw = Stopwatch.StartNew();
                // Each query waits for a thread like a request does: a provider whose calls complete synchronously
                // (SQLite) would otherwise keep its thread for the client's whole loop and leave the queueing unmeasured.
                await Task.Yield();
                await queries.SearchAsync(search, cancellationToken);
                own.Add((kind, sw.Elapsed.TotalMilliseconds));
            }

            latencies[client] = own;
        }, cancellationToken)));
        wall.Stop();
        var all = latencies.SelectMany(l => l).ToList();
        Console.WriteLine($"[{label}] {all.Count:N0} queries in {wall.Elapsed.TotalSeconds:0.0} s");
        return new BenchResult(label, seedTime, all, all.Count / wall.Elapsed.TotalSeconds);
    }

    private static (QueryKind Kind, MarketplaceSearch Search) NextQuery(Random random, SeededCatalog catalog)
    {
        string Word() => Words[Zipf(random, Words.Length)];
        var roll = random.Next(100);
        return roll switch
        {
            < 35 => (QueryKind.Text, new MarketplaceSearch(random.Next(3) == 0 ? $"{Word()} {Word()}" : Word(), Sort: MarketplaceSort.Relevance)),
            < 55 => (QueryKind.TextFiltered, new MarketplaceSearch(Word(), Sort: (MarketplaceSort)random.Next(6))
            {
                CategorySlug = catalog.CategorySlugs[random.Next(catalog.CategorySlugs.Count)],
                MaxPrice = TokenAmount.FromTokens(random.Next(10, 200)),
            }),
            < 80 => (QueryKind.Browse, new MarketplaceSearch(Sort: (MarketplaceSort)random.Next(5))
            {
                CategorySlug = random.Next(2) == 0 ? catalog.CategorySlugs[random.Next(catalog.CategorySlugs.Count)] : null,
                Format = random.Next(3) == 0 ? (DatasetFormat)random.Next(5) : null,
                MinRating = random.Next(4) == 0 ? random.Next(1, 5) : null,
                AccessType = random.Next(4) == 0 ? DatasetAccessTypes.TrainingOnly : null,
            }),
            < 90 => (QueryKind.DeepPage, new MarketplaceSearch(Sort: MarketplaceSort.Newest, Page: random.Next(5, 51))),
            _ => (QueryKind.Tag, new MarketplaceSearch(Sort: MarketplaceSort.MostPurchased) { TagSlugs = [catalog.TagSlugs[random.Next(catalog.TagSlugs.Count)]] }),
        };
    }

    /// <summary>The catalog of a database seeded before (<c>--sqlite-file</c> of a kept run), or null when it is empty.</summary>
    private static async Task<SeededCatalog?> ExistingCatalogAsync(NeuroDataDbContextFactory factory, CancellationToken cancellationToken)
    {
        await using var db = factory.CreateDbContext();
        var categories = await db.Categories.AsNoTracking().Where(c => c.Slug.StartsWith("bench-category-")).Select(c => c.Slug).ToListAsync(cancellationToken);
        if (categories.Count == 0)
        {
            return null;
        }

        var tags = await db.Tags.AsNoTracking().Select(t => t.Slug).ToListAsync(cancellationToken);
        Console.WriteLine("[SQLite] reusing the seeded database");
        return new SeededCatalog([.. categories.Order(StringComparer.Ordinal)], [.. tags.Order(StringComparer.Ordinal)]);
    }

    /// <summary>A skewed index (a few words are common, most are rare), like real search terms.</summary>
    private static int Zipf(Random random, int n) => Math.Min(n - 1, (int)Math.Floor(Math.Pow(n, random.NextDouble())) - 1 + random.Next(2));

    private static async Task<SeededCatalog> SeedAsync(NeuroDataDbContextFactory factory, int listings, string label, CancellationToken cancellationToken)
    {
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        var sellers = new List<Guid>();
        var moderator = Guid.CreateVersion7();
        var categories = new List<Category>();
        var tags = new List<Tag>();
        await using (var db = factory.CreateDbContext())
        {
            foreach (var id in Enumerable.Range(0, 51).Select(_ => Guid.CreateVersion7()))
            {
                var name = $"bench-{id:N}@example.test";
                db.Users.Add(new ApplicationUser
                {
                    Id = id,
                    UserName = name,
                    NormalizedUserName = name.ToUpperInvariant(),
                    Email = name,
                    NormalizedEmail = name.ToUpperInvariant(),
                    SecurityStamp = Guid.NewGuid().ToString("N"),
                    CreatedAt = now,
                });
                sellers.Add(id);
            }

            moderator = sellers[^1];
            sellers.RemoveAt(sellers.Count - 1);
            for (var i = 0; i < 20; i++)
            {
                var c = new Category($"{Capitalise(Words[i * 3])} data", $"bench-category-{i}", null, null);
                categories.Add(c);
                db.Categories.Add(c);
            }

            foreach (var word in Words.Distinct().Take(40))
            {
                var t = new Tag(word);
                tags.Add(t);
                db.Tags.Add(t);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        const int batch = 2000;
        var cid = new byte[34];
        cid[0] = 0x12;
        cid[1] = 0x20;
        for (var start = 0; start < listings; start += batch)
        {
            await using var db = factory.CreateDbContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(listings, start + batch); i++)
            {
                var published = now.AddMinutes(-random.Next(0, 60 * 24 * 365));
                var title = Capitalise(string.Join(' ', Enumerable.Range(0, random.Next(2, 5)).Select(_ => Words[Zipf(random, Words.Length)]))) + $" {i}";
                var description = new StringBuilder();
                for (var w = 0; w < random.Next(20, 60); w++)
                {
                    description.Append(random.Next(3) == 0 ? Words[Zipf(random, Words.Length)] : Fillers[random.Next(Fillers.Length)]).Append(' ');
                }

                var access = (DatasetAccessTypes)random.Next(1, 4);
                var d = new Dataset(sellers[random.Next(sellers.Count)], title, $"bench-{i}", description.ToString().Trim(), "CC-BY-4.0",
                    categories[random.Next(categories.Count)].Id, TokenAmount.FromUnits(new System.Numerics.BigInteger(random.Next(1, 50_000)) * 10_000_000_000_000_000),
                    TimeSpan.FromDays(3), access, published);
                d.SetTags(Enumerable.Range(0, random.Next(0, 4)).Select(_ => tags[random.Next(tags.Count)]));
                random.NextBytes(cid.AsSpan(2));
                var version = d.AddVersion(Cid.Parse(Base58(cid)), random.Next(1_000, 2_000_000_000), (DatasetFormat)random.Next(5), new string('a', 64), [1], published);
                version.MarkReady("[]", "{}", random.Next(10, 10_000_000));
                d.SubmitForReview(published);
                d.Approve(moderator, published);
                for (var p = random.Next(0, 6) == 0 ? random.Next(1, 200) : 0; p > 0; p--)
                {
                    d.RecordPurchase();
                }

                for (var r = random.Next(0, 4) == 0 ? random.Next(1, 20) : 0; r > 0; r--)
                {
                    d.RecordReview(random.Next(1, 6));
                }

                for (var v = random.Next(0, 300); v > 0; v -= 7)
                {
                    d.RecordView();
                }

                if (random.Next(500) == 0)
                {
                    d.SetFeatured(true);
                }

                db.Datasets.Add(d);
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
            if ((start / batch) % 10 == 9)
            {
                Console.WriteLine($"[{label}] {start + batch:N0} listings ...");
            }
        }

        return new SeededCatalog([.. categories.Select(c => c.Slug)], [.. tags.Select(t => t.Slug)]);
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Base58(byte[] data)
    {
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var n = new System.Numerics.BigInteger(data, isUnsigned: true, isBigEndian: true);
        var sb = new StringBuilder();
        while (n > 0)
        {
            n = System.Numerics.BigInteger.DivRem(n, 58, out var rem);
            sb.Insert(0, alphabet[(int)rem]);
        }

        return sb.ToString();
    }

    private enum QueryKind
    {
        Text,
        TextFiltered,
        Browse,
        DeepPage,
        Tag,
    }

    private sealed record SeededCatalog(IReadOnlyList<string> CategorySlugs, IReadOnlyList<string> TagSlugs);

    private sealed record BenchResult(string Provider, TimeSpan SeedTime, List<(QueryKind Kind, double Ms)> Samples, double Throughput)
    {
        public List<double> Latencies { get; } = [.. Samples.Select(s => s.Ms)];

        public double Percentile(double p, QueryKind? kind = null)
        {
            var sorted = Samples.Where(s => kind is null || s.Kind == kind).Select(s => s.Ms).Order().ToList();
            if (sorted.Count == 0)
            {
                return double.NaN;
            }

            var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
        }
    }

    private sealed record BenchOptions(int Listings, int Clients, int QueriesPerClient, IReadOnlyList<DatabaseProvider> Providers, string? PostgresConnectionString, IReadOnlyList<int> CacheSettings, bool Keep, string? SqliteFile)
    {
        /// <summary>Engines measured, in order (memory, database by default).</summary>
        public IReadOnlyList<string> Engines { get; init; } = [SearchOptions.MemoryEngine, SearchOptions.DatabaseEngine];

        /// <summary>"0,30" -> [0, 30]; null when any item is not 0 to 86,400.</summary>
        private static List<int>? CacheList(string value)
        {
            var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var list = new List<int>();
            foreach (var item in items)
            {
                if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0 or > 86_400)
                {
                    return null;
                }

                list.Add(seconds);
            }

            return list.Count == 0 ? null : list;
        }

        /// <summary>"memory,database" -> both; null when an item is neither.</summary>
        private static List<string>? EngineList(string value)
        {
            var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(e => e.ToLowerInvariant()).Distinct().ToList();
            return items.Count > 0 && items.All(e => e is SearchOptions.MemoryEngine or SearchOptions.DatabaseEngine) ? items : null;
        }

        public static BenchOptions? Parse(List<string> args, out string error)
        {
            var listings = 100_000;
            var clients = 20;
            var queries = 200;
            var provider = "both";
            string? postgres = null;
            List<int> cacheSettings = [new SearchOptions().CacheSeconds];
            var keep = false;
            string? sqliteFile = null;
            List<string> engines = [SearchOptions.MemoryEngine, SearchOptions.DatabaseEngine];
            error = string.Empty;
            for (var i = 0; i < args.Count; i++)
            {
                var value = i + 1 < args.Count ? args[i + 1] : null;
                bool Int(out int target, int min, int max)
                {
                    target = 0;
                    return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out target) && target >= min && target <= max;
                }

                switch (args[i])
                {
                    case "--listings" when Int(out listings, 1, 10_000_000):
                    case "--clients" when Int(out clients, 1, 500):
                    case "--queries" when Int(out queries, 1, 1_000_000):
                        i++;
                        break;
                    case "--provider" when value is "sqlite" or "postgres" or "both":
                        provider = value;
                        i++;
                        break;
                    case "--sqlite-file" when !string.IsNullOrWhiteSpace(value):
                        sqliteFile = Path.GetFullPath(value);
                        i++;
                        break;
                    case "--cache-seconds" when value is not null && CacheList(value) is { } list:
                        cacheSettings = list;
                        i++;
                        break;
                    case "--engine" when value is not null && EngineList(value) is { } chosen:
                        engines = chosen;
                        i++;
                        break;
                    case "--keep":
                        keep = true;
                        break;
                    case "--postgres" when !string.IsNullOrWhiteSpace(value):
                        postgres = value;
                        i++;
                        break;
                    default:
                        error = $"bench search: unknown or invalid option '{args[i]}'{(value is null ? "" : $" '{value}'")}. Options: --listings N, --clients N, --queries N, --provider sqlite|postgres|both, --postgres \"<connection string>\", --cache-seconds N[,N...] (0 = off), --engine memory,database, --keep, --sqlite-file PATH.";
                        return null;
                }
            }

            DatabaseProvider[] providers = provider switch
            {
                "sqlite" => [DatabaseProvider.Sqlite],
                "postgres" => [DatabaseProvider.Postgres],
                _ => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres],
            };
            return new BenchOptions(listings, clients, queries, providers, postgres, cacheSettings, keep, sqliteFile) { Engines = engines };
        }
    }

    /// <summary>
    /// A throwaway PostgreSQL cluster for the bench (the server's own initdb and pg_ctl, trust auth on 127.0.0.1, a free
    /// port, fsync off), run as the postgres OS user when the bench runs as root. Stopped and deleted on dispose.
    /// </summary>
    private sealed class PrivateCluster : IAsyncDisposable
    {
        private readonly string _root;
        private readonly string _pgCtl;
        private readonly bool _asRoot;
        private readonly int _port;

        private PrivateCluster(string root, string pgCtl, bool asRoot, int port)
        {
            _root = root;
            _pgCtl = pgCtl;
            _asRoot = asRoot;
            _port = port;
        }

        public string ConnectionString(string database) =>
            new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = _port, Username = "postgres", Database = database, MaxPoolSize = 100 }.ConnectionString;

        public static async Task<PrivateCluster> StartAsync(CancellationToken cancellationToken)
        {
            var initdb = FindTool("initdb");
            var pgCtl = FindTool("pg_ctl");
            var asRoot = Environment.IsPrivilegedProcess;
            var root = Path.Combine(Path.GetTempPath(), "nd-bench-pg-" + Guid.NewGuid().ToString("N")[..10]);
            Directory.CreateDirectory(root);
            if (asRoot)
            {
                await RunAsync("chown", ["postgres:postgres", root], cancellationToken);
            }

            var port = FreePort();
            var data = Path.Combine(root, "data");
            Console.WriteLine($"[PostgreSQL] starting a private cluster on 127.0.0.1:{port} ({root}) ...");
            await RunAsServerAsync(asRoot, initdb, ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], cancellationToken);
            var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB";
            await RunAsServerAsync(asRoot, pgCtl, ["start", "-w", "-t", "60", "-D", data, "-l", Path.Combine(root, "server.log"), "-o", options], cancellationToken);
            return new PrivateCluster(root, pgCtl, asRoot, port);
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                await RunAsServerAsync(_asRoot, _pgCtl, ["stop", "-m", "immediate", "-D", Path.Combine(_root, "data")], CancellationToken.None);
            }
            finally
            {
                Directory.Delete(_root, recursive: true);
            }
        }

        private static Task RunAsServerAsync(bool asRoot, string tool, string[] args, CancellationToken cancellationToken) =>
            asRoot ? RunAsync("runuser", ["-u", "postgres", "--", tool, .. args], cancellationToken) : RunAsync(tool, args, cancellationToken);

        private static async Task RunAsync(string file, string[] args, CancellationToken cancellationToken)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'{file} {string.Join(' ', args)}' failed ({process.ExitCode}): {await stdout}{await stderr}");
            }
        }

        private static string FindTool(string name)
        {
            var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
            if (onPath is not null)
            {
                return onPath;
            }

            const string debianRoot = "/usr/lib/postgresql";
            var candidate = Directory.Exists(debianRoot)
                ? Directory.GetDirectories(debianRoot).OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                    .Select(d => Path.Combine(d, "bin", name)).FirstOrDefault(File.Exists)
                : null;
            return candidate ?? throw new InvalidOperationException(
                $"PostgreSQL's '{name}' was not found (install the Debian package 'postgresql', or pass --postgres \"<connection string>\").");
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
