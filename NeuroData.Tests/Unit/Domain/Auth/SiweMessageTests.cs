using CsCheck;
using NeuroData.Domain.Auth;

namespace NeuroData.Tests.Unit.Domain.Auth;

public sealed class SiweMessageTests
{
    // The example from EIP-4361 itself.
    private const string EipExample =
        "example.com wants you to sign in with your Ethereum account:\n" +
        "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n" +
        "\n" +
        "I accept the ExampleOrg Terms of Service: https://example.com/tos\n" +
        "\n" +
        "URI: https://example.com/login\n" +
        "Version: 1\n" +
        "Chain ID: 1\n" +
        "Nonce: 32891756\n" +
        "Issued At: 2021-09-30T16:25:24Z\n" +
        "Resources:\n" +
        "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/\n" +
        "- https://example.com/my-web2-claim.json";

    private const string Full =
        "https://localhost:5000 wants you to sign in with your Ethereum account:\n" +
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n" +
        "\n" +
        "Sign in to NeuroData.\n" +
        "\n" +
        "URI: https://localhost:5000/auth/siwe\n" +
        "Version: 1\n" +
        "Chain ID: 31337\n" +
        "Nonce: abcDEF123456xyz0\n" +
        "Issued At: 2026-11-25T10:00:00.123Z\n" +
        "Expiration Time: 2026-11-25T10:10:00+02:00\n" +
        "Not Before: 2026-11-25T09:59:00Z\n" +
        "Request ID: req-42:@!\n" +
        "Resources:\n" +
        "- https://localhost:5000/terms";

    [Fact]
    public void Parse_TheEipExample_ReadsEveryField()
    {
        var m = SiweMessage.Parse(EipExample);

        m.Scheme.ShouldBeNull();
        m.Domain.ShouldBe("example.com");
        m.Address.ShouldBe("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
        m.Statement.ShouldBe("I accept the ExampleOrg Terms of Service: https://example.com/tos");
        m.Uri.ShouldBe("https://example.com/login");
        m.Version.ShouldBe("1");
        m.ChainId.ShouldBe(1);
        m.Nonce.ShouldBe("32891756");
        m.IssuedAt.ShouldBe(new DateTimeOffset(2021, 9, 30, 16, 25, 24, TimeSpan.Zero));
        m.ExpirationTime.ShouldBeNull();
        m.NotBefore.ShouldBeNull();
        m.RequestId.ShouldBeNull();
        m.Resources.ShouldBe(["ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/", "https://example.com/my-web2-claim.json"]);
    }

    [Fact]
    public void Parse_AllOptionalFields_ReadsThemAndKeepsOffsets()
    {
        var m = SiweMessage.Parse(Full);

        m.Scheme.ShouldBe("https");
        m.Domain.ShouldBe("localhost:5000");
        m.ChainId.ShouldBe(31337);
        m.IssuedAt.ShouldBe(new DateTimeOffset(2026, 11, 25, 10, 0, 0, 123, TimeSpan.Zero));
        m.ExpirationTime.ShouldBe(new DateTimeOffset(2026, 11, 25, 8, 10, 0, TimeSpan.Zero));
        m.NotBefore.ShouldBe(new DateTimeOffset(2026, 11, 25, 9, 59, 0, TimeSpan.Zero));
        m.RequestId.ShouldBe("req-42:@!");
    }

    [Theory]
    [InlineData(EipExample)]
    [InlineData(Full)]
    public void ToMessageString_RoundTripsExactly(string text)
    {
        SiweMessage.Parse(text).ToMessageString().ShouldBe(text);
    }

    [Fact]
    public void Parse_WithoutStatement_NeedsTwoBlankLines()
    {
        var without = EipExample.Replace("I accept the ExampleOrg Terms of Service: https://example.com/tos\n", string.Empty, StringComparison.Ordinal);
        var m = SiweMessage.Parse(without);
        m.Statement.ShouldBeNull();
        m.ToMessageString().ShouldBe(without);

        var oneBlank = without.Replace("\n\n\nURI", "\n\nURI", StringComparison.Ordinal);
        Should.Throw<FormatException>(() => SiweMessage.Parse(oneBlank)).Message.ShouldContain("blank line");
    }

    [Fact]
    public void Create_BuildsAMessageThatParsesBackToTheSameValues()
    {
        var issued = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        var m = SiweMessage.Create("http", "localhost:5000", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "Sign in to NeuroData.",
            "http://localhost:5000", 31337, "0123456789abcdef", issued, issued.AddMinutes(10));

        var again = SiweMessage.Parse(m.ToMessageString());
        again.Address.ShouldBe(m.Address);
        again.ExpirationTime.ShouldBe(issued.AddMinutes(10));
        again.Nonce.ShouldBe("0123456789abcdef");
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "CRLF line endings", EipExample.Replace("\n", "\r\n", StringComparison.Ordinal), "CR" },
        { "preamble case", EipExample.Replace("wants you", "Wants you", StringComparison.Ordinal), "first line" },
        { "lower-case address (no checksum)", EipExample.Replace("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2", StringComparison.Ordinal), "EIP-55" },
        { "wrong checksum", EipExample.Replace("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756CC2", StringComparison.Ordinal), "EIP-55" },
        { "short address", EipExample.Replace("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756C", StringComparison.Ordinal), "40 hexadecimal" },
        { "short nonce", EipExample.Replace("Nonce: 32891756", "Nonce: 1234567", StringComparison.Ordinal), "nonce" },
        { "nonce with symbols", EipExample.Replace("Nonce: 32891756", "Nonce: 3289-1756", StringComparison.Ordinal), "nonce" },
        { "version 2", EipExample.Replace("Version: 1", "Version: 2", StringComparison.Ordinal), "version" },
        { "fields out of order", EipExample.Replace("Version: 1\nChain ID: 1", "Chain ID: 1\nVersion: 1", StringComparison.Ordinal), "Version" },
        { "field tag case", EipExample.Replace("Chain ID:", "Chain Id:", StringComparison.Ordinal), "Chain ID" },
        { "not a chain id", EipExample.Replace("Chain ID: 1", "Chain ID: 0x1", StringComparison.Ordinal), "chain id" },
        { "February 30th", EipExample.Replace("2021-09-30T16:25:24Z", "2021-02-30T16:25:24Z", StringComparison.Ordinal), "exists" },
        { "hour 24", EipExample.Replace("2021-09-30T16:25:24Z", "2021-09-30T24:00:00Z", StringComparison.Ordinal), "exists" },
        { "no time zone", EipExample.Replace("2021-09-30T16:25:24Z", "2021-09-30T16:25:24", StringComparison.Ordinal), "time zone" },
        { "date only", EipExample.Replace("2021-09-30T16:25:24Z", "2021-09-30", StringComparison.Ordinal), "RFC 3339" },
        { "trailing newline", EipExample + "\n", "line break" },
        { "unknown trailing field", EipExample.Replace("\nResources:", "\nFoo: bar\nResources:", StringComparison.Ordinal), "unexpected line" },
        { "statement with a line feed char class violation", EipExample.Replace("Terms of Service", "Terms \"of\" Service", StringComparison.Ordinal), "statement" },
        { "bad URI", EipExample.Replace("URI: https://example.com/login", "URI: not a uri", StringComparison.Ordinal), "URI" },
        { "bad resource", EipExample.Replace("- https://example.com/my-web2-claim.json", "- https://exa mple.com", StringComparison.Ordinal), "resource" },
        { "resource without dash", EipExample.Replace("- https://example.com/my-web2-claim.json", "https://example.com/x", StringComparison.Ordinal), "resource" },
        { "bad domain", EipExample.Replace("example.com wants", "exa mple.com wants", StringComparison.Ordinal), "domain" },
        { "bad scheme", "1https://" + EipExample, "scheme" },
        { "truncated", EipExample[..EipExample.IndexOf("Nonce", StringComparison.Ordinal)].TrimEnd('\n'), "ends before" },
        { "empty", string.Empty, "first line" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_Malformed_ThrowsFormatExceptionWithTheReason(string because, string text, string reasonFragment)
    {
        var ex = Should.Throw<FormatException>(() => SiweMessage.Parse(text), because);
        ex.Message.ShouldContain(reasonFragment, Case.Insensitive, because);
        SiweMessage.TryParse(text, out var parsed, out var error).ShouldBeFalse();
        parsed.ShouldBeNull();
        error.ShouldBe(ex.Message);
    }

    [Fact]
    public void Parse_AResourcesHeaderWithoutEntries_RoundTripsExactly()
    {
        // Regression: "Resources:" with no entries is valid ABNF, but the header was dropped when the message was
        // written back, so the text no longer matched what the wallet signed.
        var text = EipExample[..EipExample.IndexOf("\n- ipfs", StringComparison.Ordinal)];
        text.ShouldEndWith("\nResources:");

        var m = SiweMessage.Parse(text);

        m.Resources.ShouldBeEmpty();
        m.ToMessageString().ShouldBe(text);
    }

    [Theory]
    [InlineData("2021-09-30t16:25:24z", 2021, 9, 30, 16, 25, 24, 0)]
    [InlineData("2021-09-30T16:25:24.5Z", 2021, 9, 30, 16, 25, 24, 5_000_000)]
    [InlineData("2021-09-30T16:25:24.123456789Z", 2021, 9, 30, 16, 25, 24, 1_234_567)]
    [InlineData("2021-09-30T18:25:24+02:00", 2021, 9, 30, 16, 25, 24, 0)]
    [InlineData("2021-09-30T14:10:24-02:15", 2021, 9, 30, 16, 25, 24, 0)]
    [InlineData("2024-02-29T00:00:00Z", 2024, 2, 29, 0, 0, 0, 0)]
    public void Parse_Rfc3339Times_AreReadExactly_AndTheTextIsKept(string time, int y, int mo, int d, int h, int mi, int s, long ticks)
    {
        var text = EipExample.Replace("2021-09-30T16:25:24Z", time, StringComparison.Ordinal);

        var m = SiweMessage.Parse(text);

        m.IssuedAt.UtcDateTime.ShouldBe(new DateTime(y, mo, d, h, mi, s, DateTimeKind.Utc).AddTicks(ticks));
        m.ToMessageString().ShouldBe(text);
    }

    [Theory]
    [InlineData("2021-09-30T16:25:24+24:00", "impossible time offset")]
    [InlineData("2021-09-30T16:25:24+15:00", "out of range")]
    [InlineData("0001-01-01T00:00:00+01:00", "out of range")]
    [InlineData("9999-12-31T23:59:59.9999999-01:00", "out of range")]
    [InlineData("2021-09-30T23:59:60Z", "exists")]
    [InlineData("2023-02-29T00:00:00Z", "exists")]
    [InlineData("0000-01-01T00:00:00Z", "exists")]
    [InlineData("2021-09-30T16:25:24.Z", "without fraction digits")]
    [InlineData("2021-09-30 16:25:24Z", "RFC 3339")]
    [InlineData("2021-09-30T16:25:24+0200", "time zone")]
    public void Parse_ImpossibleTimes_AreFormatErrors_NeverOtherExceptions(string time, string reason)
    {
        var text = EipExample.Replace("2021-09-30T16:25:24Z", time, StringComparison.Ordinal);

        Should.Throw<FormatException>(() => SiweMessage.Parse(text)).Message.ShouldContain(reason);
    }

    [Fact]
    public void Create_WithInvalidParts_IsAFormatError()
    {
        var issued = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

        Should.Throw<FormatException>(() => SiweMessage.Create("https", "localhost:5000", "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", null,
            "https://localhost:5000", 1, "0123456789abcdef", issued)).Message.ShouldContain("EIP-55");
        Should.Throw<FormatException>(() => SiweMessage.Create("https", "localhost:5000", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", null,
            "https://localhost:5000", 1, "short", issued)).Message.ShouldContain("nonce");
        Should.Throw<FormatException>(() => SiweMessage.Create("https", "localhost:5000", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "two\nlines",
            "https://localhost:5000", 1, "0123456789abcdef", issued));
    }

    private static readonly string[] SampleResources =
        ["https://example.com/terms", "ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/", "https://a.example/x?y=1#z"];

    [Fact]
    public void Create_ThenParse_RoundTripsForGeneratedValues()
    {
        var gen = Gen.Select(
            Gen.Byte.Array[20],
            Gen.Long[1, long.MaxValue],
            Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"].Array[8, 32],
            Gen.Long[new DateTime(2000, 1, 1).Ticks, new DateTime(2100, 1, 1).Ticks],
            Gen.Int[0, SampleResources.Length].Select(i => SampleResources[..i]));
        gen.Sample((addressBytes, chainId, nonceChars, ticks, resources) =>
        {
            var address = NeuroData.Domain.Common.EthAddress.FromBytes(addressBytes).Value;
            var issued = new DateTimeOffset(ticks, TimeSpan.Zero);
            var nonce = new string(nonceChars);

            var m = SiweMessage.Create("https", "localhost:5000", address, "Sign in to NeuroData.", "https://localhost:5000/auth/siwe",
                chainId, nonce, issued, issued.AddMinutes(10), null, null, resources);
            var text = m.ToMessageString();
            var again = SiweMessage.Parse(text);

            again.ToMessageString().ShouldBe(text);
            again.Address.ShouldBe(address);
            again.ChainId.ShouldBe(chainId);
            again.Nonce.ShouldBe(nonce);
            again.IssuedAt.ShouldBe(new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero));
            again.ExpirationTime.ShouldBe(again.IssuedAt.AddMinutes(10));
            again.Resources.ShouldBe(resources);
        }, iter: 300);
    }
}
