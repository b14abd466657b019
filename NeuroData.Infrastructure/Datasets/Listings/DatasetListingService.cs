using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Nethereum.Contracts;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Datasets.Listings;

/// <summary>One chain listing as pages show it.</summary>
public sealed record DatasetListingView(
    Guid Id,
    Guid VersionId,
    int VersionNumber,
    DatasetAccessTypes AccessType,
    long ChainListingId,
    EthAddress Seller,
    TxHash TransactionHash,
    TokenAmount Price,
    DatasetListingStatus Status,
    string? StatusReason);

/// <summary>What the seller still has to list on chain for the latest ready version of a dataset.</summary>
/// <param name="VersionNumber">The latest ready version (null: nothing to list yet).</param>
/// <param name="Missing">Access types offered by the dataset without an open listing for that version.</param>
/// <param name="Listings">Every listing of the dataset, newest first.</param>
/// <param name="Price">The dataset's current price (open listings with another price can be updated on chain).</param>
/// <param name="Status">The dataset's state (open listings of a delisted dataset should be withdrawn on chain).</param>
public sealed record ListingPlan(int? VersionNumber, IReadOnlyList<DatasetAccessTypes> Missing, IReadOnlyList<DatasetListingView> Listings, TokenAmount Price, DatasetStatus Status);

/// <summary>The outcome of checking a seller's createListing transaction.</summary>
/// <param name="Listing">The recorded listing; null while the transaction has no receipt yet (still pending).</param>
public sealed record ListingConfirmation(DatasetListingView? Listing)
{
    public bool IsPending => Listing is null;
}

/// <summary>
/// The seller's side of on-chain listing: builds the createListing / updatePrice / delist transactions the seller's
/// wallet signs, and records a listing once its transaction is mined — re-reading the receipt and the contract on the
/// server, never trusting what the browser reports (SECURITY.md, Blazor Server).
/// </summary>
public sealed class DatasetListingService(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    ChainContext chain,
    IChainGateway gateway,
    IWalletTransactionBuilder transactions,
    TimeProvider clock)
{
    /// <summary>Milestone tranches of new listings (one: the whole price on release).</summary>
    public const int Tranches = 1;

    /// <summary>The contract's default bounds for a listing's review period.</summary>
    public static readonly TimeSpan MinChainReviewPeriod = TimeSpan.FromDays(1);

    public async Task<ListingPlan> GetPlanAsync(Guid sellerId, Guid datasetId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await LoadOwnAsync(db, sellerId, datasetId, cancellationToken);
        var listings = await ListingsAsync(db, [datasetId], cancellationToken);
        var version = dataset.LatestReadyVersion;
        var missing = version is null
            ? []
            : OfferedTypes(dataset.AccessTypes)
                .Where(t => !listings.Any(l => l.VersionId == version.Id && l.AccessType == t && l.Status is DatasetListingStatus.Pending or DatasetListingStatus.Approved))
                .ToList();
        return new ListingPlan(version?.VersionNumber, missing, listings, dataset.Price, dataset.Status);
    }

    /// <summary>Every listing of these datasets, newest first.</summary>
    public async Task<IReadOnlyList<DatasetListingView>> GetListingsAsync(IReadOnlyCollection<Guid> datasetIds, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ListingsAsync(db, datasetIds, cancellationToken);
    }

    /// <summary>The createListing transaction for the latest ready version and one access type, from the seller's linked wallet.</summary>
    public async Task<UnsignedTransaction> BuildCreateListingAsync(Guid sellerId, Guid datasetId, DatasetAccessTypes accessType, EthAddress wallet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await LoadOwnAsync(db, sellerId, datasetId, cancellationToken);
        if (dataset.Status is not (DatasetStatus.PendingReview or DatasetStatus.Live))
        {
            throw new DomainException($"Submit the dataset for review before listing it on chain; it is {Describe(dataset.Status)}.");
        }

        if (accessType is not (DatasetAccessTypes.Download or DatasetAccessTypes.TrainingOnly) || !dataset.AccessTypes.HasFlag(accessType))
        {
            throw new DomainException($"This dataset does not offer {Describe(accessType)} access.");
        }

        var version = dataset.LatestReadyVersion ?? throw new DomainException("The dataset has no processed version to list yet.");
        var open = await db.Set<DatasetListing>().AsNoTracking()
            .Where(l => l.VersionId == version.Id && l.AccessType == accessType)
            .ToListAsync(cancellationToken);
        if (open.FirstOrDefault(l => l.IsOpen) is { } existing)
        {
            throw new DomainException($"Version {version.VersionNumber} is already listed on chain for {Describe(accessType)} (listing {existing.ChainListingId}).");
        }

        await RequireOwnWalletAsync(db, sellerId, wallet, cancellationToken);
        if (dataset.ReviewPeriod < MinChainReviewPeriod)
        {
            throw new DomainException($"The marketplace contract needs a review period of at least {MinChainReviewPeriod.TotalDays:0} day; change the dataset's review period first.");
        }

        return await transactions.CreateListingAsync(wallet, ContentDigest.FromCid(version.Cid), dataset.Price, dataset.ReviewPeriod, ToChain(accessType), Tranches, cancellationToken);
    }

    /// <summary>
    /// Checks the seller's createListing transaction on chain and records the listing: the receipt must be a success
    /// from the marketplace contract whose ListingCreated event names one of the seller's linked wallets, the version's
    /// digest and the access type. Idempotent: the same transaction gives the same listing.
    /// </summary>
    public async Task<ListingConfirmation> ConfirmCreateListingAsync(Guid sellerId, Guid datasetId, DatasetAccessTypes accessType, TxHash transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await LoadOwnAsync(db, sellerId, datasetId, cancellationToken);

        var contracts = await chain.GetContractsAsync(cancellationToken);
        var receipt = await chain.Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(transaction.Value).WaitAsync(cancellationToken);
        if (receipt?.BlockNumber is null)
        {
            return new ListingConfirmation(null);
        }

        if (receipt.Status?.Value != BigInteger.One)
        {
            throw new DomainException("The listing transaction failed on chain (it was reverted); nothing was listed. Try again.");
        }

        var created = receipt.DecodeAllEvents<ListingCreatedEvent>()
            .Where(e => string.Equals(e.Log.Address, contracts.DataMarketplace.Value, StringComparison.OrdinalIgnoreCase))
            .Select(e => e.Event)
            .ToList();
        if (created.Count != 1)
        {
            throw new DomainException("That transaction did not create a NeuroData marketplace listing.");
        }

        var e = created[0];
        var listingId = (long)e.ListingId;
        var already = await db.Set<DatasetListing>().AsNoTracking().FirstOrDefaultAsync(l => l.ChainListingId == listingId, cancellationToken);
        if (already is not null)
        {
            if (already.DatasetId != datasetId)
            {
                throw new DomainException($"Listing {listingId} belongs to another dataset.");
            }

            return new ListingConfirmation((await ListingsAsync(db, [datasetId], cancellationToken)).First(l => l.Id == already.Id));
        }

        var seller = EthAddress.Parse(e.Seller);
        await RequireOwnWalletAsync(db, sellerId, seller, cancellationToken);
        var version = FindListedVersion(dataset, e.ContentDigest)
            ?? throw new DomainException("The listed content digest does not match any version of this dataset.");
        if (e.AccessType != (byte)ToChain(accessType))
        {
            throw new DomainException($"That listing offers {(e.AccessType == 0 ? "download" : "training-only")} access, not {Describe(accessType)}.");
        }

        var onChain = await gateway.GetListingAsync(listingId, cancellationToken);
        var listing = new DatasetListing(datasetId, version.Id, accessType, listingId, seller, transaction, new TokenAmount(e.Price), clock.GetUtcNow());
        if (onChain is not null && onChain.Status != ChainListingStatus.Pending)
        {
            listing.Update(FromChain(onChain.Status), null, null, clock.GetUtcNow());
        }

        db.Add(listing);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A second click may have recorded the same listing at the same moment: same outcome. Anything else fails.
            await using var check = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (!await check.Set<DatasetListing>().AnyAsync(l => l.ChainListingId == listingId, cancellationToken))
            {
                throw;
            }
        }

        return new ListingConfirmation((await ListingsAsync(db, [datasetId], cancellationToken)).First(l => l.ChainListingId == listingId));
    }

    /// <summary>The seller's delist transaction for one of their open listings.</summary>
    public async Task<UnsignedTransaction> BuildDelistAsync(Guid sellerId, Guid listingRowId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var listing = await OwnListingAsync(db, sellerId, listingRowId, cancellationToken);
        var contracts = await chain.GetContractsAsync(cancellationToken);
        return TransactionRequestBuilder.Build(listing.Seller, contracts.DataMarketplace, new DelistFunction { ListingId = listing.ChainListingId });
    }

    /// <summary>The seller's updatePrice transaction for one of their open listings.</summary>
    public async Task<UnsignedTransaction> BuildUpdatePriceAsync(Guid sellerId, Guid listingRowId, TokenAmount price, CancellationToken cancellationToken = default)
    {
        if (price.IsZero)
        {
            throw new DomainException("A listing needs a price above zero.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var listing = await OwnListingAsync(db, sellerId, listingRowId, cancellationToken);
        var contracts = await chain.GetContractsAsync(cancellationToken);
        return TransactionRequestBuilder.Build(listing.Seller, contracts.DataMarketplace, new UpdatePriceFunction { ListingId = listing.ChainListingId, NewPrice = price.Units });
    }

    /// <summary>Re-reads every open listing of the dataset from the contract and records what changed (e.g. after the
    /// seller's delist or price transaction).</summary>
    public async Task<IReadOnlyList<DatasetListingView>> RefreshAsync(Guid datasetId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var listings = await db.Set<DatasetListing>().Where(l => l.DatasetId == datasetId).ToListAsync(cancellationToken);
        foreach (var listing in listings.Where(l => l.IsOpen))
        {
            var onChain = await gateway.GetListingAsync(listing.ChainListingId, cancellationToken);
            if (onChain is null)
            {
                continue;
            }

            var status = FromChain(onChain.Status);
            if (status != listing.Status)
            {
                listing.Update(status, listing.StatusReason, null, clock.GetUtcNow());
            }

            if (onChain.Price != listing.Price && !onChain.Price.IsZero)
            {
                listing.ChangePrice(onChain.Price, clock.GetUtcNow());
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return await ListingsAsync(db, [datasetId], cancellationToken);
    }

    public static ChainAccessType ToChain(DatasetAccessTypes accessType) => accessType switch
    {
        DatasetAccessTypes.Download => ChainAccessType.Download,
        DatasetAccessTypes.TrainingOnly => ChainAccessType.TrainingOnly,
        _ => throw new DomainException("An on-chain listing offers exactly one access type: download or training-only."),
    };

    public static DatasetListingStatus FromChain(ChainListingStatus status) => status switch
    {
        ChainListingStatus.Pending => DatasetListingStatus.Pending,
        ChainListingStatus.Approved => DatasetListingStatus.Approved,
        ChainListingStatus.Rejected => DatasetListingStatus.Rejected,
        ChainListingStatus.Delisted => DatasetListingStatus.Delisted,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown listing status."),
    };

    public static IReadOnlyList<DatasetAccessTypes> OfferedTypes(DatasetAccessTypes offered) =>
        new[] { DatasetAccessTypes.Download, DatasetAccessTypes.TrainingOnly }.Where(t => offered.HasFlag(t)).ToList();

    public static string Describe(DatasetAccessTypes accessType) => accessType switch
    {
        DatasetAccessTypes.Download => "download",
        DatasetAccessTypes.TrainingOnly => "training-only",
        _ => "download and training-only",
    };

    internal static async Task<IReadOnlyList<DatasetListingView>> ListingsAsync(NeuroDataDbContext db, IReadOnlyCollection<Guid> datasetIds, CancellationToken cancellationToken)
    {
        var rows = await (
            from l in db.Set<DatasetListing>().AsNoTracking()
            join v in db.DatasetVersions.AsNoTracking() on l.VersionId equals v.Id
            where datasetIds.Contains(l.DatasetId)
            select new { l, v.VersionNumber }).ToListAsync(cancellationToken);
        return rows
            .OrderByDescending(r => r.l.ChainListingId)
            .Select(r => new DatasetListingView(r.l.Id, r.l.VersionId, r.VersionNumber, r.l.AccessType, r.l.ChainListingId, r.l.Seller, r.l.TransactionHash, r.l.Price, r.l.Status, r.l.StatusReason))
            .ToList();
    }

    private static DatasetVersion? FindListedVersion(Dataset dataset, byte[] digest) =>
        dataset.Versions.FirstOrDefault(v => v.Cid.Version == 0 && ContentDigest.FromCid(v.Cid).AsSpan().SequenceEqual(digest));

    private static async Task<Dataset> LoadOwnAsync(NeuroDataDbContext db, Guid sellerId, Guid datasetId, CancellationToken cancellationToken)
    {
        var dataset = await db.Datasets.Include(d => d.Versions).AsNoTracking().FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken);
        if (dataset is null || dataset.SellerId != sellerId)
        {
            // The same answer for "absent" and "someone else's": no probing of other sellers' ids.
            throw new DomainException("Dataset not found among your datasets.");
        }

        return dataset;
    }

    private static async Task<DatasetListing> OwnListingAsync(NeuroDataDbContext db, Guid sellerId, Guid listingRowId, CancellationToken cancellationToken)
    {
        var listing = await (
            from l in db.Set<DatasetListing>().AsNoTracking()
            join d in db.Datasets.AsNoTracking() on l.DatasetId equals d.Id
            where l.Id == listingRowId && d.SellerId == sellerId
            select l).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DomainException("Listing not found among your listings.");
        if (!listing.IsOpen)
        {
            throw new DomainException($"Listing {listing.ChainListingId} is {listing.Status.ToString().ToLowerInvariant()} and can no longer be changed.");
        }

        return listing;
    }

    private static async Task RequireOwnWalletAsync(NeuroDataDbContext db, Guid userId, EthAddress wallet, CancellationToken cancellationToken)
    {
        if (!await db.WalletLinks.AnyAsync(w => w.UserId == userId && w.Address == wallet, cancellationToken))
        {
            throw new DomainException($"The wallet {wallet} is not linked to your account. Link it on the wallet page first.");
        }
    }

    private static string Describe(DatasetStatus status) => status switch
    {
        DatasetStatus.Draft => "a draft",
        DatasetStatus.PendingReview => "waiting for review",
        DatasetStatus.Live => "live",
        DatasetStatus.Rejected => "rejected",
        DatasetStatus.Delisted => "delisted",
        _ => status.ToString(),
    };
}
