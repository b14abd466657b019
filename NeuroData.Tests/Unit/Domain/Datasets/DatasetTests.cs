using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Domain.Datasets;

public sealed class DatasetTests
{
    private static readonly TimeSpan ThreeDays = TimeSpan.FromDays(3);

    [Fact]
    public void New_IsADraft_WithTheGivenDetails()
    {
        var seller = Guid.NewGuid();
        var category = Guid.NewGuid();

        var d = new Dataset(seller, "  Weather  ", "weather", "Text", "MIT", category, TokenAmount.FromTokens(3), ThreeDays, DatasetAccessTypes.Download, T0);

        d.Status.ShouldBe(DatasetStatus.Draft);
        d.SellerId.ShouldBe(seller);
        d.Title.ShouldBe("Weather");
        d.Slug.ShouldBe("weather");
        d.LicenseSpdxId.ShouldBe("MIT");
        d.CategoryId.ShouldBe(category);
        d.Price.ShouldBe(TokenAmount.FromTokens(3));
        d.ReviewPeriod.ShouldBe(ThreeDays);
        d.AccessTypes.ShouldBe(DatasetAccessTypes.Download);
        d.CreatedAt.ShouldBe(T0);
        d.UpdatedAt.ShouldBe(T0);
        d.Versions.ShouldBeEmpty();
        d.IsPurchasable.ShouldBeFalse();
        d.AverageRating.ShouldBeNull();
        d.PublishedAt.ShouldBeNull();
    }

    [Fact]
    public void New_WithEmptyCategory_HasNoCategory_AndAZeroPriceDraftIsAllowed()
    {
        var d = new Dataset(Guid.NewGuid(), "T", "tt", "D", "MIT", Guid.Empty, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.TrainingOnly, T0);

        d.CategoryId.ShouldBeNull();
        d.Price.IsZero.ShouldBeTrue();
    }

    public static readonly TheoryData<string, Func<Dataset>> InvalidDetails = new()
    {
        { "The seller is required", () => new Dataset(Guid.Empty, "T", "tt", "D", "MIT", null, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.Download, T0) },
        { "Title is required", () => new Dataset(Guid.NewGuid(), " ", "tt", "D", "MIT", null, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.Download, T0) },
        { "Title must be at most 120", () => new Dataset(Guid.NewGuid(), new string('t', 121), "tt", "D", "MIT", null, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.Download, T0) },
        { "Slug 'Bad Slug'", () => new Dataset(Guid.NewGuid(), "T", "Bad Slug", "D", "MIT", null, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.Download, T0) },
        { "Description is required", () => new Dataset(Guid.NewGuid(), "T", "tt", "", "MIT", null, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.Download, T0) },
        { "Description must be at most 20000", () => new Dataset(Guid.NewGuid(), "T", "tt", new string('d', 20_001), "MIT", null, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.Download, T0) },
        { "License is required", () => new Dataset(Guid.NewGuid(), "T", "tt", "D", "", null, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.Download, T0) },
        { "'CC BY 4.0' is not an SPDX", () => new Dataset(Guid.NewGuid(), "T", "tt", "D", "CC BY 4.0", null, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.Download, T0) },
        { "License must be at most 64", () => new Dataset(Guid.NewGuid(), "T", "tt", "D", new string('L', 65), null, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.Download, T0) },
        { "review period must be between 1 hour and 30 days", () => new Dataset(Guid.NewGuid(), "T", "tt", "D", "MIT", null, TokenAmount.Zero, TimeSpan.FromMinutes(59), DatasetAccessTypes.Download, T0) },
        { "review period must be between", () => new Dataset(Guid.NewGuid(), "T", "tt", "D", "MIT", null, TokenAmount.Zero, TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1), DatasetAccessTypes.Download, T0) },
        { "review period must be between", () => new Dataset(Guid.NewGuid(), "T", "tt", "D", "MIT", null, TokenAmount.Zero, TimeSpan.Zero, DatasetAccessTypes.Download, T0) },
        { "Offer download access, training-only access, or both", () => new Dataset(Guid.NewGuid(), "T", "tt", "D", "MIT", null, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.None, T0) },
        { "Offer download access", () => new Dataset(Guid.NewGuid(), "T", "tt", "D", "MIT", null, TokenAmount.Zero, ThreeDays, (DatasetAccessTypes)4, T0) },
    };

    [Theory]
    [MemberData(nameof(InvalidDetails))]
    public void New_WithInvalidDetails_IsRejected(string expected, Func<Dataset> create)
    {
        Should.Throw<DomainException>(create).Message.ShouldContain(expected);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(720.0)]
    public void ReviewPeriod_BoundariesAreInclusive(double hours)
    {
        var d = new Dataset(Guid.NewGuid(), "T", "tt", "D", "LicenseRef-Proprietary", null, TokenAmount.Zero, TimeSpan.FromHours(hours), DatasetAccessTypes.Download, T0);

        d.ReviewPeriod.ShouldBe(TimeSpan.FromHours(hours));
    }

    [Theory]
    [InlineData("CC-BY-4.0")]
    [InlineData("GPL-2.0+")]
    [InlineData("LicenseRef-Proprietary")]
    public void SpdxIdentifiers_AreAccepted(string license)
    {
        new Dataset(Guid.NewGuid(), "T", "tt", "D", license, null, TokenAmount.Zero, ThreeDays, DatasetAccessTypes.Download, T0).LicenseSpdxId.ShouldBe(license);
    }

    // ---------------------------------------------------------------- editing

    [Fact]
    public void UpdateDetails_OnADraft_ReplacesEverything()
    {
        var d = Draft();

        d.UpdateDetails("New", "new-slug", "New text", "MIT", null, TokenAmount.FromTokens(2), TimeSpan.FromHours(2), DatasetAccessTypes.TrainingOnly);

        d.Title.ShouldBe("New");
        d.Slug.ShouldBe("new-slug");
        d.DescriptionMarkdown.ShouldBe("New text");
        d.LicenseSpdxId.ShouldBe("MIT");
        d.Price.ShouldBe(TokenAmount.FromTokens(2));
        d.ReviewPeriod.ShouldBe(TimeSpan.FromHours(2));
        d.AccessTypes.ShouldBe(DatasetAccessTypes.TrainingOnly);
    }

    [Fact]
    public void UpdateDetails_WithOneBadField_ChangesNothing()
    {
        var d = Draft();

        Should.Throw<DomainException>(() =>
            d.UpdateDetails("New title", "new-slug", "New text", "not a license", null, TokenAmount.FromTokens(2), ThreeDays, DatasetAccessTypes.Download));

        d.Title.ShouldBe("Weather in Berlin");
        d.Slug.ShouldBe("weather-in-berlin");
        d.Price.ShouldBe(TokenAmount.FromTokens(10));
        d.AccessTypes.ShouldBe(DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly);
    }

    [Fact]
    public void UpdateDetails_WhilePendingReview_IsRejected()
    {
        var d = PendingReview();

        Should.Throw<DomainException>(() => d.UpdateDetails("X", "xx", "D", "MIT", null, TokenAmount.FromTokens(1), ThreeDays, DatasetAccessTypes.Download))
            .Message.ShouldBe("A dataset cannot be edited while it is waiting for review; only drafts, rejected or delisted datasets can.");
        d.Title.ShouldBe("Weather in Berlin");
    }

    [Fact]
    public void UpdateDetails_WhileLive_IsRejected()
    {
        var d = Live();

        Should.Throw<DomainException>(() => d.UpdateDetails("X", "xx", "D", "MIT", null, TokenAmount.FromTokens(1), ThreeDays, DatasetAccessTypes.Download))
            .Message.ShouldContain("while it is live");
    }

    [Fact]
    public void UpdateDetails_AfterRejectionOrDelisting_IsAllowed()
    {
        var rejected = PendingReview();
        rejected.Reject(Guid.NewGuid(), "Blurry description", T0);
        rejected.UpdateDetails("Fixed", "fixed", "Clear description", "MIT", null, TokenAmount.FromTokens(1), ThreeDays, DatasetAccessTypes.Download);
        rejected.Title.ShouldBe("Fixed");

        var delisted = Live();
        delisted.Delist(delisted.SellerId, "Pausing sales", T0);
        delisted.UpdateDetails("Fixed", "fixed", "Clear description", "MIT", null, TokenAmount.FromTokens(1), ThreeDays, DatasetAccessTypes.Download);
        delisted.Title.ShouldBe("Fixed");
    }

    // ---------------------------------------------------------------- price

    [Fact]
    public void ChangePrice_OnDraftAndLive_IsAllowed()
    {
        var draft = Draft();
        draft.ChangePrice(TokenAmount.ParseTokens("0.5"));
        draft.Price.ShouldBe(TokenAmount.ParseTokens("0.5"));
        draft.ChangePrice(TokenAmount.Zero);
        draft.Price.ShouldBe(TokenAmount.Zero);

        var live = Live();
        live.ChangePrice(TokenAmount.FromTokens(12));
        live.Price.ShouldBe(TokenAmount.FromTokens(12));
        live.Status.ShouldBe(DatasetStatus.Live);
    }

    [Fact]
    public void ChangePrice_WhilePendingReview_IsRejected()
    {
        var d = PendingReview();

        Should.Throw<DomainException>(() => d.ChangePrice(TokenAmount.FromTokens(1))).Message.ShouldContain("waiting for review");
        d.Price.ShouldBe(TokenAmount.FromTokens(10));
    }

    [Fact]
    public void ChangePrice_ToZero_WhileLive_IsRejected()
    {
        // Regression: a live listing could be made free, which the DataMarketplace contract refuses (ZeroPrice).
        var d = Live();

        Should.Throw<DomainException>(() => d.ChangePrice(TokenAmount.Zero)).Message.ShouldBe("A live dataset must keep a price above zero.");
        d.Price.ShouldBe(TokenAmount.FromTokens(10));
        d.IsPurchasable.ShouldBeTrue();
    }

    // ---------------------------------------------------------------- tags

    [Fact]
    public void SetTags_KeepsDistinctTags_AndReplacesTheSet()
    {
        var d = Draft();
        var weather = new Tag("weather");
        var berlin = new Tag("Berlin");
        var hourly = new Tag("hourly");

        d.SetTags([weather, berlin, weather]);
        d.Tags.Select(t => t.TagId).ShouldBe([weather.Id, berlin.Id], ignoreOrder: true);
        d.Tags.ShouldAllBe(t => t.DatasetId == d.Id);

        d.SetTags([berlin, hourly]);
        d.Tags.Select(t => t.TagId).ShouldBe([berlin.Id, hourly.Id], ignoreOrder: true);

        d.SetTags([]);
        d.Tags.ShouldBeEmpty();
    }

    [Fact]
    public void SetTags_AtMostTen_MoreIsRejectedAndNothingChanges()
    {
        var d = Draft();
        var ten = Enumerable.Range(0, Dataset.MaxTags).Select(i => new Tag($"tag{i}")).ToList();
        d.SetTags(ten);
        d.Tags.Count.ShouldBe(10);

        Should.Throw<DomainException>(() => d.SetTags([.. ten.Skip(1), new Tag("x1"), new Tag("x2")])).Message.ShouldBe("A dataset can have at most 10 tags.");
        d.Tags.Select(t => t.TagId).ShouldBe(ten.Select(t => t.Id), ignoreOrder: true);
    }

    // ---------------------------------------------------------------- versions

    [Fact]
    public void AddVersion_NumbersVersionsFromOne_AndStartsThemProcessing()
    {
        var d = Draft();

        var v1 = d.AddVersion(CidA, 10, DatasetFormat.Csv, Sha256.ToUpperInvariant(), [9], T0);
        var v2 = d.AddVersion(CidB, 20, DatasetFormat.Parquet, Sha256, [9], T0);

        v1.VersionNumber.ShouldBe(1);
        v2.VersionNumber.ShouldBe(2);
        v1.Status.ShouldBe(DatasetVersionStatus.Processing);
        v1.DatasetId.ShouldBe(d.Id);
        v1.ContentSha256.ShouldBe(Sha256, "stored lower case");
        d.Versions.Count.ShouldBe(2);
        d.LatestReadyVersion.ShouldBeNull();
    }

    [Fact]
    public void AddVersion_WithTheSameCidAgain_IsRejected()
    {
        var d = Draft();
        d.AddVersion(CidA, 10, DatasetFormat.Csv, Sha256, [9], T0);

        Should.Throw<DomainException>(() => d.AddVersion(CidA, 10, DatasetFormat.Csv, Sha256, [9], T0))
            .Message.ShouldBe($"This exact content ({CidA}) is already version 1 of this dataset.");
        d.Versions.Count.ShouldBe(1);
    }

    [Fact]
    public void AddVersion_WhilePendingReview_IsRejected_ButWhileLiveIsAllowed()
    {
        Should.Throw<DomainException>(() => PendingReview().AddVersion(CidB, 10, DatasetFormat.Csv, Sha256, [9], T0))
            .Message.ShouldContain("waiting for review");

        var live = Live();
        live.AddVersion(CidB, 10, DatasetFormat.Csv, Sha256, [9], T0).VersionNumber.ShouldBe(2);
        live.Status.ShouldBe(DatasetStatus.Live);
    }

    [Fact]
    public void AddVersion_NumbersContinueAfterTheHighest_EvenWhenOneFailed()
    {
        var d = Draft();
        d.AddVersion(CidA, 10, DatasetFormat.Csv, Sha256, [9], T0).MarkFailed("Not UTF-8");

        d.AddVersion(CidB, 10, DatasetFormat.Csv, Sha256, [9], T0).VersionNumber.ShouldBe(2);
    }

    [Fact]
    public void LatestReadyVersion_IsTheHighestReadyOne_WithdrawnAndProcessingIgnored()
    {
        var d = Draft();
        var v1 = d.AddReadyVersion(CidA);
        var v2 = d.AddReadyVersion(CidB);
        d.AddVersion(CidC, 5, DatasetFormat.Csv, Sha256, [1], T0); // v3 still processing

        d.LatestReadyVersion.ShouldBe(v2);
        v2.Withdraw();
        d.LatestReadyVersion.ShouldBe(v1);
        v1.Withdraw();
        d.LatestReadyVersion.ShouldBeNull();
    }

    // ---------------------------------------------------------------- review workflow

    [Fact]
    public void Submit_ADraftWithAReadyVersionAndAPrice_GoesToReview()
    {
        var d = Draft();
        d.AddReadyVersion();

        d.SubmitForReview(T0.AddHours(1));

        d.Status.ShouldBe(DatasetStatus.PendingReview);
        d.SubmittedAt.ShouldBe(T0.AddHours(1));
    }

    [Fact]
    public void Submit_WithoutAReadyVersion_IsRejected()
    {
        var noFile = Draft();
        Should.Throw<DomainException>(() => noFile.SubmitForReview(T0)).Message.ShouldContain("Upload a file");

        var processing = Draft();
        processing.AddVersion(CidA, 10, DatasetFormat.Csv, Sha256, [9], T0);
        Should.Throw<DomainException>(() => processing.SubmitForReview(T0)).Message.ShouldContain("wait until it is processed");

        var failed = Draft();
        failed.AddVersion(CidA, 10, DatasetFormat.Csv, Sha256, [9], T0).MarkFailed("bad");
        Should.Throw<DomainException>(() => failed.SubmitForReview(T0));

        noFile.Status.ShouldBe(DatasetStatus.Draft);
        processing.Status.ShouldBe(DatasetStatus.Draft);
        failed.Status.ShouldBe(DatasetStatus.Draft);
    }

    [Fact]
    public void Submit_WithZeroPrice_IsRejected()
    {
        var d = Draft(price: TokenAmount.Zero);
        d.AddReadyVersion();

        Should.Throw<DomainException>(() => d.SubmitForReview(T0)).Message.ShouldBe("Set a price above zero before submitting the dataset for review.");
        d.Status.ShouldBe(DatasetStatus.Draft);
        d.SubmittedAt.ShouldBeNull();
    }

    [Fact]
    public void Submit_WhenPendingOrLive_IsRejected()
    {
        Should.Throw<DomainException>(() => PendingReview().SubmitForReview(T0))
            .Message.ShouldBe("Only a draft, rejected or delisted dataset can be submitted for review; this one is waiting for review.");
        Should.Throw<DomainException>(() => Live().SubmitForReview(T0)).Message.ShouldContain("this one is live");
    }

    [Fact]
    public void Approve_MakesItLive_AndPurchasable()
    {
        var d = PendingReview();
        var moderator = Guid.NewGuid();

        d.Approve(moderator, T0.AddHours(2));

        d.Status.ShouldBe(DatasetStatus.Live);
        d.ModeratorId.ShouldBe(moderator);
        d.ModeratedAt.ShouldBe(T0.AddHours(2));
        d.PublishedAt.ShouldBe(T0.AddHours(2));
        d.ModerationReason.ShouldBeNull();
        d.IsPurchasable.ShouldBeTrue();
    }

    [Fact]
    public void Approve_ByTheSeller_IsRejected()
    {
        var seller = Guid.NewGuid();
        var d = PendingReview(seller);

        Should.Throw<DomainException>(() => d.Approve(seller, T0)).Message.ShouldBe("A moderator cannot review their own dataset.");
        Should.Throw<DomainException>(() => d.Reject(seller, "no", T0)).Message.ShouldBe("A moderator cannot review their own dataset.");
        d.Status.ShouldBe(DatasetStatus.PendingReview);
    }

    [Fact]
    public void Approve_WithoutAModerator_IsRejected()
    {
        Should.Throw<DomainException>(() => PendingReview().Approve(Guid.Empty, T0)).Message.ShouldBe("The moderator is required.");
    }

    public static readonly TheoryData<string, Func<Dataset>> NotPending = new()
    {
        { "a draft", () => Draft() },
        { "live", () => Live() },
        { "rejected", () => { var d = PendingReview(); d.Reject(Guid.NewGuid(), "why", T0); return d; } },
        { "delisted", () => { var d = Live(); d.Delist(Guid.NewGuid(), "why", T0); return d; } },
    };

    [Theory]
    [MemberData(nameof(NotPending))]
    public void ApproveOrReject_WhenNotPendingReview_IsRejected(string state, Func<Dataset> make)
    {
        var d = make();
        var before = d.Status;

        Should.Throw<DomainException>(() => d.Approve(Guid.NewGuid(), T0)).Message.ShouldBe($"Only a dataset waiting for review can be approved; this one is {state}.");
        Should.Throw<DomainException>(() => d.Reject(Guid.NewGuid(), "reason", T0)).Message.ShouldBe($"Only a dataset waiting for review can be rejected; this one is {state}.");
        d.Status.ShouldBe(before);
    }

    [Fact]
    public void Reject_RecordsTheReason_AndResubmissionClearsIt()
    {
        var d = PendingReview();
        var moderator = Guid.NewGuid();

        d.Reject(moderator, "  Description is empty  ", T0.AddHours(1));

        d.Status.ShouldBe(DatasetStatus.Rejected);
        d.ModerationReason.ShouldBe("Description is empty");
        d.ModeratorId.ShouldBe(moderator);
        d.IsPurchasable.ShouldBeFalse();

        d.SubmitForReview(T0.AddHours(2));
        d.Status.ShouldBe(DatasetStatus.PendingReview);
        d.ModerationReason.ShouldBeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Reject_WithoutAReason_IsRejected(string? reason)
    {
        var d = PendingReview();

        Should.Throw<DomainException>(() => d.Reject(Guid.NewGuid(), reason!, T0)).Message.ShouldBe("A rejection reason is required.");
        d.Status.ShouldBe(DatasetStatus.PendingReview);
    }

    [Fact]
    public void Delist_ByAModerator_RecordsThem()
    {
        var d = Live();
        var moderator = Guid.NewGuid();

        d.Delist(moderator, "Copyright complaint", T0.AddDays(1));

        d.Status.ShouldBe(DatasetStatus.Delisted);
        d.ModeratorId.ShouldBe(moderator);
        d.ModerationReason.ShouldBe("Copyright complaint");
        d.IsPurchasable.ShouldBeFalse();
    }

    [Fact]
    public void Delist_ByTheSeller_KeepsTheApprovingModerator()
    {
        var d = Live();
        var approver = d.ModeratorId;

        d.Delist(d.SellerId, "No longer maintained", T0.AddDays(1));

        d.Status.ShouldBe(DatasetStatus.Delisted);
        d.ModeratorId.ShouldBe(approver);
    }

    [Fact]
    public void Delist_WhenNotLive_OrWithoutReason_IsRejected()
    {
        Should.Throw<DomainException>(() => Draft().Delist(Guid.NewGuid(), "why", T0)).Message.ShouldBe("Only a live dataset can be delisted; this one is a draft.");
        Should.Throw<DomainException>(() => PendingReview().Delist(Guid.NewGuid(), "why", T0)).Message.ShouldContain("waiting for review");
        var live = Live();
        Should.Throw<DomainException>(() => live.Delist(Guid.NewGuid(), " ", T0)).Message.ShouldBe("A delisting reason is required.");
        Should.Throw<DomainException>(() => live.Delist(Guid.Empty, "why", T0)).Message.ShouldBe("Who delists is required.");
        live.Status.ShouldBe(DatasetStatus.Live);
    }

    [Fact]
    public void FullLifecycle_KeepsTheFirstPublicationDate()
    {
        var d = Draft();
        d.AddReadyVersion();
        d.SubmitForReview(T0.AddHours(1));
        d.Reject(Guid.NewGuid(), "Add a schema", T0.AddHours(2));
        d.UpdateDetails("Weather v2", "weather-v2", "With schema", "CC-BY-4.0", null, TokenAmount.FromTokens(11), ThreeDays, DatasetAccessTypes.Download);
        d.SubmitForReview(T0.AddHours(3));
        d.Approve(Guid.NewGuid(), T0.AddHours(4));
        d.Delist(d.SellerId, "Updating", T0.AddHours(5));
        d.AddReadyVersion(CidB);
        d.SubmitForReview(T0.AddHours(6));
        d.Approve(Guid.NewGuid(), T0.AddHours(7));

        d.Status.ShouldBe(DatasetStatus.Live);
        d.PublishedAt.ShouldBe(T0.AddHours(4));
        d.ModeratedAt.ShouldBe(T0.AddHours(7));
        d.LatestReadyVersion!.VersionNumber.ShouldBe(2);
    }

    // ---------------------------------------------------------------- chain and counters

    [Fact]
    public void AttachOnChainListing_IsIdempotent_AndRefusesASecondId()
    {
        var d = Live();

        d.AttachOnChainListing(0);
        d.AttachOnChainListing(0);
        d.OnChainListingId.ShouldBe(0);

        Should.Throw<DomainException>(() => d.AttachOnChainListing(1)).Message.ShouldBe("This dataset is already on chain as listing 0.");
        Should.Throw<DomainException>(() => Draft().AttachOnChainListing(-1)).Message.ShouldContain("negative");
        d.OnChainListingId.ShouldBe(0);
    }

    [Fact]
    public void Counters_CountUp_AndFavoritesNeverGoBelowZero()
    {
        var d = Live();

        d.RecordView();
        d.RecordView();
        d.RecordPurchase();
        d.RecordDownload();
        d.RecordFavoriteRemoved();
        d.FavoriteCount.ShouldBe(0);
        d.RecordFavoriteAdded();
        d.RecordFavoriteAdded();
        d.RecordFavoriteRemoved();

        d.ViewCount.ShouldBe(2);
        d.PurchaseCount.ShouldBe(1);
        d.DownloadCount.ShouldBe(1);
        d.FavoriteCount.ShouldBe(1);
    }

    [Fact]
    public void RecordReview_KeepsTheAverage_AndAnEditReplacesTheOldRating()
    {
        var d = Live();

        d.RecordReview(5);
        d.RecordReview(2);
        d.AverageRating.ShouldBe(3.5);

        d.RecordReview(4, previousRating: 2);
        d.ReviewCount.ShouldBe(2);
        d.RatingSum.ShouldBe(9);
        d.AverageRating.ShouldBe(4.5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void RecordReview_OutOfRange_IsRejected_AndChangesNothing(int rating)
    {
        var d = Live();
        d.RecordReview(3);

        Should.Throw<DomainException>(() => d.RecordReview(rating)).Message.ShouldBe($"A rating is 1 to 5 stars (got {rating}).");
        d.ReviewCount.ShouldBe(1);
        d.RatingSum.ShouldBe(3);
    }
}
