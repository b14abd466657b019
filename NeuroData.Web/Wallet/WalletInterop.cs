using System.Globalization;
using System.Text.Json;
using Microsoft.JSInterop;
using NeuroData.Infrastructure.Chain;

namespace NeuroData.Web.Wallet;

/// <summary>The module's answer: <see cref="Ok"/> with a value, or an error code with a user-facing message.</summary>
public sealed record WalletResult<T>(bool Ok, T? Value, string? Code, string? Message, int? RpcCode, JsonElement? Data);

internal static class WalletResult
{
    public static WalletResult<T> Failure<T>(string code, string message) => new(false, default, code, message, null, null);
}

/// <summary>What <c>connect</c> returns.</summary>
public sealed record ConnectedWallet(string? ProviderUuid, string? ProviderName, string[] Accounts, string? ChainId);

/// <summary>What <c>getState</c> returns (never prompts).</summary>
public sealed record WalletState(bool Connected, string? ProviderUuid, string? ProviderName, string[] Accounts, string? ChainId);

/// <summary>An error pushed by the wallet (<c>OnDisconnect</c>).</summary>
public sealed record WalletError(string? Code, string? Message, int? RpcCode);

/// <summary>EIP-3085 parameters for <c>wallet_addEthereumChain</c>.</summary>
public sealed record ChainParameters(string ChainId, string ChainName, string[] RpcUrls, NativeCurrency NativeCurrency);

public sealed record NativeCurrency(string Name, string Symbol, int Decimals);

/// <summary>The wallet error codes of wwwroot-js-interop/src/wallet.js.</summary>
public static class WalletErrorCodes
{
    public const string NoWallet = "NO_WALLET";
    public const string ProviderNotFound = "PROVIDER_NOT_FOUND";
    public const string NotConnected = "NOT_CONNECTED";
    public const string UserRejected = "USER_REJECTED";
    public const string RequestPending = "REQUEST_PENDING";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string UnsupportedMethod = "UNSUPPORTED_METHOD";
    public const string Disconnected = "DISCONNECTED";
    public const string UnknownChain = "UNKNOWN_CHAIN";
    public const string WrongNetwork = "WRONG_NETWORK";
    public const string AccountMismatch = "ACCOUNT_MISMATCH";
    public const string Timeout = "TIMEOUT";
    public const string TxReverted = "TX_REVERTED";
    public const string InvalidArgument = "INVALID_ARGUMENT";
    public const string InvalidResponse = "INVALID_RESPONSE";
    public const string Disposed = "DISPOSED";
    public const string WalletError = "WALLET_ERROR";
    public const string Unavailable = "UNAVAILABLE";

    /// <summary>A clear sentence for a code; the module's own (already cleaned) text for codes that carry details.</summary>
    public static string Describe(string? code, string? moduleMessage) => code switch
    {
        NoWallet => "No Ethereum wallet was found in this browser. Install MetaMask (or another wallet extension) and reload the page.",
        ProviderNotFound => "That wallet is no longer available. Reload the page and choose your wallet again.",
        NotConnected => "Connect your wallet first.",
        UserRejected => "You rejected the request in your wallet.",
        RequestPending => "Your wallet already has a request open. Open the wallet and finish or cancel it.",
        Unauthorized => "Your wallet did not allow this account or request. Unlock the wallet and connect this site again.",
        UnsupportedMethod => moduleMessage ?? "Your wallet does not support this request.",
        Disconnected => "Your wallet is disconnected from the network. Check its connection and try again.",
        UnknownChain => "Your wallet does not know the NeuroData network yet. Add it (see the wallet guide) and try again.",
        WrongNetwork => "Your wallet is on another network. Switch to the NeuroData network.",
        AccountMismatch => "The account selected in your wallet is not the one connected here. Select it in the wallet, or reconnect.",
        Timeout => "The transaction was not mined in time. It may still go through: check the transactions page.",
        TxReverted => "The transaction was mined but failed (reverted).",
        Disposed or Unavailable => "The wallet connection was closed. Reload the page.",
        InvalidResponse => "Your wallet gave an unexpected answer. Try again, or try another wallet.",
        InvalidArgument => "The app sent an invalid request to your wallet (this is our bug). " + (moduleMessage ?? string.Empty),
        _ => string.IsNullOrWhiteSpace(moduleMessage) ? "Your wallet reported an error." : moduleMessage,
    };
}

/// <summary>
/// The C# side of <c>wwwroot/js/wallet.js</c> for ONE component on ONE circuit (STYLE.md item 9): it owns the module,
/// the JS session and the <see cref="DotNetObjectReference{T}"/> that wallet events come back to. Never make it
/// static or a singleton: one process serves every user. Create it in <c>OnAfterRenderAsync(firstRender)</c> and
/// dispose it with the component. Every result is typed and every failure has a clear message; everything that
/// comes back is still untrusted (the server re-verifies signatures and re-reads the chain).
/// </summary>
public sealed class WalletInterop : IAsyncDisposable
{
    public const string ModulePath = "./js/wallet.js";

    private readonly IJSRuntime _js;
    private IJSObjectReference? _module;
    private IJSObjectReference? _session;
    private DotNetObjectReference<WalletInterop>? _self;
    private bool _disposed;

    public WalletInterop(IJSRuntime js)
    {
        _js = js;
    }

    /// <summary>Raised (on the circuit) when the wallet's accounts change; an empty list means locked/disconnected.</summary>
    public event Func<string[], Task>? AccountsChanged;

    /// <summary>Raised when the wallet switches chain (minimal lower-case hex, e.g. 0x7a69).</summary>
    public event Func<string, Task>? ChainChanged;

    public event Func<WalletError, Task>? Disconnected;

    public bool IsInitialized => _session is not null;

    /// <summary>Hex form of a chain id, as wallets write it (31337 → 0x7a69).</summary>
    public static string ToHexChainId(long chainId) => "0x" + chainId.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>EIP-3085 parameters of the configured chain (the local dev chain gets a readable name).</summary>
    public static ChainParameters ParametersFor(ChainSettings chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var name = chain.Mode == ChainMode.Embedded ? "NeuroData local" : $"NeuroData chain {chain.ChainId.Value}";
        return new ChainParameters(ToHexChainId(chain.ChainId.Value), name, [chain.RpcUrl], new NativeCurrency("Ether", "ETH", 18));
    }

    /// <summary>Loads the module and opens this component's session.</summary>
    public async Task<WalletResult<bool>> InitializeAsync(string? expectedChainIdHex)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_session is not null)
        {
            return new WalletResult<bool>(true, true, null, null, null, null);
        }

        try
        {
            _module = await _js.InvokeAsync<IJSObjectReference>("import", ModulePath);
            _self = DotNetObjectReference.Create(this);
            _session = await _module.InvokeAsync<IJSObjectReference>(
                "init", _self, expectedChainIdHex is null ? new { } : new { expectedChainId = expectedChainIdHex });
            return new WalletResult<bool>(true, true, null, null, null, null);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException or InvalidOperationException)
        {
            return WalletResult.Failure<bool>(WalletErrorCodes.Unavailable, "The wallet module could not be loaded. Reload the page.");
        }
    }

    public Task<WalletResult<ConnectedWallet>> ConnectAsync(string? providerUuid = null, string? expectedChainIdHex = null) =>
        CallAsync<ConnectedWallet>("connect", providerUuid, expectedChainIdHex);

    public Task<WalletResult<WalletState>> GetStateAsync() => CallAsync<WalletState>("getState");

    public Task<WalletResult<string>> CheckNetworkAsync(string? expectedChainIdHex = null) => CallAsync<string>("checkNetwork", expectedChainIdHex);

    /// <summary>Switches the wallet to the chain, offering to add it first when the wallet does not know it.</summary>
    public Task<WalletResult<string>> SwitchChainAsync(ChainParameters chain) => CallAsync<string>("switchChain", chain);

    public Task<WalletResult<string>> PersonalSignAsync(string message, string address) => CallAsync<string>("personalSign", message, address);

    /// <summary>eth_sendTransaction of a transaction built on the server; value: the transaction hash (untrusted: re-read the chain).</summary>
    public Task<WalletResult<string>> SendTransactionAsync(NeuroData.Domain.Ports.UnsignedTransaction transaction, string? expectedChainIdHex) =>
        CallAsync<string>("sendTransaction", transaction?.ToEip1193(), expectedChainIdHex);

    /// <summary>Polls for the receipt; TX_REVERTED when mined but failed, TIMEOUT after <paramref name="timeoutMs"/>.</summary>
    public Task<WalletResult<JsonElement>> WaitForReceiptAsync(string transactionHash, int timeoutMs = 120_000) =>
        CallAsync<JsonElement>("waitForReceipt", transactionHash, new { pollMs = 1000, timeoutMs });

    public Task<WalletResult<bool>> WatchAssetAsync(string tokenAddress, string symbol, int decimals) =>
        CallAsync<bool>("watchAsset", new { address = tokenAddress, symbol, decimals });

    /// <summary>eth_signTypedData_v4 (an EIP-2612 permit built on the server); value: the 65-byte signature as hex (untrusted).</summary>
    public Task<WalletResult<string>> SignTypedDataV4Async(string address, string typedDataJson, string? expectedChainIdHex) =>
        CallAsync<string>("signTypedDataV4", address, typedDataJson, expectedChainIdHex);

    [JSInvokable]
    public Task OnAccountsChanged(string[] accounts) => AccountsChanged?.Invoke(accounts ?? []) ?? Task.CompletedTask;

    [JSInvokable]
    public Task OnChainChanged(string chainId) => ChainChanged?.Invoke(chainId) ?? Task.CompletedTask;

    [JSInvokable]
    public Task OnDisconnect(WalletError error) => Disconnected?.Invoke(error) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_module is not null && _session is not null)
            {
                await _module.InvokeVoidAsync("dispose", _session);
            }

            if (_session is not null)
            {
                await _session.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (Exception ex) when (ex is JSDisconnectedException or JSException or TaskCanceledException or ObjectDisposedException)
        {
            // The circuit is gone; the browser tab dropped the session with it.
        }

        _self?.Dispose();
    }

    private async Task<WalletResult<T>> CallAsync<T>(string function, params object?[] args)
    {
        if (_disposed || _module is null || _session is null)
        {
            return WalletResult.Failure<T>(WalletErrorCodes.Unavailable, WalletErrorCodes.Describe(WalletErrorCodes.Unavailable, null));
        }

        WalletResult<T>? result;
        try
        {
            result = await _module.InvokeAsync<WalletResult<T>>(function, [_session, .. args]);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException or JsonException)
        {
            return WalletResult.Failure<T>(WalletErrorCodes.Unavailable, WalletErrorCodes.Describe(WalletErrorCodes.Unavailable, null));
        }

        if (result is null)
        {
            return WalletResult.Failure<T>(WalletErrorCodes.InvalidResponse, WalletErrorCodes.Describe(WalletErrorCodes.InvalidResponse, null));
        }

        return result.Ok ? result : result with { Message = WalletErrorCodes.Describe(result.Code, result.Message) };
    }
}
