using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Web.Wallet;

/// <summary>One row of a user's chain transactions.</summary>
public sealed record UserTransactionRow(
    Guid Id,
    TxHash Hash,
    EthAddress From,
    EthAddress? To,
    ChainTransactionPurpose Purpose,
    ChainTransactionStatus Status,
    long? BlockNumber,
    DateTimeOffset SentAt,
    string? FailureReason);

/// <summary>A wallet linked to the user.</summary>
public sealed record LinkedWalletRow(EthAddress Address, bool IsPrimary, DateTimeOffset LinkedAt);

/// <summary>
/// Reads for the wallet UI: the signed-in user's chain transactions and linked wallets. Every query is filtered by
/// the user id the caller got from the authentication state (never from the page). One context per query.
/// </summary>
public sealed class WalletPanelQueries(IDbContextFactory<NeuroDataDbContext> contexts)
{
    public const int MaxRows = 200;

    public async Task<IReadOnlyList<UserTransactionRow>> TransactionsAsync(Guid userId, bool pendingOnly, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.ChainTransactions.AsNoTracking().Where(t => t.UserId == userId);
        if (pendingOnly)
        {
            query = query.Where(t => t.Status == ChainTransactionStatus.Pending);
        }

        // Ids are Guid v7: ordering by id is ordering by creation time on both providers.
        return await query.OrderByDescending(t => t.Id).Take(MaxRows)
            .Select(t => new UserTransactionRow(t.Id, t.Hash, t.From, t.To, t.Purpose, t.Status, t.BlockNumber, t.SentAt, t.FailureReason))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LinkedWalletRow>> WalletsAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.WalletLinks.AsNoTracking().Where(w => w.UserId == userId)
            .Select(w => new LinkedWalletRow(w.Address, w.IsPrimary, w.LinkedAt))
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(w => w.IsPrimary).ThenBy(w => w.LinkedAt).ToList();
    }
}
