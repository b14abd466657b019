using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Payouts;

/// <summary>What the server saw of a withdrawal transaction.</summary>
public enum WithdrawalState
{
    /// <summary>Not mined yet (or the node does not see it yet).</summary>
    Pending,

    Confirmed,

    Reverted,
}

/// <summary>
/// The seller side of <c>EscrowManager.withdraw()</c>: builds the unsigned transaction for the user's own wallet
/// (only for a wallet linked to that user, and only when the contract holds something for it), records it as a
/// pending <see cref="ChainTransaction"/> once the wallet returns its hash, and confirms it from the receipt the
/// server reads itself (the wallet's word is never trusted). The payout row follows from the indexed Withdrawn event.
/// </summary>
public sealed class WithdrawalService(
    IDbContextFactory<NeuroDataDbContext> contexts,
    ChainContext chain,
    IChainGateway gateway,
    IWalletTransactionBuilder transactions,
    TimeProvider clock)
{
    /// <summary>What the contract holds for the wallet right now (read live, not from the mirror).</summary>
    public async Task<TokenAmount> WithdrawableOnChainAsync(EthAddress account, CancellationToken cancellationToken)
    {
        var c = await chain.GetContractsAsync(cancellationToken);
        var units = await chain.Web3.Eth.GetContractQueryHandler<WithdrawableFunction>()
            .QueryAsync<System.Numerics.BigInteger>(c.EscrowManager.Value, new WithdrawableFunction { Account = account.Value })
            .WaitAsync(cancellationToken);
        return new TokenAmount(units);
    }

    /// <summary>The withdraw transaction for <paramref name="account"/>; refused when the wallet is not the user's or holds nothing.</summary>
    public async Task<UnsignedTransaction> BuildAsync(Guid userId, EthAddress account, CancellationToken cancellationToken)
    {
        await RequireOwnWalletAsync(userId, account, cancellationToken);
        var amount = await WithdrawableOnChainAsync(account, cancellationToken);
        if (amount.IsZero)
        {
            throw new DomainException($"Nothing to withdraw: the escrow contract holds no NCR for {account.ToShortString()}.");
        }

        return await transactions.WithdrawAsync(account, cancellationToken);
    }

    /// <summary>Records the hash the wallet returned as a pending Withdraw transaction of the user (idempotent).</summary>
    public async Task RecordSentAsync(Guid userId, EthAddress account, TxHash hash, CancellationToken cancellationToken)
    {
        await RequireOwnWalletAsync(userId, account, cancellationToken);
        var c = await chain.GetContractsAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var chainId = chain.Settings.ChainId;
        if (await db.ChainTransactions.AnyAsync(t => t.ChainId == chainId && t.Hash == hash, cancellationToken))
        {
            return;
        }

        db.ChainTransactions.Add(new ChainTransaction(chainId, hash, account, c.EscrowManager, ChainTransactionPurpose.Withdraw, userId, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Recorded concurrently (a double submit): the row exists, which is all we need.
        }
    }

    /// <summary>
    /// Reads the receipt from the platform's node: confirmed only when it is a successful call of the EscrowManager
    /// from the user's wallet. Updates the user's transaction row.
    /// </summary>
    public async Task<WithdrawalState> ConfirmAsync(Guid userId, TxHash hash, CancellationToken cancellationToken)
    {
        var receipt = await gateway.GetReceiptAsync(hash, cancellationToken);
        if (receipt is null)
        {
            return WithdrawalState.Pending;
        }

        var c = await chain.GetContractsAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var chainId = chain.Settings.ChainId;
        var row = await db.ChainTransactions.SingleOrDefaultAsync(t => t.ChainId == chainId && t.Hash == hash && t.UserId == userId, cancellationToken)
            ?? throw new DomainException("This transaction was not sent from your account on this page.");
        if (receipt.To != c.EscrowManager || receipt.From != row.From)
        {
            throw new DomainException("This transaction is not a withdrawal from the escrow contract by your wallet.");
        }

        if (row.Status == ChainTransactionStatus.Pending)
        {
            if (receipt.Succeeded)
            {
                row.Confirm(receipt.BlockNumber, clock.GetUtcNow());
            }
            else
            {
                row.MarkReverted(receipt.BlockNumber, "The withdrawal reverted (nothing was credited to this wallet any more?).", clock.GetUtcNow());
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return receipt.Succeeded ? WithdrawalState.Confirmed : WithdrawalState.Reverted;
    }

    private async Task RequireOwnWalletAsync(Guid userId, EthAddress account, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.WalletLinks.AnyAsync(w => w.UserId == userId && w.Address == account, cancellationToken))
        {
            throw new DomainException($"The wallet {account.ToShortString()} is not linked to your account. Link it under Manage account → Wallets, or select a linked wallet.");
        }
    }
}
