using System.Globalization;
using System.Text;

namespace NeuroData.Infrastructure.Search.Index;

/// <summary>
/// The index's words, as the SQLite index makes them (<c>porter unicode61 remove_diacritics 2</c>): runs of letters and
/// digits (<see cref="SearchText.Terms"/>), lower-case, diacritics removed, Porter-stemmed. Documents and queries alike.
/// </summary>
public static class IndexText
{
    /// <summary>Calls <paramref name="onTerm"/> for every word of a document text, in order (repeats included).</summary>
    public static void Tokenize(string? text, Action<string> onTerm)
    {
        ArgumentNullException.ThrowIfNull(onTerm);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsLetterOrDigit(rune) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                current.Append(rune.ToString());
            }
            else if (current.Length > 0)
            {
                Emit(current, onTerm);
            }
        }

        if (current.Length > 0)
        {
            Emit(current, onTerm);
        }
    }

    /// <summary>The distinct index terms of a search (all must match); empty when nothing is indexable.</summary>
    public static IReadOnlyList<string> QueryTerms(string? input)
    {
        var terms = new List<string>();
        foreach (var word in SearchText.Terms(input))
        {
            var term = Normalize(word);
            if (term.Length > 0 && !terms.Contains(term, StringComparer.Ordinal))
            {
                terms.Add(term);
            }
        }

        return terms;
    }

    /// <summary>One word (letters and digits) as an index term: lower-case, without diacritics, stemmed.</summary>
    public static string Normalize(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var lower = word.ToLowerInvariant();
        var ascii = true;
        foreach (var c in lower)
        {
            if (c > 127)
            {
                ascii = false;
                break;
            }
        }

        if (!ascii)
        {
            var decomposed = lower.Normalize(NormalizationForm.FormD);
            var builder = new StringBuilder(decomposed.Length);
            foreach (var rune in decomposed.EnumerateRunes())
            {
                var category = Rune.GetUnicodeCategory(rune);
                if (category is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
                {
                    builder.Append(rune.ToString());
                }
            }

            lower = builder.ToString().Normalize(NormalizationForm.FormC);
        }

        return PorterStemmer.Stem(lower);
    }

    private static void Emit(StringBuilder current, Action<string> onTerm)
    {
        var term = Normalize(current.ToString());
        current.Clear();
        if (term.Length > 0)
        {
            onTerm(term);
        }
    }
}
