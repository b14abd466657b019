using NeuroData.Domain.Common;

namespace NeuroData.Tests.Unit.Domain.Common;

public sealed class EthAddressTests
{
    // The test vectors of EIP-55 itself: all caps, all lower, and normal mixed-case checksums.
    public static readonly TheoryData<string> Eip55Vectors =
    [
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];

    [Theory]
    [MemberData(nameof(Eip55Vectors))]
    public void ToChecksum_MatchesTheEip55Vectors(string vector)
    {
        EthAddress.ToChecksum(vector[2..].ToLowerInvariant()).ShouldBe(vector);
        EthAddress.ToChecksum(vector[2..].ToUpperInvariant()).ShouldBe(vector);
    }

    [Theory]
    [MemberData(nameof(Eip55Vectors))]
    public void Parse_AcceptsTheChecksummedForm_AndKeepsIt(string vector)
    {
        EthAddress.Parse(vector).Value.ShouldBe(vector);
    }

    [Theory]
    [MemberData(nameof(Eip55Vectors))]
    public void Parse_AcceptsAllLowerAndAllUpperCase_AndChecksumsThem(string vector)
    {
        EthAddress.Parse("0x" + vector[2..].ToLowerInvariant()).Value.ShouldBe(vector);
        EthAddress.Parse("0x" + vector[2..].ToUpperInvariant()).Value.ShouldBe(vector);
        EthAddress.Parse("0X" + vector[2..].ToUpperInvariant()).Value.ShouldBe(vector);
    }

    [Fact]
    public void Parse_ADevChainAccount_GivesItsKnownChecksum()
    {
        // anvil/hardhat account #0, as every wallet shows it.
        EthAddress.Parse("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266").Value.ShouldBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    }

    [Theory]
    [InlineData("0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed")] // first letter flipped to lower case
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")] // last letter flipped to upper case
    [InlineData("0xFb6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    public void Parse_MixedCaseWithAWrongChecksum_IsRejected(string text)
    {
        EthAddress.TryParse(text, out var address, out var error).ShouldBeFalse();
        address.ShouldBeNull();
        error.ShouldContain("checksum");
        Should.Throw<DomainException>(() => EthAddress.Parse(text)).Message.ShouldContain("EIP-55");
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", "40 hexadecimal digits")] // 38 digits
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00", "40 hexadecimal digits")] // 42 digits
    [InlineData("0x", "40 hexadecimal digits")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", "40 hexadecimal digits")] // 'g'
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA d", "40 hexadecimal digits")]
    [InlineData("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "must start with 0x")]
    [InlineData("1x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "must start with 0x")]
    [InlineData("", "Enter a wallet address")]
    [InlineData("   ", "Enter a wallet address")]
    [InlineData(null, "Enter a wallet address")]
    public void Parse_MalformedText_IsRejectedWithAReason(string? text, string expected)
    {
        EthAddress.TryParse(text, out var address, out var error).ShouldBeFalse();
        address.ShouldBeNull();
        error.ShouldContain(expected);
    }

    [Fact]
    public void Parse_NonAsciiDigits_AreRejected()
    {
        // Arabic-Indic digits are "digits" to char.IsDigit but not hex.
        EthAddress.TryParse("0x" + new string('\u0661', 40), out _, out var error).ShouldBeFalse();
        error.ShouldContain("hexadecimal");
    }

    [Fact]
    public void Parse_TrimsSurroundingWhitespace()
    {
        EthAddress.Parse("  0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n").Value.ShouldBe("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    }

    [Fact]
    public void Equality_IsByAccount_WhateverTheInputCase()
    {
        var a = EthAddress.Parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        var b = EthAddress.Parse("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED");

        a.ShouldBe(b);
        (a == b).ShouldBeTrue();
        a.GetHashCode().ShouldBe(b.GetHashCode());
        a.ShouldNotBe(EthAddress.Parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"));
    }

    [Fact]
    public void Zero_IsTheAllZeroAddress()
    {
        EthAddress.Zero.Value.ShouldBe("0x0000000000000000000000000000000000000000");
        EthAddress.Zero.IsZero.ShouldBeTrue();
        EthAddress.Parse("0x0000000000000000000000000000000000000000").ShouldBe(EthAddress.Zero);
        EthAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").IsZero.ShouldBeFalse();
    }

    [Fact]
    public void Bytes_RoundTrip()
    {
        var address = EthAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        var bytes = address.ToBytes();

        bytes.Length.ShouldBe(20);
        bytes[0].ShouldBe((byte)0x5a);
        bytes[19].ShouldBe((byte)0xed);
        EthAddress.FromBytes(bytes).ShouldBe(address);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(21)]
    [InlineData(32)]
    public void FromBytes_OfWrongLength_IsRejected(int length)
    {
        Should.Throw<DomainException>(() => EthAddress.FromBytes(new byte[length])).Message.ShouldContain($"got {length}");
    }

    [Fact]
    public void ToShortString_ShowsStartAndEnd()
    {
        EthAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").ToShortString().ShouldBe("0x5aAe…eAed");
        EthAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").ToString().ShouldBe("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    }
}
