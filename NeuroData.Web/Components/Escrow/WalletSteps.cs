using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Web.Wallet;

namespace NeuroData.Web.Components.Escrow;

/// <summary>Where a wallet transaction is: the user signs it, it is pending on chain, it is mined.</summary>
public enum WalletStep
{
    Signing,
    Pending,
    Confirmed,
}

/// <summary>
/// The per-circuit wallet flow the escrow, arbitration and vote pages share (the ListingChainPanel pattern): connect,
/// send the server-built transaction, wait for its receipt, and the messages for rejection (4001), wrong network and
/// no wallet. One flow at a time: a second click while busy does nothing.
/// </summary>
public sealed class WalletSteps(WalletInterop wallet, ChainSettings? chain) : IAsyncDisposable
{
    public bool Ready { get; private set; }

    public bool Busy { get; private set; }

    public WalletStep? Step { get; private set; }

    public string? TxHash { get; private set; }

    public string? Error { get; set; }

    public bool WrongNetwork { get; private set; }

    /// <summary>Which action the current step belongs to (e.g. "confirm").</summary>
    public string? Action { get; private set; }

    private string? ExpectedChain => chain is null ? null : WalletInterop.ToHexChainId(chain.ChainId.Value);

    public async Task InitializeAsync()
    {
        var init = await wallet.InitializeAsync(ExpectedChain);
        Ready = init.Ok;
        if (!init.Ok)
        {
            Error = init.Message;
        }
    }

    /// <summary>Starts a flow; false when another one is running.</summary>
    public bool Begin(string action)
    {
        if (Busy)
        {
            return false;
        }

        Busy = true;
        Action = action;
        Error = null;
        WrongNetwork = false;
        TxHash = null;
        Step = WalletStep.Signing;
        return true;
    }

    public void End() => Busy = false;

    /// <summary>Connects and returns the selected account, or null with <see cref="Error"/> set.</summary>
    public async Task<EthAddress?> ConnectAsync()
    {
        var connected = await wallet.ConnectAsync(null, ExpectedChain);
        if (!connected.Ok || connected.Value is null || connected.Value.Accounts.Length == 0)
        {
            Fail(connected.Code, connected.Message, "You rejected the connection request in your wallet; nothing was sent.");
            return null;
        }

        if (!EthAddress.TryParse(connected.Value.Accounts[0], out var account, out var problem))
        {
            Fail(null, problem, null);
            return null;
        }

        return account;
    }

    /// <summary>Sends one transaction and waits until it is mined; false with <see cref="Error"/> set otherwise.</summary>
    public async Task<bool> SendAsync(UnsignedTransaction tx, string rejectedMessage, Func<Task> changed)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(changed);
        Step = WalletStep.Signing;
        await changed();
        var sent = await wallet.SendTransactionAsync(tx, ExpectedChain);
        if (!sent.Ok || sent.Value is null)
        {
            Fail(sent.Code, sent.Message, rejectedMessage);
            return false;
        }

        TxHash = sent.Value;
        Step = WalletStep.Pending;
        await changed();
        var receipt = await wallet.WaitForReceiptAsync(sent.Value);
        if (!receipt.Ok)
        {
            Fail(receipt.Code, receipt.Code == WalletErrorCodes.TxReverted ? "The contract refused the transaction (it was mined but reverted); nothing changed. Reload the page to see the escrow's current state." : receipt.Message, rejectedMessage);
            return false;
        }

        Step = WalletStep.Confirmed;
        return true;
    }

    public void Fail(string? code, string? message, string? rejectedMessage)
    {
        WrongNetwork = code is WalletErrorCodes.WrongNetwork or WalletErrorCodes.UnknownChain;
        Error = code == WalletErrorCodes.UserRejected && rejectedMessage is not null
            ? rejectedMessage
            : message ?? WalletErrorCodes.Describe(code, null);
        if (Step == WalletStep.Signing)
        {
            Step = null;
        }
    }

    public async Task SwitchNetworkAsync()
    {
        if (chain is null)
        {
            return;
        }

        var switched = await wallet.SwitchChainAsync(WalletInterop.ParametersFor(chain));
        Error = switched.Ok ? null : switched.Message;
        WrongNetwork = !switched.Ok;
    }

    public ValueTask DisposeAsync() => wallet.DisposeAsync();
}
