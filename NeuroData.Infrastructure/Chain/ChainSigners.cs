using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NeuroData.Infrastructure.Chain;

/// <summary>
/// One <see cref="ChainTransactionSender"/> per private key for the whole process, so services that sign with the
/// same account (in Embedded mode the operator and the faucet both use dev account 0) share one nonce sequence.
/// </summary>
public sealed class ChainSigners(ChainSettings settings, ContractErrorDecoder decoder, ILoggerFactory loggerFactory) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ChainTransactionSender>> _senders = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The sender for a key (created on first use).</summary>
    public ChainTransactionSender For(string privateKey) =>
        _senders.GetOrAdd(privateKey, key => new Lazy<ChainTransactionSender>(() =>
            new ChainTransactionSender(settings, key, decoder, loggerFactory.CreateLogger<ChainTransactionSender>()))).Value;

    public void Dispose()
    {
        foreach (var sender in _senders.Values.Where(l => l.IsValueCreated))
        {
            sender.Value.Dispose();
        }
    }
}
