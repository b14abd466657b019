using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace NeuroData.Web.Components.Pages.Datasets.Wizard;

/// <summary>What <c>upload.js</c> resolves to: <c>{ ok, value }</c> or <c>{ ok: false, status, message, received? }</c>.</summary>
public sealed record UploadJsResult<T>(bool Ok, T? Value, int Status, string? Message, long? Received);

/// <summary>An upload session as the API answers it.</summary>
public sealed record UploadSessionInfo(Guid Id, Guid DatasetId, string? FileName, long SizeBytes, int ChunkSize, long Received, string Status, string? Error, Guid? VersionId, long IngestedBytes);

/// <summary>The chosen file.</summary>
public sealed record ChosenFile(string Name, long Size);

/// <summary>How a send ended: "sent" or "paused".</summary>
public sealed record SendOutcome(string State, long Received);

/// <summary>
/// The C# side of <c>wwwroot/js/upload.js</c> for ONE component on ONE circuit: owns the module, the JS upload state
/// and the <see cref="DotNetObjectReference{T}"/> progress comes back to. Create it in
/// <c>OnAfterRenderAsync(firstRender)</c>; dispose it with the component. The bytes go from the browser to
/// <c>/api/v1/uploads</c> over HTTP, never through the circuit.
/// </summary>
public sealed class UploadInterop(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./js/upload.js";

    private IJSObjectReference? _module;
    private IJSObjectReference? _state;
    private DotNetObjectReference<UploadInterop>? _self;
    private bool _disposed;

    /// <summary>Raised after each chunk: bytes the server holds, the total, bytes per second.</summary>
    public event Func<long, long, double, Task>? Progress;

    public bool IsInitialized => _state is not null;

    public async Task<bool> InitializeAsync(string antiforgeryToken, string? headerName)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_state is not null)
        {
            return true;
        }

        try
        {
            _module = await js.InvokeAsync<IJSObjectReference>("import", ModulePath);
            _self = DotNetObjectReference.Create(this);
            _state = await _module.InvokeAsync<IJSObjectReference>("init", _self, new { token = antiforgeryToken, headerName });
            return true;
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    public Task<UploadJsResult<ChosenFile>> SelectFileAsync(ElementReference input) => CallAsync<ChosenFile>("selectFile", input);

    public Task<UploadJsResult<UploadSessionInfo>> CreateAsync(Guid datasetId) => CallAsync<UploadSessionInfo>("create", datasetId.ToString());

    public Task<UploadJsResult<UploadSessionInfo>> AttachAsync(Guid sessionId) => CallAsync<UploadSessionInfo>("attach", sessionId.ToString());

    public Task<UploadJsResult<SendOutcome>> SendAsync() => CallAsync<SendOutcome>("send");

    public Task<UploadJsResult<SendOutcome>> ResumeAsync() => CallAsync<SendOutcome>("resume");

    public Task<UploadJsResult<object>> PauseAsync() => CallAsync<object>("pause");

    public Task<UploadJsResult<UploadSessionInfo>> CompleteAsync() => CallAsync<UploadSessionInfo>("complete");

    public Task<UploadJsResult<UploadSessionInfo>> StatusAsync(Guid? sessionId = null) => CallAsync<UploadSessionInfo>("status", sessionId?.ToString());

    public Task<UploadJsResult<object>> CancelAsync() => CallAsync<object>("cancel");

    [JSInvokable]
    public Task OnUploadProgress(long sent, long total, double bytesPerSecond) => Progress?.Invoke(sent, total, bytesPerSecond) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_module is not null && _state is not null)
            {
                await _module.InvokeVoidAsync("dispose", _state);
                await _state.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (Exception ex) when (ex is JSDisconnectedException or JSException or TaskCanceledException or ObjectDisposedException)
        {
            // The circuit is gone; the tab dropped the upload state with it.
        }

        _self?.Dispose();
    }

    private async Task<UploadJsResult<T>> CallAsync<T>(string function, params object?[] args)
    {
        if (_disposed || _module is null || _state is null)
        {
            return new UploadJsResult<T>(false, default, 0, "The upload module is not loaded; reload the page.", null);
        }

        try
        {
            return await _module.InvokeAsync<UploadJsResult<T>>(function, [_state, .. args]);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return new UploadJsResult<T>(false, default, 0, "The browser could not run the upload; reload the page and try again.", null);
        }
    }
}
