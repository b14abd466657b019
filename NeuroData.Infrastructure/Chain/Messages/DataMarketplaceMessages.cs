using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace NeuroData.Infrastructure.Chain.Messages;

// Typed messages for DataMarketplace (written from Chain/Abi/DataMarketplace.json; ChainMessagesTests checks each against the ABI).

/// <summary>DataMarketplace.createListing(bytes32 contentDigest, uint256 price, uint256 reviewPeriod, uint8 accessType, uint256 tranches) returns uint256.</summary>
[Function("createListing", "uint256")]
public sealed class CreateListingFunction : FunctionMessage
{
    [Parameter("bytes32", "contentDigest", 1)]
    public byte[] ContentDigest { get; set; } = [];

    [Parameter("uint256", "price", 2)]
    public BigInteger Price { get; set; }

    [Parameter("uint256", "reviewPeriod", 3)]
    public BigInteger ReviewPeriod { get; set; }

    [Parameter("uint8", "accessType", 4)]
    public byte AccessType { get; set; }

    [Parameter("uint256", "tranches", 5)]
    public BigInteger Tranches { get; set; }
}

/// <summary>DataMarketplace.approveListing(uint256 listingId).</summary>
[Function("approveListing")]
public sealed class ApproveListingFunction : FunctionMessage
{
    [Parameter("uint256", "listingId", 1)]
    public BigInteger ListingId { get; set; }
}

/// <summary>DataMarketplace.rejectListing(uint256 listingId, string reason).</summary>
[Function("rejectListing")]
public sealed class RejectListingFunction : FunctionMessage
{
    [Parameter("uint256", "listingId", 1)]
    public BigInteger ListingId { get; set; }

    [Parameter("string", "reason", 2)]
    public string Reason { get; set; } = string.Empty;
}

/// <summary>DataMarketplace.delist(uint256 listingId).</summary>
[Function("delist")]
public sealed class DelistFunction : FunctionMessage
{
    [Parameter("uint256", "listingId", 1)]
    public BigInteger ListingId { get; set; }
}

/// <summary>DataMarketplace.updatePrice(uint256 listingId, uint256 newPrice).</summary>
[Function("updatePrice")]
public sealed class UpdatePriceFunction : FunctionMessage
{
    [Parameter("uint256", "listingId", 1)]
    public BigInteger ListingId { get; set; }

    [Parameter("uint256", "newPrice", 2)]
    public BigInteger NewPrice { get; set; }
}

/// <summary>DataMarketplace.purchase(uint256 listingId, uint256 maxPrice) returns uint256.</summary>
[Function("purchase", "uint256")]
public sealed class PurchaseFunction : FunctionMessage
{
    [Parameter("uint256", "listingId", 1)]
    public BigInteger ListingId { get; set; }

    [Parameter("uint256", "maxPrice", 2)]
    public BigInteger MaxPrice { get; set; }
}

/// <summary>DataMarketplace.purchaseWithPermit(uint256 listingId, uint256 maxPrice, uint256 deadline, uint8 v, bytes32 r, bytes32 s) returns uint256.</summary>
[Function("purchaseWithPermit", "uint256")]
public sealed class PurchaseWithPermitFunction : FunctionMessage
{
    [Parameter("uint256", "listingId", 1)]
    public BigInteger ListingId { get; set; }

    [Parameter("uint256", "maxPrice", 2)]
    public BigInteger MaxPrice { get; set; }

    [Parameter("uint256", "deadline", 3)]
    public BigInteger Deadline { get; set; }

    [Parameter("uint8", "v", 4)]
    public byte V { get; set; }

    [Parameter("bytes32", "r", 5)]
    public byte[] R { get; set; } = [];

    [Parameter("bytes32", "s", 6)]
    public byte[] S { get; set; } = [];
}

/// <summary>DataMarketplace.listingCount() returns uint256.</summary>
[Function("listingCount", "uint256")]
public sealed class ListingCountFunction : FunctionMessage
{
}

/// <summary>DataMarketplace.feeBps() returns uint256.</summary>
[Function("feeBps", "uint256")]
public sealed class FeeBpsFunction : FunctionMessage
{
}

/// <summary>DataMarketplace event ListingCreated.</summary>
[Event("ListingCreated")]
public sealed class ListingCreatedEvent : IEventDTO
{
    [Parameter("uint256", "listingId", 1, true)]
    public BigInteger ListingId { get; set; }

    [Parameter("address", "seller", 2, true)]
    public string Seller { get; set; } = string.Empty;

    [Parameter("bytes32", "contentDigest", 3)]
    public byte[] ContentDigest { get; set; } = [];

    [Parameter("uint256", "price", 4)]
    public BigInteger Price { get; set; }

    [Parameter("uint256", "reviewPeriod", 5)]
    public BigInteger ReviewPeriod { get; set; }

    [Parameter("uint8", "accessType", 6)]
    public byte AccessType { get; set; }

    [Parameter("uint256", "tranches", 7)]
    public BigInteger Tranches { get; set; }
}

/// <summary>DataMarketplace event ListingApproved.</summary>
[Event("ListingApproved")]
public sealed class ListingApprovedEvent : IEventDTO
{
    [Parameter("uint256", "listingId", 1, true)]
    public BigInteger ListingId { get; set; }

    [Parameter("address", "moderator", 2, true)]
    public string Moderator { get; set; } = string.Empty;
}

/// <summary>DataMarketplace event ListingRejected.</summary>
[Event("ListingRejected")]
public sealed class ListingRejectedEvent : IEventDTO
{
    [Parameter("uint256", "listingId", 1, true)]
    public BigInteger ListingId { get; set; }

    [Parameter("address", "moderator", 2, true)]
    public string Moderator { get; set; } = string.Empty;

    [Parameter("string", "reason", 3)]
    public string Reason { get; set; } = string.Empty;
}

/// <summary>DataMarketplace event ListingDelisted.</summary>
[Event("ListingDelisted")]
public sealed class ListingDelistedEvent : IEventDTO
{
    [Parameter("uint256", "listingId", 1, true)]
    public BigInteger ListingId { get; set; }
}

/// <summary>DataMarketplace event PriceUpdated.</summary>
[Event("PriceUpdated")]
public sealed class PriceUpdatedEvent : IEventDTO
{
    [Parameter("uint256", "listingId", 1, true)]
    public BigInteger ListingId { get; set; }

    [Parameter("uint256", "oldPrice", 2)]
    public BigInteger OldPrice { get; set; }

    [Parameter("uint256", "newPrice", 3)]
    public BigInteger NewPrice { get; set; }
}

/// <summary>DataMarketplace event Purchased.</summary>
[Event("Purchased")]
public sealed class PurchasedEvent : IEventDTO
{
    [Parameter("uint256", "listingId", 1, true)]
    public BigInteger ListingId { get; set; }

    [Parameter("uint256", "escrowId", 2, true)]
    public BigInteger EscrowId { get; set; }

    [Parameter("address", "buyer", 3, true)]
    public string Buyer { get; set; } = string.Empty;

    [Parameter("address", "seller", 4)]
    public string Seller { get; set; } = string.Empty;

    [Parameter("uint256", "price", 5)]
    public BigInteger Price { get; set; }

    [Parameter("uint256", "feeBps", 6)]
    public BigInteger FeeBps { get; set; }

    [Parameter("uint8", "accessType", 7)]
    public byte AccessType { get; set; }
}

/// <summary>DataMarketplace event PermitFailed.</summary>
[Event("PermitFailed")]
public sealed class PermitFailedEvent : IEventDTO
{
    [Parameter("address", "buyer", 1, true)]
    public string Buyer { get; set; } = string.Empty;

    [Parameter("uint256", "listingId", 2, true)]
    public BigInteger ListingId { get; set; }
}
