namespace NeuroData.Web.Operations;

/// <summary>
/// `dotnet run --project NeuroData.Web` from a clone runs in Development (embedded SQLite, blockstore and dev chain)
/// without a launch profile, so nothing but the app writes to stdout (the <c>cid</c> verb prints exactly one line).
/// A published app (no project file beside it) keeps ASP.NET's default, Production; an explicit
/// ASPNETCORE_ENVIRONMENT / DOTNET_ENVIRONMENT or <c>--environment</c> always wins.
/// </summary>
public static class SourceTreeDefaults
{
    public const string ProjectFile = "NeuroData.Web.csproj";

    public static string? EnvironmentName(IReadOnlyList<string> args, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"))
            || args.Any(a => a.StartsWith("--environment", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--ENVIRONMENT", StringComparison.Ordinal)))
        {
            return null;
        }

        return File.Exists(Path.Combine(workingDirectory ?? Environment.CurrentDirectory, ProjectFile)) ? Environments.Development : null;
    }
}
