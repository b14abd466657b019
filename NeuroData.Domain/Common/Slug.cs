using System.Globalization;
using System.Text;

namespace NeuroData.Domain.Common;

/// <summary>URL slugs: lower-case ASCII letters, digits and single hyphens, 2–80 characters.</summary>
public static class Slug
{
    public const int MaxLength = 80;

    /// <summary>Makes a slug from a title ("Weather data: Berlin 2024!" -> "weather-data-berlin-2024").</summary>
    public static string From(string text)
    {
        var normalized = (text ?? string.Empty).Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(normalized.Length);
        var lastHyphen = true;
        foreach (var c in normalized)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
                lastHyphen = false;
            }
            else if (!lastHyphen)
            {
                sb.Append('-');
                lastHyphen = true;
            }
        }

        var slug = sb.ToString().Trim('-');
        if (slug.Length > MaxLength)
        {
            slug = slug[..MaxLength].TrimEnd('-');
        }

        return slug;
    }

    /// <summary>Checks a slug and returns it, or throws with a clear message.</summary>
    public static string Validate(string? slug, string what = "Slug")
    {
        if (string.IsNullOrEmpty(slug) || slug.Length < 2 || slug.Length > MaxLength)
        {
            throw new DomainException($"{what} must be 2 to {MaxLength} characters long.");
        }

        if (slug[0] == '-' || slug[^1] == '-' || slug.Contains("--", StringComparison.Ordinal)
            || !slug.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new DomainException($"{what} '{slug}' may contain only lower-case letters, digits and single hyphens.");
        }

        return slug;
    }
}
