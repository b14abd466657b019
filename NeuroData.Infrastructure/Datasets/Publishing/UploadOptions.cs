using System.Globalization;
using Microsoft.Extensions.Configuration;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Datasets.Publishing;

/// <summary>
/// Limits of the chunked upload endpoint (<c>NeuroData:Uploads:*</c>) and where unfinished uploads live
/// (<c>{DataDirectory}/uploads</c>, one temp file per session named by the session id).
/// </summary>
public sealed record UploadOptions
{
    public const string Section = "NeuroData:Uploads";

    /// <summary>Largest file a seller may upload. Default 5 GiB.</summary>
    public long MaxFileBytes { get; init; } = 5L * 1024 * 1024 * 1024;

    /// <summary>Size of one chunk (the largest body a PUT may carry). Default 8 MiB.</summary>
    public int ChunkBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Unfinished uploads one user may have open at once. Default 3.</summary>
    public int MaxConcurrentSessionsPerUser { get; init; } = 3;

    /// <summary>An upload nobody touched for this long is removed with its temp file. Default 24 hours.</summary>
    public TimeSpan AbandonAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Slowest accepted chunk body, in bytes per second (after a 10 s grace period). Default 4096.</summary>
    public int MinBodyBytesPerSecond { get; init; } = 4096;

    /// <summary>How often abandoned uploads are looked for. Default 1 hour.</summary>
    public TimeSpan CleanupInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Folder of the temp files: <c>{DataDirectory}/uploads</c>.</summary>
    public string Directory { get; init; } = string.Empty;

    /// <summary>The temp file of an upload session (named by the id, never by the seller's file name).</summary>
    public string TempFilePath(Guid sessionId) => Path.Combine(Directory, sessionId.ToString("N", CultureInfo.InvariantCulture) + ".upload");

    /// <summary>The temp file ingest writes the training form to.</summary>
    public string TrainingFormPath(Guid sessionId) => Path.Combine(Directory, sessionId.ToString("N", CultureInfo.InvariantCulture) + ".training");

    /// <summary>Reads <see cref="Section"/>; throws <see cref="InvalidOperationException"/> naming the bad setting.</summary>
    public static UploadOptions From(IConfiguration configuration, string contentRoot)
    {
        var section = configuration.GetSection(Section);
        var defaults = new UploadOptions();
        var options = new UploadOptions
        {
            MaxFileBytes = Read(section, nameof(MaxFileBytes), defaults.MaxFileBytes, long.Parse),
            ChunkBytes = Read(section, nameof(ChunkBytes), defaults.ChunkBytes, int.Parse),
            MaxConcurrentSessionsPerUser = Read(section, nameof(MaxConcurrentSessionsPerUser), defaults.MaxConcurrentSessionsPerUser, int.Parse),
            AbandonAfter = Read(section, nameof(AbandonAfter), defaults.AbandonAfter, TimeSpan.Parse),
            MinBodyBytesPerSecond = Read(section, nameof(MinBodyBytesPerSecond), defaults.MinBodyBytesPerSecond, int.Parse),
            CleanupInterval = Read(section, nameof(CleanupInterval), defaults.CleanupInterval, TimeSpan.Parse),
            Directory = Path.Combine(DatabaseSettings.ResolveDataDirectory(configuration, contentRoot), "uploads"),
        };

        if (options.MaxFileBytes <= 0 || options.ChunkBytes < 1024 || options.MaxConcurrentSessionsPerUser < 1
            || options.AbandonAfter <= TimeSpan.Zero || options.MinBodyBytesPerSecond < 0 || options.CleanupInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"{Section}: MaxFileBytes must be positive, ChunkBytes at least 1024, MaxConcurrentSessionsPerUser at least 1, AbandonAfter and CleanupInterval positive, MinBodyBytesPerSecond not negative.");
        }

        return options;
    }

    private static T Read<T>(IConfigurationSection section, string key, T fallback, Func<string, IFormatProvider, T> parse)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        try
        {
            return parse(text.Trim(), CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{Section}:{key} '{text}' is not a valid value.");
        }
        catch (OverflowException)
        {
            throw new InvalidOperationException($"{Section}:{key} '{text}' is out of range.");
        }
    }
}
