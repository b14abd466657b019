using NeuroData.Infrastructure;
using NeuroData.Web;
using NeuroData.Web.Accounts;
using NeuroData.Web.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddInfrastructure();
builder.AddWeb();
builder.AddAccounts();

var app = builder.Build();

app.UseAccounts(); // authentication + authorization must run before UseAntiforgery (in UseWeb)
app.UseWeb();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
