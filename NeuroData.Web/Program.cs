using NeuroData.Infrastructure;
using NeuroData.Infrastructure.Chain;
using NeuroData.Web;
using NeuroData.Web.Accounts;
using NeuroData.Web.Components;
using NeuroData.Web.Disputes;
using NeuroData.Web.Downloads;
using NeuroData.Web.Operations;
using NeuroData.Web.Uploads;
using NeuroData.Web.Wallet;

try
{
    // train, bench training: ML.NET on local files, before the host is built (fast start, nothing to configure).
    if (await NeuroData.Web.Operations.Training.TrainingVerbs.RunEarlyAsync(args) is { } trainingExitCode)
    {
        return trainingExitCode;
    }

    // cid, bench: storage verbs that need no database, chain or platform key, so they run before the host is built.
    if (await StorageVerbs.RunEarlyAsync(args) is { } storageExitCode)
    {
        return storageExitCode;
    }

    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = SourceTreeDefaults.EnvironmentName(args) });

    builder.AddInfrastructure();
    builder.AddWeb();
    builder.AddAccounts();
    builder.AddWallet();    // Sign-In with Ethereum, wallet panel queries, Development faucet

    var app = builder.Build();

    // Verbs (migrate) and the start-up database duty; an exit code means: stop here.
    if (await Verbs.RunAsync(app, args) is { } exitCode)
    {
        return exitCode;
    }

    app.UseOperations();   // security headers, request logging, errors, health endpoints
    app.UseAccounts();     // authentication, authorization, sign-in rate limits: before antiforgery
    app.MapWalletEndpoints(); // POST /Account/SiweLogin, wallet unlink
    app.MapUploadEndpoints(); // /api/v1/uploads: chunked, resumable dataset uploads
    app.UseWeb();          // antiforgery, static assets
    app.MapDatasetDownloads(); // GET /api/v1/datasets/{id}/versions/{n}/download
    app.MapDisputeEndpoints(); // GET /api/v1/escrows/{id}/evidence/{cid}
    NeuroData.Web.Endpoints.ModelEndpoints.MapModelEndpoints(app); // /api/v1/models/{id}/download, /predictions
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

    await app.RunAsync();
    return Verbs.Success;
}
catch (Exception ex) when (ex is ChainConfigurationException or DevChainException or NeuroData.Infrastructure.Storage.StorageConfigurationException)
{
    // The operator's mistake or a missing tool, not a bug: one clear line, no stack trace, a distinct exit code.
    await Console.Error.WriteLineAsync("NeuroData cannot start: " + ex.Message);
    return Verbs.ChainUnavailable;
}

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
