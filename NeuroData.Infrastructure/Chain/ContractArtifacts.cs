using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NeuroData.Infrastructure.Chain;

/// <summary>The platform's contracts, named as in the exported artifact files (Chain/Abi/&lt;Name&gt;.json).</summary>
public enum ContractName
{
    NeuroCoin,
    Staking,
    EscrowManager,
    DataMarketplace,
    NeuroTimelock,
    NeuroGovernor,
}

/// <summary>One exported contract: its ABI (JSON text) and creation bytecode (0x hex).</summary>
public sealed record ContractArtifact(ContractName Name, string AbiJson, string Bytecode);

/// <summary>
/// The ABI + bytecode files exported by <c>contracts/</c> (<c>npm run export</c>), embedded in this assembly.
/// <see cref="Fingerprint"/> changes whenever any bytecode changes, so a dev chain with stale contracts is redeployed.
/// </summary>
public sealed class ContractArtifacts
{
    private readonly Dictionary<ContractName, ContractArtifact> _artifacts;

    public ContractArtifacts()
    {
        _artifacts = Enum.GetValues<ContractName>().ToDictionary(n => n, Load);
        var sb = new StringBuilder();
        foreach (var name in Enum.GetValues<ContractName>())
        {
            sb.Append(name).Append(':').Append(_artifacts[name].Bytecode).Append('\n');
        }

        Fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    public ContractArtifact this[ContractName name] => _artifacts[name];

    public IEnumerable<ContractArtifact> All => _artifacts.Values;

    /// <summary>SHA-256 over every contract's bytecode.</summary>
    public string Fingerprint { get; }

    private static ContractArtifact Load(ContractName name)
    {
        var resource = $"NeuroData.Chain.Abi.{name}.json";
        using var stream = typeof(ContractArtifacts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The contract artifact {resource} is not embedded in NeuroData.Infrastructure (run npm run export in contracts/).");
        using var doc = JsonDocument.Parse(stream);
        var abi = doc.RootElement.GetProperty("abi").GetRawText();
        var bytecode = doc.RootElement.GetProperty("bytecode").GetString();
        if (string.IsNullOrEmpty(bytecode) || !bytecode.StartsWith("0x", StringComparison.Ordinal) || bytecode.Length < 4)
        {
            throw new InvalidOperationException($"The contract artifact {resource} has no bytecode.");
        }

        return new ContractArtifact(name, abi, bytecode);
    }
}
