using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;

namespace NeuroData.Infrastructure.Identity;

/// <summary>
/// What an account email address must look like. Stricter than Identity's default (which accepts "a@b"): a local part
/// of dot-atoms, a domain of at least two DNS labels, at most 254 characters.
/// </summary>
public static partial class EmailRules
{
    public const int MaxLength = 254;

    public const string InvalidMessage = "Enter a valid email address, like name@example.com.";

    public static bool IsValid(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > MaxLength || email.Trim() != email)
        {
            return false;
        }

        var at = email.LastIndexOf('@');
        if (at < 1 || at > 64 || at == email.Length - 1)
        {
            return false;
        }

        return LocalPart().IsMatch(email[..at]) && Domain().IsMatch(email[(at + 1)..]);
    }

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalPart();

    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Domain();
}

/// <summary>Enforces <see cref="EmailRules"/> whenever Identity creates or updates a user (not only in the page).</summary>
public sealed class StrictEmailUserValidator : IUserValidator<ApplicationUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        var email = await manager.GetEmailAsync(user);
        return EmailRules.IsValid(email)
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = "InvalidEmail", Description = EmailRules.InvalidMessage });
    }
}
