using NeuroData.Domain.Datasets;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>What the first bytes of a file say it is.</summary>
internal enum SniffedFormat
{
    Csv,
    SemicolonCsv,
    Tsv,
    JsonLines,
    Parquet,
    Zip,
}

/// <summary>Detects the format from content (never from the name or Content-Type) and rejects what is not a table.</summary>
internal static class FormatSniffer
{
    /// <summary>How many leading bytes are enough to decide (the header line of a delimited file must start here).</summary>
    public const int HeadLength = 64 * 1024;

    public static SniffedFormat Detect(ReadOnlySpan<byte> head, string where)
    {
        if (head.Length == 0)
        {
            throw new InvalidDatasetException($"{where}the file is empty.");
        }

        if (head.StartsWith("PAR1"u8))
        {
            return SniffedFormat.Parquet;
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return SniffedFormat.Zip;
        }

        if (head.StartsWith("PK\u0005\u0006"u8))
        {
            throw new InvalidDatasetException($"{where}the ZIP archive is empty.");
        }

        if (head.StartsWith("PK\u0007\u0008"u8) || head.StartsWith("PK00"u8))
        {
            throw new InvalidDatasetException($"{where}the file is one part of a split (multi-volume) ZIP archive; upload a single ZIP file.");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            throw new InvalidDatasetException($"{where}the file is compressed with gzip; upload the uncompressed file or a ZIP.");
        }

        if (Binary(head) is { } kind)
        {
            throw new InvalidDatasetException($"{where}the file looks like {kind}, not a table; upload CSV, TSV, JSON Lines, Parquet or a ZIP of those.");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new InvalidDatasetException($"{where}the file is UTF-16 text; save it as UTF-8.");
        }

        var text = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;
        if (text.Length == 0)
        {
            throw new InvalidDatasetException($"{where}the file holds only a byte order mark and no data.");
        }

        if (text.IndexOf((byte)0) >= 0)
        {
            throw new InvalidDatasetException($"{where}the file contains NUL bytes: it looks like a binary file, not text.");
        }

        var trimmed = text.TrimStart(" \t\r\n"u8);
        if (trimmed.Length == 0)
        {
            throw new InvalidDatasetException($"{where}the file holds only blank lines.");
        }

        switch (trimmed[0])
        {
            case (byte)'{':
                return SniffedFormat.JsonLines;
            case (byte)'[':
                throw new InvalidDatasetException($"{where}the file looks like a JSON array; upload JSON Lines (one object per line) instead.");
            case (byte)'<':
                throw new InvalidDatasetException($"{where}the file looks like an HTML or XML document, not a table.");
        }

        return SniffDelimiter(text);
    }

    /// <summary>Counts tabs, commas and semicolons outside quotes on the header line; the most frequent wins
    /// (tab, then comma, on a tie). A header without any of them is a one-column CSV.</summary>
    private static SniffedFormat SniffDelimiter(ReadOnlySpan<byte> text)
    {
        int tabs = 0, commas = 0, semicolons = 0;
        var quoted = false;
        foreach (var b in text)
        {
            if (b == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted)
            {
                if (b == '\n')
                {
                    break;
                }

                switch (b)
                {
                    case (byte)'\t': tabs++; break;
                    case (byte)',': commas++; break;
                    case (byte)';': semicolons++; break;
                }
            }
        }

        return tabs > 0 && tabs >= commas && tabs >= semicolons ? SniffedFormat.Tsv
            : semicolons > commas ? SniffedFormat.SemicolonCsv
            : SniffedFormat.Csv;
    }

    private static string? Binary(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF"u8))
        {
            return "a PDF document";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']))
        {
            return "a PNG image";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "a JPEG image";
        }

        if (head.StartsWith("GIF8"u8))
        {
            return "a GIF image";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C]))
        {
            return "a 7-Zip archive";
        }

        if (head.StartsWith("Rar!"u8))
        {
            return "a RAR archive";
        }

        if (head.StartsWith("BZh"u8) && head.Length > 3 && head[3] is >= (byte)'1' and <= (byte)'9')
        {
            return "a bzip2-compressed file";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]))
        {
            return "an xz-compressed file";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            return "a Zstandard-compressed file";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return "an old Microsoft Office document (export it as CSV)";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F']))
        {
            return "a program (ELF executable)";
        }

        if (head.StartsWith("SQLite format 3\0"u8))
        {
            return "an SQLite database";
        }

        return null;
    }
}
