using Bunit;
using MudBlazor.Services;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Datasets.Publishing;
using NeuroData.Web.Components.Pages.Datasets.Wizard;

namespace NeuroData.Tests.Components.Publish;

/// <summary>The publish wizard's form steps: what they bind, and the reasons they give before the seller may go on.</summary>
public sealed class WizardStepTests : BunitContext
{
    private static readonly CategoryOption Weather = new(Guid.CreateVersion7(), "Weather");
    private static readonly CategoryOption Finance = new(Guid.CreateVersion7(), "Finance");

    public WizardStepTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose; // MudBlazor inputs call no JS that matters here
    }

    [Fact]
    public void Details_WithNothingFilledIn_ShowsEachReason_OnlyAfterATriedNext()
    {
        var form = new PublishForm();

        var quiet = Render<DetailsStep>(p => p.Add(s => s.Form, form).Add(s => s.ShowErrors, false));
        quiet.Markup.ShouldNotContain("Enter a title.");
        quiet.FindAll("#publish-license-error").ShouldBeEmpty();

        var tried = Render<DetailsStep>(p => p.Add(s => s.Form, form).Add(s => s.ShowErrors, true));
        tried.Markup.ShouldContain("Enter a title.");
        tried.Markup.ShouldContain("Describe the dataset");
        tried.Find("#publish-license-error").TextContent.ShouldBe("Choose a license.");
        form.DetailsValid.ShouldBeFalse();
    }

    [Fact]
    public void Details_BindTitleDescriptionLicenseCategoryAndTags_ThenTheStepIsValid()
    {
        var form = new PublishForm();
        var cut = Render<DetailsStep>(p => p.Add(s => s.Form, form).Add(s => s.Categories, [Weather, Finance]).Add(s => s.ShowErrors, true));

        cut.Find("#publish-title").Input("Berlin weather 2025");
        cut.Find("#publish-description").Input("Hourly readings from **12** stations.");
        cut.Find("#publish-license").Change("CC-BY-4.0");
        cut.Find("#publish-category").Change(Finance.Id.ToString());
        cut.Find("#publish-tags").Input("weather, Berlin, weather ,hourly");

        form.Title.ShouldBe("Berlin weather 2025");
        form.Description.ShouldBe("Hourly readings from **12** stations.");
        form.License.ShouldBe("CC-BY-4.0");
        form.CategoryId.ShouldBe(Finance.Id);
        form.Tags.ShouldBe(["weather", "Berlin", "hourly"]);
        form.DetailsValid.ShouldBeTrue();
        cut.FindAll("#publish-license-error").ShouldBeEmpty();
    }

    [Fact]
    public void Details_OffersEveryCuratedLicenseAndTheCategories()
    {
        var cut = Render<DetailsStep>(p => p.Add(s => s.Form, new PublishForm()).Add(s => s.Categories, [Weather, Finance]));

        var licenses = cut.FindAll("#publish-license option").Select(o => o.GetAttribute("value")).Where(v => !string.IsNullOrEmpty(v)).ToList();
        licenses.ShouldBe(SpdxLicenses.All.Select(l => l.Id));
        licenses.ShouldContain(SpdxLicenses.Proprietary);
        licenses.Count.ShouldBeGreaterThanOrEqualTo(40);
        cut.FindAll("#publish-category option").Select(o => o.TextContent).ShouldBe(["No category", "Weather", "Finance"]);
    }

    [Fact]
    public void Details_TooManyTags_IsRefusedWithTheLimit()
    {
        var form = new PublishForm { TagsText = string.Join(',', Enumerable.Range(1, Dataset.MaxTags + 1).Select(i => $"tag{i}")) };

        var cut = Render<DetailsStep>(p => p.Add(s => s.Form, form).Add(s => s.ShowErrors, true));

        cut.Markup.ShouldContain($"At most {Dataset.MaxTags} tags.");
    }

    [Fact]
    public void Pricing_AReviewPeriodOutOfRange_IsExplained()
    {
        var form = new PublishForm { ReviewDays = 0 };

        var cut = Render<PricingStep>(p => p.Add(s => s.Form, form).Add(s => s.ShowErrors, true));

        cut.Markup.ShouldContain("The review period is 1 to 30 days.");
        form.PricingValid.ShouldBeFalse();
    }

    [Theory]
    [InlineData("", "Enter a price in NCR")]
    [InlineData("12,5", "is not a price in NCR")]
    [InlineData("1.0000000000000000001", "at most 18 decimal places")]
    [InlineData("0", "The price must be above zero.")]
    [InlineData("-3", "is not a price in NCR")]
    public void Pricing_RefusesPricesThatAreNotExactPositiveNcr(string price, string reason)
    {
        var form = new PublishForm { PriceText = price };

        var cut = Render<PricingStep>(p => p.Add(s => s.Form, form).Add(s => s.ShowErrors, true));

        cut.Markup.ShouldContain(reason);
        form.PricingValid.ShouldBeFalse();
    }

    [Fact]
    public void Pricing_BindsPriceReviewDaysAndAccess_AndExplainsMissingAccessAndBadDays()
    {
        var form = new PublishForm();
        var cut = Render<PricingStep>(p => p.Add(s => s.Form, form).Add(s => s.ShowErrors, true));

        cut.Find("#publish-price").Input("12.5");
        cut.Find("#publish-review-days").Input("31");
        cut.Find("#publish-access-download").Change(false);
        cut.Render();

        form.PriceText.ShouldBe("12.5");
        DatasetPublishingService.ParsePrice(form.PriceText).ToUnitsString().ShouldBe("12500000000000000000");
        form.ReviewDays.ShouldBe(DatasetPublishingService.MaxReviewDays, "the field clamps to the allowed range");
        form.AccessDownload.ShouldBeFalse();
        cut.Find("#publish-access-error").TextContent.ShouldContain("Offer download access, training-only access, or both.");

        cut.Find("#publish-access-training").Change(true);
        cut.Find("#publish-review-days").Input("14");
        cut.Render();

        form.AccessTypes.ShouldBe(DatasetAccessTypes.TrainingOnly);
        form.PricingValid.ShouldBeTrue();
        cut.FindAll("#publish-access-error").ShouldBeEmpty();
    }
}
