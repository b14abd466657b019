using System.Globalization;
using Microsoft.Extensions.Configuration;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Chain;

/// <summary>Where the chain comes from.</summary>
public enum ChainMode
{
    /// <summary>The app starts a local anvil, deploys the contracts once and funds the demo accounts (development default).</summary>
    Embedded,

    /// <summary>Any EVM JSON-RPC endpoint with contracts already deployed; the app starts nothing (production).</summary>
    External,
}

/// <summary>The configuration of <c>NeuroData:Chain</c> was incomplete or invalid.</summary>
public sealed class ChainConfigurationException(string message) : Exception(message);

/// <summary>
/// Settings of the chain adapter, from the configuration section <c>NeuroData:Chain</c>:
/// <list type="table">
/// <item><term>Mode</term><description>Embedded (default) or External.</description></item>
/// <item><term>DevPort</term><description>Embedded: anvil's port on 127.0.0.1 (8545).</description></item>
/// <item><term>RpcUrl</term><description>External: the JSON-RPC endpoint (required). Embedded: http://127.0.0.1:{DevPort}.</description></item>
/// <item><term>ChainId</term><description>External: required. Embedded: 31337.</description></item>
/// <item><term>Contracts:NeuroCoin, Staking, EscrowManager, DataMarketplace, Governor, Timelock</term><description>External: required. Embedded: from the deployment.</description></item>
/// <item><term>OperatorKey</term><description>The platform's key (0x + 64 hex) for moderator/operator actions. External: required. Embedded: anvil dev account 0.</description></item>
/// <item><term>AnvilPath</term><description>Embedded: the anvil binary (default: contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil, searched upwards from the content root).</description></item>
/// <item><term>ReceiptTimeoutSeconds</term><description>How long operator transactions wait to be mined (60).</description></item>
/// <item><term>DevStartupTimeoutSeconds</term><description>Embedded: how long anvil may take to answer (30).</description></item>
/// <item><term>DevStateIntervalSeconds</term><description>Embedded: anvil also writes its state file every N seconds, besides on exit (10).</description></item>
/// <item><term>DevBlockTimeSeconds</term><description>Embedded: 0 (default) mines a block per transaction; N mines a block every N seconds.</description></item>
/// <item><term>DemoAccountTokens</term><description>Embedded: whole NCR minted to each demo account at deploy (100000).</description></item>
/// </list>
/// The dev chain's files live in <c>{NeuroData:DataDirectory}/chain</c>.
/// </summary>
public sealed record ChainSettings
{
    public const string SectionName = "NeuroData:Chain";
    public const string AnvilRelativePath = "contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

    public ChainMode Mode { get; init; } = ChainMode.Embedded;

    public int DevPort { get; init; } = 8545;

    public string RpcUrl { get; init; } = "http://127.0.0.1:8545";

    public ChainId ChainId { get; init; } = ChainId.LocalDev;

    /// <summary>Configured addresses (External mode); null in Embedded mode, where the deployment provides them.</summary>
    public ChainContracts? Contracts { get; init; }

    /// <summary>0x-prefixed 32-byte hex private key. Never logged.</summary>
    public string OperatorKey { get; init; } = DevAccounts.Deployer.PrivateKey;

    /// <summary>The anvil binary, or null when it was not found (the launcher then explains how to install it).</summary>
    public string? AnvilPath { get; init; }

    /// <summary>{DataDirectory}/chain: anvil's state file, its pid file and deployment.json.</summary>
    public string ChainDirectory { get; init; } = string.Empty;

    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan DevStartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int DevStateIntervalSeconds { get; init; } = 10;

    public int DevBlockTimeSeconds { get; init; }

    public int DemoAccountTokens { get; init; } = 100_000;

    public string StateFile => Path.Combine(ChainDirectory, "anvil-state.json");

    public string PidFile => Path.Combine(ChainDirectory, "anvil.pid");

    public string DeploymentFile => Path.Combine(ChainDirectory, "deployment.json");

    /// <summary>Reads and validates <c>NeuroData:Chain</c>; throws <see cref="ChainConfigurationException"/> listing every problem.</summary>
    public static ChainSettings From(IConfiguration configuration, string contentRoot, ChainMode defaultMode = ChainMode.Embedded)
    {
        var section = configuration.GetSection(SectionName);
        var problems = new List<string>();

        var mode = defaultMode;
        var modeText = section["Mode"];
        if (!string.IsNullOrWhiteSpace(modeText) && !Enum.TryParse(modeText.Trim(), ignoreCase: true, out mode))
        {
            problems.Add($"{SectionName}:Mode must be Embedded or External (got '{modeText}')");
        }

        var receiptTimeout = ReadInt(section, "ReceiptTimeoutSeconds", 60, 1, 3600, problems);
        var startupTimeout = ReadInt(section, "DevStartupTimeoutSeconds", 30, 1, 600, problems);
        var stateInterval = ReadInt(section, "DevStateIntervalSeconds", 10, 1, 3600, problems);
        var blockTime = ReadInt(section, "DevBlockTimeSeconds", 0, 0, 3600, problems);
        var demoTokens = ReadInt(section, "DemoAccountTokens", 100_000, 0, 1_000_000_000, problems);
        var chainDirectory = Path.Combine(DatabaseSettings.ResolveDataDirectory(configuration, contentRoot), "chain");

        if (mode == ChainMode.External)
        {
            return FromExternal(section, problems) with
            {
                ReceiptTimeout = TimeSpan.FromSeconds(receiptTimeout),
                ChainDirectory = chainDirectory,
            };
        }

        var port = ReadInt(section, "DevPort", 8545, 1, 65535, problems);
        var chainId = ReadInt(section, "ChainId", (int)ChainId.LocalDev.Value, 1, int.MaxValue, problems);
        var operatorKey = section["OperatorKey"];
        if (!string.IsNullOrWhiteSpace(operatorKey) && !IsPrivateKey(operatorKey.Trim()))
        {
            problems.Add($"{SectionName}:OperatorKey must be 0x followed by 64 hexadecimal digits");
        }

        var anvilPath = section["AnvilPath"];
        ThrowIfAny(problems, mode);
        return new ChainSettings
        {
            Mode = ChainMode.Embedded,
            DevPort = port,
            RpcUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ChainId = new ChainId(chainId),
            OperatorKey = string.IsNullOrWhiteSpace(operatorKey) ? DevAccounts.Deployer.PrivateKey : operatorKey.Trim(),
            AnvilPath = string.IsNullOrWhiteSpace(anvilPath) ? FindAnvil(contentRoot) : Path.GetFullPath(anvilPath, contentRoot),
            ChainDirectory = chainDirectory,
            ReceiptTimeout = TimeSpan.FromSeconds(receiptTimeout),
            DevStartupTimeout = TimeSpan.FromSeconds(startupTimeout),
            DevStateIntervalSeconds = stateInterval,
            DevBlockTimeSeconds = blockTime,
            DemoAccountTokens = demoTokens,
        };
    }

    /// <summary>Looks for <see cref="AnvilRelativePath"/> in <paramref name="startDirectory"/> and each parent; null if absent.</summary>
    public static string? FindAnvil(string startDirectory)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, AnvilRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static ChainSettings FromExternal(IConfigurationSection section, List<string> problems)
    {
        var rpcUrl = section["RpcUrl"]?.Trim();
        if (string.IsNullOrEmpty(rpcUrl))
        {
            problems.Add($"{SectionName}:RpcUrl is required (the chain's JSON-RPC endpoint, e.g. https://polygon-rpc.example/...)");
        }
        else if (!Uri.TryCreate(rpcUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{SectionName}:RpcUrl must be an absolute http(s) URL (got '{rpcUrl}')");
        }

        var chainIdText = section["ChainId"]?.Trim();
        long chainId = 0;
        if (string.IsNullOrEmpty(chainIdText))
        {
            problems.Add($"{SectionName}:ChainId is required (the EIP-155 chain id, e.g. 137 for Polygon)");
        }
        else if (!long.TryParse(chainIdText, NumberStyles.None, CultureInfo.InvariantCulture, out chainId) || chainId <= 0)
        {
            problems.Add($"{SectionName}:ChainId must be a positive whole number (got '{chainIdText}')");
        }

        EthAddress? Address(string key)
        {
            var text = section[$"Contracts:{key}"]?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                problems.Add($"{SectionName}:Contracts:{key} is required (the deployed {key} contract's address)");
                return null;
            }

            if (!EthAddress.TryParse(text, out var address, out var error))
            {
                problems.Add($"{SectionName}:Contracts:{key}: {error}");
                return null;
            }

            if (address.IsZero)
            {
                problems.Add($"{SectionName}:Contracts:{key} must not be the zero address");
                return null;
            }

            return address;
        }

        var token = Address("NeuroCoin");
        var staking = Address("Staking");
        var escrow = Address("EscrowManager");
        var marketplace = Address("DataMarketplace");
        var governor = Address("Governor");
        var timelock = Address("Timelock");

        var operatorKey = section["OperatorKey"]?.Trim();
        if (string.IsNullOrEmpty(operatorKey))
        {
            problems.Add($"{SectionName}:OperatorKey is required (the platform operator's private key, 0x + 64 hex; keep it in a secret store)");
        }
        else if (!IsPrivateKey(operatorKey))
        {
            problems.Add($"{SectionName}:OperatorKey must be 0x followed by 64 hexadecimal digits");
        }

        ThrowIfAny(problems, ChainMode.External);
        return new ChainSettings
        {
            Mode = ChainMode.External,
            DevPort = 0,
            RpcUrl = rpcUrl!,
            ChainId = new ChainId(chainId),
            Contracts = new ChainContracts(token!, staking!, escrow!, marketplace!, governor!, timelock!),
            OperatorKey = operatorKey!,
            AnvilPath = null,
        };
    }

    private static void ThrowIfAny(List<string> problems, ChainMode mode)
    {
        if (problems.Count > 0)
        {
            throw new ChainConfigurationException(
                $"The chain configuration (Mode={mode}) is incomplete or invalid:{Environment.NewLine}- "
                + string.Join(Environment.NewLine + "- ", problems));
        }
    }

    private static int ReadInt(IConfigurationSection section, string key, int fallback, int min, int max, List<string> problems)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            problems.Add($"{SectionName}:{key} must be a whole number from {min} to {max} (got '{text}')");
            return fallback;
        }

        return value;
    }

    private static bool IsPrivateKey(string text) =>
        text.Length == 66 && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && text.AsSpan(2).ContainsOnlyHexDigits();
}

internal static class SpanHex
{
    public static bool ContainsOnlyHexDigits(this ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
