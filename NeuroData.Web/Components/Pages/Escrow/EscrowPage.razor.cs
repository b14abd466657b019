using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Commerce.Disputes;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Web.Components.Escrow;
using NeuroData.Web.Wallet;

namespace NeuroData.Web.Components.Pages.Escrow;

public sealed partial class EscrowPage
{
    private const int MaxFiles = 5;

    private readonly CancellationTokenSource _cts = new();
    private EscrowView? _view;
    private EscrowViewer? _viewer;
    private WalletSteps? _wallet;
    private Timer? _ticker;
    private bool _disputeForm;
    private string? _reason;
    private DisputeMode _mode = DisputeMode.Arbitrator;
    private TokenAmount? _bond;
    private List<IBrowserFile> _files = [];
    private string? _sellerStatement;
    private string? _notice;
    private DeliveryIssue? _delivery;
    private string? _claimError;

    /// <summary>The on-chain escrow id (route).</summary>
    [Parameter] public long EscrowId { get; set; }

    /// <summary>"?claim=not-delivered" (from the purchase panel): open the dispute form for the refund claim at once.</summary>
    [SupplyParameterFromQuery(Name = "claim")] public string? Claim { get; set; }

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject] private EntitlementService Entitlements { get; set; } = null!;

    private bool Disabled => _wallet is not { Ready: true, Busy: false };

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is null)
        {
            return;
        }

        var user = (await AuthenticationState).User;
        if (!Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            Navigation.NotFound();
            return;
        }

        _viewer = new EscrowViewer(id, user.IsInRole(RoleNames.Arbitrator), user.IsInRole(RoleNames.Admin));
        await LoadAsync();
        if (_view is null)
        {
            Navigation.NotFound(); // not a party, arbitrator or admin: the escrow does not exist for this viewer
            return;
        }

        if (Claim == "not-delivered" && _delivery is not null && _view.CanDispute && !_disputeForm)
        {
            await ClaimRefundAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        Mirror.Updated += OnMirrorUpdated;
        _ticker = new Timer(_ => _ = InvokeAsync(StateHasChanged), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _wallet = new WalletSteps(new WalletInterop(JS), Services.GetService<ChainSettings>());
        await _wallet.InitializeAsync();
        StateHasChanged();
    }

    private async Task LoadAsync()
    {
        if (_viewer is null)
        {
            return;
        }

        try
        {
            _view = await Escrows.GetAsync(_viewer, EscrowId, _cts.Token);
            _delivery = _view is { CanDispute: true } ? await Entitlements.DeliveryIssueForEscrowAsync(_viewer.UserId, EscrowId, _cts.Token) : null;
        }
        catch (OperationCanceledException)
        {
            // page closed
        }
    }

    private void OnMirrorUpdated(ChainMirrorUpdate update)
    {
        var v = _view;
        if (v is null || _viewer is null)
        {
            return;
        }

        if (update.TouchedAccounts.Contains(v.Buyer) || update.TouchedAccounts.Contains(v.Seller) || update.TouchedUsers.Contains(_viewer.UserId) || update.Reorganised)
        {
            _ = InvokeAsync(async () =>
            {
                try
                {
                    await LoadAsync();
                    StateHasChanged();
                }
                catch (Exception ex)
                {
                    await DispatchExceptionAsync(ex);
                }
            });
        }
    }

    private Task ConfirmAsync() =>
        RunAsync("confirm", "You rejected the confirmation in your wallet; the payment stays in escrow.", account => Escrows.BuildConfirmAsync(_viewer!, EscrowId, account, _cts.Token), "Receipt confirmed: the payment is released to the seller.");

    private Task AgreeRefundAsync() =>
        RunAsync("agree-refund", "You rejected the refund in your wallet; nothing changed.", account => Escrows.BuildAgreeRefundAsync(_viewer!, EscrowId, account, _cts.Token), "Refund sent: the buyer can withdraw the held amount.");

    private Task ReleaseAsync() =>
        RunAsync("release", "You rejected the release in your wallet; nothing changed.", account => Escrows.BuildReleaseAsync(_viewer!, EscrowId, account, _cts.Token), "Released: the seller can withdraw the payment.");

    private async Task RunAsync(string action, string rejected, Func<EthAddress, Task<UnsignedTransaction>> build, string done)
    {
        if (_wallet is null || !_wallet.Begin(action))
        {
            return; // one transaction at a time: a double click sends nothing twice
        }

        _notice = null;
        try
        {
            var account = await _wallet.ConnectAsync();
            if (account is null)
            {
                return;
            }

            var tx = await build(account);
            if (await _wallet.SendAsync(tx, rejected, Refresh))
            {
                _notice = done + " The page updates when the chain event is indexed.";
                await LoadAsync();
            }
        }
        catch (DomainException ex)
        {
            _wallet.Fail(null, ex.Message, null);
        }
        catch (ChainTransactionException ex)
        {
            _wallet.Fail(null, ex.Message, null);
        }
        catch (OperationCanceledException)
        {
            // page closed
        }
        catch (Exception ex) when (ex is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcResponseException)
        {
            Logger.LogWarning(ex, "Escrow {EscrowId} action {Action} failed", EscrowId, action);
            _wallet.Fail(null, "The chain node could not be reached. Try again in a moment.", null);
        }
        finally
        {
            _wallet.End();
        }
    }

    private Task Refresh() => InvokeAsync(StateHasChanged);

    /// <summary>
    /// The buyer's "claim a refund" when the platform cannot deliver what was bought: records the claim (re-checked on
    /// the server), then opens the dispute form with the delivery problem as its reason, decided by an arbitrator.
    /// </summary>
    private async Task ClaimRefundAsync()
    {
        if (_viewer is null || _delivery is not { } issue)
        {
            return;
        }

        try
        {
            if (issue.ClaimedAt is null)
            {
                _delivery = await Entitlements.ClaimNotDeliveredAsync(_viewer.UserId, issue.PurchaseId, _cts.Token);
            }

            _reason = EntitlementService.DisputeReasonFor(_delivery);
            _mode = DisputeMode.Arbitrator;
            await ShowDisputeFormAsync();
        }
        catch (DomainException ex)
        {
            _claimError = ex.Message; // e.g. the platform can deliver after all: nothing is recorded
            _delivery = null;
        }
    }

    private async Task ShowDisputeFormAsync()
    {
        _disputeForm = true;
        if (_view is not null)
        {
            try
            {
                _bond = await Escrows.BondAsync(_view, _cts.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcResponseException)
            {
                Logger.LogWarning(ex, "Reading the dispute bond of escrow {EscrowId} failed", EscrowId);
            }
        }
    }

    private void OnEvidenceChosen(InputFileChangeEventArgs e)
    {
        _files = e.GetMultipleFiles(MaxFiles + 1).ToList();
        if (_files.Count > MaxFiles && _wallet is not null)
        {
            _wallet.Error = $"Attach at most {MaxFiles} files.";
            _files = _files.Take(MaxFiles).ToList();
        }
    }

    private async Task OpenDisputeAsync()
    {
        if (_wallet is null || _viewer is null || !_wallet.Begin("dispute"))
        {
            return;
        }

        _notice = null;
        try
        {
            if (string.IsNullOrWhiteSpace(_reason))
            {
                _wallet.Fail(null, "Write the reason for the dispute first.", null);
                return;
            }

            var tooLarge = _files.FirstOrDefault(f => f.Size > EscrowService.MaxEvidenceBytes);
            if (tooLarge is not null)
            {
                _wallet.Fail(null, $"“{tooLarge.Name}” is larger than 10 MiB.", null);
                return;
            }

            var account = await _wallet.ConnectAsync();
            if (account is null)
            {
                return;
            }

            var uploads = _files.Select(f => new EvidenceUpload(f.Name, () => f.OpenReadStream(EscrowService.MaxEvidenceBytes, _cts.Token))).ToList();
            var prepared = await Escrows.PrepareDisputeAsync(_viewer, EscrowId, account, _reason, _mode, uploads, _cts.Token);
            _bond = prepared.Bond;
            if (prepared.Approve is not null
                && !await _wallet.SendAsync(prepared.Approve, $"You rejected the bond approval in your wallet; no dispute was opened. The bond is {prepared.Bond}.", Refresh))
            {
                return;
            }

            if (await _wallet.SendAsync(prepared.OpenDispute, "You rejected the dispute in your wallet; the escrow stays funded and nothing was charged.", Refresh))
            {
                _disputeForm = false;
                _notice = prepared.Evidence.Count == 0
                    ? $"Dispute opened with a bond of {prepared.Bond}."
                    : $"Dispute opened with a bond of {prepared.Bond}. Evidence stored as {string.Join(", ", prepared.Evidence.Select(c => c.Value))}.";
                await LoadAsync();
            }
        }
        catch (DomainException ex)
        {
            _wallet.Fail(null, ex.Message, null);
        }
        catch (IOException ex)
        {
            _wallet.Fail(null, "An evidence file could not be read: " + ex.Message, null);
        }
        catch (OperationCanceledException)
        {
            // page closed
        }
        catch (Exception ex) when (ex is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcResponseException)
        {
            Logger.LogWarning(ex, "Opening a dispute on escrow {EscrowId} failed", EscrowId);
            _wallet.Fail(null, "The chain node could not be reached. Try again in a moment.", null);
        }
        finally
        {
            _wallet.End();
        }
    }

    private async Task SubmitStatementAsync()
    {
        if (_viewer is null || _wallet is null)
        {
            return;
        }

        try
        {
            await Escrows.SubmitSellerStatementAsync(_viewer, EscrowId, _sellerStatement ?? string.Empty, _cts.Token);
            _sellerStatement = null;
            _notice = "Your answer was saved; the arbitrator and the buyer can read it.";
            await LoadAsync();
        }
        catch (DomainException ex)
        {
            _wallet.Error = ex.Message;
        }
    }

    private async Task AddEvidenceAsync(InputFileChangeEventArgs e)
    {
        if (_viewer is null || _wallet is null)
        {
            return;
        }

        var file = e.File;
        if (file.Size > EscrowService.MaxEvidenceBytes)
        {
            _wallet.Error = $"“{file.Name}” is larger than 10 MiB.";
            return;
        }

        try
        {
            var cid = await Escrows.AddEvidenceAsync(_viewer, EscrowId, new EvidenceUpload(file.Name, () => file.OpenReadStream(EscrowService.MaxEvidenceBytes, _cts.Token)), _cts.Token);
            _notice = $"Evidence stored as {cid}.";
            await LoadAsync();
        }
        catch (DomainException ex)
        {
            _wallet.Error = ex.Message;
        }
    }

    private string Countdown(EscrowView v)
    {
        if (!v.IsFunded)
        {
            return $"Settled: {StateText(v.State)}.";
        }

        // The chain's clock decides; the page counts down from the chain time it last read, plus the time since.
        var left = v.Deadline - Clock.GetUtcNow();
        if (left <= TimeSpan.Zero || v.DeadlinePassed)
        {
            return "The review period is over: anyone can release the payment to the seller.";
        }

        return left.TotalDays >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalDays} d {left.Hours:00}:{left.Minutes:00}:{left.Seconds:00} left to confirm or dispute")
            : string.Create(CultureInfo.InvariantCulture, $"{left.Hours:00}:{left.Minutes:00}:{left.Seconds:00} left to confirm or dispute");
    }

    internal static string StateText(MirrorEscrowState state) => state switch
    {
        MirrorEscrowState.Funded => "Funded",
        MirrorEscrowState.Released => "Released",
        MirrorEscrowState.Refunded => "Refunded",
        MirrorEscrowState.Disputed => "Disputed",
        MirrorEscrowState.Resolved => "Resolved",
        _ => state.ToString(),
    };

    internal static Color StateColor(MirrorEscrowState state) => state switch
    {
        MirrorEscrowState.Funded => Color.Info,
        MirrorEscrowState.Released => Color.Success,
        MirrorEscrowState.Refunded => Color.Warning,
        MirrorEscrowState.Disputed => Color.Error,
        _ => Color.Default,
    };

    internal static string RulingText(DisputeView d) => d.SellerBps is { } bps
        ? $"{bps switch { 10_000 => "Released to the seller", 0 => "Refunded to the buyer", _ => $"Split: {(bps / 100m).ToString("0.##", CultureInfo.InvariantCulture)}% to the seller" }} — seller {d.SellerAmount}, buyer {d.BuyerAmount}."
        : "Decided.";

    private static string EventTitle(string name) => name switch
    {
        "EscrowOpened" => "Paid into escrow",
        "TrancheReleased" => "Milestone released",
        "EscrowReleased" => "Released",
        "EscrowRefunded" => "Refunded",
        "DisputeOpened" => "Dispute opened",
        "VoteCast" => "Vote",
        "DisputeResolved" => "Dispute decided",
        "Credited" => "Credited",
        _ => name,
    };

    private static Color EventColor(string name) => name switch
    {
        "EscrowReleased" or "TrancheReleased" => Color.Success,
        "EscrowRefunded" => Color.Warning,
        "DisputeOpened" => Color.Error,
        "DisputeResolved" => Color.Primary,
        _ => Color.Default,
    };

    public async ValueTask DisposeAsync()
    {
        Mirror.Updated -= OnMirrorUpdated;
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync();
        }

        await _cts.CancelAsync();
        _cts.Dispose();
        if (_wallet is not null)
        {
            await _wallet.DisposeAsync();
        }
    }
}
