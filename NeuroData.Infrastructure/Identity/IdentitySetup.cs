using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Identity;

/// <summary>Identity's core services over the NeuroData model, shared by the web app and the tests.</summary>
public static class IdentitySetup
{
    /// <summary>Lockout: this many failed sign-ins in a row lock the account ...</summary>
    public const int MaxFailedAccessAttempts = 5;

    /// <summary>... for this long.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>How long email confirmation, change-email and password-reset links stay valid.</summary>
    public static readonly TimeSpan TokenLifespan = TimeSpan.FromHours(24);

    /// <summary>
    /// Users, roles, EF stores, token providers, the password and email rules, and the account services. The caller
    /// adds the sign-in manager and cookies (web) when it needs them.
    /// </summary>
    public static IdentityBuilder AddNeuroDataIdentityCore(this IServiceCollection services)
    {
        services.AddScoped<AccountService>();
        services.AddSingleton<UserAdministration>();
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TokenLifespan);
        return services
            .AddIdentityCore<ApplicationUser>(ConfigureOptions)
            .AddRoles<ApplicationRole>()
            .AddEntityFrameworkStores<NeuroDataDbContext>()
            .AddErrorDescriber<NeuroDataIdentityErrorDescriber>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<MaxLengthPasswordValidator>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddUserValidator<StrictEmailUserValidator>();
    }

    public static void ConfigureOptions(IdentityOptions o)
    {
        o.SignIn.RequireConfirmedAccount = true;
        o.SignIn.RequireConfirmedEmail = true;
        o.User.RequireUniqueEmail = true;
        o.User.AllowedUserNameCharacters = string.Empty; // the user name is the email address, checked by EmailRules

        // ASVS 2.1: length and a blocklist, no composition rules.
        o.Password.RequiredLength = PasswordRules.MinLength;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequiredUniqueChars = 1;

        o.Lockout.AllowedForNewUsers = true;
        o.Lockout.MaxFailedAccessAttempts = MaxFailedAccessAttempts;
        o.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
    }
}

/// <summary>Identity's error texts, worded for people who sign in with their email address.</summary>
public sealed class NeuroDataIdentityErrorDescriber : IdentityErrorDescriber
{
    public const string TakenEmailMessage = "An account with this email address already exists. Sign in, or reset your password if you forgot it.";

    public override IdentityError DuplicateEmail(string email) => new() { Code = nameof(DuplicateEmail), Description = TakenEmailMessage };

    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = TakenEmailMessage };

    public override IdentityError InvalidEmail(string? email) => new() { Code = nameof(InvalidEmail), Description = EmailRules.InvalidMessage };

    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = EmailRules.InvalidMessage };

    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = $"Passwords must be at least {length} characters." };

    public override IdentityError InvalidToken() =>
        new() { Code = nameof(InvalidToken), Description = "This link is invalid or has expired. Request a new one." };

    public override IdentityError PasswordMismatch() =>
        new() { Code = nameof(PasswordMismatch), Description = "The current password is not correct." };
}
