using NeuroData.Domain.Common;

namespace NeuroData.Tests.Unit.Domain.Common;

public sealed class SlugTests
{
    [Theory]
    [InlineData("Weather data: Berlin 2024!", "weather-data-berlin-2024")]
    [InlineData("  Leading and trailing  ", "leading-and-trailing")]
    [InlineData("many   spaces --- and -- hyphens", "many-spaces-and-hyphens")]
    [InlineData("Café Crème Brûlée", "cafe-creme-brulee")] // precomposed accents lose their marks
    [InlineData("Cafe\u0301", "cafe")] // decomposed (combining acute) too
    [InlineData("Zoë's Ångström Ñandú", "zoe-s-angstrom-nandu")]
    [InlineData("UPPER lower 123", "upper-lower-123")]
    [InlineData("snake_case.and/slashes", "snake-case-and-slashes")]
    [InlineData("emoji 🚀 rocket", "emoji-rocket")]
    [InlineData("Straße", "stra-e")] // ß has no decomposition: it becomes a separator, never a non-ASCII char
    public void From_MakesLowerCaseAsciiWithSingleHyphens(string title, string expected)
    {
        var slug = Slug.From(title);

        slug.ShouldBe(expected);
        Slug.Validate(slug).ShouldBe(slug);
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("Данные о погоде")] // Cyrillic has no ASCII form
    [InlineData("天气数据")]
    public void From_TextWithoutAsciiLettersOrDigits_GivesAnEmptySlug_ThatValidateRejects(string title)
    {
        var slug = Slug.From(title);

        slug.ShouldBeEmpty();
        Should.Throw<DomainException>(() => Slug.Validate(slug)).Message.ShouldContain("2 to 80");
    }

    [Fact]
    public void From_LongTitle_IsCutToMaxLength_WithoutATrailingHyphen()
    {
        // 79 letters, a space, then more: the cut at 80 lands on the hyphen, which is removed.
        var title = new string('a', 79) + " " + new string('b', 50);

        var slug = Slug.From(title);

        slug.ShouldBe(new string('a', 79));
        Slug.Validate(slug).ShouldBe(slug);
        Slug.From(new string('x', 500)).Length.ShouldBe(Slug.MaxLength);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("a1")]
    [InlineData("weather-data-2024")]
    public void Validate_AcceptsGoodSlugs(string slug)
    {
        Slug.Validate(slug).ShouldBe(slug);
    }

    [Theory]
    [InlineData(null, "2 to 80")]
    [InlineData("", "2 to 80")]
    [InlineData("a", "2 to 80")]
    [InlineData("-ab", "single hyphens")]
    [InlineData("ab-", "single hyphens")]
    [InlineData("a--b", "single hyphens")]
    [InlineData("Ab", "lower-case")]
    [InlineData("a b", "lower-case")]
    [InlineData("a_b", "lower-case")]
    [InlineData("café", "lower-case")]
    public void Validate_RejectsBadSlugs(string? slug, string expected)
    {
        Should.Throw<DomainException>(() => Slug.Validate(slug, "Dataset slug")).Message.ShouldSatisfyAllConditions(
            m => m.ShouldStartWith("Dataset slug"),
            m => m.ShouldContain(expected));
    }

    [Fact]
    public void Validate_RejectsOneCharacterOverMaxLength()
    {
        Slug.Validate(new string('a', 80)).Length.ShouldBe(80);
        Should.Throw<DomainException>(() => Slug.Validate(new string('a', 81)));
    }
}
