using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Nethereum.Web3;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain.Messages;

namespace NeuroData.Infrastructure.Chain;

/// <summary>What <c>{DataDirectory}/chain/deployment.json</c> records about the dev chain's deployment.</summary>
public sealed record DevChainDeployment
{
    public long ChainId { get; init; }

    /// <summary><see cref="ContractArtifacts.Fingerprint"/> of the deployed bytecode: other artifacts mean a redeploy.</summary>
    public string Artifacts { get; init; } = string.Empty;

    public string Deployer { get; init; } = string.Empty;

    public string Operator { get; init; } = string.Empty;

    public string Treasury { get; init; } = string.Empty;

    public DateTimeOffset DeployedAt { get; init; }

    /// <summary>The block of the last deployment transaction (the indexer can start here).</summary>
    public long BlockNumber { get; init; }

    /// <summary>Addresses by <see cref="ContractName"/>.</summary>
    public Dictionary<string, string> Contracts { get; init; } = [];

    public List<DemoAccountRecord> DemoAccounts { get; init; } = [];

    public int DemoAccountTokens { get; init; }

    public ChainContracts ToChainContracts() => new(
        EthAddress.Parse(Contracts[nameof(ContractName.NeuroCoin)]),
        EthAddress.Parse(Contracts[nameof(ContractName.Staking)]),
        EthAddress.Parse(Contracts[nameof(ContractName.EscrowManager)]),
        EthAddress.Parse(Contracts[nameof(ContractName.DataMarketplace)]),
        EthAddress.Parse(Contracts[nameof(ContractName.NeuroGovernor)]),
        EthAddress.Parse(Contracts[nameof(ContractName.NeuroTimelock)]));
}

public sealed record DemoAccountRecord(int Index, string Role, string Address);

/// <summary>
/// Deploys the contracts to the local dev chain once, with the constructor arguments and role grants of
/// <c>contracts/scripts/deploy.js</c> (its defaults: 1e9 NCR cap, 100,000,000 NCR minted to the deployer, 5,000,000 NCR
/// staking reward reserve, 2-day admin and timelock delays, governor 1/45818 blocks, threshold 0, quorum 4%),
/// with treasury = deployer, operator = the OperatorKey's account (pauser and moderator), moderators = operator and dev
/// account 3, arbitrator = dev account 4, and <see cref="ChainSettings.DemoAccountTokens"/> NCR minted to dev accounts
/// 1–4 (seller, buyer, moderator, arbitrator; see <see cref="DevAccounts"/>).
/// The result is written to deployment.json; the next start reuses it when the chain id and artifacts match and every
/// address still has code (eth_getCode), and redeploys otherwise.
/// </summary>
public sealed class DevChainDeployer(ChainSettings settings, ContractArtifacts artifacts, ContractErrorDecoder decoder, TimeProvider time, ILogger<DevChainDeployer> logger)
{
    private static readonly BigInteger Token = BigInteger.Pow(10, 18);
    private static readonly BigInteger Cap = 1_000_000_000 * Token;
    private static readonly BigInteger InitialSupply = 100_000_000 * Token;
    private static readonly BigInteger RewardReserve = 5_000_000 * Token;
    private const int AdminDelay = 2 * 24 * 3600;
    private const int TimelockDelay = 2 * 24 * 3600;
    private const int GovernorVotingDelay = 1;
    private const int GovernorVotingPeriod = 45818;
    private const int GovernorQuorumPercent = 4;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Returns the deployment on this chain, deploying first when there is none (or it is stale).</summary>
    public async Task<DevChainDeployment> EnsureDeployedAsync(CancellationToken cancellationToken)
    {
        var web3 = new Web3(settings.RpcUrl);
        var existing = await ReadReusableAsync(web3, cancellationToken);
        if (existing is not null)
        {
            logger.LogInformation("Dev chain contracts found at the recorded addresses (NeuroCoin {NeuroCoin}); nothing deployed", existing.Contracts[nameof(ContractName.NeuroCoin)]);
            return existing;
        }

        var deployment = await DeployAsync(web3, cancellationToken);
        Directory.CreateDirectory(settings.ChainDirectory);
        var temp = settings.DeploymentFile + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(deployment, Json), cancellationToken);
        File.Move(temp, settings.DeploymentFile, overwrite: true);
        logger.LogInformation("Dev chain contracts deployed (NeuroCoin {NeuroCoin}); addresses written to {File}", deployment.Contracts[nameof(ContractName.NeuroCoin)], settings.DeploymentFile);
        return deployment;
    }

    /// <summary>The recorded deployment if it is still valid on this chain, else null (with the reason logged).</summary>
    public async Task<DevChainDeployment?> ReadReusableAsync(IWeb3 web3, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.DeploymentFile))
        {
            return null;
        }

        DevChainDeployment? recorded;
        try
        {
            recorded = JsonSerializer.Deserialize<DevChainDeployment>(await File.ReadAllTextAsync(settings.DeploymentFile, cancellationToken), Json);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("{File} is not valid JSON ({Error}); redeploying", settings.DeploymentFile, ex.Message);
            return null;
        }

        var chainId = (await web3.Eth.ChainId.SendRequestAsync().WaitAsync(cancellationToken)).Value;
        if (recorded is null || recorded.ChainId != (long)chainId)
        {
            logger.LogWarning("{File} belongs to another chain; redeploying", settings.DeploymentFile);
            return null;
        }

        if (recorded.Artifacts != artifacts.Fingerprint)
        {
            logger.LogWarning("The contract artifacts changed since the last deployment; redeploying");
            return null;
        }

        foreach (var name in Enum.GetValues<ContractName>())
        {
            if (!recorded.Contracts.TryGetValue(name.ToString(), out var address) || !EthAddress.TryParse(address, out _, out _))
            {
                logger.LogWarning("{File} has no valid address for {Contract}; redeploying", settings.DeploymentFile, name);
                return null;
            }

            var code = await web3.Eth.GetCode.SendRequestAsync(address).WaitAsync(cancellationToken);
            if (string.IsNullOrEmpty(code) || code == "0x")
            {
                logger.LogWarning("No code at the recorded {Contract} address {Address} (the chain state was reset?); redeploying", name, address);
                return null;
            }
        }

        return recorded;
    }

    private async Task<DevChainDeployment> DeployAsync(Web3 web3, CancellationToken ct)
    {
        using var deployer = new ChainTransactionSender(settings, DevAccounts.Deployer.PrivateKey, decoder, logger);
        var me = deployer.Address.Value;
        var operatorAddress = EthAddress.Parse(new Nethereum.Web3.Accounts.Account(settings.OperatorKey).Address);
        var treasury = me;
        logger.LogInformation("Deploying the NeuroData contracts to the dev chain {RpcUrl} from {Deployer}", settings.RpcUrl, me);

        async Task<EthAddress> Deploy(ContractName name, params object[] args)
        {
            var receipt = await deployer.DeployAsync(artifacts[name], ct, args);
            var address = EthAddress.Parse(receipt.ContractAddress);
            logger.LogInformation("{Contract} at {Address}", name, address);
            return address;
        }

        var token = await Deploy(ContractName.NeuroCoin, Cap, me, AdminDelay);
        var staking = await Deploy(ContractName.Staking, token.Value, me, AdminDelay);
        var escrow = await Deploy(ContractName.EscrowManager, token.Value, staking.Value, treasury, me, AdminDelay);
        var marketplace = await Deploy(ContractName.DataMarketplace, token.Value, escrow.Value, me, AdminDelay);
        var timelock = await Deploy(ContractName.NeuroTimelock, TimelockDelay, Array.Empty<string>(), new[] { EthAddress.Zero.Value }, me);
        var governor = await Deploy(ContractName.NeuroGovernor, token.Value, timelock.Value, GovernorVotingDelay, GovernorVotingPeriod, BigInteger.Zero, GovernorQuorumPercent);

        Task Grant(EthAddress contract, byte[] role, string account) =>
            deployer.SendAsync(contract, new GrantRoleFunction { Role = role, Account = account }, ct);

        // Governance: only the governor proposes/cancels; anyone executes a ready operation.
        await Grant(timelock, Roles.Proposer, governor.Value);
        await Grant(timelock, Roles.Canceller, governor.Value);
        await deployer.SendAsync(timelock, new RenounceRoleFunction { Role = Roles.DefaultAdmin, CallerConfirmation = me }, ct);

        // The marketplace opens escrows.
        await Grant(escrow, Roles.Marketplace, marketplace.Value);

        // Initial arbitrator set, granted once; afterwards only the timelock manages it.
        await Grant(escrow, Roles.Parameter, me);
        await Grant(escrow, Roles.Arbitrator, DevAccounts.Arbitrator.Address.Value);
        await deployer.SendAsync(escrow, new RenounceRoleFunction { Role = Roles.Parameter, CallerConfirmation = me }, ct);

        // Parameters belong to the timelock; pausing and moderation to the operator.
        foreach (var contract in new[] { escrow, marketplace, staking })
        {
            await Grant(contract, Roles.Parameter, timelock.Value);
            await Grant(contract, Roles.Pauser, operatorAddress.Value);
        }

        foreach (var moderator in new[] { operatorAddress, DevAccounts.Moderator.Address }.Distinct())
        {
            await Grant(marketplace, Roles.Moderator, moderator.Value);
        }

        // Supply: mint to the deployer, fund the staking reward reserve, fund the demo accounts.
        await Grant(token, Roles.Minter, me);
        await deployer.SendAsync(token, new MintFunction { To = me, Amount = InitialSupply }, ct);
        await deployer.SendAsync(token, new ApproveFunction { Spender = staking.Value, Value = RewardReserve }, ct);
        await deployer.SendAsync(staking, new FundReserveFunction { Amount = RewardReserve }, ct);
        var demoAmount = settings.DemoAccountTokens * Token;
        if (demoAmount > 0)
        {
            foreach (var account in DevAccounts.Demo)
            {
                await deployer.SendAsync(token, new MintFunction { To = account.Address.Value, Amount = demoAmount }, ct);
            }
        }

        // A configured operator key other than the deployer's needs gas money.
        if (operatorAddress != deployer.Address)
        {
            var balance = await web3.Eth.GetBalance.SendRequestAsync(operatorAddress.Value).WaitAsync(ct);
            if (balance.Value < Token)
            {
                await deployer.SendValueAsync(operatorAddress, 100 * Token, ct);
            }
        }

        var block = await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(ct);
        return new DevChainDeployment
        {
            ChainId = settings.ChainId.Value,
            Artifacts = artifacts.Fingerprint,
            Deployer = me,
            Operator = operatorAddress.Value,
            Treasury = treasury,
            DeployedAt = time.GetUtcNow(),
            BlockNumber = (long)block.Value,
            Contracts = new Dictionary<string, string>
            {
                [nameof(ContractName.NeuroCoin)] = token.Value,
                [nameof(ContractName.Staking)] = staking.Value,
                [nameof(ContractName.EscrowManager)] = escrow.Value,
                [nameof(ContractName.DataMarketplace)] = marketplace.Value,
                [nameof(ContractName.NeuroTimelock)] = timelock.Value,
                [nameof(ContractName.NeuroGovernor)] = governor.Value,
            },
            DemoAccounts = DevAccounts.Demo.Select(a => new DemoAccountRecord(a.Index, a.Role, a.Address.Value)).ToList(),
            DemoAccountTokens = settings.DemoAccountTokens,
        };
    }
}
