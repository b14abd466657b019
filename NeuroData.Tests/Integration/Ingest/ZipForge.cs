using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NeuroData.Tests.Integration.Ingest;

/// <summary>Builds real ZIP archives with System.IO.Compression and patches their headers to forge hostile ones.</summary>
public sealed class ZipForge
{
    private ZipForge(byte[] bytes) => Bytes = bytes;

    public byte[] Bytes { get; }

    /// <summary>An archive of the given entries (deflated), in order.</summary>
    public static ZipForge Create(params (string Name, byte[] Content)[] entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(content);
            }
        }

        return new ZipForge(ms.ToArray());
    }

    public static ZipForge Create(params (string Name, string Content)[] entries) =>
        Create([.. entries.Select(e => (e.Name, Encoding.UTF8.GetBytes(e.Content)))]);

    public int EndRecord
    {
        get
        {
            for (var i = Bytes.Length - 22; i >= 0; i--)
            {
                if (BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(i)) == 0x06054B50)
                {
                    return i;
                }
            }

            throw new InvalidOperationException("no end record");
        }
    }

    /// <summary>Offset of the central directory header of entry <paramref name="index"/>.</summary>
    public int Central(int index)
    {
        var at = (int)BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(EndRecord + 16));
        for (var i = 0; i < index; i++)
        {
            at += 46 + U16(at + 28) + U16(at + 30) + U16(at + 32);
        }

        return at;
    }

    public int Local(int index) => (int)BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(Central(index) + 42));

    public ZipForge SetU16(int offset, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(Bytes.AsSpan(offset), value);
        return this;
    }

    public ZipForge SetU32(int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(Bytes.AsSpan(offset), value);
        return this;
    }

    public ushort U16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(offset));

    public uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(offset));

    /// <summary>Sets the general purpose flags of an entry in both headers.</summary>
    public ZipForge SetFlags(int index, ushort flags) => SetU16(Central(index) + 8, flags).SetU16(Local(index) + 6, flags);

    /// <summary>Sets the declared uncompressed size of an entry in both headers.</summary>
    public ZipForge SetDeclaredSize(int index, uint size) => SetU32(Central(index) + 24, size).SetU32(Local(index) + 22, size);

    /// <summary>Replaces an entry's name (same byte length) in both headers.</summary>
    public ZipForge SetName(int index, byte[] name)
    {
        var length = U16(Central(index) + 28);
        if (name.Length != length)
        {
            throw new ArgumentException($"the name must have {length} bytes", nameof(name));
        }

        name.CopyTo(Bytes, Central(index) + 46);
        name.CopyTo(Bytes, Local(index) + 30);
        return this;
    }
}
