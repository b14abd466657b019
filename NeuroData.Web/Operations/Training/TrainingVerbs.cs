namespace NeuroData.Web.Operations.Training;

/// <summary>The training verbs (<c>train</c>, <c>bench training</c>): they need neither the database nor the chain.</summary>
public static class TrainingVerbs
{
    /// <summary>Registers <c>train</c> so the verb list names it.</summary>
    public static IServiceCollection AddTrainingVerbs(this IServiceCollection services)
    {
        services.AddSingleton<ICommandLineVerb, TrainVerb>();
        return services;
    }

    /// <summary>Runs <c>train</c> and <c>bench training</c> before the host is built (fast start, no configuration
    /// needed); null for every other command line.</summary>
    public static async Task<int?> RunEarlyAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var verb = Verbs.VerbOf(args);
        if (string.Equals(verb, "train", StringComparison.OrdinalIgnoreCase))
        {
            // A batch process with nobody waiting on a page: garbage collection without background threads is faster
            // for it (the app itself keeps the default, interactive mode).
            System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
            return await TrainVerb.RunAsync([.. args.Skip(1)], Console.Out, Console.Error, cancellationToken);
        }

        if (string.Equals(verb, "bench", StringComparison.OrdinalIgnoreCase) && args.Count > 1 && string.Equals(args[1], "training", StringComparison.OrdinalIgnoreCase))
        {
            return await TrainingBench.RunAsync([.. args.Skip(2)], Console.Out, Console.Error, cancellationToken);
        }

        return null;
    }
}
