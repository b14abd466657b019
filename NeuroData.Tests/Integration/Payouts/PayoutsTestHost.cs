using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Jobs;
using NeuroData.Infrastructure.Payouts;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Indexing;

namespace NeuroData.Tests.Integration.Payouts;

/// <summary>
/// The app's own registrations (persistence, Quartz, chain, indexer, payouts) against a <see cref="DevChainFixture"/>
/// and a fresh migrated database; nothing hosted is started (the tests run the indexer, reconcilers and scheduler
/// themselves). Also drives the marketplace on chain with the dev accounts.
/// </summary>
public sealed class PayoutsTestHost : IAsyncDisposable
{
    private readonly string _directory;
    private readonly IHost _host;

    private PayoutsTestHost(string directory, IHost host, DevChainFixture chain)
    {
        _directory = directory;
        _host = host;
        Chain = chain;
    }

    public DevChainFixture Chain { get; }

    public IServiceProvider Services => _host.Services;

    public IDbContextFactory<NeuroDataDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>();

    public static async Task<PayoutsTestHost> StartAsync(DevChainFixture chain, string? postgresConnectionString, CancellationToken ct)
    {
        var directory = Path.Combine(Path.GetTempPath(), "nd-payouts-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = directory, EnvironmentName = "Development" });
        builder.Configuration["NeuroData:DataDirectory"] = directory;
        builder.Configuration["NeuroData:Chain:DevPort"] = chain.Settings.DevPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["NeuroData:Jobs:Enabled"] = "false";
        builder.Configuration["NeuroData:Indexer:Enabled"] = "false";
        builder.Configuration["NeuroData:Commerce:AutoReleaseIntervalSeconds"] = "3600";
        builder.Configuration["NeuroData:Commerce:AutoReleaseBackoffMilliseconds"] = "10";
        if (postgresConnectionString is not null)
        {
            builder.Configuration["ConnectionStrings:Postgres"] = postgresConnectionString;
        }

        builder.AddPersistence();
        builder.AddJobs();
        builder.AddChain();
        builder.AddChainIndexer();
        builder.AddPayouts();
        var host = builder.Build();

        // Quartz keeps its log provider in a static; another test's host may have set it to a logger factory that is
        // disposed by now. Point it at one that lives as long as the process.
        Quartz.Logging.LogContext.SetCurrentLogProvider(NullLoggerFactory.Instance);
        host.Services.GetRequiredService<ChainContext>().SetContracts(chain.Contracts);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        return new PayoutsTestHost(directory, host, chain);
    }

    /// <summary>Runs the real indexer up to the chain head, then every reconciler (as the indexer's hosted service does).</summary>
    public async Task<IReadOnlyCollection<Guid>> IndexAsync(CancellationToken ct)
    {
        var indexer = new ChainIndexer(Contexts, new ChainIndexerOptions
        {
            RpcUrl = Chain.Settings.RpcUrl,
            ChainId = Chain.Settings.ChainId,
            Contracts = new Dictionary<string, EthAddress>
            {
                ["NeuroCoin"] = Chain.Contracts.NeuroCoin,
                ["Staking"] = Chain.Contracts.Staking,
                ["DataMarketplace"] = Chain.Contracts.DataMarketplace,
                ["EscrowManager"] = Chain.Contracts.EscrowManager,
            },
        }, TimeProvider.System, NullLogger<ChainIndexer>.Instance);
        await indexer.CatchUpAsync(ct);
        return await Services.GetRequiredService<ChainReconciliation>().RunAsync(Chain.Settings.ChainId, ct);
    }

    /// <summary>An application user, with <paramref name="wallet"/> linked when given.</summary>
    public async Task<Guid> UserAsync(string name, EthAddress? wallet, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var email = $"{name}-{id.ToString("N")[..8]}@example.test";
        await using var db = await Contexts.CreateDbContextAsync(ct);
        db.Users.Add(new ApplicationUser
        {
            Id = id,
            UserName = email,
            NormalizedUserName = email.ToUpperInvariant(),
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = true,
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
        await using var db = await Contexts.CreateDbContextAsync(ct);
        var profile = await db.UserProfiles.Include(p => p.Wallets).SingleAsync(p => p.Id == userId, ct);
        profile.LinkWallet(wallet, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The seller lists (reviewed 1 day), the moderator approves; returns the listing id.</summary>
    public async Task<long> ListAsync(DevAccount seller, long priceTokens, CancellationToken ct)
    {
        using var sender = Chain.Sender(seller);
        using var moderator = Chain.Sender(DevAccounts.Moderator);
        var digest = new byte[32];
        Random.Shared.NextBytes(digest);
        await sender.SendAsync(Chain.Contracts.DataMarketplace, new CreateListingFunction
        {
            ContentDigest = digest,
            Price = DevChainFixture.Tokens(priceTokens),
            ReviewPeriod = 86_400,
            AccessType = 0,
            Tranches = 1,
        }, ct);
        var listingId = (long)await QueryAsync<ListingCountFunction>(Chain.Contracts.DataMarketplace, ct);
        await moderator.SendAsync(Chain.Contracts.DataMarketplace, new ApproveListingFunction { ListingId = listingId }, ct);
        return listingId;
    }

    /// <summary>The buyer approves and buys; returns the escrow id.</summary>
    public async Task<long> BuyAsync(DevAccount buyer, long listingId, long priceTokens, CancellationToken ct)
    {
        using var sender = Chain.Sender(buyer);
        await sender.SendAsync(Chain.Contracts.NeuroCoin, new ApproveFunction { Spender = Chain.Contracts.DataMarketplace.Value, Value = DevChainFixture.Tokens(priceTokens) }, ct);
        await sender.SendAsync(Chain.Contracts.DataMarketplace, new PurchaseFunction { ListingId = listingId, MaxPrice = DevChainFixture.Tokens(priceTokens) }, ct);
        return (long)await QueryAsync<EscrowCountFunction>(Chain.Contracts.EscrowManager, ct);
    }

    public async Task<BigInteger> QueryAsync<TFunction>(EthAddress contract, CancellationToken ct)
        where TFunction : Nethereum.Contracts.FunctionMessage, new() =>
        await new Nethereum.Web3.Web3(Chain.Settings.RpcUrl).Eth.GetContractQueryHandler<TFunction>()
            .QueryAsync<BigInteger>(contract.Value, new TFunction()).WaitAsync(ct);

    public async Task<TokenAmount> WithdrawableAsync(EthAddress account, CancellationToken ct) =>
        new(await new Nethereum.Web3.Web3(Chain.Settings.RpcUrl).Eth.GetContractQueryHandler<WithdrawableFunction>()
            .QueryAsync<BigInteger>(Chain.Contracts.EscrowManager.Value, new WithdrawableFunction { Account = account.Value }).WaitAsync(ct));

    /// <summary>Moves the chain's clock forward and mines a block.</summary>
    public async Task TimeTravelAsync(TimeSpan by)
    {
        await Chain.RpcAsync("evm_increaseTime", (long)by.TotalSeconds);
        await Chain.MineAsync(1);
    }

    public async Task<long> NonceAsync(EthAddress account) =>
        Convert.ToInt64((await Chain.RpcAsync("eth_getTransactionCount", account.Value, "latest")).GetString(), 16);

    public async Task<List<JobRun>> RunsAsync(CancellationToken ct)
    {
        await using var db = await Contexts.CreateDbContextAsync(ct);
        return (await db.Set<JobRun>().AsNoTracking().ToListAsync(ct)).OrderBy(r => r.StartedAt).ThenBy(r => r.Id).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Task.Yield();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
