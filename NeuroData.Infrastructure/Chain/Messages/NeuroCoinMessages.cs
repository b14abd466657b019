using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace NeuroData.Infrastructure.Chain.Messages;

// Typed messages for NeuroCoin (written from Chain/Abi/NeuroCoin.json; ChainMessagesTests checks each against the ABI).

/// <summary>NeuroCoin.balanceOf(address account) returns uint256.</summary>
[Function("balanceOf", "uint256")]
public sealed class BalanceOfFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = string.Empty;
}

/// <summary>NeuroCoin.allowance(address owner, address spender) returns uint256.</summary>
[Function("allowance", "uint256")]
public sealed class AllowanceFunction : FunctionMessage
{
    [Parameter("address", "owner", 1)]
    public string Owner { get; set; } = string.Empty;

    [Parameter("address", "spender", 2)]
    public string Spender { get; set; } = string.Empty;
}

/// <summary>NeuroCoin.approve(address spender, uint256 value) returns bool.</summary>
[Function("approve", "bool")]
public sealed class ApproveFunction : FunctionMessage
{
    [Parameter("address", "spender", 1)]
    public string Spender { get; set; } = string.Empty;

    [Parameter("uint256", "value", 2)]
    public BigInteger Value { get; set; }
}

/// <summary>NeuroCoin.transfer(address to, uint256 value) returns bool.</summary>
[Function("transfer", "bool")]
public sealed class TransferFunction : FunctionMessage
{
    [Parameter("address", "to", 1)]
    public string To { get; set; } = string.Empty;

    [Parameter("uint256", "value", 2)]
    public BigInteger Value { get; set; }
}

/// <summary>NeuroCoin.transferFrom(address from, address to, uint256 value) returns bool.</summary>
[Function("transferFrom", "bool")]
public sealed class TransferFromFunction : FunctionMessage
{
    [Parameter("address", "from", 1)]
    public string From { get; set; } = string.Empty;

    [Parameter("address", "to", 2)]
    public string To { get; set; } = string.Empty;

    [Parameter("uint256", "value", 3)]
    public BigInteger Value { get; set; }
}

/// <summary>NeuroCoin.mint(address to, uint256 amount).</summary>
[Function("mint")]
public sealed class MintFunction : FunctionMessage
{
    [Parameter("address", "to", 1)]
    public string To { get; set; } = string.Empty;

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

/// <summary>NeuroCoin.nonces(address owner) returns uint256.</summary>
[Function("nonces", "uint256")]
public sealed class NoncesFunction : FunctionMessage
{
    [Parameter("address", "owner", 1)]
    public string Owner { get; set; } = string.Empty;
}

/// <summary>NeuroCoin.name() returns string.</summary>
[Function("name", "string")]
public sealed class NameFunction : FunctionMessage
{
}

/// <summary>NeuroCoin.decimals() returns uint8.</summary>
[Function("decimals", "uint8")]
public sealed class DecimalsFunction : FunctionMessage
{
}

/// <summary>NeuroCoin.totalSupply() returns uint256.</summary>
[Function("totalSupply", "uint256")]
public sealed class TotalSupplyFunction : FunctionMessage
{
}

/// <summary>NeuroCoin.cap() returns uint256.</summary>
[Function("cap", "uint256")]
public sealed class CapFunction : FunctionMessage
{
}

/// <summary>NeuroCoin.delegate(address delegatee).</summary>
[Function("delegate")]
public sealed class DelegateFunction : FunctionMessage
{
    [Parameter("address", "delegatee", 1)]
    public string Delegatee { get; set; } = string.Empty;
}

/// <summary>NeuroCoin.getVotes(address account) returns uint256.</summary>
[Function("getVotes", "uint256")]
public sealed class GetVotesFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; } = string.Empty;
}

/// <summary>NeuroCoin.permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s).</summary>
[Function("permit")]
public sealed class PermitFunction : FunctionMessage
{
    [Parameter("address", "owner", 1)]
    public string Owner { get; set; } = string.Empty;

    [Parameter("address", "spender", 2)]
    public string Spender { get; set; } = string.Empty;

    [Parameter("uint256", "value", 3)]
    public BigInteger Value { get; set; }

    [Parameter("uint256", "deadline", 4)]
    public BigInteger Deadline { get; set; }

    [Parameter("uint8", "v", 5)]
    public byte V { get; set; }

    [Parameter("bytes32", "r", 6)]
    public byte[] R { get; set; } = [];

    [Parameter("bytes32", "s", 7)]
    public byte[] S { get; set; } = [];
}

/// <summary>NeuroCoin event Transfer.</summary>
[Event("Transfer")]
public sealed class TransferEvent : IEventDTO
{
    [Parameter("address", "from", 1, true)]
    public string From { get; set; } = string.Empty;

    [Parameter("address", "to", 2, true)]
    public string To { get; set; } = string.Empty;

    [Parameter("uint256", "value", 3)]
    public BigInteger Value { get; set; }
}

/// <summary>NeuroCoin event Approval.</summary>
[Event("Approval")]
public sealed class ApprovalEvent : IEventDTO
{
    [Parameter("address", "owner", 1, true)]
    public string Owner { get; set; } = string.Empty;

    [Parameter("address", "spender", 2, true)]
    public string Spender { get; set; } = string.Empty;

    [Parameter("uint256", "value", 3)]
    public BigInteger Value { get; set; }
}

/// <summary>NeuroCoin event DelegateChanged.</summary>
[Event("DelegateChanged")]
public sealed class DelegateChangedEvent : IEventDTO
{
    [Parameter("address", "delegator", 1, true)]
    public string Delegator { get; set; } = string.Empty;

    [Parameter("address", "fromDelegate", 2, true)]
    public string FromDelegate { get; set; } = string.Empty;

    [Parameter("address", "toDelegate", 3, true)]
    public string ToDelegate { get; set; } = string.Empty;
}

/// <summary>NeuroCoin event DelegateVotesChanged.</summary>
[Event("DelegateVotesChanged")]
public sealed class DelegateVotesChangedEvent : IEventDTO
{
    [Parameter("address", "delegate", 1, true)]
    public string Delegate { get; set; } = string.Empty;

    [Parameter("uint256", "previousVotes", 2)]
    public BigInteger PreviousVotes { get; set; }

    [Parameter("uint256", "newVotes", 3)]
    public BigInteger NewVotes { get; set; }
}
