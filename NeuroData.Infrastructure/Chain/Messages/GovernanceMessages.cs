using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace NeuroData.Infrastructure.Chain.Messages;

// Typed messages for NeuroGovernor (votes on marketplace parameters).

/// <summary>NeuroGovernor.castVote(uint256 proposalId, uint8 support) — support 0 against, 1 for, 2 abstain.</summary>
[Function("castVote", "uint256")]
public sealed class CastVoteFunction : FunctionMessage
{
    [Parameter("uint256", "proposalId", 1)]
    public BigInteger ProposalId { get; set; }

    [Parameter("uint8", "support", 2)]
    public byte Support { get; set; }
}

/// <summary>NeuroGovernor.state(uint256 proposalId) returns uint8 (OpenZeppelin ProposalState).</summary>
[Function("state", "uint8")]
public sealed class ProposalStateFunction : FunctionMessage
{
    [Parameter("uint256", "proposalId", 1)]
    public BigInteger ProposalId { get; set; }
}

/// <summary>NeuroGovernor event ProposalCreated.</summary>
[Event("ProposalCreated")]
public sealed class ProposalCreatedEvent : IEventDTO
{
    [Parameter("uint256", "proposalId", 1)]
    public BigInteger ProposalId { get; set; }

    [Parameter("address", "proposer", 2)]
    public string Proposer { get; set; } = string.Empty;

    [Parameter("address[]", "targets", 3)]
    public List<string> Targets { get; set; } = [];

    [Parameter("uint256[]", "values", 4)]
    public List<BigInteger> Values { get; set; } = [];

    [Parameter("string[]", "signatures", 5)]
    public List<string> Signatures { get; set; } = [];

    [Parameter("bytes[]", "calldatas", 6)]
    public List<byte[]> Calldatas { get; set; } = [];

    [Parameter("uint256", "voteStart", 7)]
    public BigInteger VoteStart { get; set; }

    [Parameter("uint256", "voteEnd", 8)]
    public BigInteger VoteEnd { get; set; }

    [Parameter("string", "description", 9)]
    public string Description { get; set; } = string.Empty;
}

/// <summary>NeuroGovernor event VoteCast.</summary>
[Event("VoteCast")]
public sealed class GovernorVoteCastEvent : IEventDTO
{
    [Parameter("address", "voter", 1, true)]
    public string Voter { get; set; } = string.Empty;

    [Parameter("uint256", "proposalId", 2)]
    public BigInteger ProposalId { get; set; }

    [Parameter("uint8", "support", 3)]
    public byte Support { get; set; }

    [Parameter("uint256", "weight", 4)]
    public BigInteger Weight { get; set; }

    [Parameter("string", "reason", 5)]
    public string Reason { get; set; } = string.Empty;
}

/// <summary>NeuroGovernor event ProposalExecuted.</summary>
[Event("ProposalExecuted")]
public sealed class ProposalExecutedEvent : IEventDTO
{
    [Parameter("uint256", "proposalId", 1)]
    public BigInteger ProposalId { get; set; }
}
