namespace NeuroData.Domain.Users;

/// <summary>Names of the roles the product knows. Any signed-in user can buy and sell; these add duties.</summary>
public static class RoleNames
{
    public const string Admin = "Admin";
    public const string Moderator = "Moderator";
    public const string Arbitrator = "Arbitrator";

    public static readonly IReadOnlyList<string> All = [Admin, Moderator, Arbitrator];
}
