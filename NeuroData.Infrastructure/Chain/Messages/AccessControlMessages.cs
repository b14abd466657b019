using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace NeuroData.Infrastructure.Chain.Messages;

// OpenZeppelin AccessControl, shared by NeuroCoin, Staking, EscrowManager, DataMarketplace and NeuroTimelock.

/// <summary>Role ids are keccak256 of the role name (DEFAULT_ADMIN_ROLE is zero).</summary>
public static class Roles
{
    public static readonly byte[] DefaultAdmin = new byte[32];
    public static readonly byte[] Minter = Id("MINTER_ROLE");
    public static readonly byte[] Parameter = Id("PARAMETER_ROLE");
    public static readonly byte[] Pauser = Id("PAUSER_ROLE");
    public static readonly byte[] Marketplace = Id("MARKETPLACE_ROLE");
    public static readonly byte[] Arbitrator = Id("ARBITRATOR_ROLE");
    public static readonly byte[] Moderator = Id("MODERATOR_ROLE");
    public static readonly byte[] Proposer = Id("PROPOSER_ROLE");
    public static readonly byte[] Executor = Id("EXECUTOR_ROLE");
    public static readonly byte[] Canceller = Id("CANCELLER_ROLE");

    private static byte[] Id(string name) => Nethereum.Util.Sha3Keccack.Current.CalculateHash(System.Text.Encoding.UTF8.GetBytes(name));
}

[Function("grantRole")]
public sealed class GrantRoleFunction : FunctionMessage
{
    [Parameter("bytes32", "role", 1)]
    public byte[] Role { get; set; } = [];

    [Parameter("address", "account", 2)]
    public string Account { get; set; } = string.Empty;
}

[Function("revokeRole")]
public sealed class RevokeRoleFunction : FunctionMessage
{
    [Parameter("bytes32", "role", 1)]
    public byte[] Role { get; set; } = [];

    [Parameter("address", "account", 2)]
    public string Account { get; set; } = string.Empty;
}

/// <summary>renounceRole(role, callerConfirmation): the caller gives up one of its own roles.</summary>
[Function("renounceRole")]
public sealed class RenounceRoleFunction : FunctionMessage
{
    [Parameter("bytes32", "role", 1)]
    public byte[] Role { get; set; } = [];

    [Parameter("address", "callerConfirmation", 2)]
    public string CallerConfirmation { get; set; } = string.Empty;
}

[Function("hasRole", "bool")]
public sealed class HasRoleFunction : FunctionMessage
{
    [Parameter("bytes32", "role", 1)]
    public byte[] Role { get; set; } = [];

    [Parameter("address", "account", 2)]
    public string Account { get; set; } = string.Empty;
}

[Event("RoleGranted")]
public sealed class RoleGrantedEvent : IEventDTO
{
    [Parameter("bytes32", "role", 1, true)]
    public byte[] Role { get; set; } = [];

    [Parameter("address", "account", 2, true)]
    public string Account { get; set; } = string.Empty;

    [Parameter("address", "sender", 3, true)]
    public string Sender { get; set; } = string.Empty;
}

[Event("RoleRevoked")]
public sealed class RoleRevokedEvent : IEventDTO
{
    [Parameter("bytes32", "role", 1, true)]
    public byte[] Role { get; set; } = [];

    [Parameter("address", "account", 2, true)]
    public string Account { get; set; } = string.Empty;

    [Parameter("address", "sender", 3, true)]
    public string Sender { get; set; } = string.Empty;
}

[Function("pause")]
public sealed class PauseFunction : FunctionMessage
{
}

[Function("unpause")]
public sealed class UnpauseFunction : FunctionMessage
{
}

[Function("paused", "bool")]
public sealed class PausedFunction : FunctionMessage
{
}
