using Microsoft.AspNetCore.Identity;

namespace NeuroData.Infrastructure.Identity;

/// <summary>The sign-in account (ASP.NET Core Identity). Product data about a person lives in the domain's UserProfile, keyed by the same id.</summary>
public sealed class ApplicationUser : IdentityUser<Guid>
{
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Identity role with a Guid key.</summary>
public sealed class ApplicationRole : IdentityRole<Guid>
{
    public ApplicationRole()
    {
    }

    public ApplicationRole(string name)
        : base(name)
    {
    }
}
