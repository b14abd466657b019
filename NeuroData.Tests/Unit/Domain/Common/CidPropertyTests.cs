using System.Numerics;
using System.Text;
using CsCheck;
using NeuroData.Domain.Common;

namespace NeuroData.Tests.Unit.Domain.Common;

/// <summary>CIDs built by the test's own encoders from random sha2-256 digests must all parse; cut ones must not.</summary>
public sealed class CidPropertyTests
{
    private const string Base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    [Fact]
    public void AnySha256Digest_AsCidV0_Parses()
    {
        Gen.Byte.Array[32].Sample(digest =>
        {
            var text = Base58([0x12, 0x20, .. digest]);

            text.Length.ShouldBe(46);
            text.ShouldStartWith("Qm");
            var cid = Cid.Parse(text);
            cid.Version.ShouldBe(0);
            cid.Value.ShouldBe(text);
            Cid.TryParse(text[..^1], out _, out _).ShouldBeFalse();
        }, iter: 500);
    }

    [Fact]
    public void AnyDigest_AsCidV1_Parses_InEitherCase_AndCutOrExtendedDoesNot()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.OneOfConst<byte>(0x55, 0x70, 0x71)).Sample((digest, codec) =>
        {
            var text = "b" + Base32([0x01, codec, 0x12, 0x20, .. digest]);

            Cid.Parse(text).Version.ShouldBe(1);
            Cid.Parse(text.ToUpperInvariant()).Value.ShouldBe(text);
            Cid.TryParse(text[..^2], out _, out _).ShouldBeFalse();
            Cid.TryParse("b" + Base32([0x01, codec, 0x12, 0x20, .. digest, 0x00]), out _, out _).ShouldBeFalse();
        }, iter: 500);
    }

    private static string Base58(byte[] data)
    {
        var n = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var sb = new StringBuilder();
        while (n > 0)
        {
            n = BigInteger.DivRem(n, 58, out var rem);
            sb.Insert(0, Base58Alphabet[(int)rem]);
        }

        foreach (var b in data)
        {
            if (b != 0)
            {
                break;
            }

            sb.Insert(0, '1');
        }

        return sb.ToString();
    }

    private static string Base32(byte[] data)
    {
        var sb = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = ((buffer << 8) | b) & 0xFFFF;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Base32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(Base32Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }
}
