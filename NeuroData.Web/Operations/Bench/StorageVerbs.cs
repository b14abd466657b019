using NeuroData.Web.Operations.Bench;

namespace NeuroData.Web.Operations;

/// <summary>The storage verbs (<c>cid</c>, <c>bench storage</c>): they need neither the database nor the chain.</summary>
public static class StorageVerbs
{
    /// <summary>Registers the verbs so the verb list names them.</summary>
    public static IServiceCollection AddStorageVerbs(this IServiceCollection services)
    {
        services.AddSingleton<ICommandLineVerb, CidVerb>();
        return services;
    }

    /// <summary>
    /// Runs <c>cid</c> and <c>bench</c> before the host is built (so no configuration of the database, chain or platform
    /// key is needed, in any environment); null for every other command line.
    /// </summary>
    public static async Task<int?> RunEarlyAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var verb = Verbs.VerbOf(args);
        if (string.Equals(verb, "cid", StringComparison.OrdinalIgnoreCase))
        {
            return await CidVerb.RunAsync([.. args.Skip(1)], Console.Out, Console.Error, cancellationToken);
        }

        // `bench search` needs the database services: it runs as a host verb (SearchBench).
        if (string.Equals(verb, "bench", StringComparison.OrdinalIgnoreCase)
            && !(args.Count > 1 && string.Equals(args[1], "search", StringComparison.OrdinalIgnoreCase)))
        {
            return await BenchVerb.RunAsync([.. args.Skip(1)], Console.Out, Console.Error, cancellationToken);
        }

        return null;
    }
}
