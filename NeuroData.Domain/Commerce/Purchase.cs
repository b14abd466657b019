using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;

namespace NeuroData.Domain.Commerce;

public enum PurchaseStatus
{
    /// <summary>The purchase transaction was sent; not yet indexed.</summary>
    Pending,

    /// <summary>Paid on chain; the escrow is funded and the buyer has access.</summary>
    Confirmed,

    /// <summary>The escrow released to the seller.</summary>
    Completed,

    /// <summary>The escrow refunded the buyer (by agreement or ruling).</summary>
    Refunded,

    /// <summary>The transaction failed or reverted; nothing was paid.</summary>
    Failed,
}

/// <summary>A buyer's purchase of one dataset version with one access type. Mirrors the on-chain purchase and escrow.</summary>
public sealed class Purchase : Entity
{
    public const int FailureMaxLength = 1000;

    private Purchase()
    {
    }

    private Purchase(Guid buyerId, Guid sellerId, Guid datasetId, Guid versionId, DatasetAccessTypes accessType, TokenAmount price, TokenAmount fee, DateTimeOffset now)
    {
        BuyerId = buyerId;
        SellerId = sellerId;
        DatasetId = datasetId;
        DatasetVersionId = versionId;
        AccessType = accessType;
        Price = price;
        Fee = fee;
        CreatedAt = now;
        Status = PurchaseStatus.Pending;
    }

    public Guid BuyerId { get; private set; }

    public Guid SellerId { get; private set; }

    public Guid DatasetId { get; private set; }

    public Guid DatasetVersionId { get; private set; }

    /// <summary>Exactly one of Download or TrainingOnly.</summary>
    public DatasetAccessTypes AccessType { get; private set; }

    /// <summary>What the buyer pays, fee included.</summary>
    public TokenAmount Price { get; private set; }

    /// <summary>The platform fee (basis points of the price, rounded down like the contract).</summary>
    public TokenAmount Fee { get; private set; }

    public PurchaseStatus Status { get; private set; }

    public long? OnChainPurchaseId { get; private set; }

    public long? OnChainEscrowId { get; private set; }

    /// <summary>The purchase transaction.</summary>
    public Guid? ChainTransactionId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ConfirmedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? FailureReason { get; private set; }

    /// <summary>When the buyer claimed the platform could not deliver what was listed (a refund claim, reason "not delivered").</summary>
    public DateTimeOffset? DeliveryClaimedAt { get; private set; }

    /// <summary>What could not be delivered, as the platform found it when the buyer claimed.</summary>
    public string? DeliveryClaim { get; private set; }

    /// <summary>True while the buyer may use the data (paid, not refunded).</summary>
    public bool GrantsAccess => Status is PurchaseStatus.Confirmed or PurchaseStatus.Completed;

    /// <summary>Starts a purchase of the dataset's given version at its current price.</summary>
    public static Purchase Start(Dataset dataset, DatasetVersion version, Guid buyerId, DatasetAccessTypes accessType, int feeBasisPoints, DateTimeOffset now) =>
        Start(dataset, version, buyerId, accessType, dataset?.Price ?? TokenAmount.Zero, feeBasisPoints, now);

    /// <summary>Starts a purchase at the price of the on-chain listing (what the buyer's wallet will pay).</summary>
    public static Purchase Start(Dataset dataset, DatasetVersion version, Guid buyerId, DatasetAccessTypes accessType, TokenAmount listedPrice, int feeBasisPoints, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(version);
        Guard.Id(buyerId, "The buyer");
        if (dataset.Status != DatasetStatus.Live)
        {
            throw new DomainException($"'{dataset.Title}' is not on sale ({Dataset.Describe(dataset.Status)}).");
        }

        if (buyerId == dataset.SellerId)
        {
            throw new DomainException("You cannot buy your own dataset.");
        }

        if (version.DatasetId != dataset.Id || version.Status != DatasetVersionStatus.Ready)
        {
            throw new DomainException($"Version {version.VersionNumber} is not available for purchase.");
        }

        if (accessType is not (DatasetAccessTypes.Download or DatasetAccessTypes.TrainingOnly) || !dataset.AccessTypes.HasFlag(accessType))
        {
            throw new DomainException($"'{dataset.Title}' does not offer {accessType} access.");
        }

        if (listedPrice.IsZero)
        {
            throw new DomainException("A purchase needs a price above zero.");
        }

        return new Purchase(buyerId, dataset.SellerId, dataset.Id, version.Id, accessType, listedPrice, listedPrice.MultiplyBasisPoints(feeBasisPoints), now);
    }

    public void AttachTransaction(Guid chainTransactionId)
    {
        if (Status != PurchaseStatus.Pending)
        {
            throw new DomainException($"A transaction can only be attached to a pending purchase; this one is {Status}.");
        }

        ChainTransactionId = Guard.Id(chainTransactionId, "The transaction");
    }

    /// <summary>The Purchased event was indexed: record the on-chain ids. Idempotent for the same ids.</summary>
    public void Confirm(long onChainPurchaseId, long onChainEscrowId, DateTimeOffset now)
    {
        if (Status == PurchaseStatus.Confirmed && OnChainPurchaseId == onChainPurchaseId && OnChainEscrowId == onChainEscrowId)
        {
            return;
        }

        RequireStatus(PurchaseStatus.Pending, "confirmed");
        var purchaseId = Guard.NotNegative(onChainPurchaseId, "An on-chain purchase id");
        var escrowId = Guard.NotNegative(onChainEscrowId, "An on-chain escrow id");
        OnChainPurchaseId = purchaseId;
        OnChainEscrowId = escrowId;
        ConfirmedAt = now;
        Status = PurchaseStatus.Confirmed;
    }

    public void MarkFailed(string reason, DateTimeOffset now)
    {
        RequireStatus(PurchaseStatus.Pending, "marked failed");
        FailureReason = Guard.Text(reason, "A failure reason", FailureMaxLength);
        ClosedAt = now;
        Status = PurchaseStatus.Failed;
    }

    /// <summary>The escrow released to the seller.</summary>
    public void Complete(DateTimeOffset now)
    {
        RequireStatus(PurchaseStatus.Confirmed, "completed");
        ClosedAt = now;
        Status = PurchaseStatus.Completed;
    }

    /// <summary>The escrow refunded the buyer; access ends.</summary>
    public void MarkRefunded(DateTimeOffset now)
    {
        RequireStatus(PurchaseStatus.Confirmed, "refunded");
        ClosedAt = now;
        Status = PurchaseStatus.Refunded;
    }

    /// <summary>
    /// A purchase the platform learns about from the chain only (bought outside the app, or the app's pending row was
    /// lost): already paid, so it starts Confirmed. The chain is the truth, so the dataset's current state is not checked.
    /// </summary>
    public static Purchase FromChain(Guid buyerId, Guid sellerId, Guid datasetId, Guid versionId, DatasetAccessTypes accessType, TokenAmount price, TokenAmount fee, long onChainEscrowId, DateTimeOffset now)
    {
        Guard.Id(buyerId, "The buyer");
        Guard.Id(sellerId, "The seller");
        Guard.Id(datasetId, "The dataset");
        Guard.Id(versionId, "The version");
        if (accessType is not (DatasetAccessTypes.Download or DatasetAccessTypes.TrainingOnly))
        {
            throw new DomainException("A purchase is for exactly one access type: download or training-only.");
        }

        var purchase = new Purchase(buyerId, sellerId, datasetId, versionId, accessType, price, fee, now);
        purchase.Confirm(onChainEscrowId, onChainEscrowId, now);
        return purchase;
    }

    /// <summary>
    /// Brings the purchase in step with its escrow on chain (the chain is the truth, so any paid state may follow any
    /// other, e.g. after a reorganisation). <paramref name="status"/> is Confirmed, Completed or Refunded.
    /// Returns whether anything changed (running it again with the same facts changes nothing).
    /// </summary>
    public bool FollowChain(long onChainEscrowId, PurchaseStatus status, DateTimeOffset now)
    {
        if (status is not (PurchaseStatus.Confirmed or PurchaseStatus.Completed or PurchaseStatus.Refunded))
        {
            throw new DomainException($"A purchase with an escrow on chain is confirmed, completed or refunded, not {status}.");
        }

        var escrowId = Guard.NotNegative(onChainEscrowId, "An on-chain escrow id");
        if (Status == status && OnChainEscrowId == escrowId)
        {
            return false;
        }

        if (Status == PurchaseStatus.Failed)
        {
            // The wallet's transaction was given up, yet the chain shows the escrow: the chain wins.
            FailureReason = null;
        }

        OnChainPurchaseId = escrowId;
        OnChainEscrowId = escrowId;
        ConfirmedAt ??= now;
        ClosedAt = status == PurchaseStatus.Confirmed ? null : ClosedAt ?? now;
        Status = status;
        return true;
    }

    /// <summary>
    /// A chain reorganisation removed the escrow this purchase was confirmed by. With a wallet transaction attached the
    /// purchase goes back to Pending (the transaction may be mined again); without one it fails with the reason.
    /// </summary>
    public void LoseEscrow(string reason, DateTimeOffset now)
    {
        OnChainPurchaseId = null;
        OnChainEscrowId = null;
        ConfirmedAt = null;
        if (ChainTransactionId is not null)
        {
            ClosedAt = null;
            FailureReason = null;
            Status = PurchaseStatus.Pending;
            return;
        }

        FailureReason = Guard.Text(reason, "A failure reason", FailureMaxLength);
        ClosedAt = now;
        Status = PurchaseStatus.Failed;
    }

    /// <summary>
    /// Records the buyer's one-click refund claim for a paid purchase the platform cannot deliver (only while the escrow
    /// still holds the money). Claiming again changes nothing.
    /// </summary>
    public void ClaimNotDelivered(string problem, DateTimeOffset now)
    {
        if (DeliveryClaimedAt is not null)
        {
            return;
        }

        RequireStatus(PurchaseStatus.Confirmed, "claimed as not delivered");
        DeliveryClaim = Guard.Text(problem, "What was not delivered", FailureMaxLength);
        DeliveryClaimedAt = now;
    }

    private void RequireStatus(PurchaseStatus expected, string verb)
    {
        if (Status != expected)
        {
            throw new DomainException($"This purchase is {Status.ToString().ToLowerInvariant()} and cannot be {verb}.");
        }
    }
}
