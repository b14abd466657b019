using NeuroData.Domain.Common;

namespace NeuroData.Domain.Datasets;

/// <summary>The state of a listing in the DataMarketplace contract, as the platform last saw it.</summary>
public enum DatasetListingStatus
{
    /// <summary>Created by the seller's wallet; waits for a moderator.</summary>
    Pending,
    Approved,
    Rejected,
    Delisted,
}

/// <summary>
/// One on-chain listing of a dataset version for one access type. The contract has one access type per listing, so a
/// dataset that offers download and training-only access has two listings per version. Created when the seller's
/// <c>createListing</c> transaction is confirmed (the listing id comes from its ListingCreated event).
/// </summary>
public sealed class DatasetListing : Entity
{
    private DatasetListing()
    {
        Seller = null!;
        TransactionHash = null!;
    }

    public DatasetListing(Guid datasetId, Guid versionId, DatasetAccessTypes accessType, long chainListingId, EthAddress seller, TxHash transactionHash, TokenAmount price, DateTimeOffset now)
    {
        DatasetId = Guard.Id(datasetId, "The dataset");
        VersionId = Guard.Id(versionId, "The version");
        if (accessType is not (DatasetAccessTypes.Download or DatasetAccessTypes.TrainingOnly))
        {
            throw new DomainException("An on-chain listing offers exactly one access type: download or training-only.");
        }

        if (chainListingId <= 0)
        {
            throw new DomainException($"An on-chain listing id is a positive number (got {chainListingId}).");
        }

        ArgumentNullException.ThrowIfNull(seller);
        ArgumentNullException.ThrowIfNull(transactionHash);
        AccessType = accessType;
        ChainListingId = chainListingId;
        Seller = seller;
        TransactionHash = transactionHash;
        Price = price;
        Status = DatasetListingStatus.Pending;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid DatasetId { get; private set; }

    public Guid VersionId { get; private set; }

    /// <summary>Download or TrainingOnly (never both).</summary>
    public DatasetAccessTypes AccessType { get; private set; }

    /// <summary>The DataMarketplace listing id.</summary>
    public long ChainListingId { get; private set; }

    /// <summary>The wallet that created the listing (the contract's seller).</summary>
    public EthAddress Seller { get; private set; }

    /// <summary>The seller's createListing transaction.</summary>
    public TxHash TransactionHash { get; private set; }

    public TokenAmount Price { get; private set; }

    public DatasetListingStatus Status { get; private set; }

    /// <summary>The rejection or take-down reason, when there is one.</summary>
    public string? StatusReason { get; private set; }

    /// <summary>The last moderation transaction (approveListing / rejectListing) sent for this listing.</summary>
    public TxHash? ModerationTransactionHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Whether the contract still lets a moderator approve or reject it.</summary>
    public bool IsOpen => Status is DatasetListingStatus.Pending or DatasetListingStatus.Approved;

    /// <summary>Mirrors the contract's state (after a moderation transaction or a fresh read of the chain).</summary>
    public void Update(DatasetListingStatus status, string? reason, TxHash? moderationTransaction, DateTimeOffset now)
    {
        Status = status;
        StatusReason = Guard.OptionalText(reason, "A listing status reason", Dataset.ReasonMaxLength);
        ModerationTransactionHash = moderationTransaction ?? ModerationTransactionHash;
        UpdatedAt = now;
    }

    public void ChangePrice(TokenAmount price, DateTimeOffset now)
    {
        if (price.IsZero)
        {
            throw new DomainException("A listing needs a price above zero.");
        }

        Price = price;
        UpdatedAt = now;
    }
}

/// <summary>What a moderator (or the seller, for delisting) did to a dataset.</summary>
public enum ModerationAction
{
    Approved,
    Rejected,
    Flagged,
    Unflagged,
    Featured,
    Unfeatured,
    Delisted,
    VersionApproved,
    VersionRejected,
}

/// <summary>One line of the append-only moderation log of a dataset.</summary>
public sealed class ModerationLogEntry : Entity
{
    public const int DetailMaxLength = 2000;

    private ModerationLogEntry()
    {
    }

    public ModerationLogEntry(Guid datasetId, Guid actorId, ModerationAction action, string? reason, string? detail, DateTimeOffset at)
    {
        DatasetId = Guard.Id(datasetId, "The dataset");
        ActorId = Guard.Id(actorId, "Who acted");
        Action = action;
        Reason = Guard.OptionalText(reason, "A reason", Dataset.ReasonMaxLength);
        Detail = Guard.OptionalText(detail, "A detail", DetailMaxLength);
        At = at;
    }

    public Guid DatasetId { get; private set; }

    public Guid ActorId { get; private set; }

    public ModerationAction Action { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>E.g. the chain transactions the action sent.</summary>
    public string? Detail { get; private set; }

    public DateTimeOffset At { get; private set; }
}
