using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Chain;

/// <summary>
/// Signs and sends transactions with one server-held key (the platform operator's, or the dev deployer's): estimates
/// gas (a revert here is decoded and nothing is sent), assigns nonces itself (one transaction at a time per sender,
/// the next nonce kept locally and re-read from the chain after any failure), then waits for the receipt up to
/// <see cref="ChainSettings.ReceiptTimeout"/>. Every failure is a <see cref="ChainTransactionException"/> whose
/// message names the contract's custom error.
/// </summary>
public sealed partial class ChainTransactionSender : IDisposable
{
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromMilliseconds(500);

    private readonly Web3 _web3;
    private readonly ContractErrorDecoder _decoder;
    private readonly TimeSpan _receiptTimeout;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private BigInteger? _nextNonce;

    public ChainTransactionSender(ChainSettings settings, string privateKey, ContractErrorDecoder decoder, ILogger logger)
    {
        var account = new Account(privateKey, settings.ChainId.Value);
        _web3 = new Web3(account, settings.RpcUrl);
        _decoder = decoder;
        _receiptTimeout = settings.ReceiptTimeout;
        _logger = logger;
        Address = EthAddress.Parse(account.Address);
    }

    public void Dispose() => _sendLock.Dispose();

    /// <summary>The signing account.</summary>
    public EthAddress Address { get; }

    /// <summary>Calls a contract function.</summary>
    public Task<TransactionReceipt> SendAsync<TFunction>(EthAddress contract, TFunction function, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new()
    {
        var name = ABITypedRegistry.GetFunctionABI<TFunction>().Name;
        return SendRawAsync(contract.Value, function.GetCallData().ToHex(prefix: true), BigInteger.Zero, name, cancellationToken);
    }

    /// <summary>Deploys a contract from its exported artifact; the receipt holds the new address.</summary>
    public Task<TransactionReceipt> DeployAsync(ContractArtifact artifact, CancellationToken cancellationToken, params object[] constructorArguments)
    {
        var data = _web3.Eth.DeployContract.GetData(artifact.Bytecode, artifact.AbiJson, constructorArguments);
        return SendRawAsync(null, data, BigInteger.Zero, $"deploy {artifact.Name}", cancellationToken);
    }

    /// <summary>Sends native coin (wei).</summary>
    public Task<TransactionReceipt> SendValueAsync(EthAddress to, BigInteger wei, CancellationToken cancellationToken = default) =>
        SendRawAsync(to.Value, "0x", wei, "transfer of ETH", cancellationToken);

    private async Task<TransactionReceipt> SendRawAsync(string? to, string data, BigInteger value, string what, CancellationToken cancellationToken)
    {
        var input = new TransactionInput
        {
            From = Address.Value,
            To = to,
            Data = data,
            Value = new HexBigInteger(value),
        };

        HexBigInteger gas;
        try
        {
            gas = await _web3.Eth.Transactions.EstimateGas.SendRequestAsync(input).WaitAsync(cancellationToken);
        }
        catch (RpcResponseException ex)
        {
            throw Refused(what, RevertDataOf(ex), ex.RpcError?.Message ?? ex.Message, null, ex);
        }
        catch (RpcClientUnknownException ex)
        {
            throw new ChainTransactionException($"The chain node could not be reached to send {what}: {ex.Message}", null, null, ex);
        }

        // The estimate is made against the pending block; gas can differ once mined (e.g. staking rewards accrue only
        // when a second has passed, turning zero storage slots non-zero at 20,000 gas each). Unused gas is not paid for,
        // so leave a wide margin rather than fail with "out of gas".
        input.Gas = new HexBigInteger(GasLimitFor(gas.Value));
        string hashText;
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            var onChain = await _web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(Address.Value, BlockParameter.CreatePending()).WaitAsync(cancellationToken);
            var nonce = _nextNonce is { } local && local > onChain.Value ? local : onChain.Value;
            input.Nonce = new HexBigInteger(nonce);
            hashText = await _web3.TransactionManager.SendTransactionAsync(input).WaitAsync(cancellationToken);
            _nextNonce = nonce + 1;
        }
        catch (RpcResponseException ex)
        {
            _nextNonce = null;
            throw Refused(what, RevertDataOf(ex), ex.RpcError?.Message ?? ex.Message, null, ex);
        }
        catch
        {
            _nextNonce = null;
            throw;
        }
        finally
        {
            _sendLock.Release();
        }

        var hash = TxHash.Parse(hashText);
        _logger.LogInformation("Sent {What} from {From}: {Hash}", what, Address, hash);
        var receipt = await WaitForReceiptAsync(hash, what, cancellationToken);
        if (receipt.Succeeded())
        {
            return receipt;
        }

        // Mined but reverted (the state changed between estimate and mining): replay it to learn why.
        string? revertData = null;
        var gasUsed = receipt.GasUsed?.Value ?? BigInteger.Zero;
        string reason = gasUsed >= input.Gas.Value * 63 / 64
            ? $"ran out of gas (used {gasUsed} of {input.Gas.Value})"
            : $"reverted in block {receipt.BlockNumber.Value} (gas used {gasUsed} of {input.Gas.Value}); replaying it on the block before did not revert";
        try
        {
            await _web3.Eth.Transactions.Call.SendRequestAsync(input, new BlockParameter(new HexBigInteger(receipt.BlockNumber.Value - 1)));
        }
        catch (RpcResponseException ex)
        {
            revertData = RevertDataOf(ex);
            reason = ex.RpcError?.Message ?? ex.Message;
        }

        throw Refused(what, revertData, reason, hash, null);
    }

    /// <summary>The gas limit sent for an estimate: half again plus 50,000 (room for a few storage slots set from zero).</summary>
    public static BigInteger GasLimitFor(BigInteger estimate) => estimate * 3 / 2 + 50_000;

    private async Task<TransactionReceipt> WaitForReceiptAsync(TxHash hash, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_receiptTimeout);
        try
        {
            // A dev chain mines at once, a public chain takes seconds: poll fast first, then back off.
            var interval = TimeSpan.FromMilliseconds(10);
            while (true)
            {
                var receipt = await _web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash.Value).WaitAsync(timeout.Token);
                if (receipt?.BlockNumber is not null)
                {
                    return receipt;
                }

                await Task.Delay(interval, timeout.Token);
                interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, MaxPollInterval.Ticks));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChainTransactionException(
                $"{what} ({hash}) was not mined within {_receiptTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s; it may still be mined later.",
                null,
                hash);
        }
    }

    private ChainTransactionException Refused(string what, string? revertData, string nodeMessage, TxHash? hash, Exception? inner)
    {
        var decoded = _decoder.Decode(revertData);
        if (decoded is null && hash is null && !nodeMessage.Contains("revert", StringComparison.OrdinalIgnoreCase))
        {
            // Not a contract decision: the node refused the transaction itself (nonce, fees, funds for gas ...).
            _logger.LogWarning("The chain node refused {What} from {From}: {Reason}", what, Address, nodeMessage);
            return new ChainTransactionException($"The chain node refused {what}: {nodeMessage}.", null, null, inner);
        }

        var because = decoded?.Description ?? nodeMessage;
        _logger.LogWarning("{What} from {From} was refused: {Reason}", what, Address, because);
        return new ChainTransactionException($"The contract refused {what}: {because}.", decoded?.Name, hash, inner);
    }

    /// <summary>The revert data a node attached to an error (anvil and geth put it in error.data), else any 0x… selector in the message.</summary>
    internal static string? RevertDataOf(RpcResponseException ex)
    {
        var data = ex.RpcError?.Data;
        string? text = data switch
        {
            null => null,
            Newtonsoft.Json.Linq.JValue v => v.Value?.ToString(),
            Newtonsoft.Json.Linq.JObject o => o["data"]?.ToString(),
            _ => data.ToString(),
        };
        if (text is not null && HexData().IsMatch(text))
        {
            return text;
        }

        var inMessage = HexData().Match(ex.RpcError?.Message ?? string.Empty);
        return inMessage.Success ? inMessage.Value : null;
    }

    [GeneratedRegex("0x[0-9a-fA-F]{8,}")]
    private static partial Regex HexData();
}
