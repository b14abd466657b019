using System.Buffers.Binary;
using System.Text;
using NeuroData.Domain.Datasets;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>One file entry of a ZIP archive, as its central directory declares it (already checked).</summary>
internal sealed record ZipEntryInfo(string Name, ushort Method, long CompressedSize, long UncompressedSize, long LocalHeaderOffset, long DataStart);

/// <summary>
/// Reads and checks a ZIP archive's central directory before anything is decompressed: single volume, entry count,
/// names (no traversal, absolute, drive or UNC paths, control or direction characters, reserved device names,
/// over-long names, case-insensitive duplicates), no encryption, no symlinks or special files, only stored or deflate
/// entries, declared sizes within the limits, and entries whose data do not overlap each other or the directory.
/// Entry names are never used as paths: nothing is extracted to disk by name.
/// </summary>
internal static class ZipDirectory
{
    private const uint EndOfCentralDirectory = 0x06054B50;
    private const uint Zip64EndOfCentralDirectory = 0x06064B50;
    private const uint Zip64Locator = 0x07064B50;
    private const uint CentralHeader = 0x02014B50;
    private const uint LocalHeader = 0x04034B50;
    private const int MaxNameLength = 255;

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>The file entries (folders left out), in central directory order.</summary>
    public static List<ZipEntryInfo> Read(Stream archive, IngestOptions options)
    {
        var fileLength = archive.Length;
        var (entryCount, directorySize, directoryOffset, directoryEnd) = ReadEnd(archive, options);
        if (directoryOffset + directorySize > directoryEnd || directoryOffset < 0)
        {
            throw Damaged("the central directory lies outside the file");
        }

        var entries = new List<(ZipEntryInfo Entry, long DataEnd)>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var directory = new byte[directorySize];
        archive.Position = directoryOffset;
        archive.ReadExactly(directory);
        var span = directory.AsSpan();
        long declaredTotal = 0;
        for (var i = 0; i < entryCount; i++)
        {
            if (span.Length < 46 || BinaryPrimitives.ReadUInt32LittleEndian(span) != CentralHeader)
            {
                throw Damaged("the central directory is truncated");
            }

            var madeBy = BinaryPrimitives.ReadUInt16LittleEndian(span[4..]);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(span[8..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(span[10..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(span[20..]);
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(span[24..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(span[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(span[30..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(span[32..]);
            long disk = BinaryPrimitives.ReadUInt16LittleEndian(span[34..]);
            var external = BinaryPrimitives.ReadUInt32LittleEndian(span[38..]);
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(span[42..]);
            var recordLength = 46 + nameLength + extraLength + commentLength;
            if (span.Length < recordLength)
            {
                throw Damaged("the central directory is truncated");
            }

            var nameBytes = span.Slice(46, nameLength);
            var extra = span.Slice(46 + nameLength, extraLength);
            ReadZip64Extra(extra, ref uncompressed, ref compressed, ref offset, ref disk);
            span = span[recordLength..];

            string name;
            try
            {
                name = TableRules.StrictUtf8.GetString(nameBytes);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDatasetException($"ZIP entry {i + 1} has a name that is not valid UTF-8; re-create the archive with UTF-8 names.");
            }

            CheckName(name, i);
            var key = name.TrimEnd('/').Normalize(NormalizationForm.FormC).ToUpperInvariant();
            if (names.TryGetValue(key, out var other))
            {
                throw new InvalidDatasetException(
                    $"the ZIP archive has two entries with the same name (ignoring letter case): \"{TableRules.Shorten(other)}\" and \"{TableRules.Shorten(name)}\".");
            }

            names[key] = name;
            if (disk != 0)
            {
                throw new InvalidDatasetException("the ZIP archive spans several volumes (a split archive); upload a single ZIP file.");
            }

            if ((flags & 0x41) != 0 || method == 99)
            {
                throw new InvalidDatasetException($"the ZIP entry \"{TableRules.Shorten(name)}\" is encrypted; upload an archive without a password.");
            }

            var host = madeBy >> 8;
            var unixType = (external >> 16) & 0xF000;
            if (host == 3 && unixType == 0xA000)
            {
                throw new InvalidDatasetException($"the ZIP entry \"{TableRules.Shorten(name)}\" is a symbolic link; archives may hold only plain files.");
            }

            if (host == 3 && unixType != 0 && unixType != 0x8000 && unixType != 0x4000)
            {
                throw new InvalidDatasetException($"the ZIP entry \"{TableRules.Shorten(name)}\" is a special file (device, pipe or socket); archives may hold only plain files.");
            }

            if (method is not 0 and not 8)
            {
                throw new InvalidDatasetException(
                    $"the ZIP entry \"{TableRules.Shorten(name)}\" uses compression method {method}; only stored and deflate (the usual ZIP compression) are accepted.");
            }

            if (offset < 0 || offset + 30 > directoryOffset)
            {
                throw Damaged($"the entry \"{TableRules.Shorten(name)}\" points outside the archive");
            }

            var dataStart = ReadLocalHeader(archive, offset, name);
            var dataEnd = dataStart + compressed;
            if (compressed < 0 || dataEnd > directoryOffset)
            {
                throw Damaged($"the entry \"{TableRules.Shorten(name)}\" declares more compressed data than the archive holds");
            }

            if (method == 0 && compressed != uncompressed)
            {
                throw new InvalidDatasetException($"the ZIP entry \"{TableRules.Shorten(name)}\" declares sizes that do not agree; the archive is damaged or forged.");
            }

            declaredTotal += uncompressed;
            if (uncompressed < 0 || declaredTotal > options.MaxDecompressedBytes)
            {
                throw new InvalidDatasetException(
                    $"the ZIP archive would decompress to more than {options.MaxDecompressedBytes:N0} bytes; upload the data in smaller archives.");
            }

            entries.Add((new ZipEntryInfo(name, method, compressed, uncompressed, offset, dataStart), dataEnd));
        }

        if (declaredTotal > (long)options.MaxCompressionRatio * Math.Max(fileLength, 1))
        {
            throw new InvalidDatasetException(
                $"the ZIP archive declares {declaredTotal:N0} bytes of content in a {fileLength:N0}-byte file, more than {options.MaxCompressionRatio}:1; this looks like a zip bomb.");
        }

        // Entries share no bytes: overlapping entries let a small archive expand many times (a zip bomb trick).
        var byOffset = entries.OrderBy(e => e.Entry.LocalHeaderOffset).ToList();
        for (var i = 1; i < byOffset.Count; i++)
        {
            if (byOffset[i].Entry.LocalHeaderOffset < byOffset[i - 1].DataEnd)
            {
                throw new InvalidDatasetException(
                    $"the ZIP entries \"{TableRules.Shorten(byOffset[i - 1].Entry.Name)}\" and \"{TableRules.Shorten(byOffset[i].Entry.Name)}\" overlap; this looks like a zip bomb.");
            }
        }

        return [.. entries.Select(e => e.Entry).Where(e => !(e.Name.EndsWith('/') && e.UncompressedSize == 0))];
    }

    private static (long Count, int Size, long Offset, long End) ReadEnd(Stream archive, IngestOptions options)
    {
        var fileLength = archive.Length;
        var tailLength = (int)Math.Min(fileLength, 22 + 0xFFFF);
        var tail = new byte[tailLength];
        archive.Position = fileLength - tailLength;
        archive.ReadExactly(tail);
        var at = -1;
        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndOfCentralDirectory)
            {
                at = i;
                break;
            }
        }

        if (at < 0)
        {
            throw Damaged("its end record is missing (truncated?)");
        }

        var end = tail.AsSpan(at);
        long thisDisk = BinaryPrimitives.ReadUInt16LittleEndian(end[4..]);
        long directoryDisk = BinaryPrimitives.ReadUInt16LittleEndian(end[6..]);
        long entriesHere = BinaryPrimitives.ReadUInt16LittleEndian(end[8..]);
        long entries = BinaryPrimitives.ReadUInt16LittleEndian(end[10..]);
        long size = BinaryPrimitives.ReadUInt32LittleEndian(end[12..]);
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(end[16..]);
        var endPosition = fileLength - tailLength + at;
        var directoryEnd = endPosition;
        if (entries == 0xFFFF || size == 0xFFFFFFFF || offset == 0xFFFFFFFF || entriesHere == 0xFFFF)
        {
            if (endPosition < 20)
            {
                throw Damaged("its ZIP64 end record is missing");
            }

            var locator = new byte[20];
            archive.Position = endPosition - 20;
            archive.ReadExactly(locator);
            if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64Locator)
            {
                throw Damaged("its ZIP64 end record is missing");
            }

            var zip64At = (long)BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8));
            var totalDisks = BinaryPrimitives.ReadUInt32LittleEndian(locator.AsSpan(16));
            if (totalDisks > 1)
            {
                throw new InvalidDatasetException("the ZIP archive spans several volumes (a split archive); upload a single ZIP file.");
            }

            if (zip64At < 0 || zip64At + 56 > endPosition - 20)
            {
                throw Damaged("its ZIP64 end record lies outside the file");
            }

            var record = new byte[56];
            archive.Position = zip64At;
            archive.ReadExactly(record);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndOfCentralDirectory)
            {
                throw Damaged("its ZIP64 end record is damaged");
            }

            thisDisk = BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(16));
            directoryDisk = BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(20));
            entriesHere = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(24));
            entries = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
            size = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40));
            offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48));
            directoryEnd = zip64At;
        }

        if (thisDisk != 0 || directoryDisk != 0 || entriesHere != entries)
        {
            throw new InvalidDatasetException("the ZIP archive spans several volumes (a split archive); upload a single ZIP file.");
        }

        if (entries > options.MaxArchiveEntries || entries < 0)
        {
            throw new InvalidDatasetException($"the ZIP archive has {entries:N0} entries; at most {options.MaxArchiveEntries:N0} are accepted.");
        }

        if (entries == 0)
        {
            throw new InvalidDatasetException("the ZIP archive is empty.");
        }

        if (size < 0 || size > directoryEnd || size > entries * (46L + (3 * 0xFFFF)))
        {
            throw Damaged("its central directory size is impossible");
        }

        return (entries, (int)size, offset, directoryEnd);
    }

    private static void ReadZip64Extra(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed, ref long offset, ref long disk)
    {
        while (extra.Length >= 4)
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            var size = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (extra.Length < 4 + size)
            {
                throw Damaged("an entry's extra field is truncated");
            }

            var data = extra.Slice(4, size);
            extra = extra[(4 + size)..];
            if (id != 0x0001)
            {
                continue;
            }

            if (uncompressed == 0xFFFFFFFF)
            {
                uncompressed = Take8(ref data);
            }

            if (compressed == 0xFFFFFFFF)
            {
                compressed = Take8(ref data);
            }

            if (offset == 0xFFFFFFFF)
            {
                offset = Take8(ref data);
            }

            if (disk == 0xFFFF)
            {
                disk = data.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(data) : throw Damaged("an entry's ZIP64 field is truncated");
            }
        }
    }

    private static long Take8(ref ReadOnlySpan<byte> data)
    {
        if (data.Length < 8)
        {
            throw Damaged("an entry's ZIP64 field is truncated");
        }

        var value = (long)BinaryPrimitives.ReadUInt64LittleEndian(data);
        data = data[8..];
        return value;
    }

    private static long ReadLocalHeader(Stream archive, long offset, string name)
    {
        Span<byte> header = stackalloc byte[30];
        archive.Position = offset;
        archive.ReadExactly(header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalHeader)
        {
            throw Damaged($"the entry \"{TableRules.Shorten(name)}\" has no local header where the directory says");
        }

        if ((BinaryPrimitives.ReadUInt16LittleEndian(header[6..]) & 0x41) != 0)
        {
            throw new InvalidDatasetException($"the ZIP entry \"{TableRules.Shorten(name)}\" is encrypted; upload an archive without a password.");
        }

        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[26..]);
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        return offset + 30 + nameLength + extraLength;
    }

    private static void CheckName(string name, int index)
    {
        string? problem = null;
        if (name.Length == 0)
        {
            problem = "is empty";
        }
        else if (name.Length > MaxNameLength)
        {
            problem = $"is longer than {MaxNameLength} characters";
        }
        else if (name.Any(char.IsControl))
        {
            problem = "contains control characters (such as line breaks)";
        }
        else if (name.Any(c => c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')))
        {
            problem = "contains invisible text-direction characters (such as a right-to-left override)";
        }
        else if (name.Contains('\\', StringComparison.Ordinal))
        {
            problem = name.StartsWith(@"\\", StringComparison.Ordinal) ? "is a network (UNC) path" : "contains a backslash";
        }
        else if (name.StartsWith('/'))
        {
            problem = "is an absolute path";
        }
        else if (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0]))
        {
            problem = "starts with a drive letter";
        }
        else
        {
            var segments = name.TrimEnd('/').Split('/');
            if (segments.Any(s => s is ".." or "." or ""))
            {
                problem = "leads outside its folder (\"..\") or has empty path parts";
            }
            else if (segments.Any(s => ReservedNames.Contains(s.Split('.')[0].TrimEnd(' '))))
            {
                problem = "uses a name reserved by Windows (such as CON or NUL)";
            }
        }

        if (problem is not null)
        {
            throw new InvalidDatasetException($"ZIP entry {index + 1} (\"{TableRules.Shorten(name)}\") has a name that {problem}; rename the file and re-create the archive.");
        }
    }

    private static InvalidDatasetException Damaged(string detail) => new($"the ZIP archive is damaged: {detail}.");
}
