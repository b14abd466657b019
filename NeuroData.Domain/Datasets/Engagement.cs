using NeuroData.Domain.Common;

namespace NeuroData.Domain.Datasets;

/// <summary>A buyer's rating (1–5) and text about a dataset they bought. One per buyer per dataset.</summary>
public sealed class DatasetReview : Entity
{
    public const int TextMaxLength = 4000;

    private DatasetReview()
    {
    }

    public DatasetReview(Guid datasetId, Guid buyerId, int rating, string? text, DateTimeOffset now)
    {
        DatasetId = Guard.Id(datasetId, "The dataset");
        BuyerId = Guard.Id(buyerId, "The buyer");
        Rating = ValidateRating(rating);
        Text = Guard.OptionalText(text, "Review text", TextMaxLength);
        CreatedAt = now;
    }

    public Guid DatasetId { get; private set; }

    public Guid BuyerId { get; private set; }

    public int Rating { get; private set; }

    public string? Text { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? EditedAt { get; private set; }

    public void Edit(int rating, string? text, DateTimeOffset now)
    {
        var newRating = ValidateRating(rating);
        var newText = Guard.OptionalText(text, "Review text", TextMaxLength);
        Rating = newRating;
        Text = newText;
        EditedAt = now;
    }

    public static int ValidateRating(int rating) =>
        rating is >= 1 and <= 5 ? rating : throw new DomainException($"A rating is 1 to 5 stars (got {rating}).");
}

/// <summary>Access log: who previewed, downloaded or trained on which dataset version, when and from where.</summary>
public sealed class DatasetAccess : Entity
{
    private DatasetAccess()
    {
    }

    public DatasetAccess(Guid userId, Guid datasetId, Guid? versionId, DatasetAccessKind kind, DateTimeOffset at, string? ipAddress)
    {
        UserId = Guard.Id(userId, "The user");
        DatasetId = Guard.Id(datasetId, "The dataset");
        VersionId = versionId == Guid.Empty ? null : versionId;
        Kind = kind;
        At = at;
        IpAddress = string.IsNullOrWhiteSpace(ipAddress) ? null : ipAddress.Length <= 45 ? ipAddress : ipAddress[..45];
    }

    public Guid UserId { get; private set; }

    public Guid DatasetId { get; private set; }

    public Guid? VersionId { get; private set; }

    public DatasetAccessKind Kind { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string? IpAddress { get; private set; }
}

/// <summary>A user's bookmark of a dataset. Unique per user and dataset.</summary>
public sealed class Favorite : Entity
{
    private Favorite()
    {
    }

    public Favorite(Guid userId, Guid datasetId, DateTimeOffset now)
    {
        UserId = Guard.Id(userId, "The user");
        DatasetId = Guard.Id(datasetId, "The dataset");
        CreatedAt = now;
    }

    public Guid UserId { get; private set; }

    public Guid DatasetId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}
