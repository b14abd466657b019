namespace NeuroData.Domain.Common;

/// <summary>Argument checks that throw <see cref="DomainException"/> with a message a user can act on.</summary>
public static class Guard
{
    /// <summary>Trimmed, non-empty text of at most <paramref name="maxLength"/> characters.</summary>
    public static string Text(string? value, string what, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new DomainException($"{what} is required.");
        }

        if (trimmed.Length > maxLength)
        {
            throw new DomainException($"{what} must be at most {maxLength} characters (got {trimmed.Length}).");
        }

        return trimmed;
    }

    /// <summary>Optional text: null/blank becomes null; otherwise trimmed and length-checked.</summary>
    public static string? OptionalText(string? value, string what, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            throw new DomainException($"{what} must be at most {maxLength} characters (got {trimmed.Length}).");
        }

        return trimmed;
    }

    public static Guid Id(Guid value, string what)
    {
        if (value == Guid.Empty)
        {
            throw new DomainException($"{what} is required.");
        }

        return value;
    }

    public static long NotNegative(long value, string what)
    {
        if (value < 0)
        {
            throw new DomainException($"{what} cannot be negative (got {value}).");
        }

        return value;
    }
}
