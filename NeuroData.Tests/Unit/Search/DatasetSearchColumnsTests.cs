using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Search;

/// <summary>The columns stored on a dataset for search (latest ready version's format and size, average rating) follow the domain.</summary>
public sealed class DatasetSearchColumnsTests
{
    [Fact]
    public void LatestFormatAndSize_FollowTheLatestReadyVersion_ThroughReadyProcessingAndWithdrawn()
    {
        var d = Draft();
        d.LatestFormat.ShouldBeNull();
        d.LatestSizeBytes.ShouldBeNull();

        var v1 = d.AddVersion(CidA, 1_000, DatasetFormat.Csv, Sha256, [1], T0);
        d.LatestFormat.ShouldBeNull(); // still processing
        v1.MarkReady("{}", "{}", 10);
        d.LatestFormat.ShouldBe(DatasetFormat.Csv);
        d.LatestSizeBytes.ShouldBe(1_000);

        var v2 = d.AddVersion(CidB, 2_000, DatasetFormat.Parquet, Sha256, [1], T0);
        d.LatestFormat.ShouldBe(DatasetFormat.Csv); // v2 not ready yet
        v2.MarkReady("{}", "{}", 20);
        d.LatestFormat.ShouldBe(DatasetFormat.Parquet);
        d.LatestSizeBytes.ShouldBe(2_000);

        var v3 = d.AddVersion(CidC, 3_000, DatasetFormat.JsonLines, Sha256, [1], T0);
        v3.MarkFailed("Unreadable file.");
        d.LatestFormat.ShouldBe(DatasetFormat.Parquet);

        v2.Withdraw();
        d.LatestFormat.ShouldBe(DatasetFormat.Csv);
        d.LatestSizeBytes.ShouldBe(1_000);
        v1.Withdraw();
        d.LatestFormat.ShouldBeNull();
        d.LatestSizeBytes.ShouldBeNull();
    }

    [Fact]
    public void RatingAverage_IsZeroWithoutReviews_AndExactAfterNewAndEditedReviews()
    {
        var d = Live();
        d.RatingAverage.ShouldBe(0);

        d.RecordReview(5);
        d.RecordReview(2);
        d.RatingAverage.ShouldBe(3.5);

        d.RecordReview(4, previousRating: 2);
        d.RatingAverage.ShouldBe(4.5);
        d.ReviewCount.ShouldBe(2);

        d.RecordReview(1);
        d.RatingAverage.ShouldBe(10.0 / 3);
        d.RatingAverage.ShouldBe(d.AverageRating!.Value);
    }

    [Fact]
    public void RatingAverage_IsUnchangedByARefusedRating()
    {
        var d = Live();
        d.RecordReview(4);

        Should.Throw<DomainException>(() => d.RecordReview(6)).Message.ShouldBe("A rating is 1 to 5 stars (got 6).");

        d.RatingAverage.ShouldBe(4);
        d.ReviewCount.ShouldBe(1);
    }

    [Theory]
    [InlineData(new[] { 4, 4, 4 }, 4, true)]
    [InlineData(new[] { 4, 4, 3 }, 4, false)]
    [InlineData(new[] { 5, 4, 4 }, 4, true)]
    [InlineData(new[] { 1, 2 }, 2, false)]
    [InlineData(new[] { 3, 3, 3, 3, 3, 3, 3 }, 3, true)]
    public void RatingAverage_ComparedWithWholeStars_AgreesWithTheIntegerRule(int[] ratings, int stars, bool expected)
    {
        var d = Live();
        foreach (var r in ratings)
        {
            d.RecordReview(r);
        }

        (d.RatingAverage >= stars).ShouldBe(expected);
        (d.RatingSum >= stars * d.ReviewCount).ShouldBe(expected);
    }
}
