namespace NeuroData.Tests.E2E.Infrastructure;

/// <summary>Where the repository and the test artifacts are, and whether this is a CI run.</summary>
public static class TestEnvironment
{
    private static readonly Lazy<string> RepoRootLazy = new(FindRepoRoot);

    /// <summary>True when the environment variable CI is "true": a missing dependency then fails a test instead of skipping it.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The repository root (the folder holding NeuroData.sln).</summary>
    public static string RepoRoot => RepoRootLazy.Value;

    /// <summary>
    /// The folder test artifacts go to: <c>NEURODATA_TEST_RESULTS</c> when set, otherwise <c>{repo}/TestResults</c>.
    /// </summary>
    public static string ResultsDirectory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("NEURODATA_TEST_RESULTS");
            var dir = string.IsNullOrWhiteSpace(configured) ? Path.Combine(RepoRoot, "TestResults") : Path.GetFullPath(configured);
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NeuroData.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"NeuroData.sln was not found above {AppContext.BaseDirectory}; the E2E tests run from the repository's build output.");
    }
}
