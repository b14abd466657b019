using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace NeuroData.Infrastructure.Chain.Messages;

// Typed messages for EscrowManager (written from Chain/Abi/EscrowManager.json; ChainMessagesTests checks each against the ABI).

/// <summary>EscrowManager.confirm(uint256 escrowId).</summary>
[Function("confirm")]
public sealed class ConfirmFunction : FunctionMessage
{
    [Parameter("uint256", "escrowId", 1)]
    public BigInteger EscrowId { get; set; }
}

/// <summary>EscrowManager.openDispute(uint256 escrowId, uint8 mode).</summary>
[Function("openDispute")]
public sealed class OpenDisputeFunction : FunctionMessage
{
    [Parameter("uint256", "escrowId", 1)]
    public BigInteger EscrowId { get; set; }

    [Parameter("uint8", "mode", 2)]
    public byte Mode { get; set; }
}

/// <summary>EscrowManager.agreeRefund(uint256 escrowId).</summary>
[Function("agreeRefund")]
public sealed class AgreeRefundFunction : FunctionMessage
{
    [Parameter("uint256", "escrowId", 1)]
    public BigInteger EscrowId { get; set; }
}

/// <summary>EscrowManager.releaseAfterDeadline(uint256 escrowId).</summary>
[Function("releaseAfterDeadline")]
public sealed class ReleaseAfterDeadlineFunction : FunctionMessage
{
    [Parameter("uint256", "escrowId", 1)]
    public BigInteger EscrowId { get; set; }
}

/// <summary>EscrowManager.resolveAfterTimeout(uint256 escrowId).</summary>
[Function("resolveAfterTimeout")]
public sealed class ResolveAfterTimeoutFunction : FunctionMessage
{
    [Parameter("uint256", "escrowId", 1)]
    public BigInteger EscrowId { get; set; }
}

/// <summary>EscrowManager.rule(uint256 escrowId, uint256 sellerBps).</summary>
[Function("rule")]
public sealed class RuleFunction : FunctionMessage
{
    [Parameter("uint256", "escrowId", 1)]
    public BigInteger EscrowId { get; set; }

    [Parameter("uint256", "sellerBps", 2)]
    public BigInteger SellerBps { get; set; }
}

/// <summary>EscrowManager.vote(uint256 escrowId, bool forSeller).</summary>
[Function("vote")]
public sealed class EscrowVoteFunction : FunctionMessage
{
    [Parameter("uint256", "escrowId", 1)]
    public BigInteger EscrowId { get; set; }

    [Parameter("bool", "forSeller", 2)]
    public bool ForSeller { get; set; }
}

/// <summary>EscrowManager.tally(uint256 escrowId).</summary>
[Function("tally")]
public sealed class TallyFunction : FunctionMessage
{
    [Parameter("uint256", "escrowId", 1)]
    public BigInteger EscrowId { get; set; }
}

/// <summary>EscrowManager.withdraw().</summary>
[Function("withdraw")]
public sealed class WithdrawFunction : FunctionMessage
{
}

/// <summary>EscrowManager.withdrawable(address account) returns uint256.</summary>
[Function("withdrawable", "uint256")]
public sealed class WithdrawableFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = string.Empty;
}

/// <summary>EscrowManager.escrowCount() returns uint256.</summary>
[Function("escrowCount", "uint256")]
public sealed class EscrowCountFunction : FunctionMessage
{
}

/// <summary>EscrowManager.bondFor(uint256 disputedAmount) returns uint256.</summary>
[Function("bondFor", "uint256")]
public sealed class BondForFunction : FunctionMessage
{
    [Parameter("uint256", "disputedAmount", 1)]
    public BigInteger DisputedAmount { get; set; }
}

/// <summary>EscrowManager.sweepFees().</summary>
[Function("sweepFees")]
public sealed class SweepFeesFunction : FunctionMessage
{
}

/// <summary>EscrowManager.hasVoted(uint256 escrowId, address voter) returns bool.</summary>
[Function("hasVoted", "bool")]
public sealed class HasVotedFunction : FunctionMessage
{
    [Parameter("uint256", "escrowId", 1)]
    public BigInteger EscrowId { get; set; }

    [Parameter("address", "voter", 2)]
    public string Voter { get; set; } = string.Empty;
}

/// <summary>EscrowManager event EscrowOpened.</summary>
[Event("EscrowOpened")]
public sealed class EscrowOpenedEvent : IEventDTO
{
    [Parameter("uint256", "escrowId", 1, true)]
    public BigInteger EscrowId { get; set; }

    [Parameter("uint256", "listingId", 2, true)]
    public BigInteger ListingId { get; set; }

    [Parameter("address", "buyer", 3, true)]
    public string Buyer { get; set; } = string.Empty;

    [Parameter("address", "seller", 4)]
    public string Seller { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 5)]
    public BigInteger Amount { get; set; }

    [Parameter("uint256", "feeBps", 6)]
    public BigInteger FeeBps { get; set; }

    [Parameter("uint256", "deadline", 7)]
    public BigInteger Deadline { get; set; }

    [Parameter("uint256", "tranches", 8)]
    public BigInteger Tranches { get; set; }
}

/// <summary>EscrowManager event EscrowReleased.</summary>
[Event("EscrowReleased")]
public sealed class EscrowReleasedEvent : IEventDTO
{
    [Parameter("uint256", "escrowId", 1, true)]
    public BigInteger EscrowId { get; set; }

    [Parameter("address", "by", 2, true)]
    public string By { get; set; } = string.Empty;

    [Parameter("uint256", "gross", 3)]
    public BigInteger Gross { get; set; }

    [Parameter("uint256", "fee", 4)]
    public BigInteger Fee { get; set; }
}

/// <summary>EscrowManager event EscrowRefunded.</summary>
[Event("EscrowRefunded")]
public sealed class EscrowRefundedEvent : IEventDTO
{
    [Parameter("uint256", "escrowId", 1, true)]
    public BigInteger EscrowId { get; set; }

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

/// <summary>EscrowManager event TrancheReleased.</summary>
[Event("TrancheReleased")]
public sealed class TrancheReleasedEvent : IEventDTO
{
    [Parameter("uint256", "escrowId", 1, true)]
    public BigInteger EscrowId { get; set; }

    [Parameter("uint256", "trancheIndex", 2)]
    public BigInteger TrancheIndex { get; set; }

    [Parameter("uint256", "gross", 3)]
    public BigInteger Gross { get; set; }

    [Parameter("uint256", "fee", 4)]
    public BigInteger Fee { get; set; }
}

/// <summary>EscrowManager event DisputeOpened.</summary>
[Event("DisputeOpened")]
public sealed class DisputeOpenedEvent : IEventDTO
{
    [Parameter("uint256", "escrowId", 1, true)]
    public BigInteger EscrowId { get; set; }

    [Parameter("uint8", "mode", 2)]
    public byte Mode { get; set; }

    [Parameter("uint256", "bond", 3)]
    public BigInteger Bond { get; set; }

    [Parameter("uint256", "rulingDeadline", 4)]
    public BigInteger RulingDeadline { get; set; }

    [Parameter("uint256", "snapshotBlock", 5)]
    public BigInteger SnapshotBlock { get; set; }

    [Parameter("uint256", "voteEnd", 6)]
    public BigInteger VoteEnd { get; set; }
}

/// <summary>EscrowManager event DisputeResolved.</summary>
[Event("DisputeResolved")]
public sealed class DisputeResolvedEvent : IEventDTO
{
    [Parameter("uint256", "escrowId", 1, true)]
    public BigInteger EscrowId { get; set; }

    [Parameter("uint8", "resolution", 2)]
    public byte Resolution { get; set; }

    [Parameter("uint256", "sellerBps", 3)]
    public BigInteger SellerBps { get; set; }

    [Parameter("uint256", "sellerAmount", 4)]
    public BigInteger SellerAmount { get; set; }

    [Parameter("uint256", "buyerAmount", 5)]
    public BigInteger BuyerAmount { get; set; }

    [Parameter("uint256", "fee", 6)]
    public BigInteger Fee { get; set; }

    [Parameter("uint256", "bondReturned", 7)]
    public BigInteger BondReturned { get; set; }

    [Parameter("uint256", "bondToArbitrator", 8)]
    public BigInteger BondToArbitrator { get; set; }

    [Parameter("uint256", "bondBurned", 9)]
    public BigInteger BondBurned { get; set; }

    [Parameter("address", "arbitrator", 10)]
    public string Arbitrator { get; set; } = string.Empty;
}

/// <summary>EscrowManager event VoteCast.</summary>
[Event("VoteCast")]
public sealed class EscrowVoteCastEvent : IEventDTO
{
    [Parameter("uint256", "escrowId", 1, true)]
    public BigInteger EscrowId { get; set; }

    [Parameter("address", "voter", 2, true)]
    public string Voter { get; set; } = string.Empty;

    [Parameter("bool", "forSeller", 3)]
    public bool ForSeller { get; set; }

    [Parameter("uint256", "weight", 4)]
    public BigInteger Weight { get; set; }
}

/// <summary>EscrowManager event Credited.</summary>
[Event("Credited")]
public sealed class CreditedEvent : IEventDTO
{
    [Parameter("address", "account", 1, true)]
    public string Account { get; set; } = string.Empty;

    [Parameter("uint256", "escrowId", 2, true)]
    public BigInteger EscrowId { get; set; }

    [Parameter("uint256", "amount", 3)]
    public BigInteger Amount { get; set; }
}

/// <summary>EscrowManager event Withdrawn.</summary>
[Event("Withdrawn")]
public sealed class WithdrawnEvent : IEventDTO
{
    [Parameter("address", "account", 1, true)]
    public string Account { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

/// <summary>EscrowManager event FeesSwept.</summary>
[Event("FeesSwept")]
public sealed class FeesSweptEvent : IEventDTO
{
    [Parameter("address", "treasury", 1, true)]
    public string Treasury { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}
