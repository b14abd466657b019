using MudBlazor.Services;

namespace NeuroData.Web;

public static class DependencyInjection
{
    /// <summary>Registers the web layer: Blazor Server, MudBlazor.</summary>
    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    /// <summary>The request pipeline.</summary>
    public static WebApplication UseWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseAntiforgery();
        app.MapStaticAssets();
        return app;
    }
}
