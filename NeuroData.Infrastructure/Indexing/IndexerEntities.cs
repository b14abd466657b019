using NeuroData.Domain.Common;

namespace NeuroData.Infrastructure.Indexing;

/// <summary>A contract log exactly as the chain gave it; projections can always be rebuilt from these rows.</summary>
public sealed class ChainLogRecord
{
    public long Id { get; set; }

    public ChainId ChainId { get; set; }

    public long BlockNumber { get; set; }

    public string BlockHash { get; set; } = string.Empty;

    public TxHash TxHash { get; set; } = null!;

    public int LogIndex { get; set; }

    public EthAddress Address { get; set; } = null!;

    /// <summary>Name of the decoded event ("Transfer", "EscrowOpened" ...), or null when no known event matched.</summary>
    public string? EventName { get; set; }

    /// <summary>Topics joined by commas, 0x-prefixed hex.</summary>
    public string Topics { get; set; } = string.Empty;

    public string Data { get; set; } = string.Empty;
}

/// <summary>A block the indexer has passed, kept to detect reorganisations by parent hash.</summary>
public sealed class IndexedBlock
{
    public ChainId ChainId { get; set; }

    public long Number { get; set; }

    public string Hash { get; set; } = string.Empty;

    public string ParentHash { get; set; } = string.Empty;
}

/// <summary>How far the indexer has applied the chain: every block up to <see cref="LastBlock"/> is in the projections.</summary>
public sealed class IndexerCursor
{
    public ChainId ChainId { get; set; }

    public long LastBlock { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Listing states as the DataMarketplace contract knows them.</summary>
public enum MirrorListingStatus
{
    Pending,
    Approved,
    Rejected,
    Delisted,
}

/// <summary>Projection of a DataMarketplace listing.</summary>
public sealed class MirrorListing
{
    public ChainId ChainId { get; set; }

    public long ListingId { get; set; }

    public EthAddress Seller { get; set; } = null!;

    /// <summary>bytes32 content digest of the dataset version, 0x-prefixed hex.</summary>
    public string ContentDigest { get; set; } = string.Empty;

    public TokenAmount Price { get; set; }

    public long ReviewPeriodSeconds { get; set; }

    /// <summary>0 = download, 1 = training only (the contract's enum).</summary>
    public int AccessType { get; set; }

    public int Tranches { get; set; }

    public MirrorListingStatus Status { get; set; }

    public string? RejectionReason { get; set; }

    public long CreatedBlock { get; set; }

    public long UpdatedBlock { get; set; }
}

/// <summary>Escrow states as the EscrowManager contract knows them.</summary>
public enum MirrorEscrowState
{
    Funded,
    Released,
    Refunded,
    Disputed,
    Resolved,
}

/// <summary>Projection of an escrow (one per purchase) and its dispute, if any.</summary>
public sealed class MirrorEscrow
{
    public ChainId ChainId { get; set; }

    public long EscrowId { get; set; }

    public long ListingId { get; set; }

    public EthAddress Buyer { get; set; } = null!;

    public EthAddress Seller { get; set; } = null!;

    public TokenAmount Amount { get; set; }

    public int FeeBps { get; set; }

    public DateTimeOffset Deadline { get; set; }

    public int Tranches { get; set; }

    public int TranchesReleased { get; set; }

    /// <summary>Gross amount already released to the seller (before fees).</summary>
    public TokenAmount Released { get; set; }

    public MirrorEscrowState State { get; set; }

    /// <summary>0 = arbitrator, 1 = vote of stakers, when disputed.</summary>
    public int? DisputeMode { get; set; }

    public TokenAmount? DisputeBond { get; set; }

    public DateTimeOffset? VoteEnd { get; set; }

    public int? SellerBps { get; set; }

    public TokenAmount? SellerAmount { get; set; }

    public TokenAmount? BuyerAmount { get; set; }

    public TxHash OpenedTx { get; set; } = null!;

    public long OpenedBlock { get; set; }

    public long UpdatedBlock { get; set; }
}

/// <summary>One staker's vote on a disputed escrow.</summary>
public sealed class MirrorVote
{
    public ChainId ChainId { get; set; }

    public long EscrowId { get; set; }

    public EthAddress Voter { get; set; } = null!;

    public bool ForSeller { get; set; }

    public TokenAmount Weight { get; set; }
}

/// <summary>An account's NCR position: wallet balance (from Transfer events) and staking.</summary>
public sealed class MirrorAccount
{
    public ChainId ChainId { get; set; }

    public EthAddress Address { get; set; } = null!;

    public TokenAmount Balance { get; set; }

    public TokenAmount Staked { get; set; }

    public TokenAmount RewardsPaid { get; set; }

    /// <summary>Credited by escrows and not yet withdrawn (pull payments).</summary>
    public TokenAmount Withdrawable { get; set; }

    public long UpdatedBlock { get; set; }
}
