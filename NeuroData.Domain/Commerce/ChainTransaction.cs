using NeuroData.Domain.Common;

namespace NeuroData.Domain.Commerce;

public enum ChainTransactionPurpose
{
    CreateListing,
    UpdateListing,
    ApproveToken,
    Purchase,
    ConfirmReceipt,
    ReleaseEscrow,
    RefundEscrow,
    OpenDispute,
    RuleDispute,
    VoteDispute,
    Withdraw,
    Stake,
    Unstake,
    ClaimRewards,
    GovernanceVote,
    Other,
}

public enum ChainTransactionStatus
{
    Pending,
    Confirmed,
    Failed,
    Reverted,
}

/// <summary>
/// A transaction the app saw being sent (by a user's wallet or the operator key), tracked from "pending" until it
/// is mined. Confirmed, Failed and Reverted are final. Unique per chain and hash.
/// </summary>
public sealed class ChainTransaction : Entity
{
    public const int FailureMaxLength = 1000;

    private ChainTransaction()
    {
        Hash = null!;
        From = null!;
    }

    public ChainTransaction(ChainId chainId, TxHash hash, EthAddress from, EthAddress? to, ChainTransactionPurpose purpose, Guid? userId, DateTimeOffset sentAt)
    {
        ChainId = chainId;
        Hash = hash ?? throw new DomainException("A transaction hash is required.");
        From = from ?? throw new DomainException("The sender address is required.");
        To = to;
        Purpose = purpose;
        UserId = userId == Guid.Empty ? null : userId;
        SentAt = sentAt;
        Status = ChainTransactionStatus.Pending;
    }

    public ChainId ChainId { get; private set; }

    public TxHash Hash { get; private set; }

    public EthAddress From { get; private set; }

    /// <summary>The contract or account called; null for a contract creation.</summary>
    public EthAddress? To { get; private set; }

    public ChainTransactionPurpose Purpose { get; private set; }

    /// <summary>The user on whose behalf it was sent; null for platform (operator) transactions.</summary>
    public Guid? UserId { get; private set; }

    public ChainTransactionStatus Status { get; private set; }

    public long? BlockNumber { get; private set; }

    public DateTimeOffset SentAt { get; private set; }

    public DateTimeOffset? ConfirmedAt { get; private set; }

    public string? FailureReason { get; private set; }

    public bool IsFinal => Status != ChainTransactionStatus.Pending;

    /// <summary>Mined successfully in <paramref name="blockNumber"/>.</summary>
    public void Confirm(long blockNumber, DateTimeOffset at)
    {
        RequirePending("confirmed");
        BlockNumber = Guard.NotNegative(blockNumber, "A block number");
        ConfirmedAt = at;
        Status = ChainTransactionStatus.Confirmed;
    }

    /// <summary>Mined, but the call reverted.</summary>
    public void MarkReverted(long blockNumber, string? reason, DateTimeOffset at)
    {
        RequirePending("marked reverted");
        var block = Guard.NotNegative(blockNumber, "A block number");
        var why = Guard.OptionalText(reason, "A revert reason", FailureMaxLength) ?? "The transaction reverted.";
        BlockNumber = block;
        ConfirmedAt = at;
        FailureReason = why;
        Status = ChainTransactionStatus.Reverted;
    }

    /// <summary>Never mined (dropped, replaced, or rejected by the node).</summary>
    public void MarkFailed(string reason, DateTimeOffset at)
    {
        RequirePending("marked failed");
        FailureReason = Guard.Text(reason, "A failure reason", FailureMaxLength);
        ConfirmedAt = at;
        Status = ChainTransactionStatus.Failed;
    }

    private void RequirePending(string verb)
    {
        if (Status != ChainTransactionStatus.Pending)
        {
            throw new DomainException($"Transaction {Hash.ToShortString()} is already {Status.ToString().ToLowerInvariant()} and cannot be {verb}.");
        }
    }
}
