using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;

namespace NeuroData.Tests.Integration.Persistence;

/// <summary>Valid sample values for persistence tests.</summary>
internal static class TestData
{
    public static readonly Cid CidV0 = Cid.Parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    public static readonly Cid CidV1 = Cid.Parse("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
    public static readonly EthAddress Alice = EthAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    public static readonly EthAddress Bob = EthAddress.Parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
    public static readonly ChainId Chain = ChainId.LocalDev;

    public static string Sha256Hex(int seed) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(seed)));

    public static TxHash RandomTx() => TxHash.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static EthAddress RandomAddress() => EthAddress.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

    public static Cid RandomCidV0()
    {
        // A real CIDv0 is base58(0x12 0x20 + sha256); build one from random digest bytes.
        var bytes = new byte[34];
        bytes[0] = 0x12;
        bytes[1] = 0x20;
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes.AsSpan(2));
        return Cid.Parse(Base58(bytes));
    }

    public static Dataset NewDataset(Guid seller, string slug, DateTimeOffset now, TokenAmount? price = null) =>
        new(seller, "Berlin weather 2024", slug, "# Hourly weather\nTemperature, wind and rain.", "CC-BY-4.0", null,
            price ?? TokenAmount.FromTokens(5), TimeSpan.FromDays(3), DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly, now);

    /// <summary>A dataset that is live with one ready version (what a buyer can buy).</summary>
    public static Dataset LiveDataset(Guid seller, Guid moderator, string slug, DateTimeOffset now)
    {
        var d = NewDataset(seller, slug, now);
        var v = d.AddVersion(RandomCidV0(), 1234, DatasetFormat.Csv, Sha256Hex(1), [1, 2, 3], now);
        v.MarkReady("{\"columns\":[]}", "{}", 10);
        d.SubmitForReview(now);
        d.Approve(moderator, now);
        return d;
    }

    private static string Base58(byte[] data)
    {
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var n = new System.Numerics.BigInteger(data, isUnsigned: true, isBigEndian: true);
        var sb = new System.Text.StringBuilder();
        while (n > 0)
        {
            n = System.Numerics.BigInteger.DivRem(n, 58, out var rem);
            sb.Insert(0, alphabet[(int)rem]);
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
}
