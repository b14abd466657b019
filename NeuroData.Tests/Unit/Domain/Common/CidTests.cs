using NeuroData.Domain.Common;

namespace NeuroData.Tests.Unit.Domain.Common;

public sealed class CidTests
{
    // What `ipfs add` (and Debian's ipfs_cid) prints for "hello world\n" and for "abc".
    private const string HelloV0 = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
    private const string HelloV1 = "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby";
    private const string AbcV0 = "QmQpeUrxtQE5N2SVog1ZCxd7c7RN4fBNQu5aLwkk5RY9ER";
    private const string AbcV1 = "bafybeibe4nqnrxak2sgjedncehtt6y66othodncxizob7y7xwnhrlc37ii";

    // The same multihash with the raw codec (0x55) instead of dag-pb.
    private const string HelloRawV1 = "bafkreicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby";

    [Theory]
    [InlineData(HelloV0)]
    [InlineData(AbcV0)]
    public void Parse_CidV0_IsAccepted(string text)
    {
        var cid = Cid.Parse(text);

        cid.Version.ShouldBe(0);
        cid.Value.ShouldBe(text);
        cid.ToString().ShouldBe(text);
    }

    [Theory]
    [InlineData(HelloV1)]
    [InlineData(AbcV1)]
    [InlineData(HelloRawV1)]
    [InlineData("bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq")] // from the EIP-4361 example
    public void Parse_CidV1Base32_IsAccepted(string text)
    {
        var cid = Cid.Parse(text);

        cid.Version.ShouldBe(1);
        cid.Value.ShouldBe(text);
    }

    [Fact]
    public void Parse_UpperCaseCidV1_IsNormalisedToLowerCase()
    {
        var cid = Cid.Parse(HelloV1.ToUpperInvariant());

        cid.Value.ShouldBe(HelloV1);
        cid.ShouldBe(Cid.Parse(HelloV1));
    }

    [Fact]
    public void Parse_TrimsWhitespace()
    {
        Cid.Parse("  " + HelloV0 + "\n").Value.ShouldBe(HelloV0);
    }

    [Fact]
    public void Equality_IsByValue()
    {
        Cid.Parse(HelloV0).ShouldBe(Cid.Parse(HelloV0));
        Cid.Parse(HelloV0).ShouldNotBe(Cid.Parse(AbcV0));
        Cid.Parse(HelloV0).ShouldNotBe(Cid.Parse(HelloV1), "v0 and v1 texts are different identifiers here");
    }

    public static readonly TheoryData<string?, string> Invalid = new()
    {
        { null, "Enter a CID" },
        { "", "Enter a CID" },
        { "   ", "Enter a CID" },
        { HelloV0[..^1], "not a valid CIDv0" }, // 45 characters
        { HelloV0 + "a", "not a valid CIDv0" }, // 47 characters
        { HelloV0[..^1] + "0", "not a valid CIDv0" }, // '0' is not base58
        { HelloV0[..^1] + "l", "not a valid CIDv0" }, // 'l' is not base58
        { "Qm" + new string('z', 44), "not a valid CIDv0" }, // 34 bytes, but the header is 0x12 0x22, not sha2-256/32
        { "Qm" + new string('1', 44), "not a valid CIDv0" }, // 34 bytes, but the header is 0x12 0x1e
        { HelloV1[..^1], "not a valid CIDv1" }, // digest one byte short / leftover bits
        { HelloV1[..^2], "not a valid CIDv1" },
        { HelloV1 + "aa", "not a valid CIDv1" }, // digest longer than announced
        { "b" + HelloV1[1..5].ToUpperInvariant() + HelloV1[5..], "all lower case or all upper case" },
        { "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mb1", "not a valid CIDv1" }, // '1' is not base32
        { "b", "not a valid CIDv1" },
        { "bciqerpl4", "not a valid CIDv1" }, // version 0x12 in a v1 frame
        { "zdj7WWeQ43G6JJvLWQWZpyHuAMq6uYWRjkBXFad11vE2LHhQ7", "is not a CID" }, // base58btc CIDv1 is not supported
        { "hello", "is not a CID" },
        { "/ipfs/" + HelloV0, "is not a CID" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_Invalid_IsRejectedWithAReason(string? text, string expected)
    {
        Cid.TryParse(text, out var cid, out var error).ShouldBeFalse();
        cid.ShouldBeNull();
        error.ShouldContain(expected);
        Should.Throw<DomainException>(() => Cid.Parse(text!)).Message.ShouldBe(error);
    }

    [Fact]
    public void Parse_VeryLongInput_IsShortenedInTheMessage()
    {
        var text = "Qm" + new string('x', 5000);

        Cid.TryParse(text, out _, out var error).ShouldBeFalse();
        error.Length.ShouldBeLessThan(300);
        error.ShouldContain("…");
    }
}
