using System.Globalization;
using System.Text;

namespace NeuroData.Infrastructure.Search;

/// <summary>
/// Turns what a visitor typed into search terms. Input is never passed to a query language as syntax: FTS5 operators
/// (AND, OR, NOT, NEAR, column filters, *, ^, quotes) become plain words or separators here, and every term is
/// quoted before it reaches SQLite. PostgreSQL gets the (shortened) text through <c>websearch_to_tsquery</c>,
/// which accepts any input without error.
/// </summary>
public static class SearchText
{
    /// <summary>Characters of the input that are considered (the rest is ignored).</summary>
    public const int MaxInputLength = 200;

    /// <summary>At most this many terms are searched (all must match).</summary>
    public const int MaxTerms = 12;

    /// <summary>Longest term kept (longer runs are cut).</summary>
    public const int MaxTermLength = 40;

    /// <summary>The input cut to <see cref="MaxInputLength"/> without splitting a surrogate pair, trimmed; null when blank.</summary>
    public static string? Clean(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        var text = RemoveControlCharacters(input).Trim();
        if (text.Length > MaxInputLength)
        {
            var cut = MaxInputLength;
            if (char.IsHighSurrogate(text[cut - 1]))
            {
                cut--;
            }

            text = text[..cut].Trim();
        }

        return text.Length == 0 ? null : text;
    }

    /// <summary>Control characters (NUL, which PostgreSQL refuses in text, among them) and lone surrogates become spaces.</summary>
    private static string RemoveControlCharacters(string input)
    {
        var chars = input.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var paired = (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
                || (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(input[i - 1]));
            if (char.IsControl(c) || (char.IsSurrogate(c) && !paired))
            {
                chars[i] = ' ';
            }
        }

        return new string(chars);
    }

    /// <summary>
    /// Words of the input: runs of letters and digits (what SQLite's unicode61 tokenizer indexes), lower-cased,
    /// de-duplicated, in input order.
    /// </summary>
    public static IReadOnlyList<string> Terms(string? input)
    {
        var text = Clean(input);
        var terms = new List<string>();
        if (text is null)
        {
            return terms;
        }

        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length > 0)
            {
                var term = current.ToString().ToLowerInvariant();
                if (term.Length > MaxTermLength)
                {
                    term = term[..MaxTermLength];
                }

                if (!terms.Contains(term, StringComparer.Ordinal) && terms.Count < MaxTerms)
                {
                    terms.Add(term);
                }

                current.Clear();
            }
        }

        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var isWordChar = Rune.IsLetterOrDigit(rune) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
            if (isWordChar)
            {
                current.Append(rune.ToString());
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return terms;
    }

    /// <summary>
    /// An FTS5 MATCH expression requiring every term: each term is a quoted string (terms hold only letters and digits,
    /// so there is no quote to escape), joined by spaces (implicit AND). Null when there are no terms.
    /// </summary>
    public static string? ToFts5Query(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            return null;
        }

        return string.Join(' ', terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
    }
}
