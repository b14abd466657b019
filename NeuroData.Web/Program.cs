using NeuroData.Infrastructure;
using NeuroData.Web;
using NeuroData.Web.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddInfrastructure();
builder.AddWeb();

var app = builder.Build();

app.UseWeb();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
