using NeuroData.Infrastructure.Storage;

namespace NeuroData.Web.Operations;

/// <summary>
/// <c>cid &lt;path&gt;</c>: prints the CIDv0 of a file exactly as <c>ipfs add</c> computes it by default, on one line,
/// and exits 0; a missing or unreadable path gives one line on stderr and exit code <see cref="Verbs.UsageError"/>.
/// Needs neither the database nor the chain (Program.cs runs it before the host is built).
/// </summary>
public sealed class CidVerb : ICommandLineVerb
{
    public string Name => "cid";

    public Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        RunAsync(args, Console.Out, Console.Error, cancellationToken);

    /// <summary>Runs the verb writing to the given console streams.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count != 1 || string.IsNullOrWhiteSpace(args[0]))
        {
            await error.WriteLineAsync("Usage: cid <path>  (prints the CIDv0 of the file, as 'ipfs add' computes it)");
            return Verbs.UsageError;
        }

        var path = args[0];
        try
        {
            if (Directory.Exists(path))
            {
                await error.WriteLineAsync($"cid: '{path}' is a directory, not a file.");
                return Verbs.UsageError;
            }

            await using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                BufferSize = 0,
                Options = FileOptions.SequentialScan,
            });
            var cid = await UnixFsBuilder.ComputeAsync(file, cancellationToken);
            await output.WriteLineAsync(cid.Value);
            return Verbs.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = ex switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => ex.Message,
            };
            await error.WriteLineAsync($"cid: cannot read '{path}': {reason}.");
            return Verbs.UsageError;
        }
    }
}
