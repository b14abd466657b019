using NeuroData.Domain.Common;

namespace NeuroData.Domain.Datasets;

/// <summary>
/// A dataset listing: what a seller offers, its versions (each an IPFS CID) and its moderation state.
/// Draft -> PendingReview -> Live | Rejected; Rejected or Delisted -> PendingReview again after edits; Live -> Delisted.
/// </summary>
public sealed class Dataset : Entity, IAuditable
{
    public const int TitleMaxLength = 120;
    public const int DescriptionMaxLength = 20_000;
    public const int LicenseMaxLength = 64;
    public const int ReasonMaxLength = 1000;
    public const int MaxTags = 10;
    public static readonly TimeSpan MinReviewPeriod = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxReviewPeriod = TimeSpan.FromDays(30);

    private readonly List<DatasetVersion> _versions = [];
    private readonly List<DatasetTag> _tags = [];

    private Dataset()
    {
        Title = null!;
        Slug = null!;
        DescriptionMarkdown = null!;
        LicenseSpdxId = null!;
    }

    public Dataset(
        Guid sellerId,
        string title,
        string slug,
        string descriptionMarkdown,
        string licenseSpdxId,
        Guid? categoryId,
        TokenAmount price,
        TimeSpan reviewPeriod,
        DatasetAccessTypes accessTypes,
        DateTimeOffset now)
    {
        SellerId = Guard.Id(sellerId, "The seller");
        Title = null!;
        Slug = null!;
        DescriptionMarkdown = null!;
        LicenseSpdxId = null!;
        ApplyDetails(title, slug, descriptionMarkdown, licenseSpdxId, categoryId, price, reviewPeriod, accessTypes);
        Status = DatasetStatus.Draft;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid SellerId { get; private set; }

    public string Title { get; private set; }

    public string Slug { get; private set; }

    /// <summary>Markdown as the seller wrote it; sanitise when rendering.</summary>
    public string DescriptionMarkdown { get; private set; }

    /// <summary>SPDX license identifier, e.g. CC-BY-4.0, MIT, or LicenseRef-Proprietary.</summary>
    public string LicenseSpdxId { get; private set; }

    public Guid? CategoryId { get; private set; }

    public TokenAmount Price { get; private set; }

    /// <summary>How long the buyer has to confirm or dispute before the escrow releases itself.</summary>
    public TimeSpan ReviewPeriod { get; private set; }

    public DatasetAccessTypes AccessTypes { get; private set; }

    public DatasetStatus Status { get; private set; }

    /// <summary>Why a moderator rejected or delisted the dataset (shown to the seller).</summary>
    public string? ModerationReason { get; private set; }

    public Guid? ModeratorId { get; private set; }

    public DateTimeOffset? SubmittedAt { get; private set; }

    public DateTimeOffset? ModeratedAt { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>The DataMarketplace listing id once the seller has listed it on chain.</summary>
    public long? OnChainListingId { get; private set; }

    /// <summary>A moderator's flag: the dataset stays in its state but is marked for a closer look.</summary>
    public string? FlagReason { get; private set; }

    public DateTimeOffset? FlaggedAt { get; private set; }

    public bool IsFlagged => FlagReason is not null;

    /// <summary>Featured by a moderator on the marketplace's front page.</summary>
    public bool IsFeatured { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public int ViewCount { get; private set; }

    public int PurchaseCount { get; private set; }

    public int DownloadCount { get; private set; }

    public int FavoriteCount { get; private set; }

    public int ReviewCount { get; private set; }

    public int RatingSum { get; private set; }

    public double? AverageRating => ReviewCount == 0 ? null : (double)RatingSum / ReviewCount;

    /// <summary>
    /// <see cref="AverageRating"/> as a stored column for sorting and filtering (0 without reviews), kept by
    /// <see cref="RecordReview"/>. Comparing it with a whole number of stars is exact: the division is rounded
    /// monotonically and whole numbers are exact doubles.
    /// </summary>
    public double RatingAverage { get; private set; }

    /// <summary>Format of <see cref="LatestReadyVersion"/>, stored for search filters (null while no version is ready).</summary>
    public DatasetFormat? LatestFormat { get; private set; }

    /// <summary>Size in bytes of <see cref="LatestReadyVersion"/>, stored for search filters (null while no version is ready).</summary>
    public long? LatestSizeBytes { get; private set; }

    public IReadOnlyCollection<DatasetVersion> Versions => _versions.AsReadOnly();

    public IReadOnlyCollection<DatasetTag> Tags => _tags.AsReadOnly();

    public DatasetVersion? LatestReadyVersion =>
        _versions.Where(v => v.Status == DatasetVersionStatus.Ready).MaxBy(v => v.VersionNumber);

    public bool IsPurchasable => Status == DatasetStatus.Live && LatestReadyVersion is not null;

    /// <summary>Edits the listing. Allowed while Draft, Rejected or Delisted; a live listing goes back through review to change.</summary>
    public void UpdateDetails(
        string title,
        string slug,
        string descriptionMarkdown,
        string licenseSpdxId,
        Guid? categoryId,
        TokenAmount price,
        TimeSpan reviewPeriod,
        DatasetAccessTypes accessTypes)
    {
        if (Status is DatasetStatus.PendingReview or DatasetStatus.Live)
        {
            throw new DomainException($"A dataset cannot be edited while it is {Describe(Status)}; only drafts, rejected or delisted datasets can.");
        }

        ApplyDetails(title, slug, descriptionMarkdown, licenseSpdxId, categoryId, price, reviewPeriod, accessTypes);
    }

    /// <summary>
    /// Listing term for training-only buyers: may they download the models they train on this data (the .zip file)?
    /// Off by default: the model then stays on the platform (predictions only). Owners and download buyers always may.
    /// </summary>
    public bool ModelDownloadAllowed { get; private set; }

    /// <summary>Sets the model-download term. Like the details, it changes only while the dataset is not under review or live.</summary>
    public void SetModelTerms(bool modelDownloadAllowed)
    {
        if (Status is DatasetStatus.PendingReview or DatasetStatus.Live && modelDownloadAllowed != ModelDownloadAllowed)
        {
            throw new DomainException($"The model terms cannot change while the dataset is {Describe(Status)}; only drafts, rejected or delisted datasets can be edited.");
        }

        ModelDownloadAllowed = modelDownloadAllowed;
    }

    /// <summary>Changes the price (also while live: the contract lets a seller update the listing price).</summary>
    public void ChangePrice(TokenAmount price)
    {
        if (Status == DatasetStatus.PendingReview)
        {
            throw new DomainException("The price cannot change while the dataset is waiting for review.");
        }

        if (Status == DatasetStatus.Live && price.IsZero)
        {
            // The DataMarketplace contract rejects a zero price (ZeroPrice), and a live listing must stay purchasable.
            throw new DomainException("A live dataset must keep a price above zero.");
        }

        Price = price;
    }

    public void SetTags(IEnumerable<Tag> tags)
    {
        var distinct = tags.DistinctBy(t => t.Id).ToList();
        if (distinct.Count > MaxTags)
        {
            throw new DomainException($"A dataset can have at most {MaxTags} tags.");
        }

        _tags.RemoveAll(dt => distinct.All(t => t.Id != dt.TagId));
        foreach (var tag in distinct.Where(t => _tags.All(dt => dt.TagId != t.Id)))
        {
            _tags.Add(new DatasetTag(Id, tag.Id));
        }
    }

    /// <summary>Adds an uploaded version; it starts in Processing. The CID must be new for this dataset.</summary>
    public DatasetVersion AddVersion(Cid cid, long sizeBytes, DatasetFormat format, string contentSha256Hex, byte[] wrappedKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cid);
        if (Status == DatasetStatus.PendingReview)
        {
            throw new DomainException("A version cannot be added while the dataset is waiting for review.");
        }

        if (_versions.Any(v => v.Cid == cid))
        {
            throw new DomainException($"This exact content ({cid}) is already version {_versions.First(v => v.Cid == cid).VersionNumber} of this dataset.");
        }

        var number = _versions.Count == 0 ? 1 : _versions.Max(v => v.VersionNumber) + 1;
        var version = new DatasetVersion(this, number, cid, sizeBytes, format, contentSha256Hex, wrappedKey, now);
        _versions.Add(version);
        return version;
    }

    public void SubmitForReview(DateTimeOffset now)
    {
        if (Status is not (DatasetStatus.Draft or DatasetStatus.Rejected or DatasetStatus.Delisted))
        {
            throw new DomainException($"Only a draft, rejected or delisted dataset can be submitted for review; this one is {Describe(Status)}.");
        }

        if (LatestReadyVersion is null)
        {
            throw new DomainException("Upload a file and wait until it is processed before submitting the dataset for review.");
        }

        if (Price.IsZero)
        {
            throw new DomainException("Set a price above zero before submitting the dataset for review.");
        }

        Status = DatasetStatus.PendingReview;
        SubmittedAt = now;
        ModerationReason = null;
    }

    public void Approve(Guid moderatorId, DateTimeOffset now)
    {
        Guard.Id(moderatorId, "The moderator");
        RequirePendingReview("approved");
        RequireNotSeller(moderatorId);
        Status = DatasetStatus.Live;
        ModeratorId = moderatorId;
        ModeratedAt = now;
        PublishedAt ??= now;
        ModerationReason = null;
    }

    public void Reject(Guid moderatorId, string reason, DateTimeOffset now)
    {
        Guard.Id(moderatorId, "The moderator");
        var why = Guard.Text(reason, "A rejection reason", ReasonMaxLength);
        RequirePendingReview("rejected");
        RequireNotSeller(moderatorId);
        Status = DatasetStatus.Rejected;
        ModeratorId = moderatorId;
        ModeratedAt = now;
        ModerationReason = why;
    }

    /// <summary>Takes a live dataset off the marketplace (by a moderator, or by the seller with their own id).</summary>
    public void Delist(Guid byUserId, string reason, DateTimeOffset now)
    {
        Guard.Id(byUserId, "Who delists");
        var why = Guard.Text(reason, "A delisting reason", ReasonMaxLength);
        if (Status != DatasetStatus.Live)
        {
            throw new DomainException($"Only a live dataset can be delisted; this one is {Describe(Status)}.");
        }

        Status = DatasetStatus.Delisted;
        IsFeatured = false;
        ModeratorId = byUserId == SellerId ? ModeratorId : byUserId;
        ModeratedAt = now;
        ModerationReason = why;
    }

    /// <summary>Records the on-chain listing id (from the indexed ListingCreated event). Idempotent for the same id.</summary>
    public void AttachOnChainListing(long listingId)
    {
        if (listingId < 0)
        {
            throw new DomainException("An on-chain listing id cannot be negative.");
        }

        if (OnChainListingId is { } existing && existing != listingId)
        {
            throw new DomainException($"This dataset is already on chain as listing {existing}.");
        }

        OnChainListingId = listingId;
    }

    public void Flag(Guid moderatorId, string reason, DateTimeOffset now)
    {
        Guard.Id(moderatorId, "The moderator");
        RequireNotSeller(moderatorId);
        FlagReason = Guard.Text(reason, "A flag reason", ReasonMaxLength);
        FlaggedAt = now;
    }

    public void ClearFlag()
    {
        FlagReason = null;
        FlaggedAt = null;
    }

    public void SetFeatured(bool featured)
    {
        if (featured && Status != DatasetStatus.Live)
        {
            throw new DomainException($"Only a live dataset can be featured; this one is {Describe(Status)}.");
        }

        IsFeatured = featured;
    }

    public void RecordView() => ViewCount++;

    public void RecordPurchase() => PurchaseCount++;

    public void RecordDownload() => DownloadCount++;

    public void RecordFavoriteAdded() => FavoriteCount++;

    public void RecordFavoriteRemoved() => FavoriteCount = Math.Max(0, FavoriteCount - 1);

    public void RecordReview(int rating, int? previousRating = null)
    {
        DatasetReview.ValidateRating(rating);
        if (previousRating is { } old)
        {
            RatingSum += rating - old;
        }
        else
        {
            RatingSum += rating;
            ReviewCount++;
        }

        RatingAverage = ReviewCount == 0 ? 0 : (double)RatingSum / ReviewCount;
    }

    /// <summary>Copies the latest ready version's format and size onto the dataset (called when a version's state changes).</summary>
    internal void RefreshLatestVersion()
    {
        var latest = LatestReadyVersion;
        LatestFormat = latest?.Format;
        LatestSizeBytes = latest?.SizeBytes;
    }

    private void ApplyDetails(
        string title,
        string slug,
        string descriptionMarkdown,
        string licenseSpdxId,
        Guid? categoryId,
        TokenAmount price,
        TimeSpan reviewPeriod,
        DatasetAccessTypes accessTypes)
    {
        var newTitle = Guard.Text(title, "Title", TitleMaxLength);
        var newSlug = Common.Slug.Validate(slug);
        var description = Guard.Text(descriptionMarkdown, "Description", DescriptionMaxLength);
        var license = Guard.Text(licenseSpdxId, "License", LicenseMaxLength);
        if (!license.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '+'))
        {
            throw new DomainException($"'{license}' is not an SPDX license identifier (e.g. CC-BY-4.0, MIT, LicenseRef-Proprietary).");
        }

        if (reviewPeriod < MinReviewPeriod || reviewPeriod > MaxReviewPeriod)
        {
            throw new DomainException($"The review period must be between {MinReviewPeriod.TotalHours:0} hour and {MaxReviewPeriod.TotalDays:0} days.");
        }

        if (accessTypes == DatasetAccessTypes.None || (accessTypes & ~(DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly)) != 0)
        {
            throw new DomainException("Offer download access, training-only access, or both.");
        }

        if (categoryId == Guid.Empty)
        {
            categoryId = null;
        }

        Title = newTitle;
        Slug = newSlug;
        DescriptionMarkdown = description;
        LicenseSpdxId = license;
        CategoryId = categoryId;
        Price = price;
        ReviewPeriod = reviewPeriod;
        AccessTypes = accessTypes;
    }

    private void RequirePendingReview(string verb)
    {
        if (Status != DatasetStatus.PendingReview)
        {
            throw new DomainException($"Only a dataset waiting for review can be {verb}; this one is {Describe(Status)}.");
        }
    }

    private void RequireNotSeller(Guid moderatorId)
    {
        if (moderatorId == SellerId)
        {
            throw new DomainException("A moderator cannot review their own dataset.");
        }
    }

    internal static string Describe(DatasetStatus status) => status switch
    {
        DatasetStatus.Draft => "a draft",
        DatasetStatus.PendingReview => "waiting for review",
        DatasetStatus.Live => "live",
        DatasetStatus.Rejected => "rejected",
        DatasetStatus.Delisted => "delisted",
        _ => status.ToString(),
    };
}

/// <summary>Join between a dataset and a tag.</summary>
public sealed class DatasetTag
{
    private DatasetTag()
    {
    }

    internal DatasetTag(Guid datasetId, Guid tagId)
    {
        DatasetId = datasetId;
        TagId = tagId;
    }

    public Guid DatasetId { get; private set; }

    public Guid TagId { get; private set; }
}
