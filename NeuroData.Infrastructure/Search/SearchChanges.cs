using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;

namespace NeuroData.Infrastructure.Search;

/// <summary>
/// A process-wide change counter for search results: it moves on after every SaveChanges that added, changed or removed
/// something a marketplace card or filter shows (datasets, their versions and tags, tags, categories, reviews, seller
/// profiles). Cached results read before the move are void.
/// </summary>
public static class SearchChanges
{
    private static long _generation;

    public static long Generation => Interlocked.Read(ref _generation);

    public static void Changed() => Interlocked.Increment(ref _generation);
}

/// <summary>What one save changed that a search index holds: datasets (by id), tags and categories (renamed or deleted).</summary>
public sealed class SearchChangeSet
{
    public HashSet<Guid> Datasets { get; } = [];

    public HashSet<Guid> Tags { get; } = [];

    public HashSet<Guid> Categories { get; } = [];

    /// <summary>Users whose profile changed (their display name is on the cards of their datasets).</summary>
    public HashSet<Guid> Sellers { get; } = [];

    public bool IsEmpty => Datasets.Count == 0 && Tags.Count == 0 && Categories.Count == 0 && Sellers.Count == 0;

    public void Add(SearchChangeSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Datasets.UnionWith(other.Datasets);
        Tags.UnionWith(other.Tags);
        Categories.UnionWith(other.Categories);
        Sellers.UnionWith(other.Sellers);
    }
}

/// <summary>
/// Receives the changes saved through this process (after the save, and again when the surrounding transaction ends).
/// Sinks are held weakly: an index that is no longer used stops receiving.
/// </summary>
public static class SearchChangeFeed
{
    private static readonly ConditionalWeakTable<Action<SearchChangeSet>, object> Sinks = [];

    /// <summary>Calls <paramref name="sink"/> with every change set from now on while the caller keeps a reference to it.</summary>
    public static void Subscribe(Action<SearchChangeSet> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Sinks.AddOrUpdate(sink, sink);
    }

    public static void Publish(SearchChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return;
        }

        foreach (var (sink, _) in Sinks)
        {
            sink(changes);
        }
    }
}

/// <summary>
/// Moves <see cref="SearchChanges"/> on when a save touches what search shows: before and after the save, and again when
/// the surrounding transaction (if any) commits or rolls back, so a search that read during the transaction is not kept.
/// One shared instance.
/// </summary>
public sealed class SearchChangeInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly SearchChangeInterceptor Instance = new();

    private static readonly ConditionalWeakTable<DbContext, SearchChangeSet> Pending = [];

    private SearchChangeInterceptor()
    {
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Settle(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Settle(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        Settle(eventData.Context);
        base.SaveChangesFailed(eventData);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Settle(eventData.Context);
        return base.SaveChangesFailedAsync(eventData, cancellationToken);
    }

    void IDbTransactionInterceptor.TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Finish(eventData.Context);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Finish(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Finish(eventData.Context);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Finish(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Finish(DbContext? context)
    {
        if (context is not null && Pending.TryGetValue(context, out var changes) && Pending.Remove(context))
        {
            SearchChanges.Changed();
            SearchChangeFeed.Publish(changes);
        }
    }

    private static void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var relevant = false;
        var changes = new SearchChangeSet();
        foreach (var e in context.ChangeTracker.Entries())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            switch (e.Entity)
            {
                case Dataset d: changes.Datasets.Add(d.Id); break;
                case DatasetVersion v: changes.Datasets.Add(v.DatasetId); break;
                case DatasetTag t: changes.Datasets.Add(t.DatasetId); break;
                case DatasetReview r: changes.Datasets.Add(r.DatasetId); break;
                case Tag t: changes.Tags.Add(t.Id); break; // new ones too: an index must learn their slugs
                case Category c: changes.Categories.Add(c.Id); break;
                case UserProfile p: changes.Sellers.Add(p.Id); break;
                default: continue;
            }

            relevant = true;
        }

        if (relevant)
        {
            if (Pending.TryGetValue(context, out var earlier))
            {
                earlier.Add(changes);
            }
            else
            {
                Pending.AddOrUpdate(context, changes);
            }

            // Also now: a search running during the save must not keep what it read before it.
            SearchChanges.Changed();
        }
    }

    private static void Settle(DbContext? context)
    {
        if (context is null || !Pending.TryGetValue(context, out var changes))
        {
            return;
        }

        SearchChanges.Changed();
        SearchChangeFeed.Publish(changes);
        if (context.Database.CurrentTransaction is null)
        {
            Pending.Remove(context);
        }
    }
}
