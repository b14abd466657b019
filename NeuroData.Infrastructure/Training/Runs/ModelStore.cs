using System.Globalization;
using NeuroData.Domain.Training;

namespace NeuroData.Infrastructure.Training.Runs;

/// <summary>
/// Where trained model files live: <c>{DataDirectory}/models/{userId}/{modelId}.zip</c>. <see cref="TrainedModel.FilePath"/>
/// holds the path relative to the root, so the data folder can move. Model files are ML.NET zips (no raw rows).
/// </summary>
public sealed class ModelStore
{
    public ModelStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>The relative path a new model gets.</summary>
    public static string RelativePathFor(Guid userId, Guid modelId) =>
        Path.Combine(userId.ToString("N", CultureInfo.InvariantCulture), modelId.ToString("N", CultureInfo.InvariantCulture) + ".zip");

    /// <summary>The absolute path of a stored model; refuses paths that would leave the root.</summary>
    public string FullPath(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("A model path must stay inside the model store.");
        }

        return full;
    }

    public string FullPath(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return FullPath(model.FilePath);
    }

    /// <summary>Moves a finished model file (written by the trainer to a temp path) into the store; returns its relative path.</summary>
    public string Import(Guid userId, Guid modelId, string sourcePath)
    {
        var relative = RelativePathFor(userId, modelId);
        var target = FullPath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(sourcePath, target, overwrite: false);
        return relative;
    }

    /// <summary>Removes a stored model file (when its row could not be saved, so no orphan file stays).</summary>
    public void Delete(string relativePath)
    {
        var full = FullPath(relativePath);
        if (File.Exists(full))
        {
            File.Delete(full);
        }
    }
}
