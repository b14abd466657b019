using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Training.Runs;
using NeuroData.Web.Components.Layout;

namespace NeuroData.Web.Components.Pages.Training;

/// <summary>
/// What the training pages share: the signed-in user's id and a subscription to the user's run changes
/// (<see cref="ITrainingRunUpdates"/>). Changes that arrive while a reload is pending are folded into it, so a burst
/// of progress reports costs one read; the handler runs on the page's own circuit.
/// </summary>
public abstract class TrainingPageBase : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private int _reloadPending;
    private bool _disposed;

    [Inject]
    protected ITrainingRuns Runs { get; set; } = null!;

    [Inject]
    protected ITrainingRunUpdates Updates { get; set; } = null!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = null!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The signed-in user's id; null when the sign-in carries none (then <see cref="SignInError"/> is set).</summary>
    protected Guid? UserId { get; private set; }

    protected bool IsAdmin { get; private set; }

    protected string? SignInError { get; private set; }

    public void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        _subscription = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>Reads the user from the authentication state; false (with <see cref="SignInError"/>) when there is none.</summary>
    protected async Task<bool> ResolveUserAsync()
    {
        var user = AuthenticationState is null ? null : (await AuthenticationState).User;
        if (user is null || UserClaims.IdOf(user) is not { } id)
        {
            SignInError = "Your sign-in does not carry a user id; sign out and in again.";
            return false;
        }

        UserId = id;
        IsAdmin = user.IsInRole(RoleNames.Admin);
        return true;
    }

    /// <summary>Starts listening to the user's run changes (once).</summary>
    protected void WatchRuns()
    {
        if (_subscription is null && UserId is { } userId)
        {
            _subscription = Updates.Subscribe(userId, OnRunChanged);
        }
    }

    /// <summary>Whether a change of this run concerns the page. Default: every run of the user.</summary>
    protected virtual bool Concerns(Guid runId) => true;

    /// <summary>Re-reads what the page shows after a change.</summary>
    protected abstract Task ReloadAsync();

    private void OnRunChanged(Guid runId)
    {
        if (_disposed || !Concerns(runId) || Interlocked.Exchange(ref _reloadPending, 1) == 1)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            Volatile.Write(ref _reloadPending, 0);
            if (_disposed)
            {
                return;
            }

            try
            {
                await ReloadAsync();
                StateHasChanged();
            }
            catch (Exception ex)
            {
                await DispatchExceptionAsync(ex);
            }
        });
    }
}
