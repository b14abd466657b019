using System.Numerics;
using System.Reflection;
using System.Text.Json;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using Nethereum.Signer;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;

namespace NeuroData.Tests.Integration.Chain;

/// <summary>The typed messages, dev accounts and revert decoding agree with the exported ABI (no chain needed).</summary>
public sealed class ChainMessagesTests
{
    private static readonly ContractArtifacts Artifacts = new();

    public static TheoryData<string> FunctionTypes() => [.. MessageTypes().Where(t => typeof(FunctionMessage).IsAssignableFrom(t)).Select(t => t.Name)];

    public static TheoryData<string> EventTypes() => [.. MessageTypes().Where(t => typeof(IEventDTO).IsAssignableFrom(t)).Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(FunctionTypes))]
    public void EveryTypedFunction_MatchesAFunctionOfTheExportedAbi(string typeName)
    {
        var type = MessageTypes().Single(t => t.Name == typeName);
        var abi = (FunctionABI)typeof(ABITypedRegistry).GetMethod(nameof(ABITypedRegistry.GetFunctionABI), 1, Type.EmptyTypes)!.MakeGenericMethod(type).Invoke(null, null)!;

        AbiSignatures("function").ShouldContain(abi.Sha3Signature.ToLowerInvariant(), $"{type.Name} encodes {abi.Name}({string.Join(',', abi.InputParameters.Select(p => p.Type))}), which no exported contract has");
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void EveryTypedEvent_MatchesAnEventOfTheExportedAbi(string typeName)
    {
        var type = MessageTypes().Single(t => t.Name == typeName);
        var abi = (EventABI)typeof(ABITypedRegistry).GetMethod(nameof(ABITypedRegistry.GetEvent), 1, Type.EmptyTypes)!.MakeGenericMethod(type).Invoke(null, null)!;

        AbiSignatures("event").ShouldContain(abi.Sha3Signature.ToLowerInvariant(), $"{type.Name} has topic {abi.Name}, which no exported contract emits");
        var indexed = abi.InputParameters.Count(p => p.Indexed);
        AbiIndexedCounts()[abi.Sha3Signature.ToLowerInvariant()].ShouldBe(indexed, $"{type.Name} marks the wrong parameters as indexed");
    }

    [Fact]
    public void DevAccounts_KeysBelongToTheirAddresses()
    {
        foreach (var account in DevAccounts.All)
        {
            EthAddress.Parse(new EthECKey(account.PrivateKey).GetPublicAddress()).ShouldBe(account.Address, $"dev account {account.Index}");
        }

        DevAccounts.Demo.Select(a => (a.Index, a.Role)).ShouldBe([(1, "seller"), (2, "buyer"), (3, "moderator"), (4, "arbitrator")]);
    }

    [Fact]
    public void Decoder_NamesCustomErrors_WithTheirArguments()
    {
        var decoder = new ContractErrorDecoder(Artifacts);
        var data = "0x" + Selector("PriceAboveMax(uint256,uint256)") + Word(30) + Word(29);

        var decoded = decoder.Decode(data);

        decoded.ShouldNotBeNull();
        decoded.Name.ShouldBe("PriceAboveMax");
        decoded.Description.ShouldBe("PriceAboveMax(price: 30, maxPrice: 29)");
        decoder.KnownErrorCount.ShouldBeGreaterThan(50);
    }

    [Fact]
    public void Decoder_HandlesErrorStringPanicUnknownAndEmpty()
    {
        var decoder = new ContractErrorDecoder(Artifacts);
        var message = new ParametersEncoder().EncodeParameters([new Parameter("string", "message", 1)], "not allowed");

        decoder.Decode("0x08c379a0" + Convert.ToHexStringLower(message))!.Description.ShouldBe("Error(\"not allowed\")");
        decoder.Decode("0x4e487b71" + Word(0x11))!.Description.ShouldBe("Panic(0x11: arithmetic overflow or underflow)");
        var unknown = decoder.Decode("0xdeadbeef");
        unknown!.Name.ShouldBeNull();
        unknown.Description.ShouldBe("unknown custom error 0xdeadbeef");
        decoder.Decode("0x").ShouldBeNull();
        decoder.Decode(null).ShouldBeNull();
    }

    [Fact]
    public void Artifacts_FingerprintCoversEveryContract()
    {
        Artifacts.All.Select(a => a.Name).Order().ShouldBe(Enum.GetValues<ContractName>().Order());
        Artifacts.Fingerprint.ShouldStartWith("sha256:");
        new ContractArtifacts().Fingerprint.ShouldBe(Artifacts.Fingerprint);
    }

    [Fact]
    public void SplitSignature_AcceptsV27And0_AndRejectsOthers()
    {
        var r = new string('1', 64);
        var s = new string('2', 64);

        TransactionRequestBuilder.SplitSignature("0x" + r + s + "1b").V.ShouldBe((byte)27);
        TransactionRequestBuilder.SplitSignature("0x" + r + s + "01").V.ShouldBe((byte)28);
        var (_, rBytes, sBytes) = TransactionRequestBuilder.SplitSignature("0x" + r + s + "1c");
        Convert.ToHexStringLower(rBytes).ShouldBe(r);
        Convert.ToHexStringLower(sBytes).ShouldBe(s);
        Should.Throw<DomainException>(() => TransactionRequestBuilder.SplitSignature("0x" + r + s + "05")).Message.ShouldContain("recovery id");
    }

    [Fact]
    public void UnsignedTransaction_ToEip1193_IsWhatWalletJsExpects()
    {
        var tx = TransactionRequestBuilder.Build(DevAccounts.Buyer.Address, DevAccounts.Seller.Address, new ConfirmFunction { EscrowId = 5 });

        var json = tx.ToEip1193();

        json["from"].ShouldBe("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
        json["to"].ShouldBe("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
        json["value"].ShouldBe("0x0");
        json["data"].ShouldBe("0x" + Selector("confirm(uint256)") + Word(5));
        (tx with { Value = new BigInteger(256) }).ValueHex.ShouldBe("0x100");
    }

    private static IEnumerable<Type> MessageTypes() =>
        typeof(ApproveListingFunction).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(ApproveListingFunction).Namespace && t.IsClass && !t.IsAbstract
                        && (t.GetCustomAttribute<FunctionAttribute>() is not null || t.GetCustomAttribute<EventAttribute>() is not null));

    private static HashSet<string> AbiSignatures(string kind)
    {
        var set = new HashSet<string>();
        foreach (var artifact in Artifacts.All)
        {
            foreach (var item in JsonDocument.Parse(artifact.AbiJson).RootElement.EnumerateArray())
            {
                if (item.GetProperty("type").GetString() == kind)
                {
                    var selector = Keccak(CanonicalSignature(item));
                    set.Add(kind == "function" ? selector[..8] : selector);
                }
            }
        }

        return set;
    }

    private static Dictionary<string, int> AbiIndexedCounts()
    {
        var counts = new Dictionary<string, int>();
        foreach (var artifact in Artifacts.All)
        {
            foreach (var item in JsonDocument.Parse(artifact.AbiJson).RootElement.EnumerateArray().Where(i => i.GetProperty("type").GetString() == "event"))
            {
                counts[Keccak(CanonicalSignature(item))] = item.GetProperty("inputs").EnumerateArray().Count(i => i.GetProperty("indexed").GetBoolean());
            }
        }

        return counts;
    }

    private static string CanonicalSignature(JsonElement item) =>
        $"{item.GetProperty("name").GetString()}({string.Join(',', item.GetProperty("inputs").EnumerateArray().Select(CanonicalType))})";

    private static string CanonicalType(JsonElement input)
    {
        var type = input.GetProperty("type").GetString()!;
        if (type.StartsWith("tuple", StringComparison.Ordinal))
        {
            return "(" + string.Join(',', input.GetProperty("components").EnumerateArray().Select(CanonicalType)) + ")" + type["tuple".Length..];
        }

        return type;
    }

    private static string Keccak(string text) => Keccak256.HashHex(System.Text.Encoding.UTF8.GetBytes(text));

    private static string Selector(string signature) => Keccak(signature)[..8];

    private static string Word(long value) => value.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);
}
