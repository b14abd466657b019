using NeuroData.Domain.Common;
using NeuroData.Domain.Training;

namespace NeuroData.Domain.Ports;

/// <summary>Content-addressed storage (local blockstore, or an IPFS node). CIDs are computed as <c>ipfs add</c> does.</summary>
public interface IContentStore
{
    /// <summary>Stores the stream's bytes (streamed, not buffered) and returns their CID.</summary>
    Task<Cid> AddAsync(Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens the content for reading; throws <see cref="FileNotFoundException"/> when it is not stored.</summary>
    Task<Stream> OpenReadAsync(Cid cid, CancellationToken cancellationToken = default);

    Task<bool> ContainsAsync(Cid cid, CancellationToken cancellationToken = default);

    /// <summary>Keeps the content from being garbage-collected.</summary>
    Task PinAsync(Cid cid, CancellationToken cancellationToken = default);
}

/// <summary>What a mined transaction looked like.</summary>
public sealed record ChainReceipt(TxHash Hash, long BlockNumber, bool Succeeded, EthAddress From, EthAddress? To);

/// <summary>
/// Read access to the chain the platform runs on (writes are signed by users' wallets or the operator key).
/// Calls made while the local dev chain is still starting wait until it is ready.
/// </summary>
public interface IChainGateway
{
    ChainId ChainId { get; }

    /// <summary>Where the platform's contracts are.</summary>
    Task<ChainContracts> GetContractsAsync(CancellationToken cancellationToken = default);

    Task<long> GetBlockNumberAsync(CancellationToken cancellationToken = default);

    /// <summary>NCR balance of an address.</summary>
    Task<TokenAmount> GetTokenBalanceAsync(EthAddress address, CancellationToken cancellationToken = default);

    /// <summary>How much NCR <paramref name="spender"/> may still take from <paramref name="owner"/> (ERC-20 allowance).</summary>
    Task<TokenAmount> GetTokenAllowanceAsync(EthAddress owner, EthAddress spender, CancellationToken cancellationToken = default);

    /// <summary>Native coin (ETH, POL ...) balance in wei, for gas.</summary>
    Task<System.Numerics.BigInteger> GetNativeBalanceAsync(EthAddress address, CancellationToken cancellationToken = default);

    /// <summary>A marketplace listing as the contract holds it, or null when no listing has that id.</summary>
    Task<ChainListing?> GetListingAsync(long listingId, CancellationToken cancellationToken = default);

    /// <summary>An escrow as the contract holds it, or null when no escrow has that id.</summary>
    Task<ChainEscrow?> GetEscrowAsync(long escrowId, CancellationToken cancellationToken = default);

    /// <summary>The receipt, or null while the transaction is not mined (or unknown).</summary>
    Task<ChainReceipt?> GetReceiptAsync(TxHash hash, CancellationToken cancellationToken = default);
}

/// <summary>
/// Trains a model (ML.NET in the infrastructure) on a local data file: validates the request against the data (plain-word
/// <see cref="TrainingException"/>s), reports <see cref="TrainingProgress"/>, honours cancellation
/// promptly and the request's limits, evaluates on held-out rows and writes the model file when asked.
/// </summary>
public interface IModelTrainer
{
    Task<TrainingOutcome> TrainAsync(TrainingRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>Uses a model file written by <see cref="IModelTrainer"/>: describes its inputs, predicts one row or a whole CSV file.</summary>
public interface IModelPredictor
{
    /// <summary>What the model expects (columns and their kinds) and predicts; the page builds its form from it.</summary>
    ModelDescription Describe(string modelPath);

    /// <summary>One prediction from column values as text (missing or empty = missing value).</summary>
    PredictionResult Predict(string modelPath, IReadOnlyDictionary<string, string?> values);

    /// <summary>Streams a CSV (header + rows) through the model and writes the rows with their predictions as CSV; returns the row count.</summary>
    Task<long> PredictCsvAsync(string modelPath, Stream input, Stream output, CancellationToken cancellationToken);
}

/// <summary>An outgoing email.</summary>
public sealed record EmailMessage(string To, string Subject, string HtmlBody, string TextBody);

/// <summary>Sends email (SMTP, or a pickup folder in Development).</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>What to tell one user. <see cref="Key"/> identifies the subject: the same (user, key) is notified once.</summary>
public sealed record NotificationRequest(
    Guid UserId,
    NeuroData.Domain.Notifications.NotificationKind Kind,
    string Key,
    string Title,
    string Body,
    string? Link);

/// <summary>Notifies users: stores the notification, pushes it to their open pages, emails it when they have a confirmed address.</summary>
public interface INotifier
{
    /// <summary>Returns true when the notification is new, false when this (user, key) was notified before (nothing sent again).</summary>
    Task<bool> NotifyAsync(NotificationRequest request, CancellationToken cancellationToken = default);
}
