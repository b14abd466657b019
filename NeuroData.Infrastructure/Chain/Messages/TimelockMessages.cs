using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace NeuroData.Infrastructure.Chain.Messages;

// Typed messages for NeuroTimelock (governance queue of parameter changes).

/// <summary>NeuroTimelock.getMinDelay.</summary>
[Function("getMinDelay", "uint256")]
public sealed class GetMinDelayFunction : FunctionMessage
{
}

/// <summary>NeuroTimelock.isOperationReady.</summary>
[Function("isOperationReady", "bool")]
public sealed class IsOperationReadyFunction : FunctionMessage
{
    [Parameter("bytes32", "id", 1)]
    public byte[] Id { get; set; } = [];
}

/// <summary>NeuroTimelock.isOperationDone.</summary>
[Function("isOperationDone", "bool")]
public sealed class IsOperationDoneFunction : FunctionMessage
{
    [Parameter("bytes32", "id", 1)]
    public byte[] Id { get; set; } = [];
}

/// <summary>NeuroTimelock.getTimestamp.</summary>
[Function("getTimestamp", "uint256")]
public sealed class GetOperationTimestampFunction : FunctionMessage
{
    [Parameter("bytes32", "id", 1)]
    public byte[] Id { get; set; } = [];
}

/// <summary>NeuroTimelock event CallScheduled.</summary>
[Event("CallScheduled")]
public sealed class CallScheduledEvent : IEventDTO
{
    [Parameter("bytes32", "id", 1, true)]
    public byte[] Id { get; set; } = [];

    [Parameter("uint256", "index", 2, true)]
    public BigInteger Index { get; set; }

    [Parameter("address", "target", 3)]
    public string Target { get; set; } = string.Empty;

    [Parameter("uint256", "value", 4)]
    public BigInteger Value { get; set; }

    [Parameter("bytes", "data", 5)]
    public byte[] Data { get; set; } = [];

    [Parameter("bytes32", "predecessor", 6)]
    public byte[] Predecessor { get; set; } = [];

    [Parameter("uint256", "delay", 7)]
    public BigInteger Delay { get; set; }
}

/// <summary>NeuroTimelock event CallExecuted.</summary>
[Event("CallExecuted")]
public sealed class CallExecutedEvent : IEventDTO
{
    [Parameter("bytes32", "id", 1, true)]
    public byte[] Id { get; set; } = [];

    [Parameter("uint256", "index", 2, true)]
    public BigInteger Index { get; set; }

    [Parameter("address", "target", 3)]
    public string Target { get; set; } = string.Empty;

    [Parameter("uint256", "value", 4)]
    public BigInteger Value { get; set; }

    [Parameter("bytes", "data", 5)]
    public byte[] Data { get; set; } = [];
}

/// <summary>NeuroTimelock event Cancelled.</summary>
[Event("Cancelled")]
public sealed class CancelledEvent : IEventDTO
{
    [Parameter("bytes32", "id", 1, true)]
    public byte[] Id { get; set; } = [];
}
