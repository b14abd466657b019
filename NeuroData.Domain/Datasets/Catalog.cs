using NeuroData.Domain.Common;

namespace NeuroData.Domain.Datasets;

/// <summary>A marketplace category, optionally below a parent category.</summary>
public sealed class Category : Entity
{
    public const int NameMaxLength = 80;
    public const int DescriptionMaxLength = 1000;

    private Category()
    {
        Name = null!;
        Slug = null!;
    }

    public Category(string name, string slug, string? description, Guid? parentId)
    {
        Name = Guard.Text(name, "Category name", NameMaxLength);
        Slug = Common.Slug.Validate(slug, "Category slug");
        Description = Guard.OptionalText(description, "Category description", DescriptionMaxLength);
        ParentId = parentId == Guid.Empty ? null : parentId;
    }

    public string Name { get; private set; }

    public string Slug { get; private set; }

    public string? Description { get; private set; }

    public Guid? ParentId { get; private set; }

    public void Rename(string name, string? description)
    {
        var newName = Guard.Text(name, "Category name", NameMaxLength);
        var newDescription = Guard.OptionalText(description, "Category description", DescriptionMaxLength);
        Name = newName;
        Description = newDescription;
    }

    public void MoveUnder(Guid? parentId)
    {
        if (parentId == Id)
        {
            throw new DomainException("A category cannot be its own parent.");
        }

        ParentId = parentId == Guid.Empty ? null : parentId;
    }
}

/// <summary>A free-form label on datasets ("weather", "nlp").</summary>
public sealed class Tag : Entity
{
    public const int NameMaxLength = 40;

    private Tag()
    {
        Name = null!;
        Slug = null!;
    }

    public Tag(string name)
    {
        Name = Guard.Text(name, "Tag", NameMaxLength);
        Slug = Common.Slug.Validate(Common.Slug.From(Name), "Tag");
    }

    public string Name { get; private set; }

    public string Slug { get; private set; }
}
