using NeuroData.Domain.Common;

namespace NeuroData.Infrastructure.Chain;

/// <summary>One of anvil's well-known dev accounts (mnemonic "test test ... junk"), with its demo role.</summary>
public sealed record DevAccount(int Index, string Role, EthAddress Address, string PrivateKey);

/// <summary>
/// The local dev chain's accounts and what they do in the demo. These keys are public knowledge: never use them on a
/// real network.
/// <list type="table">
/// <item><term>0</term><description>deployer, platform operator (OperatorKey), treasury, pauser and moderator.</description></item>
/// <item><term>1</term><description>demo seller.</description></item>
/// <item><term>2</term><description>demo buyer.</description></item>
/// <item><term>3</term><description>demo moderator (MODERATOR_ROLE on the marketplace).</description></item>
/// <item><term>4</term><description>demo arbitrator (ARBITRATOR_ROLE on the escrow).</description></item>
/// </list>
/// Accounts 1–4 receive <see cref="ChainSettings.DemoAccountTokens"/> NCR at deploy; all hold 10,000 ETH for gas.
/// </summary>
public static class DevAccounts
{
    public static readonly DevAccount Deployer = new(0, "operator", EthAddress.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    public static readonly DevAccount Seller = new(1, "seller", EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    public static readonly DevAccount Buyer = new(2, "buyer", EthAddress.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"), "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    public static readonly DevAccount Moderator = new(3, "moderator", EthAddress.Parse("0x90F79bf6EB2c4f870365E785982E1f101E93b906"), "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
    public static readonly DevAccount Arbitrator = new(4, "arbitrator", EthAddress.Parse("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"), "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");

    /// <summary>The demo accounts funded with NCR (seller, buyer, moderator, arbitrator).</summary>
    public static IReadOnlyList<DevAccount> Demo { get; } = [Seller, Buyer, Moderator, Arbitrator];

    public static IReadOnlyList<DevAccount> All { get; } = [Deployer, Seller, Buyer, Moderator, Arbitrator];
}
