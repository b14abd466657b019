using System.Security.Cryptography;
using System.Text;
using NeuroData.Domain.Common;

namespace NeuroData.Tests.Unit.Domain.Common;

public sealed class Keccak256Tests
{
    // Vectors checked against an independent implementation (@noble/hashes keccak_256). Lengths 135/136/137 hit
    // the padding in the last byte of a block, an exact block, and one byte into a second block.
    [Theory]
    [InlineData("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    public void HashHex_MatchesKnownVectors(string input, string expected)
    {
        Keccak256.HashHex(Encoding.ASCII.GetBytes(input)).ShouldBe(expected);
    }

    [Theory]
    [InlineData(135, "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446")]
    [InlineData(136, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e")]
    [InlineData(137, "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39")]
    [InlineData(1000, "b6a4ac1f51884d71f30fa397a5e155de3099e11fc0edef5d08b646e621e19de9")]
    public void HashHex_AroundAndAcrossBlockBoundaries_MatchesKnownVectors(int length, string expected)
    {
        Keccak256.HashHex(Encoding.ASCII.GetBytes(new string('a', length))).ShouldBe(expected);
    }

    [Fact]
    public void Hash_OfAFunctionSignature_GivesTheSoliditySelector()
    {
        // ERC-20 transfer(address,uint256) has selector 0xa9059cbb.
        Keccak256.Hash(Encoding.ASCII.GetBytes("transfer(address,uint256)"))[..4].ShouldBe(new byte[] { 0xa9, 0x05, 0x9c, 0xbb });
    }

    [Fact]
    public void Hash_IsThirtyTwoBytes_AndNotFipsSha3()
    {
        var keccak = Keccak256.Hash([]);

        keccak.Length.ShouldBe(32);
        Convert.ToHexStringLower(keccak).ShouldNotBe("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", "that is SHA3-256 of empty input");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(135)]
    [InlineData(136)]
    [InlineData(137)]
    [InlineData(272)]
    [InlineData(5000)]
    public void SpongeWithSha3Padding_MatchesThePlatformSha3_256(int length)
    {
        SHA3_256.IsSupported.ShouldBeTrue("OpenSSL 1.1.1+ provides SHA3-256 on Linux");
        var data = new byte[length];
        new Random(length).NextBytes(data);

        Keccak256.Hash(data, 0x06).ShouldBe(SHA3_256.HashData(data));
    }
}
