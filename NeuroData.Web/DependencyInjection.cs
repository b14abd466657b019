using MudBlazor;
using MudBlazor.Services;
using NeuroData.Infrastructure.Queries;
using NeuroData.Web.Operations;
using NeuroData.Web.Operations.Training;
using NeuroData.Web.Rendering;

namespace NeuroData.Web;

public static class DependencyInjection
{
    /// <summary>Registers the web layer: operations, Blazor Server, MudBlazor, authorization, page queries.</summary>
    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        builder.AddOperations();
        builder.Services.AddStorageVerbs(); // cid, bench storage
        builder.Services.AddTrainingVerbs(); // train (runs early, see Program.cs)
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomCenter;
            config.SnackbarConfiguration.PreventDuplicates = true;
            config.SnackbarConfiguration.VisibleStateDuration = 6000;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddNeuroDataQueries();
        builder.Services.AddDiscoveryWeb();
        return builder;
    }

    /// <summary>The request pipeline after operations and accounts: antiforgery, static assets.</summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        return app;
    }
}
