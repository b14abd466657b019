using System.Numerics;
using System.Text.Json;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Indexing;

namespace NeuroData.Tests.Unit.Indexing;

public sealed class ContractEventsTests
{
    private static string AbiFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeuroData.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Repository root not found."), "NeuroData.Infrastructure", "Chain", "Abi");
    }

    public static TheoryData<string> Events() => new(ContractEvents.All.Select(e => e.Contract + "." + e.Name));

    [Theory]
    [MemberData(nameof(Events))]
    public void Every_definition_matches_the_exported_abi(string qualified)
    {
        var definition = ContractEvents.All.Single(e => e.Contract + "." + e.Name == qualified);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AbiFolder(), definition.Contract + ".json")));
        var abi = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement : json.RootElement.GetProperty("abi");
        var entry = abi.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "event" && e.GetProperty("name").GetString() == definition.Name);
        var inputs = entry.GetProperty("inputs").EnumerateArray()
            .Select(i => new EventParameter(i.GetProperty("type").GetString()!, i.GetProperty("indexed").GetBoolean(), i.GetProperty("name").GetString()!))
            .ToArray();

        definition.Parameters.ShouldBe(inputs);
    }

    [Fact]
    public void Topic0_is_the_keccak_of_the_canonical_signature()
    {
        // Well-known: the ERC-20 Transfer topic.
        ContractEvents.Transfer.Topic0.ShouldBe("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
        ContractEvents.Transfer.Signature.ShouldBe("Transfer(address,address,uint256)");
    }

    [Fact]
    public void Decodes_indexed_topics_and_static_data()
    {
        var from = "0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266";
        var to = "0x00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8";
        var data = "0x" + new BigInteger(1_500_000_000_000_000_000).ToString("x64", System.Globalization.CultureInfo.InvariantCulture);

        var decoded = ContractEvents.Transfer.Decode([ContractEvents.Transfer.Topic0, from, to], data);

        decoded.Address("from").ShouldBe(EthAddress.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
        decoded.Address("to").ShouldBe(EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"));
        decoded.Amount("value").ShouldBe(TokenAmount.ParseTokens("1.5"));
    }

    [Fact]
    public void Decodes_a_dynamic_string()
    {
        var e = ContractEvents.ListingRejected;
        var reason = "Contains personal data"u8.ToArray();
        var data = "0x"
            + new BigInteger(32).ToString("x64", System.Globalization.CultureInfo.InvariantCulture)
            + new BigInteger(reason.Length).ToString("x64", System.Globalization.CultureInfo.InvariantCulture)
            + Convert.ToHexStringLower(reason).PadRight(64, '0');
        var id = "0x" + new BigInteger(7).ToString("x64", System.Globalization.CultureInfo.InvariantCulture);
        var moderator = "0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266";

        var decoded = e.Decode([e.Topic0, id, moderator], data);

        decoded.Whole("listingId").ShouldBe(7);
        decoded.Text("reason").ShouldBe("Contains personal data");
    }

    [Fact]
    public void Data_shorter_than_the_parameters_is_a_format_error()
    {
        var e = ContractEvents.Transfer;
        var topic = "0x" + new string('0', 64);
        Should.Throw<FormatException>(() => e.Decode([e.Topic0, topic, topic], "0x1234"));
    }

    [Fact]
    public void Find_is_scoped_by_contract()
    {
        ContractEvents.Find("NeuroCoin", ContractEvents.Transfer.Topic0).ShouldBe(ContractEvents.Transfer);
        ContractEvents.Find("Staking", ContractEvents.Transfer.Topic0).ShouldBeNull();
    }
}
