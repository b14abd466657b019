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

/// <summary>
/// Moves <see cref="SearchChanges"/> on when a save touches what search shows: before and after the save, and again when
/// the surrounding transaction (if any) commits or rolls back, so a search that read during the transaction is not kept.
/// One shared instance.
/// </summary>
public sealed class SearchChangeInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly SearchChangeInterceptor Instance = new();

    private static readonly ConditionalWeakTable<DbContext, object> Pending = [];

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
        if (context is not null && Pending.Remove(context))
        {
            SearchChanges.Changed();
        }
    }

    private static void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var relevant = context.ChangeTracker.Entries().Any(e =>
            e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted &&
            e.Entity is Dataset or DatasetVersion or DatasetTag or Tag or Category or DatasetReview or UserProfile);
        if (relevant)
        {
            Pending.AddOrUpdate(context, Instance);

            // Also now: a search running during the save must not keep what it read before it.
            SearchChanges.Changed();
        }
    }

    private static void Settle(DbContext? context)
    {
        if (context is null || !Pending.TryGetValue(context, out _))
        {
            return;
        }

        SearchChanges.Changed();
        if (context.Database.CurrentTransaction is null)
        {
            Pending.Remove(context);
        }
    }
}
