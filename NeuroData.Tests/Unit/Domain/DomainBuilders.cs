using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;

namespace NeuroData.Tests.Unit.Domain;

/// <summary>Valid domain objects in a chosen state, built only through their public behaviour.</summary>
internal static class DomainBuilders
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static readonly EthAddress BuyerAddress = EthAddress.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    public static readonly EthAddress SellerAddress = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    public static readonly EthAddress OtherAddress = EthAddress.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");

    public static readonly Cid CidA = Cid.Parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    public static readonly Cid CidB = Cid.Parse("QmQpeUrxtQE5N2SVog1ZCxd7c7RN4fBNQu5aLwkk5RY9ER");
    public static readonly Cid CidC = Cid.Parse("bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq");

    public const string Sha256 = "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447";

    public static TxHash Hash(int n) => TxHash.Parse("0x" + n.ToString("x64", System.Globalization.CultureInfo.InvariantCulture));

    public static Dataset Draft(Guid? sellerId = null, TokenAmount? price = null, DatasetAccessTypes access = DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly) =>
        new(
            sellerId ?? Guid.NewGuid(),
            "Weather in Berlin",
            "weather-in-berlin",
            "Hourly **temperature** readings.",
            "CC-BY-4.0",
            categoryId: null,
            price ?? TokenAmount.FromTokens(10),
            TimeSpan.FromDays(3),
            access,
            T0);

    /// <summary>Adds a version and marks it ready.</summary>
    public static DatasetVersion AddReadyVersion(this Dataset dataset, Cid? cid = null)
    {
        var version = dataset.AddVersion(cid ?? CidA, 1234, DatasetFormat.Csv, Sha256, [1, 2, 3], T0);
        version.MarkReady("{}", "{}", 10);
        return version;
    }

    public static Dataset PendingReview(Guid? sellerId = null)
    {
        var dataset = Draft(sellerId);
        dataset.AddReadyVersion();
        dataset.SubmitForReview(T0.AddMinutes(1));
        return dataset;
    }

    public static Dataset Live(Guid? sellerId = null, DatasetAccessTypes access = DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly)
    {
        var dataset = Draft(sellerId, access: access);
        dataset.AddReadyVersion();
        dataset.SubmitForReview(T0.AddMinutes(1));
        dataset.Approve(Guid.NewGuid(), T0.AddMinutes(2));
        return dataset;
    }

    public static Escrow FundedEscrow(TokenAmount? amount = null, IReadOnlyList<TokenAmount>? milestones = null, long onChainId = 7) =>
        new(
            ChainId.LocalDev,
            onChainId,
            Guid.NewGuid(),
            BuyerAddress,
            SellerAddress,
            amount ?? TokenAmount.FromTokens(10),
            TokenAmount.ParseTokens("0.025"),
            deadline: T0.AddDays(3),
            fundedAt: T0,
            milestones);
}
