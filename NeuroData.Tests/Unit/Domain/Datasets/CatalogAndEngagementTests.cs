using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Domain.Datasets;

public sealed class CategoryTests
{
    [Fact]
    public void New_TrimsAndValidates()
    {
        var parent = Guid.NewGuid();

        var c = new Category("  Climate ", "climate", "  ", parent);

        c.Name.ShouldBe("Climate");
        c.Slug.ShouldBe("climate");
        c.Description.ShouldBeNull();
        c.ParentId.ShouldBe(parent);
        new Category("Top", "top", null, Guid.Empty).ParentId.ShouldBeNull();
    }

    [Theory]
    [InlineData("", "climate", "Category name is required.")]
    [InlineData("Climate", "Climate", "Category slug 'Climate' may contain only")]
    [InlineData("Climate", "c", "Category slug must be 2 to 80")]
    public void New_Invalid_IsRejected(string name, string slug, string expected)
    {
        Should.Throw<DomainException>(() => new Category(name, slug, null, null)).Message.ShouldContain(expected);
    }

    [Fact]
    public void Rename_WithATooLongDescription_ChangesNothing()
    {
        // Regression: the name used to be replaced before the description was checked.
        var c = new Category("Climate", "climate", "Weather and climate", null);

        Should.Throw<DomainException>(() => c.Rename("Renamed", new string('d', Category.DescriptionMaxLength + 1)));

        c.Name.ShouldBe("Climate");
        c.Description.ShouldBe("Weather and climate");

        c.Rename("Renamed", null);
        c.Name.ShouldBe("Renamed");
        c.Description.ShouldBeNull();
    }

    [Fact]
    public void MoveUnder_ItselfIsRejected_EmptyMeansTopLevel()
    {
        var c = new Category("Climate", "climate", null, null);
        var other = Guid.NewGuid();

        Should.Throw<DomainException>(() => c.MoveUnder(c.Id)).Message.ShouldBe("A category cannot be its own parent.");
        c.ParentId.ShouldBeNull();
        c.MoveUnder(other);
        c.ParentId.ShouldBe(other);
        c.MoveUnder(Guid.Empty);
        c.ParentId.ShouldBeNull();
    }
}

public sealed class TagTests
{
    [Theory]
    [InlineData("Machine Learning", "machine-learning")]
    [InlineData(" NLP ", "nlp")]
    [InlineData("Über-Daten", "uber-daten")]
    public void New_DerivesItsSlug(string name, string slug)
    {
        var tag = new Tag(name);

        tag.Name.ShouldBe(name.Trim());
        tag.Slug.ShouldBe(slug);
    }

    [Theory]
    [InlineData("", "Tag is required.")]
    [InlineData("!!", "Tag must be 2 to 80")]
    [InlineData("R", "Tag must be 2 to 80")]
    public void New_WithoutAUsableSlug_IsRejected(string name, string expected)
    {
        Should.Throw<DomainException>(() => new Tag(name)).Message.ShouldContain(expected);
    }

    [Fact]
    public void New_TooLong_IsRejected()
    {
        new Tag(new string('t', Tag.NameMaxLength)).Name.Length.ShouldBe(40);
        Should.Throw<DomainException>(() => new Tag(new string('t', Tag.NameMaxLength + 1))).Message.ShouldContain("at most 40");
    }
}

public sealed class DatasetReviewTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Ratings_OneToFive_AreAccepted(int rating)
    {
        var review = new DatasetReview(Guid.NewGuid(), Guid.NewGuid(), rating, "  Good data  ", T0);

        review.Rating.ShouldBe(rating);
        review.Text.ShouldBe("Good data");
        review.CreatedAt.ShouldBe(T0);
        review.EditedAt.ShouldBeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-3)]
    [InlineData(int.MaxValue)]
    public void Ratings_OutsideOneToFive_AreRejected(int rating)
    {
        Should.Throw<DomainException>(() => new DatasetReview(Guid.NewGuid(), Guid.NewGuid(), rating, null, T0))
            .Message.ShouldBe($"A rating is 1 to 5 stars (got {rating}).");
    }

    [Fact]
    public void New_RequiresDatasetAndBuyer_AndBoundsTheText()
    {
        Should.Throw<DomainException>(() => new DatasetReview(Guid.Empty, Guid.NewGuid(), 3, null, T0)).Message.ShouldBe("The dataset is required.");
        Should.Throw<DomainException>(() => new DatasetReview(Guid.NewGuid(), Guid.Empty, 3, null, T0)).Message.ShouldBe("The buyer is required.");
        Should.Throw<DomainException>(() => new DatasetReview(Guid.NewGuid(), Guid.NewGuid(), 3, new string('x', 4001), T0)).Message.ShouldContain("at most 4000");
        new DatasetReview(Guid.NewGuid(), Guid.NewGuid(), 3, "   ", T0).Text.ShouldBeNull();
    }

    [Fact]
    public void Edit_ReplacesRatingAndText_AndStampsTheEdit()
    {
        var review = new DatasetReview(Guid.NewGuid(), Guid.NewGuid(), 2, "meh", T0);

        review.Edit(4, "better after v2", T0.AddDays(1));

        review.Rating.ShouldBe(4);
        review.Text.ShouldBe("better after v2");
        review.EditedAt.ShouldBe(T0.AddDays(1));
    }

    [Fact]
    public void Edit_WithTooLongText_ChangesNothing()
    {
        // Regression: the rating used to change before the text was checked.
        var review = new DatasetReview(Guid.NewGuid(), Guid.NewGuid(), 2, "meh", T0);

        Should.Throw<DomainException>(() => review.Edit(5, new string('x', DatasetReview.TextMaxLength + 1), T0.AddDays(1)));

        review.Rating.ShouldBe(2);
        review.Text.ShouldBe("meh");
        review.EditedAt.ShouldBeNull();
    }

    [Fact]
    public void Edit_WithBadRating_ChangesNothing()
    {
        var review = new DatasetReview(Guid.NewGuid(), Guid.NewGuid(), 2, "meh", T0);

        Should.Throw<DomainException>(() => review.Edit(0, "new text", T0.AddDays(1)));

        review.Rating.ShouldBe(2);
        review.Text.ShouldBe("meh");
    }
}

public sealed class FavoriteAndAccessTests
{
    [Fact]
    public void Favorite_NeedsUserAndDataset()
    {
        var user = Guid.NewGuid();
        var dataset = Guid.NewGuid();

        var f = new Favorite(user, dataset, T0);

        f.UserId.ShouldBe(user);
        f.DatasetId.ShouldBe(dataset);
        f.CreatedAt.ShouldBe(T0);
        Should.Throw<DomainException>(() => new Favorite(Guid.Empty, dataset, T0)).Message.ShouldBe("The user is required.");
        Should.Throw<DomainException>(() => new Favorite(user, Guid.Empty, T0)).Message.ShouldBe("The dataset is required.");
    }

    [Fact]
    public void Access_TruncatesTheIp_AndEmptyVersionMeansNone()
    {
        var a = new DatasetAccess(Guid.NewGuid(), Guid.NewGuid(), Guid.Empty, DatasetAccessKind.Download, T0, new string('1', 100));

        a.VersionId.ShouldBeNull();
        a.IpAddress!.Length.ShouldBe(45);
        a.Kind.ShouldBe(DatasetAccessKind.Download);
        new DatasetAccess(Guid.NewGuid(), Guid.NewGuid(), null, DatasetAccessKind.Preview, T0, " ").IpAddress.ShouldBeNull();
        new DatasetAccess(Guid.NewGuid(), Guid.NewGuid(), null, DatasetAccessKind.Train, T0, "::1").IpAddress.ShouldBe("::1");
        Should.Throw<DomainException>(() => new DatasetAccess(Guid.Empty, Guid.NewGuid(), null, DatasetAccessKind.Train, T0, null));
        Should.Throw<DomainException>(() => new DatasetAccess(Guid.NewGuid(), Guid.Empty, null, DatasetAccessKind.Train, T0, null));
    }
}
