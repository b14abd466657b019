using System.Globalization;
using System.Numerics;
using System.Text;
using NeuroData.Domain.Common;

namespace NeuroData.Infrastructure.Indexing;

/// <summary>One parameter of an event: its Solidity type, whether it is a topic, its name.</summary>
public sealed record EventParameter(string Type, bool Indexed, string Name);

/// <summary>
/// An event the indexer understands, written as in Solidity ("Transfer(address indexed from,address indexed to,uint256 value)").
/// Its topic 0 is the Keccak-256 of the canonical signature. A test checks every definition against the exported ABI.
/// </summary>
public sealed class EventDefinition
{
    public EventDefinition(string contract, string declaration)
    {
        Contract = contract;
        var open = declaration.IndexOf('(', StringComparison.Ordinal);
        Name = declaration[..open];
        var inner = declaration[(open + 1)..^1];
        Parameters = inner.Length == 0
            ? []
            : inner.Split(',').Select(p =>
            {
                var parts = p.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length == 3 && parts[1] == "indexed"
                    ? new EventParameter(parts[0], true, parts[2])
                    : new EventParameter(parts[0], false, parts[^1]);
            }).ToArray();
        Signature = $"{Name}({string.Join(',', Parameters.Select(p => p.Type))})";
        Topic0 = "0x" + Convert.ToHexStringLower(Keccak256.Hash(Encoding.ASCII.GetBytes(Signature)));
    }

    /// <summary>Which contract emits it (NeuroCoin, Staking, DataMarketplace, EscrowManager).</summary>
    public string Contract { get; }

    public string Name { get; }

    public string Signature { get; }

    public string Topic0 { get; }

    public IReadOnlyList<EventParameter> Parameters { get; }

    /// <summary>Decodes topics and data into named values (BigInteger, EthAddress, bool, hex string, string).</summary>
    public DecodedEvent Decode(IReadOnlyList<string> topics, string data)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var payload = Convert.FromHexString(data.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? data[2..] : data);
        var topicIndex = 1;
        var word = 0;
        foreach (var p in Parameters)
        {
            if (p.Indexed)
            {
                if (topicIndex >= topics.Count)
                {
                    throw new FormatException($"{Name}: topic for '{p.Name}' is missing.");
                }

                values[p.Name] = DecodeStatic(p.Type, Convert.FromHexString(topics[topicIndex++][2..]));
            }
            else
            {
                values[p.Name] = p.Type == "string"
                    ? DecodeString(payload, Word(payload, word))
                    : DecodeStatic(p.Type, Word(payload, word));
                word++;
            }
        }

        return new DecodedEvent(this, values);
    }

    private static byte[] Word(byte[] payload, int index)
    {
        if ((index + 1) * 32 > payload.Length)
        {
            throw new FormatException("Event data is shorter than its parameters.");
        }

        return payload.AsSpan(index * 32, 32).ToArray();
    }

    private static object DecodeStatic(string type, byte[] word)
    {
        if (word.Length != 32)
        {
            throw new FormatException("An ABI word has 32 bytes.");
        }

        return type switch
        {
            "address" => EthAddress.FromBytes(word.AsSpan(12)),
            "bool" => word[31] != 0,
            "bytes32" => "0x" + Convert.ToHexStringLower(word),
            _ when type.StartsWith("uint", StringComparison.Ordinal) => new BigInteger(word, isUnsigned: true, isBigEndian: true),
            _ => throw new FormatException($"ABI type '{type}' is not supported by the indexer."),
        };
    }

    private static string DecodeString(byte[] payload, byte[] offsetWord)
    {
        var offset = (int)new BigInteger(offsetWord, isUnsigned: true, isBigEndian: true);
        if (offset < 0 || offset + 32 > payload.Length)
        {
            throw new FormatException("String offset points outside the event data.");
        }

        var length = (int)new BigInteger(payload.AsSpan(offset, 32), isUnsigned: true, isBigEndian: true);
        if (length < 0 || offset + 32 + length > payload.Length)
        {
            throw new FormatException("String length runs past the event data.");
        }

        return new UTF8Encoding(false, true).GetString(payload, offset + 32, length);
    }
}

/// <summary>A decoded log: the definition and its named values.</summary>
public sealed record DecodedEvent(EventDefinition Definition, IReadOnlyDictionary<string, object> Values)
{
    public string Name => Definition.Name;

    public BigInteger Number(string name) => (BigInteger)Values[name];

    public long Whole(string name) => checked((long)Number(name));

    public int Small(string name) => checked((int)Number(name));

    public TokenAmount Amount(string name) => TokenAmount.FromUnits(Number(name));

    public EthAddress Address(string name) => (EthAddress)Values[name];

    public bool Bool(string name) => (bool)Values[name];

    public string Text(string name) => (string)Values[name];

    public DateTimeOffset Time(string name) => DateTimeOffset.FromUnixTimeSeconds(Whole(name));

    public override string ToString() =>
        $"{Name}({string.Join(", ", Values.Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}"))})";
}

/// <summary>The events NeuroData mirrors, by contract.</summary>
public static class ContractEvents
{
    public static readonly EventDefinition Transfer = new("NeuroCoin", "Transfer(address indexed from,address indexed to,uint256 value)");

    public static readonly EventDefinition Staked = new("Staking", "Staked(address indexed account,uint256 amount)");
    public static readonly EventDefinition Unstaked = new("Staking", "Unstaked(address indexed account,uint256 amount)");
    public static readonly EventDefinition RewardPaid = new("Staking", "RewardPaid(address indexed account,uint256 amount)");

    public static readonly EventDefinition ListingCreated = new(
        "DataMarketplace",
        "ListingCreated(uint256 indexed listingId,address indexed seller,bytes32 contentDigest,uint256 price,uint256 reviewPeriod,uint8 accessType,uint256 tranches)");
    public static readonly EventDefinition ListingApproved = new("DataMarketplace", "ListingApproved(uint256 indexed listingId,address indexed moderator)");
    public static readonly EventDefinition ListingRejected = new("DataMarketplace", "ListingRejected(uint256 indexed listingId,address indexed moderator,string reason)");
    public static readonly EventDefinition ListingDelisted = new("DataMarketplace", "ListingDelisted(uint256 indexed listingId)");
    public static readonly EventDefinition PriceUpdated = new("DataMarketplace", "PriceUpdated(uint256 indexed listingId,uint256 oldPrice,uint256 newPrice)");

    public static readonly EventDefinition EscrowOpened = new(
        "EscrowManager",
        "EscrowOpened(uint256 indexed escrowId,uint256 indexed listingId,address indexed buyer,address seller,uint256 amount,uint256 feeBps,uint256 deadline,uint256 tranches)");
    public static readonly EventDefinition EscrowReleased = new("EscrowManager", "EscrowReleased(uint256 indexed escrowId,address indexed by,uint256 gross,uint256 fee)");
    public static readonly EventDefinition TrancheReleased = new("EscrowManager", "TrancheReleased(uint256 indexed escrowId,uint256 trancheIndex,uint256 gross,uint256 fee)");
    public static readonly EventDefinition EscrowRefunded = new("EscrowManager", "EscrowRefunded(uint256 indexed escrowId,uint256 amount)");
    public static readonly EventDefinition DisputeOpened = new(
        "EscrowManager",
        "DisputeOpened(uint256 indexed escrowId,uint8 mode,uint256 bond,uint256 rulingDeadline,uint256 snapshotBlock,uint256 voteEnd)");
    public static readonly EventDefinition DisputeResolved = new(
        "EscrowManager",
        "DisputeResolved(uint256 indexed escrowId,uint8 resolution,uint256 sellerBps,uint256 sellerAmount,uint256 buyerAmount,uint256 fee,uint256 bondReturned,uint256 bondToArbitrator,uint256 bondBurned,address arbitrator)");
    public static readonly EventDefinition VoteCast = new("EscrowManager", "VoteCast(uint256 indexed escrowId,address indexed voter,bool forSeller,uint256 weight)");
    public static readonly EventDefinition Credited = new("EscrowManager", "Credited(address indexed account,uint256 indexed escrowId,uint256 amount)");
    public static readonly EventDefinition Withdrawn = new("EscrowManager", "Withdrawn(address indexed account,uint256 amount)");

    public static IReadOnlyList<EventDefinition> All { get; } =
    [
        Transfer, Staked, Unstaked, RewardPaid,
        ListingCreated, ListingApproved, ListingRejected, ListingDelisted, PriceUpdated,
        EscrowOpened, EscrowReleased, TrancheReleased, EscrowRefunded, DisputeOpened, DisputeResolved, VoteCast, Credited, Withdrawn,
    ];

    private static readonly Dictionary<(string Contract, string Topic0), EventDefinition> ByTopic =
        All.ToDictionary(e => (e.Contract, e.Topic0));

    /// <summary>The definition for a log of <paramref name="contract"/> with this topic 0, or null.</summary>
    public static EventDefinition? Find(string contract, string topic0) =>
        ByTopic.GetValueOrDefault((contract, topic0.ToLowerInvariant()));
}
