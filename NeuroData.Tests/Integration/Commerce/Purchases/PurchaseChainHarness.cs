using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Indexing;

namespace NeuroData.Tests.Integration.Commerce.Purchases;

/// <summary>
/// A real anvil with the contracts, a real database, the real indexer and the real reconciliation: tests act on the
/// chain with the dev keys, then call <see cref="SyncAsync"/> and look at the application rows.
/// </summary>
public sealed class PurchaseChainHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private PurchaseChainHarness(DevChainFixture chain, IDbContextFactory<NeuroDataDbContext> db, string? file)
    {
        Chain = chain;
        Db = db;
        File = file;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(db);
        services.AddPurchases();
        services.AddSingleton<ChainReconciliation>();
        _services = services.BuildServiceProvider();
        Indexer = new ChainIndexer(db, new ChainIndexerOptions
        {
            RpcUrl = chain.Settings.RpcUrl,
            ChainId = chain.Settings.ChainId,
            Contracts = new Dictionary<string, EthAddress>
            {
                ["NeuroCoin"] = chain.Contracts.NeuroCoin,
                ["Staking"] = chain.Contracts.Staking,
                ["DataMarketplace"] = chain.Contracts.DataMarketplace,
                ["EscrowManager"] = chain.Contracts.EscrowManager,
            },
            BatchSize = 200,
        }, TimeProvider.System, NullLogger<ChainIndexer>.Instance);
    }

    public DevChainFixture Chain { get; }

    public IDbContextFactory<NeuroDataDbContext> Db { get; }

    public ChainIndexer Indexer { get; }

    public ChainReconciliation Reconciliation => _services.GetRequiredService<ChainReconciliation>();

    public PurchaseReconciler Reconciler => new(Db, TimeProvider.System, NullLogger<PurchaseReconciler>.Instance);

    /// <summary>The app's purchase service on this chain (real gateway, real transaction builder).</summary>
    public PurchaseService Purchases
    {
        get
        {
            var context = new ChainContext(Chain.Settings);
            context.SetContracts(Chain.Contracts);
            return new PurchaseService(Db, context, new ChainGateway(context), new TransactionRequestBuilder(context), TimeProvider.System);
        }
    }

    public EntitlementService Entitlements(int confirmations = 0) => new(Db, new CommerceSettings { DownloadConfirmations = confirmations });

    /// <summary>The listing row id of a listed dataset (what the panel passes to StartAsync).</summary>
    public async Task<Guid> ListingRowAsync(ListedDataset listed, CancellationToken ct)
    {
        await using var db = await Db.CreateDbContextAsync(ct);
        return await db.Set<DatasetListing>().Where(l => l.ChainListingId == listed.ListingId).Select(l => l.Id).SingleAsync(ct);
    }

    /// <summary>What a wallet does with a server-built transaction: signs it with the key and sends it (gas fixed, so a revert is mined).</summary>
    public async Task<Nethereum.RPC.Eth.DTOs.TransactionReceipt> WalletSendAsync(string privateKey, NeuroData.Domain.Ports.UnsignedTransaction tx, CancellationToken ct)
    {
        var web3 = new Nethereum.Web3.Web3(new Nethereum.Web3.Accounts.Account(privateKey, Chain.Settings.ChainId.Value), Chain.Settings.RpcUrl);
        web3.TransactionManager.UseLegacyAsDefault = false;
        var input = new Nethereum.RPC.Eth.DTOs.TransactionInput(tx.Data, tx.To.Value, tx.From.Value, new Nethereum.Hex.HexTypes.HexBigInteger(900_000), new Nethereum.Hex.HexTypes.HexBigInteger(tx.Value));
        return await web3.TransactionManager.SendTransactionAndWaitForReceiptAsync(input, cancellationToken: ct);
    }

    /// <summary>What a wallet does for eth_signTypedData_v4.</summary>
    public static string SignTypedData(string privateKey, string typedDataJson) =>
        new Nethereum.Signer.EIP712.Eip712TypedDataSigner().SignTypedDataV4(typedDataJson, new Nethereum.Signer.EthECKey(privateKey));

    public async Task<BigInteger> NcrBalanceAsync(EthAddress account, CancellationToken ct) =>
        await QueryAsync(Chain.Contracts.NeuroCoin, new BalanceOfFunction { Account = account.Value }, ct);

    public ChainId ChainId => Chain.Settings.ChainId;

    private string? File { get; }

    public static async Task<PurchaseChainHarness> SqliteAsync(DevChainFixture chain, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nd-purchases-{Guid.NewGuid():N}.db");
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=false");
        var factory = new NeuroDataDbContextFactory(settings, TimeProvider.System);
        await new DatabaseMigrator(factory, settings, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(ct);
        return new PurchaseChainHarness(chain, factory, path);
    }

    public static async Task<PurchaseChainHarness> ForAsync(DevChainFixture chain, DatabaseSettings settings, CancellationToken ct)
    {
        var factory = new NeuroDataDbContextFactory(settings, TimeProvider.System);
        await new DatabaseMigrator(factory, settings, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(ct);
        return new PurchaseChainHarness(chain, factory, null);
    }

    /// <summary>Indexes the chain up to its head and runs every reconciler; returns the users whose rows changed.</summary>
    public async Task<IReadOnlyCollection<Guid>> SyncAsync(CancellationToken ct)
    {
        await Indexer.CatchUpAsync(ct);
        return await Reconciliation.RunAsync(ChainId, ct);
    }

    /// <summary>An application user, optionally with a linked wallet.</summary>
    public async Task<Guid> UserAsync(string name, EthAddress? wallet, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var userName = $"{name}-{id:N}@example.test";
        await using var db = await Db.CreateDbContextAsync(ct);
        db.Users.Add(new ApplicationUser
        {
            Id = id,
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            Email = userName,
            NormalizedEmail = userName.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        var profile = new UserProfile(id, name, DateTimeOffset.UtcNow);
        if (wallet is not null)
        {
            profile.LinkWallet(wallet, DateTimeOffset.UtcNow);
        }

        db.UserProfiles.Add(profile);
        await db.SaveChangesAsync(ct);
        return id;
    }

    public async Task LinkWalletAsync(Guid userId, EthAddress wallet, CancellationToken ct)
    {
        await using var db = await Db.CreateDbContextAsync(ct);
        var profile = await db.UserProfiles.Include(p => p.Wallets).SingleAsync(p => p.Id == userId, ct);
        profile.LinkWallet(wallet, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A live dataset with one ready version, listed on chain (created by the seller, approved by the moderator).</summary>
    public async Task<ListedDataset> ListAsync(Guid sellerId, Guid moderatorId, TokenAmount price, DatasetAccessTypes access, int tranches, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var slug = "ds-" + Guid.NewGuid().ToString("N")[..12];
        var dataset = new Dataset(sellerId, "Weather " + slug, slug, "Rows.", "MIT", null, price, TimeSpan.FromDays(3), access, now);
        var version = dataset.AddVersion(Cid.Parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"), 12, DatasetFormat.Csv, new string('a', 64), new byte[60], now);
        version.AttachStorage(Cid.Parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"), null, null);
        version.MarkReady(null, null, 1);
        dataset.SubmitForReview(now);
        dataset.Approve(moderatorId, now);

        using var seller = Chain.Sender(DevAccounts.Seller);
        using var moderator = Chain.Sender(DevAccounts.Moderator);
        var accessType = access.HasFlag(DatasetAccessTypes.Download) ? DatasetAccessTypes.Download : DatasetAccessTypes.TrainingOnly;
        var digest = NeuroData.Infrastructure.Datasets.Listings.ContentDigest.FromCid(version.Cid);
        var created = await seller.SendAsync(Chain.Contracts.DataMarketplace, new CreateListingFunction
        {
            ContentDigest = digest,
            Price = price.Units,
            ReviewPeriod = 86_400,
            AccessType = (byte)(accessType == DatasetAccessTypes.Download ? 0 : 1),
            Tranches = (byte)tranches,
        }, ct);
        created.Status.Value.ShouldBe(1);
        var listingId = (long)await QueryAsync<ListingCountFunction>(Chain.Contracts.DataMarketplace, new ListingCountFunction(), ct);
        await moderator.SendAsync(Chain.Contracts.DataMarketplace, new ApproveListingFunction { ListingId = listingId }, ct);

        var listing = new DatasetListing(dataset.Id, version.Id, accessType, listingId, DevAccounts.Seller.Address, TxHash.Parse(created.TransactionHash), price, now);
        listing.Update(DatasetListingStatus.Approved, null, null, now);
        await using var db = await Db.CreateDbContextAsync(ct);
        db.Datasets.Add(dataset);
        db.Set<DatasetListing>().Add(listing);
        await db.SaveChangesAsync(ct);
        return new ListedDataset(dataset.Id, version.Id, listingId, accessType, price);
    }

    /// <summary>The app's side of a purchase: a Pending purchase (as the purchase service starts it).</summary>
    public async Task<Guid> StartPurchaseAsync(Guid buyerId, ListedDataset listed, CancellationToken ct)
    {
        await using var db = await Db.CreateDbContextAsync(ct);
        var dataset = await db.Datasets.SingleAsync(d => d.Id == listed.DatasetId, ct);
        var version = await db.DatasetVersions.SingleAsync(v => v.Id == listed.VersionId, ct);
        var purchase = Purchase.Start(dataset, version, buyerId, listed.AccessType, 25, DateTimeOffset.UtcNow);
        db.Purchases.Add(purchase);
        await db.SaveChangesAsync(ct);
        return purchase.Id;
    }

    /// <summary>Records the wallet's purchase transaction on the pending purchase (what the panel does after signing).</summary>
    public async Task AttachTransactionAsync(Guid purchaseId, DevAccount from, string txHash, CancellationToken ct)
    {
        await using var db = await Db.CreateDbContextAsync(ct);
        var purchase = await db.Purchases.SingleAsync(p => p.Id == purchaseId, ct);
        var tx = new ChainTransaction(ChainId, TxHash.Parse(txHash), from.Address, Chain.Contracts.DataMarketplace, ChainTransactionPurpose.Purchase, purchase.BuyerId, DateTimeOffset.UtcNow);
        db.ChainTransactions.Add(tx);
        purchase.AttachTransaction(tx.Id);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>approve + purchase from the buyer's key; returns the purchase transaction hash and the escrow id.</summary>
    public async Task<(string TxHash, long EscrowId)> BuyOnChainAsync(DevAccount buyer, ListedDataset listed, CancellationToken ct)
    {
        using var sender = Chain.Sender(buyer);
        await sender.SendAsync(Chain.Contracts.NeuroCoin, new ApproveFunction { Spender = Chain.Contracts.DataMarketplace.Value, Value = listed.Price.Units }, ct);
        var receipt = await sender.SendAsync(Chain.Contracts.DataMarketplace, new PurchaseFunction { ListingId = listed.ListingId, MaxPrice = listed.Price.Units }, ct);
        receipt.Status.Value.ShouldBe(1);
        return (receipt.TransactionHash, await EscrowCountAsync(ct));
    }

    public async Task<string> SendAsync<TFunction>(DevAccount from, EthAddress contract, TFunction function, CancellationToken ct)
        where TFunction : Nethereum.Contracts.FunctionMessage, new()
    {
        using var sender = Chain.Sender(from);
        var receipt = await sender.SendAsync(contract, function, ct);
        receipt.Status.Value.ShouldBe(1);
        return receipt.TransactionHash;
    }

    public async Task<long> EscrowCountAsync(CancellationToken ct) =>
        (long)await QueryAsync<EscrowCountFunction>(Chain.Contracts.EscrowManager, new EscrowCountFunction(), ct);

    public async Task<BigInteger> QueryAsync<TFunction>(EthAddress contract, TFunction function, CancellationToken ct)
        where TFunction : Nethereum.Contracts.FunctionMessage, new() =>
        await new Nethereum.Web3.Web3(Chain.Settings.RpcUrl).Eth.GetContractQueryHandler<TFunction>()
            .QueryAsync<BigInteger>(contract.Value, function).WaitAsync(ct);

    /// <summary>Every application row the purchase reconciler owns, as canonical text (to prove a second run changes nothing).</summary>
    public async Task<string> RowsAsync(CancellationToken ct)
    {
        await using var db = await Db.CreateDbContextAsync(ct);
        var lines = new List<string>();
        lines.AddRange((await db.Purchases.AsNoTracking().ToListAsync(ct)).OrderBy(p => p.Id)
            .Select(p => $"purchase {p.Id} {p.BuyerId} {p.Status} {p.OnChainEscrowId} {p.Price.Units} {p.Fee.Units} {p.ConfirmedAt:O} {p.ClosedAt:O} {p.FailureReason}"));
        lines.AddRange((await db.Escrows.AsNoTracking().ToListAsync(ct)).OrderBy(e => e.OnChainId)
            .Select(e => $"escrow {e.Id} {e.OnChainId} {e.PurchaseId} {e.State} {e.Amount.Units} {e.Resolution} {e.SellerShareBps} {e.ClosedAt:O} {string.Join(',', e.Milestones.OrderBy(m => m.Index).Select(m => m.ReleasedAt?.ToString("O")))}"));
        lines.AddRange((await db.PlatformFees.AsNoTracking().ToListAsync(ct)).OrderBy(f => f.PurchaseId)
            .Select(f => $"fee {f.Id} {f.PurchaseId} {f.Amount.Units} {f.TxHash} {f.CollectedAt:O}"));
        lines.AddRange((await db.Refunds.AsNoTracking().ToListAsync(ct)).OrderBy(r => r.PurchaseId)
            .Select(r => $"refund {r.Id} {r.PurchaseId} {r.Amount.Units} {r.TxHash} {r.Reason}"));
        return string.Join('\n', lines);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (File is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.File.Delete(File);
        }
    }
}

public sealed record ListedDataset(Guid DatasetId, Guid VersionId, long ListingId, DatasetAccessTypes AccessType, TokenAmount Price);
