using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace NeuroData.Infrastructure.Chain.Messages;

// Views that return a Solidity struct (an ABI tuple).

/// <summary>DataMarketplace.getListing(uint256 listingId) returns Listing.</summary>
[Function("getListing", typeof(GetListingOutput))]
public sealed class GetListingFunction : FunctionMessage
{
    [Parameter("uint256", "listingId", 1)]
    public BigInteger ListingId { get; set; }
}

[FunctionOutput]
public sealed class GetListingOutput : IFunctionOutputDTO
{
    [Parameter("tuple", "", 1)]
    public ListingData Listing { get; set; } = new();
}

/// <summary>DataMarketplace.Listing; status 0 (None) means no such listing.</summary>
public sealed class ListingData
{
    [Parameter("address", "seller", 1)]
    public string Seller { get; set; } = string.Empty;

    [Parameter("uint64", "reviewPeriod", 2)]
    public ulong ReviewPeriod { get; set; }

    [Parameter("uint8", "accessType", 3)]
    public byte AccessType { get; set; }

    [Parameter("uint8", "status", 4)]
    public byte Status { get; set; }

    [Parameter("uint8", "tranches", 5)]
    public byte Tranches { get; set; }

    [Parameter("uint128", "price", 6)]
    public BigInteger Price { get; set; }

    [Parameter("bytes32", "contentDigest", 7)]
    public byte[] ContentDigest { get; set; } = [];
}

/// <summary>EscrowManager.getEscrow(uint256 escrowId) returns Escrow.</summary>
[Function("getEscrow", typeof(GetEscrowOutput))]
public sealed class GetEscrowFunction : FunctionMessage
{
    [Parameter("uint256", "escrowId", 1)]
    public BigInteger EscrowId { get; set; }
}

[FunctionOutput]
public sealed class GetEscrowOutput : IFunctionOutputDTO
{
    [Parameter("tuple", "", 1)]
    public EscrowData Escrow { get; set; } = new();
}

/// <summary>EscrowManager.Escrow; state 0 (None) means no such escrow.</summary>
public sealed class EscrowData
{
    [Parameter("address", "buyer", 1)]
    public string Buyer { get; set; } = string.Empty;

    [Parameter("uint64", "deadline", 2)]
    public ulong Deadline { get; set; }

    [Parameter("uint16", "feeBps", 3)]
    public ushort FeeBps { get; set; }

    [Parameter("uint8", "state", 4)]
    public byte State { get; set; }

    [Parameter("address", "seller", 5)]
    public string Seller { get; set; } = string.Empty;

    [Parameter("uint8", "tranches", 6)]
    public byte Tranches { get; set; }

    [Parameter("uint8", "tranchesReleased", 7)]
    public byte TranchesReleased { get; set; }

    [Parameter("uint128", "amount", 8)]
    public BigInteger Amount { get; set; }

    [Parameter("uint128", "released", 9)]
    public BigInteger Released { get; set; }

    [Parameter("uint256", "listingId", 10)]
    public BigInteger ListingId { get; set; }
}

/// <summary>EscrowManager.getDispute(uint256 escrowId) returns Dispute.</summary>
[Function("getDispute", typeof(GetDisputeOutput))]
public sealed class GetDisputeFunction : FunctionMessage
{
    [Parameter("uint256", "escrowId", 1)]
    public BigInteger EscrowId { get; set; }
}

[FunctionOutput]
public sealed class GetDisputeOutput : IFunctionOutputDTO
{
    [Parameter("tuple", "", 1)]
    public DisputeData Dispute { get; set; } = new();
}

public sealed class DisputeData
{
    [Parameter("uint128", "bond", 1)]
    public BigInteger Bond { get; set; }

    [Parameter("uint64", "rulingDeadline", 2)]
    public ulong RulingDeadline { get; set; }

    [Parameter("uint16", "bondBurnBps", 3)]
    public ushort BondBurnBps { get; set; }

    [Parameter("uint16", "quorumBps", 4)]
    public ushort QuorumBps { get; set; }

    [Parameter("uint8", "mode", 5)]
    public byte Mode { get; set; }

    [Parameter("uint48", "snapshotBlock", 6)]
    public ulong SnapshotBlock { get; set; }

    [Parameter("uint64", "voteEnd", 7)]
    public ulong VoteEnd { get; set; }

    [Parameter("uint128", "snapshotTotalStake", 8)]
    public BigInteger SnapshotTotalStake { get; set; }

    [Parameter("uint128", "votesForSeller", 9)]
    public BigInteger VotesForSeller { get; set; }

    [Parameter("uint128", "votesForBuyer", 10)]
    public BigInteger VotesForBuyer { get; set; }
}
