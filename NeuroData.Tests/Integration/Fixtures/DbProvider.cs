namespace NeuroData.Tests.Integration.Fixtures;

/// <summary>The database providers every persistence test runs against.</summary>
public enum DbProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Theory data: one row per provider, so one test body runs on SQLite and on PostgreSQL.</summary>
public sealed class AllProviders : TheoryData<DbProvider>
{
    public AllProviders()
    {
        Add(DbProvider.Sqlite);
        Add(DbProvider.Postgres);
    }
}

/// <summary>A clock that stands still unless a test moves it (whole seconds, so every provider stores it exactly).</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public FixedClock()
        : this(Start)
    {
    }

    public DateTimeOffset Now { get; private set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
