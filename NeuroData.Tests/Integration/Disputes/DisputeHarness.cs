using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3.Accounts;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Commerce.Disputes;
using NeuroData.Infrastructure.Email;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Notifications;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Storage;
using NeuroData.Tests.Integration.Indexing;

namespace NeuroData.Tests.Integration.Disputes;

/// <summary>
/// The app's dispute services wired against a real anvil (DevChainFixture) and a real SQLite database: users with linked
/// wallets, purchases made on chain, the real indexer and the real reconcilers. Wallet steps are the exact unsigned
/// transactions the services build, signed with the dev account's key as MetaMask would.
/// </summary>
public sealed class DisputeHarness : IAsyncDisposable
{
    public static readonly DevAccount StakerA = new(5, "staker-a", EthAddress.Parse("0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"), "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");
    public static readonly DevAccount StakerB = new(6, "staker-b", EthAddress.Parse("0x976EA74026E726554dB657fA54763abd0C3a0aa9"), "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e");
    public static readonly DevAccount StakerC = FromKey(7, "staker-c", "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcbf4e4d8ee7e");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nd-disputes-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly DevChainFixture _chain;
    private ServiceProvider _provider = null!;

    public DisputeHarness(DevChainFixture chain) => _chain = chain;

    public IServiceProvider Services => _provider;

    public IDbContextFactory<NeuroDataDbContext> Db { get; private set; } = null!;

    public ChainId ChainId => _chain.Settings.ChainId;

    public string PickupDirectory => Path.Combine(_directory, "mail");

    public Dictionary<string, Guid> Users { get; } = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "app.db");
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=false");
        var factory = new NeuroDataDbContextFactory(settings, TimeProvider.System);
        await new DatabaseMigrator(factory, settings, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Ct);
        Db = factory;

        var context = new ChainContext(_chain.Settings);
        context.SetContracts(_chain.Contracts);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IDbContextFactory<NeuroDataDbContext>>(factory);
        services.AddSingleton(_chain.Settings);
        services.AddSingleton(context);
        services.AddSingleton<ContractArtifacts>();
        services.AddSingleton<ContractErrorDecoder>();
        services.AddSingleton<ChainSigners>();
        services.AddSingleton<IChainGateway, ChainGateway>();
        services.AddSingleton<IWalletTransactionBuilder, TransactionRequestBuilder>();
        services.AddSingleton<IContentStore>(new LocalBlockstore(Path.Combine(_directory, "blocks")));
        services.AddSingleton(new EmailSettings { PickupDirectory = PickupDirectory });
        services.AddSingleton<IEmailSender, PickupFolderEmailSender>();
        services.AddSingleton(new NotificationSettings());
        services.AddSingleton(new DisputeSettings());
        services.AddSingleton<NotificationFeed>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<INotifier>(sp => sp.GetRequiredService<NotificationService>());
        services.AddSingleton<DisputeChainReader>();
        services.AddSingleton<EscrowService>();
        services.AddSingleton<ArbitrationService>();
        services.AddSingleton<VoteService>();
        services.AddSingleton<DeadlineReminderService>();
        services.AddScoped<IChainReconciler, NeuroData.Infrastructure.Commerce.Purchases.PurchaseReconciler>();
        services.AddScoped<IChainReconciler, DisputeReconciler>();
        services.AddSingleton<ChainReconciliation>();
        _provider = services.BuildServiceProvider();

        await AddUserAsync("seller", DevAccounts.Seller, confirmedEmail: true);
        await AddUserAsync("buyer", DevAccounts.Buyer, confirmedEmail: true);
        await AddUserAsync("arbitrator", DevAccounts.Arbitrator, confirmedEmail: false, RoleNames.Arbitrator);
        await AddUserAsync("stranger", null, confirmedEmail: false);
        await AddUserAsync("staker-a", StakerA, confirmedEmail: false);
        await AddUserAsync("staker-b", StakerB, confirmedEmail: false);
        await AddUserAsync("staker-c", StakerC, confirmedEmail: false);
    }

    private static DevAccount FromKey(int index, string role, string key) =>
        new(index, role, EthAddress.Parse(new Nethereum.Signer.EthECKey(key).GetPublicAddress()), key);

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public EscrowViewer Viewer(string name) => new(Users[name], name == "arbitrator", false);

    private async Task AddUserAsync(string name, DevAccount? wallet, bool confirmedEmail, string? role = null)
    {
        await using var db = await Db.CreateDbContextAsync(Ct);
        var user = new ApplicationUser
        {
            Id = Guid.CreateVersion7(),
            UserName = $"{name}@example.test",
            NormalizedUserName = $"{name}@example.test".ToUpperInvariant(),
            Email = $"{name}@example.test",
            NormalizedEmail = $"{name}@example.test".ToUpperInvariant(),
            EmailConfirmed = confirmedEmail,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Users.Add(user);
        var profile = new UserProfile(user.Id, name, DateTimeOffset.UtcNow);
        if (wallet is not null)
        {
            profile.LinkWallet(wallet.Address, DateTimeOffset.UtcNow);
        }

        db.UserProfiles.Add(profile);
        if (role is not null)
        {
            var existing = await db.Roles.FirstOrDefaultAsync(r => r.Name == role, Ct);
            if (existing is null)
            {
                existing = new ApplicationRole { Id = Guid.CreateVersion7(), Name = role, NormalizedName = role.ToUpperInvariant() };
                db.Roles.Add(existing);
            }

            db.UserRoles.Add(new Microsoft.AspNetCore.Identity.IdentityUserRole<Guid> { UserId = user.Id, RoleId = existing.Id });
        }

        await db.SaveChangesAsync(Ct);
        Users[name] = user.Id;
    }

    /// <summary>The seller lists, the moderator approves, the buyer approves and buys: returns the new escrow id.</summary>
    public async Task<long> PurchaseAsync(long priceTokens, long reviewSeconds = 86_400, int tranches = 1)
    {
        var c = _chain.Contracts;
        using var seller = _chain.Sender(DevAccounts.Seller);
        using var buyer = _chain.Sender(DevAccounts.Buyer);
        using var moderator = _chain.Sender(DevAccounts.Moderator);
        var digest = new byte[32];
        Random.Shared.NextBytes(digest);
        var created = await seller.SendAsync(c.DataMarketplace, new CreateListingFunction
        {
            ContentDigest = digest,
            Price = DevChainFixture.Tokens(priceTokens),
            ReviewPeriod = reviewSeconds,
            AccessType = 0,
            Tranches = tranches,
        }, Ct);
        var listingId = await QueryAsync<ListingCountFunction>(c.DataMarketplace, new ListingCountFunction());
        await SeedDatasetListingAsync((long)listingId, TxHash.Parse(created.TransactionHash), TokenAmount.FromTokens(priceTokens));
        await moderator.SendAsync(c.DataMarketplace, new ApproveListingFunction { ListingId = listingId }, Ct);
        await buyer.SendAsync(c.NeuroCoin, new ApproveFunction { Spender = c.DataMarketplace.Value, Value = DevChainFixture.Tokens(priceTokens) }, Ct);
        await buyer.SendAsync(c.DataMarketplace, new PurchaseFunction { ListingId = listingId, MaxPrice = DevChainFixture.Tokens(priceTokens) }, Ct);
        return (long)await QueryAsync<EscrowCountFunction>(c.EscrowManager, new EscrowCountFunction());
    }

    /// <summary>The seller's dataset behind the chain listing (the purchase reconciler follows only this platform's listings).</summary>
    private async Task SeedDatasetListingAsync(long listingId, TxHash tx, TokenAmount price)
    {
        var now = DateTimeOffset.UtcNow;
        var slug = "disputed-" + Guid.NewGuid().ToString("N")[..10];
        var dataset = new NeuroData.Domain.Datasets.Dataset(Users["seller"], "Disputed rows " + slug[^4..], slug, "Rows.", "MIT", null, price, TimeSpan.FromDays(1),
            NeuroData.Domain.Datasets.DatasetAccessTypes.Download, now);
        var version = dataset.AddVersion(NeuroData.Tests.Integration.Persistence.TestData.RandomCidV0(), 9_000, NeuroData.Domain.Datasets.DatasetFormat.Csv,
            NeuroData.Tests.Integration.Persistence.TestData.Sha256Hex(listingId.GetHashCode()), [1], now);
        version.MarkReady(null, null, 10);
        await using var db = await Db.CreateDbContextAsync(Ct);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Ct);
        db.Add(new NeuroData.Domain.Datasets.DatasetListing(dataset.Id, version.Id, NeuroData.Domain.Datasets.DatasetAccessTypes.Download, listingId, DevAccounts.Seller.Address, tx, price, now));
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>Gives the account NCR from the buyer and stakes it.</summary>
    public async Task StakeAsync(DevAccount account, long tokens)
    {
        var c = _chain.Contracts;
        using var buyer = _chain.Sender(DevAccounts.Buyer);
        await buyer.SendAsync(c.NeuroCoin, new TransferFunction { To = account.Address.Value, Value = DevChainFixture.Tokens(tokens) }, Ct);
        using var deployer = _chain.Sender(DevAccounts.Deployer);
        await deployer.SendValueAsync(account.Address, DevChainFixture.Tokens(5), Ct); // gas money
        using var staker = _chain.Sender(account);
        staker.Address.ShouldBe(account.Address, "the key belongs to the address");
        await staker.SendAsync(c.NeuroCoin, new ApproveFunction { Spender = c.Staking.Value, Value = DevChainFixture.Tokens(tokens) }, Ct);
        await staker.SendAsync(c.Staking, new StakeFunction { Amount = DevChainFixture.Tokens(tokens) }, Ct);
    }

    /// <summary>Signs and sends an unsigned transaction built by the app, as the wallet would; returns the receipt.</summary>
    public async Task<TransactionReceipt> SignAndSendAsync(DevAccount account, UnsignedTransaction tx)
    {
        tx.From.ShouldBe(account.Address, "the app built the transaction for this wallet");
        var web3 = new Nethereum.Web3.Web3(new Account(account.PrivateKey, _chain.Settings.ChainId.Value), _chain.Settings.RpcUrl);
        var input = new TransactionInput(tx.Data, tx.To.Value, tx.From.Value, null, null, new Nethereum.Hex.HexTypes.HexBigInteger(tx.Value));
        var estimate = await web3.Eth.TransactionManager.EstimateGasAsync(input);
        input.Gas = new Nethereum.Hex.HexTypes.HexBigInteger(ChainTransactionSender.GasLimitFor(estimate.Value));
        var receipt = await web3.Eth.TransactionManager.SendTransactionAndWaitForReceiptAsync(input, cancellationToken: Ct);
        receipt.Status.Value.ShouldBe(BigInteger.One, "the transaction succeeded");
        return receipt;
    }

    /// <summary>
    /// The indexer pass and the reconcilers, as the app runs them. The Escrow row is the purchase reconciler's job
    /// (branch "buy"); when no reconciler made it, the row is created here from the mirror so the dispute has its escrow.
    /// </summary>
    public async Task<IReadOnlyCollection<Guid>> SyncAsync()
    {
        await Indexer().CatchUpAsync(Ct);
        var reconciliation = Get<ChainReconciliation>();
        var changed = new HashSet<Guid>(await reconciliation.RunAsync(ChainId, Ct));
        if (await EnsureEscrowRowsAsync())
        {
            changed.UnionWith(await reconciliation.RunAsync(ChainId, Ct));
        }

        return changed;
    }

    private async Task<bool> EnsureEscrowRowsAsync()
    {
        await using var db = await Db.CreateDbContextAsync(Ct);
        var mirror = await db.Set<MirrorEscrow>().AsNoTracking().ToListAsync(Ct);
        var known = await db.Escrows.Select(e => e.OnChainId).ToListAsync(Ct);
        var added = false;
        foreach (var m in mirror.Where(m => !known.Contains(m.EscrowId)))
        {
            db.Escrows.Add(new Escrow(m.ChainId, m.EscrowId, null, m.Buyer, m.Seller, m.Amount, m.Amount.MultiplyBasisPoints(m.FeeBps), m.Deadline, m.Deadline.AddSeconds(-1)));
            added = true;
        }

        await db.SaveChangesAsync(Ct);
        return added;
    }

    public async Task TravelAsync(TimeSpan by)
    {
        await _chain.RpcAsync("evm_increaseTime", (long)by.TotalSeconds);
        await _chain.MineAsync(1);
    }

    public async Task<TokenAmount> WithdrawableAsync(EthAddress account) =>
        TokenAmount.FromUnits(await QueryAsync<WithdrawableFunction>(_chain.Contracts.EscrowManager, new WithdrawableFunction { Account = account.Value }));

    public async Task<BigInteger> QueryAsync<TFunction>(EthAddress contract, TFunction function)
        where TFunction : Nethereum.Contracts.FunctionMessage, new() =>
        await new Nethereum.Web3.Web3(_chain.Settings.RpcUrl).Eth.GetContractQueryHandler<TFunction>().QueryAsync<BigInteger>(contract.Value, function).WaitAsync(Ct);

    private ChainIndexer Indexer() => new(
        Db,
        new ChainIndexerOptions
        {
            RpcUrl = _chain.Settings.RpcUrl,
            ChainId = _chain.Settings.ChainId,
            Contracts = new Dictionary<string, EthAddress>
            {
                ["NeuroCoin"] = _chain.Contracts.NeuroCoin,
                ["Staking"] = _chain.Contracts.Staking,
                ["DataMarketplace"] = _chain.Contracts.DataMarketplace,
                ["EscrowManager"] = _chain.Contracts.EscrowManager,
            },
            BatchSize = 200,
        },
        TimeProvider.System,
        NullLogger<ChainIndexer>.Instance);

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
