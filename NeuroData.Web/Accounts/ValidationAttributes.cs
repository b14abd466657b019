using System.ComponentModel.DataAnnotations;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Web.Accounts;

/// <summary>An email address by <see cref="EmailRules"/> (stricter than <see cref="EmailAddressAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AccountEmailAttribute : ValidationAttribute
{
    public AccountEmailAttribute()
        : base(EmailRules.InvalidMessage)
    {
    }

    // Empty is [Required]'s business.
    public override bool IsValid(object? value) => value is not string s || s.Length == 0 || EmailRules.IsValid(s.Trim());
}

/// <summary>Password length by <see cref="PasswordRules"/>; the blocklist is checked by Identity on submit.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PasswordLengthAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is not string s || s.Length == 0 || s.Length is >= PasswordRules.MinLength and <= PasswordRules.MaxLength;

    public override string FormatErrorMessage(string name) =>
        $"Passwords must be {PasswordRules.MinLength} to {PasswordRules.MaxLength} characters long.";
}
