using System.Globalization;
using System.Text;
using NeuroData.Domain.Datasets;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>A table read row by row: the column names first, then rows of raw strings (null = missing).</summary>
internal interface ITableReader : IAsyncDisposable
{
    IReadOnlyList<string> Columns { get; }

    /// <summary>The next row (as many values as <see cref="Columns"/>), or null at the end.</summary>
    ValueTask<string?[]?> ReadRowAsync(CancellationToken cancellationToken);
}

internal static class TableRules
{
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Rejects empty, duplicate (ignoring letter case) and too many column names.</summary>
    public static void CheckHeader(IReadOnlyList<string> names, IngestOptions options, string where)
    {
        if (names.Count > options.MaxColumns)
        {
            throw new InvalidDatasetException($"{where}the table has {names.Count} columns; at most {options.MaxColumns} are accepted.");
        }

        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new InvalidDatasetException($"{where}column {i + 1} has an empty name; every column needs a name in the header.");
            }

            if (name.Any(c => char.IsControl(c) || c == '\uFEFF'))
            {
                throw new InvalidDatasetException($"{where}column {i + 1} has a name with control characters; use plain text names.");
            }

            if (seen.TryGetValue(name, out var first))
            {
                throw new InvalidDatasetException($"{where}columns {first + 1} and {i + 1} have the same name \"{Shorten(name)}\"; column names must be unique.");
            }

            seen[name] = i;
        }
    }

    /// <summary>A value safe to quote in a message: control characters escaped, at most 60 characters.</summary>
    public static string Shorten(string value)
    {
        var builder = new StringBuilder();
        foreach (var c in value)
        {
            if (builder.Length >= 60)
            {
                builder.Append('…');
                break;
            }

            if (char.IsControl(c) || c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static string Decode(ReadOnlySpan<byte> bytes, string where, long line)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDatasetException($"{where}line {line} is not valid UTF-8 text; save the file with UTF-8 encoding.");
        }
    }
}
