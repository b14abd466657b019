using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Tests.Integration.Persistence;

namespace NeuroData.Tests.Integration.Search;

/// <summary>Builds datasets for the discovery tests directly through the domain.</summary>
internal static class SearchTestData
{
    public static Dataset Live(
        Guid seller,
        Guid moderator,
        Guid? category,
        string title,
        string description,
        DateTimeOffset now,
        long priceTokens = 5,
        DatasetFormat format = DatasetFormat.Csv,
        long sizeBytes = 1000,
        DatasetAccessTypes access = DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly,
        IEnumerable<Tag>? tags = null)
    {
        var d = new Dataset(seller, title, $"ds-{Guid.NewGuid():N}", description, "CC-BY-4.0", category,
            TokenAmount.FromTokens(priceTokens), TimeSpan.FromDays(3), access, now);
        if (tags is not null)
        {
            d.SetTags(tags);
        }

        var v = d.AddVersion(TestData.RandomCidV0(), sizeBytes, format, TestData.Sha256Hex(1), [1, 2, 3], now);
        v.MarkReady("[]", "{}", 10);
        d.SubmitForReview(now);
        d.Approve(moderator, now);
        return d;
    }

    public static Dataset Draft(Guid seller, Guid? category, string title, string description, DateTimeOffset now) =>
        new(seller, title, $"ds-{Guid.NewGuid():N}", description, "CC-BY-4.0", category,
            TokenAmount.FromTokens(5), TimeSpan.FromDays(3), DatasetAccessTypes.Download, now);

    /// <summary>A word no other test uses, so full-text counts are exact in a shared database.</summary>
    public static string UniqueWord(string stem)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        var bytes = Guid.NewGuid().ToByteArray();
        return stem + new string([.. bytes.Take(8).Select(b => letters[b % letters.Length])]);
    }
}
