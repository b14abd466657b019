using System.Collections.Frozen;
using Microsoft.AspNetCore.Identity;

namespace NeuroData.Infrastructure.Identity;

/// <summary>
/// Password policy from SECURITY.md (OWASP ASVS 2.1): at least 12 characters, at most 128, no composition rules,
/// and not a common or breached password. Identity's own validator checks the minimum length; the two validators
/// below add the maximum and the blocklist.
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 12;
    public const int MaxLength = 128;
}

/// <summary>Rejects passwords longer than <see cref="PasswordRules.MaxLength"/> (hashing cost stays bounded).</summary>
public sealed class MaxLengthPasswordValidator : IPasswordValidator<ApplicationUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password) =>
        Task.FromResult(password is not null && password.Length > PasswordRules.MaxLength
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordTooLong",
                Description = $"Passwords must be at most {PasswordRules.MaxLength} characters.",
            })
            : IdentityResult.Success);
}

/// <summary>
/// Rejects passwords found in lists of common and breached passwords, also when only a common word is followed by
/// digits or symbols ("password123456", "qwerty!!!!!!"), when it is one repeated character or a keyboard/number run,
/// and when it contains the account's email name.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<ApplicationUser>
{
    public const string ErrorCode = "PasswordTooCommon";

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success);
        }

        var reason = Check(password, user.Email);
        return Task.FromResult(reason is null
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = ErrorCode, Description = reason }));
    }

    /// <summary>Null when the password is acceptable, otherwise why not.</summary>
    public static string? Check(string password, string? email)
    {
        var lower = password.ToLowerInvariant();
        if (CommonPasswords.Set.Contains(lower) || CommonPasswords.Set.Contains(StripDecoration(lower)))
        {
            return "This password is too common: it appears in lists of leaked passwords. Choose a longer, less predictable one (a few unrelated words work well).";
        }

        if (lower.Distinct().Count() <= 2 || IsRun(lower))
        {
            return "This password is too easy to guess (repeated characters or a simple sequence).";
        }

        var local = email?.Split('@')[0].ToLowerInvariant();
        if (local is { Length: >= 4 } && lower.Contains(local, StringComparison.Ordinal) && lower.Length - local.Length < 6)
        {
            return "The password must not be based on your email address.";
        }

        return null;
    }

    // "password2024!!" -> "password"; "!!qwerty" -> "qwerty".
    private static string StripDecoration(string s) => s.Trim("0123456789!@#$%^&*()-_=+.?,;: ".ToCharArray());

    private static bool IsRun(string s)
    {
        const string rows = "abcdefghijklmnopqrstuvwxyz 01234567890 qwertyuiop asdfghjkl zxcvbnm 1qaz2wsx3edc";
        var forward = rows.Contains(s, StringComparison.Ordinal);
        var backward = rows.Contains(new string(s.Reverse().ToArray()), StringComparison.Ordinal);
        return forward || backward;
    }
}

/// <summary>
/// The most common passwords of public breach corpora (lower-cased). Long ones matter most since shorter ones fail
/// the length rule anyway; short base words matter because "password" + digits is a classic.
/// </summary>
internal static class CommonPasswords
{
    public static readonly FrozenSet<string> Set = new[]
    {
        "123456", "123456789", "12345678", "1234567890", "123456789012", "1234567890123", "12345678910", "123123123123",
        "111111111111", "000000000000", "password", "passw0rd", "p@ssw0rd", "p@ssword", "pa55word", "passwort", "motdepasse",
        "qwerty", "qwertyuiop", "qwertyuiop123", "qwerty123456", "1q2w3e4r5t6y", "1q2w3e4r5t", "1qaz2wsx3edc", "zaq12wsxcde3",
        "asdfghjkl", "asdfghjkl123", "zxcvbnm", "zxcvbnm123456", "abc123", "abcdef", "abcd1234", "iloveyou", "iloveyou123",
        "letmein", "letmeinplease", "welcome", "welcome123", "welcometothejungle", "admin", "administrator", "root", "toor",
        "monkey", "dragon", "master", "sunshine", "princess", "football", "baseball", "basketball", "soccer", "hockey",
        "superman", "batman", "spiderman", "starwars", "trustno1", "shadow", "michael", "jennifer", "jordan", "hunter",
        "freedom", "whatever", "qazwsx", "mustang", "access", "secret", "computer", "internet", "changeme", "default",
        "guest", "login", "test", "testing", "test1234", "demo", "hello", "helloworld", "hello123", "charlie", "donald",
        "loveme", "lovely", "flower", "summer", "winter", "autumn", "spring", "pokemon", "minecraft", "fortnite", "google",
        "facebook", "linkedin", "twitter", "instagram", "youtube", "microsoft", "apple", "samsung", "nokia", "blink182",
        "chocolate", "butterfly", "liverpool", "chelsea", "arsenal", "barcelona", "manchester", "yankees", "cowboys",
        "killer", "pepper", "ginger", "cheese", "cookie", "banana", "orange", "purple", "diamond", "silver", "golden",
        "thomas", "robert", "daniel", "andrew", "joshua", "matthew", "anthony", "william", "jessica", "ashley", "amanda",
        "nicole", "daniela", "alexander", "tigger", "buster", "soccer", "harley", "ranger", "bailey", "maggie", "sophie",
        "passwordpassword", "password1234", "password12345", "password123456", "mypassword", "mypassword123",
        "supersecret", "supersecretpassword", "correcthorsebatterystaple", "thisismypassword", "ilovemydog", "ilovemycat",
        "qwertyqwerty", "abcabcabcabc", "abcdefghijkl", "abcdefghijklmnop", "aaaaaaaaaaaa", "1111111111", "987654321",
        "9876543210", "987654321098", "0987654321", "11223344", "112233445566", "121212121212", "123321123321", "147258369",
        "147852369", "159753", "159357", "741852963", "789456123", "654321", "666666", "696969", "777777", "888888",
        "neurodata", "neurodata123", "marketplace", "blockchain", "ethereum", "bitcoin", "metamask", "crypto", "cryptocurrency",
        "changemeplease", "temporary", "temppassword", "newpassword", "newpassword123", "oldpassword", "userpassword",
        "adminadmin", "administrator1", "rootroot", "useruser", "letmein123", "trustno1trustno1", "qwerty1234567",
        "q1w2e3r4t5y6", "1q2w3e4r", "zaq1zaq1", "zaq1xsw2cde3", "!qaz2wsx", "1qazxsw2", "qweasdzxc", "qweasdzxc123",
        "aa123456", "a123456789", "abc123456", "abc123456789", "iloveyou1", "princess1", "sunshine1", "football1",
        "monkey123", "dragon123", "master123", "shadow123", "baseball1", "superman123", "batman123", "starwars123",
    }.ToFrozenSet(StringComparer.Ordinal);
}
