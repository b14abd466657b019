namespace NeuroData.Infrastructure.Ingest;

/// <summary>Temp files of one inspection, under random names in the configured folder; all deleted on dispose.</summary>
internal sealed class TempFiles(string folder) : IDisposable
{
    private readonly List<string> paths = [];

    public string NewFile()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"ingest-{Guid.NewGuid():N}.tmp");
        paths.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var path in paths)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Opened with DeleteOnClose; the handle's close removes it.
            }
        }

        paths.Clear();
    }
}
