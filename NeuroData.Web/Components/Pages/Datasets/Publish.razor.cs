using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Datasets.Publishing;
using NeuroData.Web.Components.Layout;
using NeuroData.Web.Components.Pages.Datasets.Wizard;
using NeuroData.Web.Rendering;

namespace NeuroData.Web.Components.Pages.Datasets;

/// <summary>
/// The publish wizard: details -> file -> profile and preview -> price and access -> review and submit; or, for a new
/// version of an existing dataset, file -> profile -> done. The file goes from the browser to the upload API through
/// <see cref="UploadInterop"/>; this page only follows its progress and, once the bytes are in, the ingest.
/// </summary>
public sealed partial class Publish
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _lifetime = new();
    private UploadInterop? _upload;
    private ElementReference _fileInput;
    private Guid _userId;
    private bool _loaded;
    private string? _loadError;
    private string? _error;
    private bool _busy;
    private bool _showErrors;
    private int _step;
    private PublishForm _form = new();
    private IReadOnlyList<CategoryOption> _categories = [];
    private Guid? _datasetId;
    private DatasetStatus _datasetStatus = DatasetStatus.Draft;
    private string? _datasetTitle;

    private UploadPhase _uploadState;
    private string? _uploadError;
    private long _sent;
    private long _total;
    private double _speed;
    private Guid? _sessionId;
    private UploadState? _resumable;
    private long _ingested;
    private bool _polling;
    private VersionSummary? _version;
    private int _previewRows;

    internal enum UploadPhase
    {
        None,
        Uploading,
        Paused,
        Processing,
        Ready,
        Failed,
    }

    internal enum WizardStep
    {
        Details,
        File,
        Profile,
        Pricing,
        Review,
    }

    /// <summary>The dataset a new version is for (route /datasets/{id}/versions/new). Default: none (a new dataset).</summary>
    [Parameter] public Guid? DatasetId { get; set; }

    /// <summary>A draft to continue (?draft=id), e.g. after a reload.</summary>
    [SupplyParameterFromQuery(Name = "draft")] public Guid? Draft { get; set; }

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject] private DatasetPublishingService Publishing { get; set; } = null!;

    [Inject] private UploadService Uploads { get; set; } = null!;

    [Inject] private MarkdownRenderer Markdown { get; set; } = null!;

    [Inject] private IJSRuntime JS { get; set; } = null!;

    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Inject] private AntiforgeryStateProvider Antiforgery { get; set; } = null!;

    [Inject] private IOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions> AntiforgeryOptions { get; set; } = null!;

    [Inject] private TimeProvider Time { get; set; } = null!;

    private bool IsNewVersion => DatasetId is not null;

    private IReadOnlyList<WizardStep> StepKinds => IsNewVersion
        ? [WizardStep.File, WizardStep.Profile, WizardStep.Review]
        : [WizardStep.Details, WizardStep.File, WizardStep.Profile, WizardStep.Pricing, WizardStep.Review];

    private IReadOnlyList<string> Steps => [.. StepKinds.Select(StepLabel)];

    private WizardStep CurrentStep => StepKinds[_step];

    private bool CanSubmit => _datasetStatus is DatasetStatus.Draft or DatasetStatus.Rejected or DatasetStatus.Delisted;

    private bool CanResume => _uploadState is UploadPhase.Paused || (_uploadState is UploadPhase.Failed && _sessionId is not null && _sent < _total && _upload?.IsInitialized == true && _uploadError is not null && !_ingestFailed);

    private bool CanCancel => _uploadState is UploadPhase.Uploading or UploadPhase.Paused || (_resumable is not null && _uploadState is UploadPhase.None) || (_uploadState is UploadPhase.Failed && !_ingestFailed && _sessionId is not null);

    private bool _ingestFailed;

    private double Percent => _uploadState switch
    {
        UploadPhase.Processing or UploadPhase.Ready => 100,
        _ => _total <= 0 ? 0 : Math.Floor(_sent * 100.0 / _total),
    };

    private string ProgressText => _uploadState switch
    {
        UploadPhase.None => "No file chosen yet.",
        UploadPhase.Processing when _total > 0 => $"{Bytes(_total)} sent · processed {Bytes(Math.Min(_ingested, _total))}",
        _ when _total > 0 && _uploadState == UploadPhase.Uploading && _speed > 0 => $"{Bytes(_sent)} of {Bytes(_total)} · {(_speed / 1_000_000).ToString("0.0", CultureInfo.InvariantCulture)} MB/s",
        _ when _total > 0 => $"{Bytes(_sent)} of {Bytes(_total)}",
        _ => string.Empty,
    };

    private string StatusText => _uploadState switch
    {
        UploadPhase.None => "Choose a file to start the upload.",
        UploadPhase.Uploading => "Uploading",
        UploadPhase.Paused => "Paused",
        UploadPhase.Processing => "Processing",
        UploadPhase.Ready => "Ready",
        UploadPhase.Failed => "Failed: " + (_uploadError ?? "unknown reason"),
        _ => string.Empty,
    };

    private string? PreviewError => _version is null || (_previewRows >= 0 && _previewRows <= _version.PreviewRowsAvailable)
        ? null
        : $"Choose between 0 and {_version.PreviewRowsAvailable} rows.";

    private string AccessLabel => _form.AccessTypes switch
    {
        DatasetAccessTypes.Download => "download",
        DatasetAccessTypes.TrainingOnly => "training only",
        _ => "download and training only",
    };

    internal static string Bytes(long bytes) => bytes switch
    {
        >= 1_000_000_000 => (bytes / 1_000_000_000.0).ToString("0.00", CultureInfo.InvariantCulture) + " GB",
        >= 1_000_000 => (bytes / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        >= 1_000 => (bytes / 1_000.0).ToString("0.0", CultureInfo.InvariantCulture) + " kB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };

    private static string StepLabel(WizardStep step) => step switch
    {
        WizardStep.Details => "Details",
        WizardStep.File => "File",
        WizardStep.Profile => "Profile & preview",
        WizardStep.Pricing => "Price & access",
        _ => "Review",
    };

    private static string TypeLabel(ColumnType type) => type switch
    {
        ColumnType.WholeNumber => "whole number",
        ColumnType.Number => "number",
        ColumnType.Boolean => "true/false",
        ColumnType.DateTime => "date/time",
        _ => "text",
    };

    protected override async Task OnInitializedAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        if (state is null || UserClaims.IdOf(state.User) is not { } userId)
        {
            _loadError = "Sign in to publish a dataset.";
            return;
        }

        _userId = userId;
        var ct = _lifetime.Token;
        try
        {
            _categories = await Publishing.CategoriesAsync(ct);
            var existing = DatasetId ?? Draft;
            if (existing is { } id)
            {
                var draft = await Publishing.GetAsync(userId, id, ct);
                if (draft is null)
                {
                    _loadError = "There is no such dataset of yours.";
                    return;
                }

                _datasetId = draft.Id;
                _datasetStatus = draft.Status;
                _datasetTitle = draft.Details.Title;
                _form = PublishForm.From(draft.Details);
                await RestoreUploadAsync(draft, ct);
            }

            _loaded = true;
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }

    /// <summary>After a reload: finds the last upload of this dataset and shows where it stands.</summary>
    private async Task RestoreUploadAsync(DatasetDraft draft, CancellationToken ct)
    {
        var latest = await Uploads.FindLatestAsync(_userId, draft.Id, ct);
        if (latest is null)
        {
            if (!IsNewVersion && draft.Versions.LastOrDefault(v => v.Status == DatasetVersionStatus.Ready) is { } ready)
            {
                SetVersion(ready);
            }

            return;
        }

        _sessionId = latest.Id;
        _total = latest.SizeBytes;
        _sent = latest.Received;
        switch (latest.Status)
        {
            case nameof(UploadStatus.Uploading):
                _resumable = latest;
                _uploadState = UploadPhase.None;
                break;
            case nameof(UploadStatus.Queued) or nameof(UploadStatus.Processing):
                _uploadState = UploadPhase.Processing;
                break;
            case nameof(UploadStatus.Ready) when latest.VersionId is { } versionId:
                if (!IsNewVersion && await Publishing.GetVersionAsync(_userId, versionId, ct) is { } version)
                {
                    SetVersion(version);
                }

                break;
            case nameof(UploadStatus.Failed):
                _uploadState = UploadPhase.Failed;
                _uploadError = latest.Error;
                _ingestFailed = true;
                break;
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _loadError is not null)
        {
            return;
        }

        _upload = new UploadInterop(JS);
        _upload.Progress += OnProgressAsync;
        var token = Antiforgery.GetAntiforgeryToken()?.Value;
        if (token is null || !await _upload.InitializeAsync(token, AntiforgeryOptions.Value.HeaderName))
        {
            _error = "The upload module could not be loaded; reload the page.";
            StateHasChanged();
            return;
        }

        if (_uploadState == UploadPhase.Processing)
        {
            _ = PollAsync();
        }
    }

    private async Task NextAsync()
    {
        if (_busy)
        {
            return;
        }

        _error = null;
        _busy = true;
        try
        {
            var moved = CurrentStep switch
            {
                WizardStep.Details => await SaveDetailsAsync(),
                WizardStep.File => CheckFileReady(),
                WizardStep.Profile => await SavePreviewAsync(),
                WizardStep.Pricing => await SavePricingAsync(),
                _ => false,
            };
            if (moved)
            {
                _showErrors = false;
                _step = Math.Min(_step + 1, StepKinds.Count - 1);
            }
            else
            {
                _showErrors = true;
            }
        }
        catch (DomainException ex)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private Task BackAsync()
    {
        _error = null;
        _showErrors = false;
        _step = Math.Max(0, _step - 1);
        return Task.CompletedTask;
    }

    private async Task<bool> SaveDetailsAsync()
    {
        if (!_form.DetailsValid)
        {
            return false;
        }

        var input = _form.ToInput(pricingChecked: false);
        if (_datasetId is { } id)
        {
            var updated = await Publishing.UpdateDraftAsync(_userId, id, input, _lifetime.Token);
            _datasetStatus = updated.Status;
        }
        else
        {
            var created = await Publishing.CreateDraftAsync(_userId, input, _lifetime.Token);
            _datasetId = created.Id;
            _datasetStatus = created.Status;

            // A reload continues this draft instead of starting another one.
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("draft", created.Id.ToString()), replace: true);
        }

        return true;
    }

    private bool CheckFileReady()
    {
        if (_version is not null && _uploadState is UploadPhase.Ready or UploadPhase.None)
        {
            return true;
        }

        _error = _uploadState switch
        {
            UploadPhase.Uploading or UploadPhase.Paused => "Wait until the upload is finished.",
            UploadPhase.Processing => "Wait until the file is processed.",
            UploadPhase.Failed => "The upload failed; choose the file again or another file.",
            _ => "Choose the dataset file first.",
        };
        return false;
    }

    private async Task<bool> SavePreviewAsync()
    {
        if (_version is null || PreviewError is not null)
        {
            return false;
        }

        _version = await Publishing.SetPreviewRowsAsync(_userId, _version.Id, _previewRows, _lifetime.Token);
        return true;
    }

    private async Task<bool> SavePricingAsync()
    {
        if (!_form.PricingValid || _datasetId is not { } id)
        {
            return false;
        }

        var updated = await Publishing.UpdateDraftAsync(_userId, id, _form.ToInput(pricingChecked: true), _lifetime.Token);
        _datasetStatus = updated.Status;
        return true;
    }

    private async Task SubmitAsync()
    {
        if (_busy || _datasetId is not { } id)
        {
            return;
        }

        _busy = true;
        _error = null;
        try
        {
            await Publishing.SubmitForReviewAsync(_userId, id, _lifetime.Token);
            Navigation.NavigateTo("/datasets/mine");
        }
        catch (DomainException ex)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task OnFileChosenAsync(ChangeEventArgs e)
    {
        if (_upload is null || _datasetId is not { } datasetId)
        {
            _error = "The page is not ready for uploads yet; wait a moment and choose the file again.";
            return;
        }

        var chosen = await _upload.SelectFileAsync(_fileInput);
        if (!chosen.Ok || chosen.Value is null)
        {
            return; // the chooser was closed without a file
        }

        _error = null;
        _uploadError = null;
        _ingestFailed = false;
        _version = IsNewVersion ? null : _version;
        UploadJsResult<UploadSessionInfo> opened;
        if (_resumable is { } unfinished && unfinished.SizeBytes == chosen.Value.Size && unfinished.FileName == chosen.Value.Name)
        {
            opened = await _upload.AttachAsync(unfinished.Id);
        }
        else
        {
            if (_resumable is { } other)
            {
                await CancelServerSideAsync(other.Id); // a different file replaces the unfinished upload
            }

            opened = await _upload.CreateAsync(datasetId);
        }

        if (!opened.Ok || opened.Value is null)
        {
            Fail(opened.Message, ingest: false);
            _sessionId = null;
            return;
        }

        _resumable = null;
        _sessionId = opened.Value.Id;
        _total = opened.Value.SizeBytes;
        _sent = opened.Value.Received;
        await RunSendAsync(resume: false);
    }

    private async Task PauseAsync()
    {
        if (_upload is not null && _uploadState == UploadPhase.Uploading)
        {
            await _upload.PauseAsync();
        }
    }

    private Task ResumeAsync() => _upload is null ? Task.CompletedTask : RunSendAsync(resume: true);

    private async Task RunSendAsync(bool resume)
    {
        _uploadState = UploadPhase.Uploading;
        _uploadError = null;
        _speed = 0;
        StateHasChanged();
        var outcome = resume ? await _upload!.ResumeAsync() : await _upload!.SendAsync();
        if (!outcome.Ok || outcome.Value is null)
        {
            if (outcome.Received is { } held)
            {
                _sent = held;
            }

            Fail(outcome.Message, ingest: false);
            return;
        }

        _sent = outcome.Value.Received;
        if (outcome.Value.State == "paused")
        {
            if (_uploadState != UploadPhase.None)
            {
                _uploadState = UploadPhase.Paused;
            }

            return;
        }

        var completed = await _upload.CompleteAsync();
        if (!completed.Ok)
        {
            Fail(completed.Message, ingest: false);
            return;
        }

        _uploadState = UploadPhase.Processing;
        _ = PollAsync();
    }

    private async Task CancelUploadAsync()
    {
        if (_upload is not null && _uploadState is UploadPhase.Uploading or UploadPhase.Paused or UploadPhase.Failed && _sessionId is not null)
        {
            _uploadState = UploadPhase.None;
            var result = await _upload.CancelAsync();
            if (!result.Ok && result.Status != 404)
            {
                _error = result.Message;
            }
        }
        else if (_resumable is { } unfinished)
        {
            await CancelServerSideAsync(unfinished.Id);
        }

        _resumable = null;
        _sessionId = null;
        _uploadState = UploadPhase.None;
        _sent = 0;
        _total = 0;
    }

    private async Task CancelServerSideAsync(Guid sessionId)
    {
        try
        {
            await Uploads.CancelAsync(_userId, sessionId, _lifetime.Token);
        }
        catch (UploadRejectedException ex) when (ex.Kind == UploadProblemKind.NotFound)
        {
            // Already gone.
        }
        catch (UploadRejectedException ex)
        {
            _error = ex.Message;
        }
    }

    private void Fail(string? message, bool ingest)
    {
        _uploadState = UploadPhase.Failed;
        _uploadError = string.IsNullOrWhiteSpace(message) ? "unknown reason" : message;
        _ingestFailed = ingest;
    }

    private void SetVersion(VersionSummary version)
    {
        _version = version;
        _previewRows = version.PreviewRowsShown;
        _uploadState = UploadPhase.Ready;
        _total = version.SizeBytes;
        _sent = version.SizeBytes;
    }

    private Task OnProgressAsync(long sent, long total, double bytesPerSecond) =>
        InvokeAsync(() =>
        {
            _sent = sent;
            _total = total;
            _speed = bytesPerSecond;
            StateHasChanged();
        });

    /// <summary>Follows the ingest in the session row until it is ready or failed.</summary>
    private async Task PollAsync()
    {
        if (_polling || _sessionId is not { } sessionId)
        {
            return;
        }

        _polling = true;
        try
        {
            var ct = _lifetime.Token;
            while (!ct.IsCancellationRequested)
            {
                var state = await Uploads.GetAsync(_userId, sessionId, ct);
                _ingested = state.IngestedBytes;
                if (state.Status == nameof(UploadStatus.Ready) && state.VersionId is { } versionId)
                {
                    var version = await Publishing.GetVersionAsync(_userId, versionId, ct);
                    await InvokeAsync(() =>
                    {
                        if (version is not null)
                        {
                            SetVersion(version);
                        }

                        StateHasChanged();
                    });
                    return;
                }

                if (state.Status == nameof(UploadStatus.Failed))
                {
                    await InvokeAsync(() =>
                    {
                        Fail(state.Error, ingest: true);
                        StateHasChanged();
                    });
                    return;
                }

                await InvokeAsync(StateHasChanged);
                await Task.Delay(PollInterval, Time, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
        catch (UploadRejectedException ex)
        {
            await InvokeAsync(() =>
            {
                Fail(ex.Message, ingest: true);
                StateHasChanged();
            });
        }
        finally
        {
            _polling = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _lifetime.CancelAsync();
        _lifetime.Dispose();
        if (_upload is not null)
        {
            _upload.Progress -= OnProgressAsync;
            await _upload.DisposeAsync();
        }
    }
}
