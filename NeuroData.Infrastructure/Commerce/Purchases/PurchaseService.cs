using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Commerce.Purchases;

/// <summary>One access type a buyer can buy now (an approved, open on-chain listing of a ready version).</summary>
/// <param name="Price">What the buyer pays (the listing's price on chain).</param>
/// <param name="Fee">The platform's share of the price (fee basis points, rounded down like the contract).</param>
/// <param name="SellerReceives">Price minus fee: what the escrow pays the seller on release.</param>
public sealed record PurchaseOption(
    Guid ListingRowId,
    long ChainListingId,
    DatasetAccessTypes AccessType,
    Guid VersionId,
    int VersionNumber,
    TokenAmount Price,
    TokenAmount Fee,
    TokenAmount SellerReceives,
    TimeSpan ReviewPeriod);

/// <summary>A purchase the viewer already has of this dataset.</summary>
public sealed record OwnedPurchase(Guid PurchaseId, DatasetAccessTypes AccessType, int VersionNumber, PurchaseStatus Status, long? EscrowId, bool HasTransaction);

/// <summary>What the purchase panel shows.</summary>
/// <param name="Unavailable">Why nothing can be bought now (null when <see cref="Options"/> is not empty).</param>
public sealed record PurchaseQuote(Guid DatasetId, string Title, int FeeBps, IReadOnlyList<PurchaseOption> Options, IReadOnlyList<OwnedPurchase> Owned, bool IsSeller, string? Unavailable);

/// <summary>A purchase in progress: <see cref="Existing"/> when the request found the buyer's pending purchase.</summary>
public sealed record PurchaseTicket(Guid PurchaseId, long ChainListingId, TokenAmount Price, bool Existing, TxHash? Transaction);

/// <summary>Where a purchase stands after its wallet transaction.</summary>
public sealed record PurchaseProgress(PurchaseStatus Status, long? EscrowId, string? Message);

/// <summary>
/// The buyer's side of a purchase: quotes (live fee from the contract), the checks before the wallet signs (price,
/// balance, linked wallet), the unsigned transactions (permit + purchaseWithPermit, or approve + purchase), and the
/// record of the transaction the wallet sent. One Pending purchase per buyer, version and access type (a unique
/// index): a repeated request returns the existing one, so a double click never pays twice. The purchase becomes
/// Confirmed when the indexer sees its escrow (<see cref="PurchaseReconciler"/>); nothing the browser reports is trusted.
/// </summary>
public sealed class PurchaseService(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    ChainContext chain,
    IChainGateway gateway,
    IWalletTransactionBuilder transactions,
    TimeProvider clock)
{
    /// <summary>How long a permit signature stays valid.</summary>
    public static readonly TimeSpan PermitLifetime = TimeSpan.FromMinutes(30);

    /// <summary>The marketplace's current fee in basis points, read from the contract (never assumed).</summary>
    public async Task<int> GetFeeBpsAsync(CancellationToken cancellationToken = default)
    {
        var c = await chain.GetContractsAsync(cancellationToken);
        var bps = await chain.Web3.Eth.GetContractQueryHandler<FeeBpsFunction>()
            .QueryAsync<System.Numerics.BigInteger>(c.DataMarketplace.Value, new FeeBpsFunction()).WaitAsync(cancellationToken);
        return (int)bps;
    }

    public Task<TokenAmount> GetBalanceAsync(EthAddress wallet, CancellationToken cancellationToken = default) =>
        gateway.GetTokenBalanceAsync(wallet, cancellationToken);

    public async Task<PurchaseQuote> GetQuoteAsync(Guid viewerId, Guid datasetId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().Include(d => d.Versions).FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken)
            ?? throw new DomainException("No such dataset.");
        var feeBps = await GetFeeBpsAsync(cancellationToken);
        var owned = viewerId == Guid.Empty
            ? []
            : (await db.Purchases.AsNoTracking()
                .Where(p => p.BuyerId == viewerId && p.DatasetId == datasetId && p.Status != PurchaseStatus.Failed)
                .OrderByDescending(p => p.CreatedAt).ToListAsync(cancellationToken))
                .Select(p => new OwnedPurchase(p.Id, p.AccessType, dataset.Versions.FirstOrDefault(v => v.Id == p.DatasetVersionId)?.VersionNumber ?? 0, p.Status, p.OnChainEscrowId, p.ChainTransactionId is not null))
                .ToList();
        var isSeller = viewerId != Guid.Empty && viewerId == dataset.SellerId;
        if (dataset.Status != DatasetStatus.Live)
        {
            return new(datasetId, dataset.Title, feeBps, [], owned, isSeller, "This dataset is not on sale.");
        }

        var listings = await db.Set<DatasetListing>().AsNoTracking()
            .Where(l => l.DatasetId == datasetId && l.Status == DatasetListingStatus.Approved)
            .ToListAsync(cancellationToken);
        var options = new List<PurchaseOption>();
        foreach (var type in new[] { DatasetAccessTypes.Download, DatasetAccessTypes.TrainingOnly })
        {
            var best = listings
                .Where(l => l.AccessType == type)
                .Select(l => (Listing: l, Version: dataset.Versions.FirstOrDefault(v => v.Id == l.VersionId && v.Status == DatasetVersionStatus.Ready)))
                .Where(x => x.Version is not null)
                .OrderByDescending(x => x.Version!.VersionNumber)
                .FirstOrDefault();
            if (best.Listing is null || !dataset.AccessTypes.HasFlag(type))
            {
                continue;
            }

            var fee = best.Listing.Price.MultiplyBasisPoints(feeBps);
            options.Add(new PurchaseOption(best.Listing.Id, best.Listing.ChainListingId, type, best.Version!.Id, best.Version.VersionNumber,
                best.Listing.Price, fee, best.Listing.Price - fee, dataset.ReviewPeriod));
        }

        return new(datasetId, dataset.Title, feeBps, options, owned, isSeller,
            options.Count == 0 ? "No listing of this dataset is approved on chain yet." : isSeller ? "You are the seller of this dataset." : null);
    }

    /// <summary>
    /// Checks everything before the wallet signs and returns the buyer's pending purchase for this listing (creating it
    /// once). <paramref name="shownPrice"/> is the price the page showed: the wallet's maxPrice.
    /// </summary>
    public async Task<PurchaseTicket> StartAsync(Guid buyerId, Guid listingRowId, EthAddress wallet, TokenAmount shownPrice, CancellationToken cancellationToken = default)
    {
        Guard.Id(buyerId, "The buyer");
        ArgumentNullException.ThrowIfNull(wallet);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var listing = await db.Set<DatasetListing>().AsNoTracking().FirstOrDefaultAsync(l => l.Id == listingRowId, cancellationToken)
            ?? throw new DomainException("No such listing.");
        var existing = await PendingAsync(db, buyerId, listing, cancellationToken);
        if (existing is not null)
        {
            return await TicketAsync(db, existing, listing, true, cancellationToken);
        }

        if (!await db.WalletLinks.AnyAsync(w => w.UserId == buyerId && w.Address == wallet, cancellationToken))
        {
            throw new DomainException($"The wallet {wallet.ToShortString()} is not linked to your account. Link it on your profile (Sign-In with Ethereum) first, so the platform can recognise your purchase.");
        }

        var dataset = await db.Datasets.Include(d => d.Versions).FirstOrDefaultAsync(d => d.Id == listing.DatasetId, cancellationToken)
            ?? throw new DomainException("No such dataset.");
        var version = dataset.Versions.FirstOrDefault(v => v.Id == listing.VersionId)
            ?? throw new DomainException("The listed version no longer exists.");
        if (listing.Status != DatasetListingStatus.Approved)
        {
            throw new DomainException("This listing is not approved for sale.");
        }

        var onChain = await gateway.GetListingAsync(listing.ChainListingId, cancellationToken);
        if (onChain is null || onChain.Status != ChainListingStatus.Approved)
        {
            throw new DomainException("This listing is no longer for sale on chain.");
        }

        if (onChain.Price != shownPrice)
        {
            throw new PriceChangedException(onChain.Price);
        }

        var balance = await gateway.GetTokenBalanceAsync(wallet, cancellationToken);
        if (balance < onChain.Price)
        {
            throw new DomainException($"Not enough NCR: the price is {onChain.Price} and the wallet {wallet.ToShortString()} holds {balance}. Top up the wallet, then try again.");
        }

        var feeBps = await GetFeeBpsAsync(cancellationToken);
        var purchase = Purchase.Start(dataset, version, buyerId, listing.AccessType, onChain.Price, feeBps, clock.GetUtcNow());
        db.Purchases.Add(purchase);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent request of the same buyer created the pending purchase first (unique index): return that one.
            await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
            var winner = await PendingAsync(again, buyerId, listing, cancellationToken) ?? throw new DomainException("The purchase could not be started; try again.");
            return await TicketAsync(again, winner, listing, true, cancellationToken);
        }

        return new PurchaseTicket(purchase.Id, listing.ChainListingId, purchase.Price, false, null);
    }

    /// <summary>The EIP-712 permit the buyer signs (eth_signTypedData_v4) for exactly the purchase's price.</summary>
    public async Task<(string TypedData, DateTimeOffset Deadline)> BuildPermitAsync(Guid buyerId, Guid purchaseId, EthAddress wallet, CancellationToken cancellationToken = default)
    {
        var (purchase, _) = await PendingPurchaseAsync(buyerId, purchaseId, cancellationToken);
        var deadline = DateTimeOffset.FromUnixTimeSeconds((clock.GetUtcNow() + PermitLifetime).ToUnixTimeSeconds());
        return (await transactions.BuildPurchasePermitAsync(wallet, purchase.Price, deadline, cancellationToken), deadline);
    }

    public async Task<UnsignedTransaction> BuildPurchaseWithPermitAsync(Guid buyerId, Guid purchaseId, EthAddress wallet, DateTimeOffset deadline, string signature, CancellationToken cancellationToken = default)
    {
        var (purchase, listing) = await PendingPurchaseAsync(buyerId, purchaseId, cancellationToken);
        return await transactions.PurchaseWithPermitAsync(wallet, listing.ChainListingId, purchase.Price, deadline, signature, cancellationToken);
    }

    /// <summary>approve(marketplace, price), needed first for a purchase without a permit.</summary>
    public async Task<UnsignedTransaction?> BuildApproveIfNeededAsync(Guid buyerId, Guid purchaseId, EthAddress wallet, CancellationToken cancellationToken = default)
    {
        var (purchase, _) = await PendingPurchaseAsync(buyerId, purchaseId, cancellationToken);
        var c = await chain.GetContractsAsync(cancellationToken);
        var allowance = await gateway.GetTokenAllowanceAsync(wallet, c.DataMarketplace, cancellationToken);
        return allowance >= purchase.Price ? null : await transactions.ApproveTokenAsync(wallet, ChainSpender.DataMarketplace, purchase.Price, cancellationToken);
    }

    public async Task<UnsignedTransaction> BuildPurchaseAsync(Guid buyerId, Guid purchaseId, EthAddress wallet, CancellationToken cancellationToken = default)
    {
        var (purchase, listing) = await PendingPurchaseAsync(buyerId, purchaseId, cancellationToken);
        return await transactions.PurchaseAsync(wallet, listing.ChainListingId, purchase.Price, cancellationToken);
    }

    /// <summary>Records the purchase transaction the wallet sent (a Pending ChainTransaction, purpose Purchase). Idempotent for the same hash.</summary>
    public async Task RecordTransactionAsync(Guid buyerId, Guid purchaseId, EthAddress wallet, TxHash hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var purchase = await db.Purchases.FirstOrDefaultAsync(p => p.Id == purchaseId && p.BuyerId == buyerId, cancellationToken)
            ?? throw new DomainException("No such purchase.");
        if (purchase.ChainTransactionId is { } attached)
        {
            var known = await db.ChainTransactions.AsNoTracking().FirstAsync(t => t.Id == attached, cancellationToken);
            if (known.Hash == hash)
            {
                return;
            }

            throw new DomainException($"This purchase already has its transaction {known.Hash.ToShortString()}; it is not sent twice.");
        }

        var c = await chain.GetContractsAsync(cancellationToken);
        var tx = await db.ChainTransactions.FirstOrDefaultAsync(t => t.ChainId == chain.Settings.ChainId && t.Hash == hash, cancellationToken);
        if (tx is null)
        {
            tx = new ChainTransaction(chain.Settings.ChainId, hash, wallet, c.DataMarketplace, ChainTransactionPurpose.Purchase, buyerId, clock.GetUtcNow());
            db.ChainTransactions.Add(tx);
        }
        else if (tx.UserId != buyerId || tx.Purpose != ChainTransactionPurpose.Purchase)
        {
            throw new DomainException("That transaction belongs to something else.");
        }

        purchase.AttachTransaction(tx.Id);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The buyer rejected the request in the wallet (or it failed before sending): the pending purchase is closed.</summary>
    public async Task AbandonAsync(Guid buyerId, Guid purchaseId, string reason, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var purchase = await db.Purchases.FirstOrDefaultAsync(p => p.Id == purchaseId && p.BuyerId == buyerId, cancellationToken);
        if (purchase is null || purchase.Status != PurchaseStatus.Pending || purchase.ChainTransactionId is not null)
        {
            return; // a sent transaction is never abandoned: the chain decides
        }

        purchase.MarkFailed(reason, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Re-reads the purchase transaction's receipt from the platform's node: a revert fails the purchase (with "the price
    /// changed to X" when that is why); a success marks the transaction confirmed. The purchase itself turns Confirmed
    /// when the indexer has seen its escrow.
    /// </summary>
    public async Task<PurchaseProgress> CheckAsync(Guid buyerId, Guid purchaseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var purchase = await db.Purchases.FirstOrDefaultAsync(p => p.Id == purchaseId && p.BuyerId == buyerId, cancellationToken)
            ?? throw new DomainException("No such purchase.");
        if (purchase.Status != PurchaseStatus.Pending || purchase.ChainTransactionId is null)
        {
            return new(purchase.Status, purchase.OnChainEscrowId, purchase.FailureReason);
        }

        var tx = await db.ChainTransactions.FirstAsync(t => t.Id == purchase.ChainTransactionId, cancellationToken);
        if (tx.Status == ChainTransactionStatus.Pending)
        {
            var receipt = await gateway.GetReceiptAsync(tx.Hash, cancellationToken);
            if (receipt is null)
            {
                return new(purchase.Status, null, "Waiting for the transaction to be mined.");
            }

            var c = await chain.GetContractsAsync(cancellationToken);
            var genuine = receipt.From == tx.From && receipt.To == c.DataMarketplace;
            if (receipt.Succeeded && genuine)
            {
                tx.Confirm(receipt.BlockNumber, clock.GetUtcNow());
            }
            else
            {
                var why = genuine ? await RevertReasonAsync(db, purchase, cancellationToken) : "That transaction is not a purchase from your wallet on the marketplace.";
                tx.MarkReverted(receipt.BlockNumber, why, clock.GetUtcNow());
                purchase.MarkFailed(why, clock.GetUtcNow());
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return new(purchase.Status, purchase.OnChainEscrowId, purchase.Status == PurchaseStatus.Pending ? "Mined; waiting for the platform to index the escrow." : purchase.FailureReason);
    }

    private async Task<string> RevertReasonAsync(NeuroDataDbContext db, Purchase purchase, CancellationToken ct)
    {
        var listing = await db.Set<DatasetListing>().AsNoTracking()
            .FirstOrDefaultAsync(l => l.VersionId == purchase.DatasetVersionId && l.AccessType == purchase.AccessType && l.Status == DatasetListingStatus.Approved, ct);
        if (listing is not null && await gateway.GetListingAsync(listing.ChainListingId, ct) is { } onChain)
        {
            if (onChain.Price != purchase.Price)
            {
                return new PriceChangedException(onChain.Price).Message;
            }

            if (onChain.Status != ChainListingStatus.Approved)
            {
                return "The listing was withdrawn while your purchase was on its way; nothing was paid.";
            }
        }

        return "The purchase transaction reverted; nothing was paid. Check your NCR balance and try again.";
    }

    private async Task<(Purchase Purchase, DatasetListing Listing)> PendingPurchaseAsync(Guid buyerId, Guid purchaseId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var purchase = await db.Purchases.AsNoTracking().FirstOrDefaultAsync(p => p.Id == purchaseId && p.BuyerId == buyerId, ct)
            ?? throw new DomainException("No such purchase.");
        if (purchase.Status != PurchaseStatus.Pending)
        {
            throw new DomainException($"This purchase is {purchase.Status.ToString().ToLowerInvariant()}; start a new one.");
        }

        if (purchase.ChainTransactionId is not null)
        {
            throw new DomainException("This purchase's transaction was already sent; wait for it to be confirmed.");
        }

        var listing = await db.Set<DatasetListing>().AsNoTracking()
            .Where(l => l.VersionId == purchase.DatasetVersionId && l.AccessType == purchase.AccessType && l.Status == DatasetListingStatus.Approved)
            .OrderByDescending(l => l.ChainListingId)
            .FirstOrDefaultAsync(ct)
            ?? throw new DomainException("This listing is no longer for sale.");
        return (purchase, listing);
    }

    private static Task<Purchase?> PendingAsync(NeuroDataDbContext db, Guid buyerId, DatasetListing listing, CancellationToken ct) =>
        db.Purchases.AsNoTracking().FirstOrDefaultAsync(p => p.BuyerId == buyerId && p.DatasetVersionId == listing.VersionId
            && p.AccessType == listing.AccessType && p.Status == PurchaseStatus.Pending, ct);

    private static async Task<PurchaseTicket> TicketAsync(NeuroDataDbContext db, Purchase purchase, DatasetListing listing, bool existing, CancellationToken ct)
    {
        TxHash? hash = null;
        if (purchase.ChainTransactionId is { } id)
        {
            hash = await db.ChainTransactions.AsNoTracking().Where(t => t.Id == id).Select(t => t.Hash).FirstOrDefaultAsync(ct);
        }

        return new PurchaseTicket(purchase.Id, listing.ChainListingId, purchase.Price, existing, hash);
    }
}

/// <summary>The listing's price on chain is not the one the buyer saw.</summary>
public sealed class PriceChangedException : DomainException
{
    public PriceChangedException(TokenAmount newPrice)
        : base($"The price changed to {newPrice}; review it and try again.")
    {
        NewPrice = newPrice;
    }

    public PriceChangedException()
        : base("The price changed; review it and try again.")
    {
    }

    public PriceChangedException(string message)
        : base(message)
    {
    }

    public PriceChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TokenAmount NewPrice { get; }
}
