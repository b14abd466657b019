using System.Text;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>
/// Rows of the first pass, kept on disk until the column types are known: per cell a presence byte and, when present,
/// the value as a length-prefixed UTF-8 string (<see cref="BinaryWriter.Write(string)"/>). The file is opened with
/// DeleteOnClose and also deleted by <see cref="TempFiles"/>.
/// </summary>
internal sealed class SpillFile : IDisposable
{
    private readonly FileStream stream;
    private readonly BinaryWriter writer;
    private BinaryReader? reader;

    public SpillFile(string path)
    {
        stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 256 * 1024, FileOptions.DeleteOnClose);
        writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
    }

    public void Write(string?[] row)
    {
        foreach (var value in row)
        {
            if (value is null)
            {
                writer.Write(false);
            }
            else
            {
                writer.Write(true);
                writer.Write(value);
            }
        }
    }

    /// <summary>Switches from writing to reading from the first row.</summary>
    public void Rewind()
    {
        writer.Flush();
        stream.Position = 0;
        reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
    }

    public void Read(string?[] row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader!.ReadBoolean() ? reader.ReadString() : null;
        }
    }

    public void Dispose()
    {
        reader?.Dispose();
        writer.Dispose();
        stream.Dispose();
    }
}
