using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Datasets.Publishing;

namespace NeuroData.Web.Components.Pages.Datasets.Wizard;

/// <summary>What the wizard edits, with the checks each step makes before it lets the seller go on.</summary>
public sealed class PublishForm
{
    public string Title { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public string License { get; set; } = string.Empty;

    public Guid? CategoryId { get; set; }

    /// <summary>Comma-separated tags as typed.</summary>
    public string TagsText { get; set; } = string.Empty;

    public string PriceText { get; set; } = "10";

    public int ReviewDays { get; set; } = 7;

    public bool AccessDownload { get; set; } = true;

    public bool AccessTraining { get; set; }

    /// <summary>Listing term: training-only buyers may download the models they train (off by default).</summary>
    public bool ModelDownloadAllowed { get; set; }

    public IReadOnlyList<string> Tags => [.. TagsText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase)];

    public DatasetAccessTypes AccessTypes =>
        (AccessDownload ? DatasetAccessTypes.Download : DatasetAccessTypes.None) | (AccessTraining ? DatasetAccessTypes.TrainingOnly : DatasetAccessTypes.None);

    public string? TitleError => string.IsNullOrWhiteSpace(Title)
        ? "Enter a title."
        : Title.Trim().Length > Dataset.TitleMaxLength ? $"The title has at most {Dataset.TitleMaxLength} characters." : null;

    public string? DescriptionError => string.IsNullOrWhiteSpace(Description)
        ? "Describe the dataset: what it contains, where it comes from, how it was collected."
        : Description.Length > Dataset.DescriptionMaxLength ? $"The description has at most {Dataset.DescriptionMaxLength} characters." : null;

    public string? LicenseError => SpdxLicenses.IsKnown(License) ? null : "Choose a license.";

    public string? TagsError => Tags.Count > Dataset.MaxTags
        ? $"At most {Dataset.MaxTags} tags."
        : Tags.FirstOrDefault(t => t.Length > Tag.NameMaxLength) is { } longTag ? $"The tag '{longTag}' is longer than {Tag.NameMaxLength} characters." : null;

    public string? PriceError
    {
        get
        {
            try
            {
                return DatasetPublishingService.ParsePrice(PriceText).IsZero ? "The price must be above zero." : null;
            }
            catch (Domain.Common.DomainException ex)
            {
                return ex.Message;
            }
        }
    }

    public string? ReviewDaysError => ReviewDays is < DatasetPublishingService.MinReviewDays or > DatasetPublishingService.MaxReviewDays
        ? $"The review period is {DatasetPublishingService.MinReviewDays} to {DatasetPublishingService.MaxReviewDays} days."
        : null;

    public string? AccessError => AccessTypes == DatasetAccessTypes.None ? "Offer download access, training-only access, or both." : null;

    public bool DetailsValid => TitleError is null && DescriptionError is null && LicenseError is null && TagsError is null;

    public bool PricingValid => PriceError is null && ReviewDaysError is null && AccessError is null;

    /// <summary>The input of the publishing service. The draft keeps a placeholder price until step 4 is done.</summary>
    public DatasetDetailsInput ToInput(bool pricingChecked) =>
        new(
            Title.Trim(),
            Description,
            License,
            CategoryId,
            Tags,
            pricingChecked || PriceError is null ? PriceText : "0",
            ReviewDaysError is null ? ReviewDays : 7,
            AccessTypes == DatasetAccessTypes.None && !pricingChecked ? DatasetAccessTypes.Download : AccessTypes,
            AccessTraining && ModelDownloadAllowed);

    public static PublishForm From(DatasetDetailsInput d) => new()
    {
        Title = d.Title,
        Description = d.DescriptionMarkdown,
        License = d.LicenseSpdxId,
        CategoryId = d.CategoryId,
        TagsText = string.Join(", ", d.Tags),
        PriceText = d.PriceText,
        ReviewDays = d.ReviewPeriodDays,
        AccessDownload = d.AccessTypes.HasFlag(DatasetAccessTypes.Download),
        AccessTraining = d.AccessTypes.HasFlag(DatasetAccessTypes.TrainingOnly),
        ModelDownloadAllowed = d.ModelDownloadAllowed,
    };
}
