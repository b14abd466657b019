using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using NeuroData.Infrastructure.Training.Runs;

namespace NeuroData.Tests.Components.Training;

/// <summary>MudBlazor, a signed-in user and the in-memory run queue behind both contracts.</summary>
public abstract class TrainingPageTest : BunitContext
{
    private protected TrainingPageTest()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose; // MudBlazor's own JS only; these pages call no module of ours
        Services.AddSingleton<ITrainingRuns>(RunsStore);
        Services.AddSingleton<ITrainingRunUpdates>(RunsStore);
        var auth = AddAuthorization();
        auth.SetAuthorized("trainer@example.test");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, UserId.ToString()));
    }

    private protected Guid UserId { get; } = Guid.CreateVersion7();

    private protected InMemoryTrainingRuns RunsStore { get; } = new();

    private protected static TimeSpan Wait => TimeSpan.FromSeconds(5);
}
