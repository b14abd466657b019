using System.Text;
using System.Text.Json;
using NeuroData.Domain.Datasets;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>
/// JSON Lines: one flat object per line (blank lines skipped). The first object's keys are the columns, in their
/// order; a later object may leave keys out (missing values) but may not add keys. Values must be scalars: strings,
/// numbers (kept as their literal text), true/false, null (missing); nested objects and arrays are rejected.
/// </summary>
internal sealed class JsonLinesReader : ITableReader
{
    private readonly Stream stream;
    private readonly IngestOptions options;
    private readonly string where;
    private readonly byte[] buffer = new byte[64 * 1024];
    private byte[] lineBuffer = new byte[1024];
    private int lineLength;
    private int position;
    private int length;
    private bool ended;
    private long line;
    private string[] columns = [];
    private Dictionary<string, int> index = [];
    private string?[]? pending;

    private JsonLinesReader(Stream stream, IngestOptions options, string where)
    {
        this.stream = stream;
        this.options = options;
        this.where = where;
    }

    public IReadOnlyList<string> Columns => columns;

    public static JsonLinesReader Open(Stream stream, IngestOptions options, string where)
    {
        var reader = new JsonLinesReader(stream, options, where);
        if (!reader.NextLine(out var first))
        {
            throw new InvalidDatasetException($"{where}the file is empty.");
        }

        var keys = new List<string>();
        var values = new List<string?>();
        reader.ParseObject(first, (key, value) =>
        {
            keys.Add(key);
            values.Add(value);
        });
        TableRules.CheckHeader(keys, options, where);
        reader.columns = [.. keys];
        reader.index = keys.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i, StringComparer.Ordinal);
        reader.pending = [.. values];
        return reader;
    }

    public ValueTask<string?[]?> ReadRowAsync(CancellationToken cancellationToken)
    {
        if (pending is not null)
        {
            var first = pending;
            pending = null;
            return ValueTask.FromResult<string?[]?>(first);
        }

        if (!NextLine(out var bytes))
        {
            return ValueTask.FromResult<string?[]?>(null);
        }

        var row = new string?[columns.Length];
        ParseObject(bytes, (key, value) =>
        {
            if (!index.TryGetValue(key, out var i))
            {
                throw new InvalidDatasetException(
                    $"{where}line {line} has the key \"{TableRules.Shorten(key)}\" that the first line does not have; the first line must name every column.");
            }

            row[i] = value;
        });
        return ValueTask.FromResult<string?[]?>(row);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void ParseObject(ReadOnlySpan<byte> bytes, Action<string, string?> onValue)
    {
        _ = TableRules.Decode(bytes, where, line); // strict UTF-8 with the line number
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidDatasetException($"{where}line {line} is not a JSON object; JSON Lines needs one object per line.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                if (!seen.Add(key))
                {
                    throw new InvalidDatasetException($"{where}line {line} has the key \"{TableRules.Shorten(key)}\" twice.");
                }

                reader.Read();
                if (reader.ValueSpan.Length > options.MaxFieldBytes)
                {
                    throw new InvalidDatasetException($"{where}line {line} has a field longer than {options.MaxFieldBytes:N0} bytes.");
                }

                string? value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    JsonTokenType.Null => null,
                    _ => throw new InvalidDatasetException(
                        $"{where}line {line}: the value of \"{TableRules.Shorten(key)}\" is a nested {(reader.TokenType == JsonTokenType.StartArray ? "array" : "object")}; values must be strings, numbers, true/false or null."),
                };
                onValue(key, string.IsNullOrEmpty(value) ? null : value);
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new InvalidDatasetException($"{where}line {line} has more than one JSON value; JSON Lines needs exactly one object per line.");
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDatasetException($"{where}line {line} is not valid JSON ({ex.Message.Split(" LineNumber", 2)[0].TrimEnd('.', ' ')}).");
        }
    }

    /// <summary>The next non-blank line without its line break.</summary>
    private bool NextLine(out ReadOnlySpan<byte> bytes)
    {
        while (true)
        {
            if (ended && position >= length)
            {
                bytes = default;
                return false;
            }

            line++;
            lineLength = 0;
            var any = false;
            while (true)
            {
                if (position >= length)
                {
                    if (ended)
                    {
                        break;
                    }

                    length = stream.Read(buffer, 0, buffer.Length);
                    position = 0;
                    if (length == 0)
                    {
                        ended = true;
                        break;
                    }
                }

                any = true;
                var b = buffer[position++];
                if (b == '\n')
                {
                    break;
                }

                if (lineLength >= options.MaxLineBytes)
                {
                    throw new InvalidDatasetException($"{where}line {line} is longer than {options.MaxLineBytes:N0} bytes.");
                }

                if (lineLength == lineBuffer.Length)
                {
                    Array.Resize(ref lineBuffer, (int)Math.Min(options.MaxLineBytes, (long)lineBuffer.Length * 2));
                }

                lineBuffer[lineLength++] = b;
            }

            var span = lineBuffer.AsSpan(0, lineLength);
            if (line == 1 && span.StartsWith("\uFEFF"u8))
            {
                span = span[3..];
            }

            if (span.Length > 0 && span[^1] == '\r')
            {
                span = span[..^1];
            }

            if (span.Trim(" \t"u8).Length == 0)
            {
                if (!any)
                {
                    bytes = default;
                    return false;
                }

                continue;
            }

            bytes = span;
            return true;
        }
    }
}
