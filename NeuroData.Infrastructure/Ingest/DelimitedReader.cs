using System.Buffers;
using NeuroData.Domain.Datasets;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>Receives one field of a row read by <see cref="DelimitedReader.ReadRawRow"/>: its column, its raw UTF-8 bytes
/// (empty = missing) and the line the row starts on.</summary>
internal delegate void RawFieldHandler(int column, ReadOnlySpan<byte> utf8, long line);

/// <summary>
/// A strict, streaming RFC 4180 reader over bytes (CSV with ',' or ';', TSV with tab): fields may be quoted with
/// '"' ("" inside is a quote), records end with LF or CRLF, a UTF-8 BOM is skipped at the very start, blank lines
/// are skipped (except in a one-column table, where a blank line is a missing value). Field and record lengths are capped, every row must have the header's column count, and each field
/// is decoded as strict UTF-8. Memory stays flat: one read buffer and one field buffer.
/// </summary>
internal sealed class DelimitedReader : ITableReader
{
    private const int Eof = -1;
    private readonly Stream stream;
    private readonly byte delimiter;
    private readonly IngestOptions options;
    private readonly string where;
    private readonly byte[] buffer = new byte[64 * 1024];
    private readonly List<string?> fields = [];
    private readonly SearchValues<byte> unquotedStops;
    private readonly SearchValues<byte> quotedStops = SearchValues.Create("\"\n"u8);
    private byte[] field = new byte[256];
    private int fieldLength;
    private int position;
    private int length;
    private bool ended;
    private long line = 1;
    private long recordBytes;
    private string[] columns = [];
    private bool raw;
    private byte[] rowBytes = [];
    private int rowLength;
    private readonly List<(int Start, int Length)> ranges = [];

    private DelimitedReader(Stream stream, byte delimiter, IngestOptions options, string where)
    {
        this.stream = stream;
        this.delimiter = delimiter;
        unquotedStops = SearchValues.Create([delimiter, (byte)'\n', (byte)'\r', (byte)'"']);
        this.options = options;
        this.where = where;
    }

    public IReadOnlyList<string> Columns => columns;

    /// <summary>Reads the header; rejects a file without a header or without data rows.</summary>
    public static DelimitedReader Open(Stream stream, char delimiter, IngestOptions options, string where)
    {
        var reader = new DelimitedReader(stream, (byte)delimiter, options, where);
        reader.SkipBom();
        var header = reader.ReadRecord();
        if (header is null)
        {
            throw new InvalidDatasetException($"{where}the file is empty.");
        }

        reader.columns = [.. header.Select(h => h ?? string.Empty)];
        TableRules.CheckHeader(reader.columns, options, where);
        return reader;
    }

    public ValueTask<string?[]?> ReadRowAsync(CancellationToken cancellationToken)
    {
        var startLine = line;
        var record = ReadRecord();
        if (record is null)
        {
            return ValueTask.FromResult<string?[]?>(null);
        }

        CheckWidth(record, startLine);

        return ValueTask.FromResult<string?[]?>([.. record]);
    }

    /// <summary>
    /// Reads the next row and hands each field's raw UTF-8 bytes (empty = missing) to <paramref name="handler"/> without
    /// making strings (training parses numbers straight from the bytes); the same rules and errors as
    /// <see cref="ReadRowAsync"/>. Returns false at the end of the input.
    /// </summary>
    public bool ReadRawRow(RawFieldHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var startLine = line;
        raw = true;
        try
        {
            var record = ReadRecord();
            if (record is null)
            {
                return false;
            }

            CheckWidth(record, startLine);

            for (var i = 0; i < ranges.Count; i++)
            {
                handler(i, rowBytes.AsSpan(ranges[i].Start, ranges[i].Length), startLine);
            }

            return true;
        }
        finally
        {
            raw = false;
        }
    }

    private void CheckWidth(List<string?> record, long startLine)
    {
        if (record.Count != columns.Length)
        {
            throw new InvalidDatasetException(
                $"{where}line {startLine} has {record.Count} columns but the header has {columns.Length}; every row needs the same number of columns.");
        }
    }

    /// <summary>A field's bytes as text, checked as <see cref="ReadRowAsync"/> checks every field.</summary>
    public string Decode(ReadOnlySpan<byte> utf8, long atLine) => TableRules.Decode(utf8, where, atLine);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void SkipBom()
    {
        if (Peek() == 0xEF)
        {
            Advance();
            if (Next() != 0xBB || Next() != 0xBF)
            {
                throw new InvalidDatasetException($"{where}line 1 is not valid UTF-8 text; save the file with UTF-8 encoding.");
            }
        }
    }

    /// <summary>The next non-blank record's fields (empty = null), or null at the end of the input.</summary>
    private List<string?>? ReadRecord()
    {
        while (true)
        {
            if (Peek() == Eof)
            {
                return null;
            }

            fields.Clear();
            ranges.Clear();
            rowLength = 0;
            recordBytes = 0;
            var blank = true;
            while (true)
            {
                fieldLength = 0;
                if (Peek() == '"')
                {
                    blank = false;
                    var quoteLine = line;
                    Advance();
                    while (true)
                    {
                        AppendRun(quotedStops);
                        var b = Next();
                        if (b == Eof)
                        {
                            throw new InvalidDatasetException($"{where}the quote opened on line {quoteLine} is never closed.");
                        }

                        if (b == '"')
                        {
                            if (Peek() != '"')
                            {
                                break;
                            }

                            Advance();
                        }
                        else if (b == '\n')
                        {
                            line++;
                        }

                        Append((byte)b);
                    }

                    var after = Peek();
                    if (after == '\r')
                    {
                        Advance();
                        after = Peek();
                        if (after != '\n')
                        {
                            throw new InvalidDatasetException($"{where}line {line}: unexpected characters after a closing quote.");
                        }
                    }

                    if (after != Eof && after != delimiter && after != '\n')
                    {
                        throw new InvalidDatasetException($"{where}line {line}: unexpected characters after a closing quote (a quote inside a quoted field must be doubled).");
                    }
                }
                else
                {
                    while (true)
                    {
                        AppendRun(unquotedStops);
                        var b = Peek();
                        if (b == Eof || b == delimiter || b == '\n')
                        {
                            break;
                        }

                        Advance();
                        if (b == '\r' && Peek() == '\n')
                        {
                            break;
                        }

                        Append((byte)b);
                    }
                }

                if (fieldLength > 0)
                {
                    blank = false;
                }

                if (raw)
                {
                    KeepRaw();
                    fields.Add(null);
                }
                else
                {
                    fields.Add(fieldLength == 0 ? null : TableRules.Decode(field.AsSpan(0, fieldLength), where, line));
                }

                var end = Next();
                if (end == delimiter)
                {
                    blank = false;
                    continue;
                }

                if (end == '\n')
                {
                    line++;
                }

                break;
            }

            if (blank && fields.Count == 1 && columns.Length != 1)
            {
                continue; // a blank line; in a one-column table it is a row with a missing value
            }

            return fields;
        }
    }

    /// <summary>Keeps the field's bytes in the row buffer (raw mode).</summary>
    private void KeepRaw()
    {
        if (rowLength + fieldLength > rowBytes.Length)
        {
            Array.Resize(ref rowBytes, Math.Max(Math.Max(256, rowBytes.Length * 2), rowLength + fieldLength));
        }

        field.AsSpan(0, fieldLength).CopyTo(rowBytes.AsSpan(rowLength));
        ranges.Add((rowLength, fieldLength));
        rowLength += fieldLength;
    }

    /// <summary>Copies the bytes up to the next stop byte (or the end of the buffer) into the field at once.</summary>
    private void AppendRun(SearchValues<byte> stops)
    {
        if (position >= length && Peek() == Eof)
        {
            return;
        }

        var span = buffer.AsSpan(position, length - position);
        var run = span.IndexOfAny(stops);
        if (run < 0)
        {
            run = span.Length;
        }

        if (run == 0)
        {
            return;
        }

        if (recordBytes + run > options.MaxLineBytes)
        {
            throw new InvalidDatasetException($"{where}line {line} is longer than {options.MaxLineBytes:N0} bytes.");
        }

        if (fieldLength + run > options.MaxFieldBytes)
        {
            throw new InvalidDatasetException($"{where}line {line} has a field longer than {options.MaxFieldBytes:N0} bytes.");
        }

        if (fieldLength + run > field.Length)
        {
            Array.Resize(ref field, (int)Math.Min(options.MaxFieldBytes, Math.Max((long)field.Length * 2, fieldLength + run)));
        }

        span[..run].CopyTo(field.AsSpan(fieldLength));
        fieldLength += run;
        position += run;
        recordBytes += run;
    }

    private void Append(byte b)
    {
        if (fieldLength >= options.MaxFieldBytes)
        {
            throw new InvalidDatasetException($"{where}line {line} has a field longer than {options.MaxFieldBytes:N0} bytes.");
        }

        if (fieldLength == field.Length)
        {
            Array.Resize(ref field, (int)Math.Min(options.MaxFieldBytes, (long)field.Length * 2));
        }

        field[fieldLength++] = b;
    }

    private int Peek()
    {
        if (position < length)
        {
            return buffer[position];
        }

        if (ended)
        {
            return Eof;
        }

        length = stream.Read(buffer, 0, buffer.Length);
        position = 0;
        if (length == 0)
        {
            ended = true;
            return Eof;
        }

        return buffer[0];
    }

    private void Advance()
    {
        position++;
        if (++recordBytes > options.MaxLineBytes)
        {
            throw new InvalidDatasetException($"{where}line {line} is longer than {options.MaxLineBytes:N0} bytes.");
        }
    }

    private int Next()
    {
        var b = Peek();
        if (b != Eof)
        {
            Advance();
        }

        return b;
    }
}
