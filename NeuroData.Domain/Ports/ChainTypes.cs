using System.Globalization;
using System.Numerics;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;

namespace NeuroData.Domain.Ports;

/// <summary>Addresses of the platform's six contracts on the configured chain.</summary>
public sealed record ChainContracts(
    EthAddress NeuroCoin,
    EthAddress Staking,
    EthAddress EscrowManager,
    EthAddress DataMarketplace,
    EthAddress Governor,
    EthAddress Timelock);

/// <summary>Listing status in the DataMarketplace contract.</summary>
public enum ChainListingStatus
{
    Pending = 1,
    Approved = 2,
    Rejected = 3,
    Delisted = 4,
}

/// <summary>What a buyer gets (the contract's AccessType).</summary>
public enum ChainAccessType
{
    Download = 0,
    TrainingOnly = 1,
}

/// <summary>A listing as the DataMarketplace contract stores it.</summary>
public sealed record ChainListing(
    long ListingId,
    EthAddress Seller,
    TokenAmount Price,
    TimeSpan ReviewPeriod,
    ChainAccessType AccessType,
    ChainListingStatus Status,
    int Tranches,
    byte[] ContentDigest);

/// <summary>An escrow as the EscrowManager contract stores it.</summary>
public sealed record ChainEscrow(
    long EscrowId,
    long ListingId,
    EthAddress Buyer,
    EthAddress Seller,
    TokenAmount Amount,
    TokenAmount Released,
    int FeeBps,
    EscrowState State,
    DateTimeOffset Deadline,
    int Tranches,
    int TranchesReleased);

/// <summary>
/// An unsigned transaction for the user's wallet to sign and send (EIP-1193 <c>eth_sendTransaction</c>): the wallet
/// chooses nonce, gas and fees. <see cref="Data"/> is 0x-prefixed lower-case hex calldata.
/// </summary>
public sealed record UnsignedTransaction(EthAddress From, EthAddress To, string Data, BigInteger Value)
{
    /// <summary>The value as a minimal hex quantity ("0x0", "0x1bc16d674ec80000").</summary>
    public string ValueHex => Value.IsZero ? "0x0" : "0x" + Value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');

    /// <summary>The object <c>wallet.js sendTransaction</c> expects: from, to, data, value (lower-case hex).</summary>
    public IReadOnlyDictionary<string, string> ToEip1193() => new Dictionary<string, string>
    {
        ["from"] = From.Value.ToLowerInvariant(),
        ["to"] = To.Value.ToLowerInvariant(),
        ["data"] = Data,
        ["value"] = ValueHex,
    };
}

/// <summary>
/// A chain transaction failed: the contract refused it (with the custom error's name when the ABI knows it), it was
/// not mined in time, or the node refused it. The message is written for a person.
/// </summary>
public sealed class ChainTransactionException : Exception
{
    public ChainTransactionException(string message, string? errorName = null, TxHash? transactionHash = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorName = errorName;
        TransactionHash = transactionHash;
    }

    public ChainTransactionException()
        : base("The chain transaction failed.")
    {
    }

    public ChainTransactionException(string message)
        : base(message)
    {
    }

    public ChainTransactionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The contract's custom error (e.g. "InvalidListingStatus"), "Error" / "Panic" for the built-in ones, or null.</summary>
    public string? ErrorName { get; }

    /// <summary>The hash when the transaction was sent (null when it was refused before sending).</summary>
    public TxHash? TransactionHash { get; }
}

/// <summary>Platform actions signed with the platform's operator key (never a user's key).</summary>
public interface IPlatformChainOperator
{
    /// <summary>The operator's address.</summary>
    EthAddress Address { get; }

    /// <summary>Approves a pending listing as moderator. Throws <see cref="ChainTransactionException"/> when refused.</summary>
    Task<ChainReceipt> ApproveListingAsync(long listingId, CancellationToken cancellationToken = default);

    /// <summary>Rejects (or takes down) a listing as moderator with a reason shown to the seller.</summary>
    Task<ChainReceipt> RejectListingAsync(long listingId, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases a funded escrow whose review deadline has passed (EscrowManager.releaseAfterDeadline, which anyone may
    /// call). Throws <see cref="ChainTransactionException"/> when refused: ErrorName "InvalidState" when the escrow is
    /// no longer funded (already released, refunded or disputed), "DeadlineNotReached" before the deadline.
    /// </summary>
    Task<ChainReceipt> ReleaseAfterDeadlineAsync(long escrowId, CancellationToken cancellationToken = default);
}

/// <summary>Builds the unsigned transactions users sign in their own wallet.</summary>
public interface IWalletTransactionBuilder
{
    /// <summary>ERC-20 approve of NCR for one of the platform contracts.</summary>
    Task<UnsignedTransaction> ApproveTokenAsync(EthAddress owner, ChainSpender spender, TokenAmount amount, CancellationToken cancellationToken = default);

    Task<UnsignedTransaction> CreateListingAsync(EthAddress seller, byte[] contentDigest, TokenAmount price, TimeSpan reviewPeriod, ChainAccessType accessType, int tranches, CancellationToken cancellationToken = default);

    /// <summary>Buys a listing (the buyer approved the marketplace for at least the price); reverts if the price rose above <paramref name="maxPrice"/>.</summary>
    Task<UnsignedTransaction> PurchaseAsync(EthAddress buyer, long listingId, TokenAmount maxPrice, CancellationToken cancellationToken = default);

    /// <summary>
    /// The EIP-712 typed data (JSON, for <c>eth_signTypedData_v4</c>) of an EIP-2612 permit that lets the marketplace take
    /// up to <paramref name="maxPrice"/> NCR from <paramref name="buyer"/> until <paramref name="deadline"/>; the
    /// signature goes to <see cref="PurchaseWithPermitAsync"/> with the same maxPrice and deadline.
    /// </summary>
    Task<string> BuildPurchasePermitAsync(EthAddress buyer, TokenAmount maxPrice, DateTimeOffset deadline, CancellationToken cancellationToken = default);

    /// <summary>Buys with an EIP-2612 permit signature (65 bytes, hex) instead of a prior approve.</summary>
    Task<UnsignedTransaction> PurchaseWithPermitAsync(EthAddress buyer, long listingId, TokenAmount maxPrice, DateTimeOffset deadline, string permitSignature, CancellationToken cancellationToken = default);

    Task<UnsignedTransaction> ConfirmReceiptAsync(EthAddress buyer, long escrowId, CancellationToken cancellationToken = default);

    /// <summary>Opens a dispute (the buyer approved the EscrowManager for the bond).</summary>
    Task<UnsignedTransaction> OpenDisputeAsync(EthAddress buyer, long escrowId, DisputeMode mode, CancellationToken cancellationToken = default);

    Task<UnsignedTransaction> WithdrawAsync(EthAddress account, CancellationToken cancellationToken = default);

    Task<UnsignedTransaction> StakeAsync(EthAddress staker, TokenAmount amount, CancellationToken cancellationToken = default);

    Task<UnsignedTransaction> UnstakeAsync(EthAddress staker, TokenAmount amount, CancellationToken cancellationToken = default);

    Task<UnsignedTransaction> ClaimRewardsAsync(EthAddress staker, CancellationToken cancellationToken = default);

    /// <summary>A moderator approving a listing from their own wallet.</summary>
    Task<UnsignedTransaction> ApproveListingAsync(EthAddress moderator, long listingId, CancellationToken cancellationToken = default);

    /// <summary>The seller refunds what the escrow still holds to the buyer (only before a dispute).</summary>
    Task<UnsignedTransaction> AgreeRefundAsync(EthAddress seller, long escrowId, CancellationToken cancellationToken = default);

    /// <summary>Anyone releases a funded escrow to the seller once its deadline has passed.</summary>
    Task<UnsignedTransaction> ReleaseAfterDeadlineAsync(EthAddress caller, long escrowId, CancellationToken cancellationToken = default);

    /// <summary>A staker (not a party) votes on a community-vote dispute with their snapshot stake.</summary>
    Task<UnsignedTransaction> VoteOnDisputeAsync(EthAddress voter, long escrowId, bool forSeller, CancellationToken cancellationToken = default);

    /// <summary>An arbitrator (ARBITRATOR_ROLE, not a party) rules: <paramref name="sellerBps"/> of what is held goes to the seller.</summary>
    Task<UnsignedTransaction> RuleOnDisputeAsync(EthAddress arbitrator, long escrowId, int sellerBps, CancellationToken cancellationToken = default);

    /// <summary>Anyone executes the tally of a community vote once its voting period has ended.</summary>
    Task<UnsignedTransaction> TallyVoteAsync(EthAddress caller, long escrowId, CancellationToken cancellationToken = default);
}

/// <summary>Platform contracts a user approves to take NCR.</summary>
public enum ChainSpender
{
    DataMarketplace,
    EscrowManager,
    Staking,
}

/// <summary>
/// Development only (the local dev chain): sends NCR and ETH to a wallet so a developer or tester can try the
/// marketplace with their own MetaMask account. Not registered in External mode.
/// </summary>
public interface IDevFaucet
{
    /// <summary>Most NCR one request may send.</summary>
    TokenAmount MaxTokens { get; }

    /// <summary>Most wei one request may send.</summary>
    System.Numerics.BigInteger MaxWei { get; }

    /// <summary>Sends <paramref name="tokens"/> NCR and <paramref name="wei"/> ETH; returns the receipts (one per non-zero amount).</summary>
    Task<IReadOnlyList<ChainReceipt>> SendAsync(EthAddress to, TokenAmount tokens, System.Numerics.BigInteger wei, CancellationToken cancellationToken = default);
}
