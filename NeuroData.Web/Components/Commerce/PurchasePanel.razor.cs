using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Web.Wallet;

namespace NeuroData.Web.Components.Commerce;

/// <summary>The wallet steps of a purchase, as the stepper shows them.</summary>
public enum PurchaseStep
{
    Signing,
    Pending,
    Confirmed,
}

public sealed partial class PurchasePanel
{
    private static readonly TimeSpan IndexWait = TimeSpan.FromSeconds(90);

    /// <summary>The re-check when no indexer update arrives (a reverted transaction announces nothing).</summary>
    private static readonly TimeSpan RecheckFallback = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _cts = new();
    private PurchaseQuote? _quote;
    private IReadOnlyList<DeliveryIssue> _issues = [];
    private string? _loadError;
    private DatasetAccessTypes _access;
    private WalletInterop? _wallet;
    private ChainSettings? _chain;
    private bool _walletReady;
    private string? _account;
    private TokenAmount? _balance;
    private bool _usePermit = true;
    private bool _busy;
    private bool _done;
    private bool _wrongNetwork;
    private PurchaseStep? _step;
    private string? _status;
    private string? _error;
    private long? _escrowId;

    /// <summary>The dataset. Required.</summary>
    [Parameter, EditorRequired] public Guid DatasetId { get; set; }

    /// <summary>The signed-in user (null: anonymous). Default: null.</summary>
    [Parameter] public Guid? UserId { get; set; }

    /// <summary>Raised once a purchase is confirmed (the page reloads its download panel).</summary>
    [Parameter] public EventCallback OnPurchased { get; set; }

    [Inject] private PurchaseService Purchases { get; set; } = null!;

    [Inject] private EntitlementService Entitlements { get; set; } = null!;

    [Inject] private IServiceProvider Services { get; set; } = null!;

    [Inject] private IJSRuntime JS { get; set; } = null!;

    [Inject] private ILogger<PurchasePanel> Logger { get; set; } = null!;

    private PurchaseOption? Selected => _quote?.Options.FirstOrDefault(o => o.AccessType == _access);

    /// <summary>The viewer already has a paid purchase of this access type and version (a second one would pay twice).</summary>
    private bool Owns(PurchaseOption option) =>
        _quote?.Owned.Any(p => p.AccessType == option.AccessType && p.VersionNumber == option.VersionNumber
            && p.Status is PurchaseStatus.Confirmed or PurchaseStatus.Completed) == true;

    private bool Insufficient => Selected is { } o && _balance is { } b && b < o.Price;

    private string? ExpectedChain => _chain is null ? null : WalletInterop.ToHexChainId(_chain.ChainId.Value);

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _cts.Dispose();
        if (_wallet is not null)
        {
            await _wallet.DisposeAsync();
        }
    }

    /// <summary>"0.25 %" from basis points.</summary>
    public static string FeePercent(int bps) => (bps / 100m).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    public static string AccessText(DatasetAccessTypes access) => access == DatasetAccessTypes.TrainingOnly ? "Training-only" : "Download";

    public static string ReviewText(TimeSpan period) =>
        period.TotalDays >= 1 && period.TotalDays == Math.Floor(period.TotalDays)
            ? $"{period.TotalDays:0} day{(period.TotalDays == 1 ? string.Empty : "s")}"
            : $"{period.TotalHours:0.#} hours";

    protected override async Task OnParametersSetAsync()
    {
        _chain = Services.GetService<ChainSettings>();
        await LoadAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || UserId is null)
        {
            return;
        }

        _wallet = new WalletInterop(JS);
        var init = await _wallet.InitializeAsync(ExpectedChain);
        _walletReady = init.Ok;
        if (init.Ok)
        {
            var state = await _wallet.GetStateAsync();
            if (state.Ok && state.Value is { Accounts.Length: > 0 } s && EthAddress.TryParse(s.Accounts[0], out var account, out _))
            {
                await ShowBalanceAsync(account);
            }
        }

        StateHasChanged();
    }

    private async Task LoadAsync()
    {
        try
        {
            _quote = await Purchases.GetQuoteAsync(UserId ?? Guid.Empty, DatasetId, _cts.Token);
            _issues = UserId is { } viewer ? await Entitlements.DeliveryIssuesAsync(viewer, DatasetId, _cts.Token) : [];
            _loadError = null;
            if (Selected is null && _quote.Options.Count > 0)
            {
                _access = _quote.Options[0].AccessType;
            }
        }
        catch (DomainException ex)
        {
            _loadError = ex.Message;
        }
        catch (Exception ex) when (ex is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcResponseException or TimeoutException)
        {
            Logger.LogWarning(ex, "The purchase panel of dataset {DatasetId} could not read the chain", DatasetId);
            _loadError = "The chain node could not be reached, so the price and fee cannot be shown. Try again in a moment.";
        }
    }

    /// <summary>One click: the platform re-checks that it cannot deliver and records the refund claim ("not delivered").</summary>
    private async Task ClaimAsync(DeliveryIssue issue)
    {
        if (UserId is not { } buyerId || _busy)
        {
            return;
        }

        _busy = true;
        try
        {
            await Entitlements.ClaimNotDeliveredAsync(buyerId, issue.PurchaseId, _cts.Token);
            _issues = await Entitlements.DeliveryIssuesAsync(buyerId, DatasetId, _cts.Token);
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

    private Task OnAccessChanged(DatasetAccessTypes access)
    {
        _access = access;
        return Task.CompletedTask;
    }

    /// <summary>Connects the wallet (eth_requestAccounts) to show the balance before buying.</summary>
    private async Task ConnectAsync()
    {
        if (_wallet is null || _busy)
        {
            return;
        }

        _error = null;
        var connected = await _wallet.ConnectAsync(null, ExpectedChain);
        if (!connected.Ok || connected.Value is not { Accounts.Length: > 0 })
        {
            Fail(connected.Code, connected.Message);
            return;
        }

        if (EthAddress.TryParse(connected.Value.Accounts[0], out var account, out var problem))
        {
            await ShowBalanceAsync(account);
        }
        else
        {
            _error = problem;
        }
    }

    private async Task ShowBalanceAsync(EthAddress account)
    {
        _account = account.Value;
        try
        {
            _balance = await Purchases.GetBalanceAsync(account, _cts.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcResponseException)
        {
            _balance = null;
        }
    }

    private static string OwnedText(OwnedPurchase owned) => owned.Status switch
    {
        PurchaseStatus.Pending => $"Your {AccessText(owned.AccessType).ToLowerInvariant()} purchase of version {owned.VersionNumber} is on its way{(owned.HasTransaction ? string.Empty : " (not sent yet)")}.",
        PurchaseStatus.Completed => $"You own {AccessText(owned.AccessType).ToLowerInvariant()} access to version {owned.VersionNumber} (paid out to the seller).",
        _ => $"You bought {AccessText(owned.AccessType).ToLowerInvariant()} access to version {owned.VersionNumber}.",
    };

    private async Task BuyAsync()
    {
        if (_busy || _wallet is null || UserId is not { } buyerId || Selected is not { } option)
        {
            return; // one purchase at a time: a double click does not start a second one
        }

        _busy = true;
        _done = false;
        _error = null;
        _status = null;
        _escrowId = null;
        _wrongNetwork = false;
        _step = PurchaseStep.Signing;
        Guid? purchaseId = null;
        try
        {
            var connected = await _wallet.ConnectAsync(null, ExpectedChain);
            if (!connected.Ok || connected.Value is not { Accounts.Length: > 0 })
            {
                Fail(connected.Code, connected.Message);
                return;
            }

            if (!EthAddress.TryParse(connected.Value.Accounts[0], out var account, out var problem))
            {
                _error = problem;
                return;
            }

            await ShowBalanceAsync(account);
            if (_balance is { } balance && balance < option.Price)
            {
                _error = $"Not enough NCR: the price is {option.Price} and your wallet holds {balance}. Top up the wallet, then try again.";
                _step = null;
                return;
            }

            var ticket = await Purchases.StartAsync(buyerId, option.ListingRowId, account, option.Price, _cts.Token);
            purchaseId = ticket.PurchaseId;
            if (ticket.Transaction is null)
            {
                var hash = await SignAndSendAsync(buyerId, ticket.PurchaseId, account);
                if (hash is null)
                {
                    return;
                }
            }
            else
            {
                _status = "This purchase was already sent; waiting for it instead of paying twice.";
            }

            _step = PurchaseStep.Pending;
            StateHasChanged();
            await WaitForConfirmationAsync(buyerId, ticket.PurchaseId, account);
        }
        catch (PriceChangedException ex)
        {
            _error = ex.Message;
            _step = null;
            await LoadAsync();
        }
        catch (DomainException ex)
        {
            _error = ex.Message;
            _step = null;
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
        catch (Exception ex) when (ex is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcResponseException or TimeoutException)
        {
            Logger.LogWarning(ex, "Buying dataset {DatasetId} failed (purchase {PurchaseId})", DatasetId, purchaseId);
            _error = "The chain node could not be reached. Try again in a moment.";
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>The wallet part: permit + purchaseWithPermit, or approve + purchase. Returns the purchase transaction hash.</summary>
    private async Task<string?> SignAndSendAsync(Guid buyerId, Guid purchaseId, EthAddress account)
    {
        Domain.Ports.UnsignedTransaction purchaseTx;
        if (_usePermit)
        {
            var (typedData, deadline) = await Purchases.BuildPermitAsync(buyerId, purchaseId, account, _cts.Token);
            var signed = await _wallet!.SignTypedDataV4Async(account.Value, typedData, ExpectedChain);
            if (!signed.Ok || string.IsNullOrEmpty(signed.Value))
            {
                await AbandonAsync(buyerId, purchaseId, signed.Code);
                Fail(signed.Code, signed.Message);
                return null;
            }

            purchaseTx = await Purchases.BuildPurchaseWithPermitAsync(buyerId, purchaseId, account, deadline, signed.Value, _cts.Token);
        }
        else
        {
            if (await Purchases.BuildApproveIfNeededAsync(buyerId, purchaseId, account, _cts.Token) is { } approve)
            {
                var approved = await _wallet!.SendTransactionAsync(approve, ExpectedChain);
                if (!approved.Ok || approved.Value is null)
                {
                    await AbandonAsync(buyerId, purchaseId, approved.Code);
                    Fail(approved.Code, approved.Message);
                    return null;
                }

                _status = "Approval sent; waiting for it to be mined…";
                StateHasChanged();
                var approvalReceipt = await _wallet.WaitForReceiptAsync(approved.Value);
                if (!approvalReceipt.Ok)
                {
                    await AbandonAsync(buyerId, purchaseId, approvalReceipt.Code);
                    Fail(approvalReceipt.Code, approvalReceipt.Message);
                    return null;
                }

                _status = null;
            }

            purchaseTx = await Purchases.BuildPurchaseAsync(buyerId, purchaseId, account, _cts.Token);
        }

        var sent = await _wallet!.SendTransactionAsync(purchaseTx, ExpectedChain);
        if (!sent.Ok || sent.Value is null)
        {
            await AbandonAsync(buyerId, purchaseId, sent.Code);
            Fail(sent.Code, sent.Message);
            return null;
        }

        await Purchases.RecordTransactionAsync(buyerId, purchaseId, account, TxHash.Parse(sent.Value), _cts.Token);
        return sent.Value;
    }

    /// <summary>
    /// Follows the purchase until the indexer has it: each <see cref="Infrastructure.Indexing.ChainMirrorNotifier"/> update that touches the
    /// buyer (their wallet or their rows) or reorganises the chain wakes a re-check, with a slow fallback re-check.
    /// </summary>
    private async Task WaitForConfirmationAsync(Guid buyerId, Guid purchaseId, EthAddress account)
    {
        using var signal = new MirrorSignal(
            Services.GetService<Infrastructure.Indexing.ChainMirrorNotifier>(),
            u => u.Reorganised || u.TouchedUsers.Contains(buyerId) || u.TouchedAccounts.Contains(account));
        var clock = Services.GetService<TimeProvider>() ?? TimeProvider.System;
        var started = clock.GetTimestamp();
        while (clock.GetElapsedTime(started) < IndexWait)
        {
            var progress = await Purchases.CheckAsync(buyerId, purchaseId, _cts.Token);
            switch (progress.Status)
            {
                case PurchaseStatus.Confirmed or PurchaseStatus.Completed:
                    _step = PurchaseStep.Confirmed;
                    _done = true;
                    _escrowId = progress.EscrowId;
                    _status = "Purchase confirmed: your payment is in escrow.";
                    await LoadAsync();
                    await OnPurchased.InvokeAsync();
                    return;
                case PurchaseStatus.Failed or PurchaseStatus.Refunded:
                    _error = progress.Message ?? "The purchase failed; nothing was paid.";
                    await LoadAsync();
                    return;
            }

            _status = progress.Message;
            StateHasChanged();
            await signal.WaitAsync(RecheckFallback, _cts.Token);
        }

        _status = "Your purchase was sent; the platform has not indexed it yet. It appears under My purchases as soon as it is.";
    }

    private async Task AbandonAsync(Guid buyerId, Guid purchaseId, string? code)
    {
        await Purchases.AbandonAsync(buyerId, purchaseId, WalletErrorCodes.Describe(code, null), _cts.Token);
    }

    private void Fail(string? code, string? message)
    {
        _wrongNetwork = code is WalletErrorCodes.WrongNetwork or WalletErrorCodes.UnknownChain;
        _error = message ?? WalletErrorCodes.Describe(code, null);
    }

    private async Task SwitchNetworkAsync()
    {
        if (_wallet is null || _chain is null)
        {
            return;
        }

        var switched = await _wallet.SwitchChainAsync(WalletInterop.ParametersFor(_chain));
        if (switched.Ok)
        {
            _error = null;
            _wrongNetwork = false;
        }
        else
        {
            Fail(switched.Code, switched.Message);
        }
    }
}
