using NeuroData.Domain.Common;

namespace NeuroData.Domain.Commerce;

/// <summary>Money paid out to a seller on chain (from a released escrow or a withdrawal).</summary>
public sealed class Payout : Entity
{
    private Payout()
    {
        ToAddress = null!;
        TxHash = null!;
    }

    public Payout(Guid sellerId, Guid? escrowId, EthAddress toAddress, TokenAmount amount, ChainId chainId, TxHash txHash, DateTimeOffset paidAt)
    {
        SellerId = Guard.Id(sellerId, "The seller");
        EscrowId = escrowId == Guid.Empty ? null : escrowId;
        ToAddress = toAddress ?? throw new DomainException("A payout needs a destination address.");
        Amount = amount.IsZero ? throw new DomainException("A payout must be a positive amount.") : amount;
        ChainId = chainId;
        TxHash = txHash ?? throw new DomainException("A payout needs its transaction hash.");
        PaidAt = paidAt;
    }

    public Guid SellerId { get; private set; }

    public Guid? EscrowId { get; private set; }

    public EthAddress ToAddress { get; private set; }

    public TokenAmount Amount { get; private set; }

    public ChainId ChainId { get; private set; }

    public TxHash TxHash { get; private set; }

    public DateTimeOffset PaidAt { get; private set; }
}

/// <summary>The platform's fee on a purchase, sent to the treasury in the purchase transaction.</summary>
public sealed class PlatformFee : Entity
{
    private PlatformFee()
    {
        TxHash = null!;
    }

    public PlatformFee(Guid purchaseId, TokenAmount amount, ChainId chainId, TxHash txHash, DateTimeOffset collectedAt)
    {
        PurchaseId = Guard.Id(purchaseId, "The purchase");
        Amount = amount;
        ChainId = chainId;
        TxHash = txHash ?? throw new DomainException("A fee needs its transaction hash.");
        CollectedAt = collectedAt;
    }

    public Guid PurchaseId { get; private set; }

    public TokenAmount Amount { get; private set; }

    public ChainId ChainId { get; private set; }

    public TxHash TxHash { get; private set; }

    public DateTimeOffset CollectedAt { get; private set; }

    /// <summary>Follows the chain: the fee collected so far and the transaction that collected its last part.</summary>
    public bool FollowChain(TokenAmount amount, TxHash txHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(txHash);
        if (Amount == amount && TxHash == txHash)
        {
            return false;
        }

        Amount = amount;
        TxHash = txHash;
        CollectedAt = now;
        return true;
    }
}

/// <summary>Money returned to a buyer (seller agreed, or a dispute ruled refund or split).</summary>
public sealed class Refund : Entity
{
    public const int ReasonMaxLength = 1000;

    private Refund()
    {
        Reason = null!;
    }

    public Refund(Guid purchaseId, TokenAmount amount, string reason, ChainId chainId, TxHash? txHash, DateTimeOffset refundedAt)
    {
        PurchaseId = Guard.Id(purchaseId, "The purchase");
        Amount = amount.IsZero ? throw new DomainException("A refund must be a positive amount.") : amount;
        Reason = Guard.Text(reason, "A refund reason", ReasonMaxLength);
        ChainId = chainId;
        TxHash = txHash;
        RefundedAt = refundedAt;
    }

    public Guid PurchaseId { get; private set; }

    public TokenAmount Amount { get; private set; }

    public string Reason { get; private set; }

    public ChainId ChainId { get; private set; }

    /// <summary>The transaction that moved the money (null until it is known, e.g. a pull withdrawal still to come).</summary>
    public TxHash? TxHash { get; private set; }

    public DateTimeOffset RefundedAt { get; private set; }

    /// <summary>Follows the chain (a ruling seen again after a reorganisation). Returns whether anything changed.</summary>
    public bool FollowChain(TokenAmount amount, string reason, TxHash? txHash, DateTimeOffset now)
    {
        var why = Guard.Text(reason, "A refund reason", ReasonMaxLength);
        if (amount.IsZero)
        {
            throw new DomainException("A refund must be a positive amount.");
        }

        if (Amount == amount && Reason == why && TxHash == txHash)
        {
            return false;
        }

        Amount = amount;
        Reason = why;
        TxHash = txHash;
        RefundedAt = now;
        return true;
    }
}
