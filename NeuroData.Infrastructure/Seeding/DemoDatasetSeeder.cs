using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Chain.Messages;
using NeuroData.Infrastructure.Datasets.Listings;
using NeuroData.Infrastructure.Datasets.Moderation;
using NeuroData.Infrastructure.Datasets.Publishing;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Seeding;

/// <summary>
/// Development with the embedded chain only: publishes <see cref="DemoDatasets"/> for the demo seller through the same
/// path a seller takes — draft, chunked upload, ingest (inspection, CID, encryption, blockstore), submit, createListing
/// signed with the demo publisher's dev key, approval by the demo moderator (on chain with the operator key). Runs in
/// the background after start, once per dataset title (idempotent across restarts); a failure is logged, never fatal.
/// </summary>
public sealed class DemoDatasetSeeder(
    IServiceProvider services,
    ChainContext chain,
    ILogger<DemoDatasetSeeder> logger) : BackgroundService
{
    /// <summary>anvil's dev account #5: the wallet the demo seller's datasets are listed from.</summary>
    public static readonly DevAccount Publisher = new(
        5,
        "publisher",
        EthAddress.Parse("0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc"),
        "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");

    private const string SellerEmail = "seller@neurodata.local";
    private const string ModeratorEmail = "moderator@neurodata.local";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await chain.GetContractsAsync(stoppingToken); // the dev chain is deployed
            await SeedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The demo datasets could not be published; the app works without them");
        }
    }

    public async Task SeedAsync(CancellationToken ct)
    {
        logger.LogInformation("Publishing the demo datasets");
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var users = provider.GetRequiredService<UserManager<ApplicationUser>>();
        var seller = await users.FindByEmailAsync(SellerEmail);
        var moderator = await users.FindByEmailAsync(ModeratorEmail);
        if (seller is null || moderator is null)
        {
            logger.LogWarning("Demo datasets skipped: the demo seller or moderator account is missing");
            return;
        }

        var dbFactory = provider.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>();
        await EnsureWalletAsync(dbFactory, seller.Id, provider.GetRequiredService<TimeProvider>(), ct);

        foreach (var demo in DemoDatasets.All)
        {
            Dataset? existing;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                existing = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Title == demo.Title && d.SellerId == seller.Id, ct);
            }

            if (existing is not null && existing.Status is not (DatasetStatus.PendingReview or DatasetStatus.Draft))
            {
                continue; // published on an earlier start (or changed by someone since: leave it alone)
            }

            var started = provider.GetRequiredService<TimeProvider>().GetTimestamp();
            var datasetId = existing is { Status: DatasetStatus.PendingReview }
                ? existing.Id // resume an interrupted run at the listing step
                : await PublishAsync(provider, seller.Id, demo, existing?.Id, ct);
            await ListAndApproveAsync(provider, seller.Id, moderator.Id, datasetId, demo, ct);
            logger.LogInformation(
                "Demo dataset '{Title}' published and approved in {Elapsed:0.0}s",
                demo.Title,
                provider.GetRequiredService<TimeProvider>().GetElapsedTime(started).TotalSeconds);
        }
    }

    private static async Task EnsureWalletAsync(IDbContextFactory<NeuroDataDbContext> dbFactory, Guid sellerId, TimeProvider time, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var profile = await db.UserProfiles.Include(p => p.Wallets).SingleAsync(p => p.Id == sellerId, ct);
        if (profile.Wallets.All(w => w.Address != Publisher.Address))
        {
            profile.LinkWallet(Publisher.Address, time.GetUtcNow());
            db.UserActivities.Add(new UserActivity(sellerId, UserActivityKind.WalletLinked, time.GetUtcNow(), null, null, Publisher.Address.Value + " (demo seed)"));
            await db.SaveChangesAsync(ct);
        }
    }

    private static async Task<Guid> PublishAsync(IServiceProvider provider, Guid sellerId, DemoDataset demo, Guid? draftId, CancellationToken ct)
    {
        var publishing = provider.GetRequiredService<DatasetPublishingService>();
        var uploads = provider.GetRequiredService<UploadService>();
        var categories = await publishing.CategoriesAsync(ct);
        Guid? categoryId;
        await using (var db = await provider.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(ct))
        {
            categoryId = await db.Categories.Where(c => c.Slug == demo.CategorySlug).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        }

        var accessTypes = (demo.Download ? DatasetAccessTypes.Download : DatasetAccessTypes.None)
                          | (demo.TrainingOnly ? DatasetAccessTypes.TrainingOnly : DatasetAccessTypes.None);
        var details = new DatasetDetailsInput(
                demo.Title,
                demo.Description,
                demo.License,
                categoryId ?? (categories.Count > 0 ? categories[0].Id : null),
                demo.Tags,
                demo.PriceNcr.ToString(System.Globalization.CultureInfo.InvariantCulture),
                demo.ReviewDays,
                accessTypes);
        var draft = draftId is { } id
            ? await publishing.UpdateDraftAsync(sellerId, id, details, ct)
            : await publishing.CreateDraftAsync(sellerId, details, ct);
        if (draft.Versions.FirstOrDefault(v => v.Status == DatasetVersionStatus.Ready) is { } ready)
        {
            await publishing.SetPreviewRowsAsync(sellerId, ready.Id, demo.PreviewRows, ct);
            await publishing.SubmitForReviewAsync(sellerId, draft.Id, ct);
            return draft.Id;
        }

        var path = Path.Combine(Path.GetTempPath(), $"nd-demo-{Guid.NewGuid():N}.csv");
        try
        {
            DemoDatasets.WriteFile(demo, path);
            var size = new FileInfo(path).Length;
            var session = await uploads.CreateAsync(sellerId, draft.Id, Slug.From(demo.Title) + ".csv", size, ct);
            await using (var file = File.OpenRead(path))
            {
                var buffer = new byte[session.ChunkSize];
                long offset = 0;
                while (offset < size)
                {
                    var read = await file.ReadAtLeastAsync(buffer, (int)Math.Min(buffer.Length, size - offset), throwOnEndOfStream: true, ct);
                    using var chunk = new MemoryStream(buffer, 0, read, writable: false);
                    await uploads.AppendAsync(sellerId, session.Id, offset, offset + read - 1, size, chunk, ct);
                    offset += read;
                }
            }

            await uploads.CompleteAsync(sellerId, session.Id, ct);
            var state = await uploads.GetAsync(sellerId, session.Id, ct);
            while (state.Status is not (nameof(UploadStatus.Ready) or nameof(UploadStatus.Failed)))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
                state = await uploads.GetAsync(sellerId, session.Id, ct);
            }

            if (state.VersionId is not { } versionId)
            {
                throw new InvalidOperationException($"Demo dataset '{demo.Title}' was refused: {state.Error}");
            }

            await publishing.SetPreviewRowsAsync(sellerId, versionId, demo.PreviewRows, ct);
            await publishing.SubmitForReviewAsync(sellerId, draft.Id, ct);
            return draft.Id;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task ListAndApproveAsync(IServiceProvider provider, Guid sellerId, Guid moderatorId, Guid datasetId, DemoDataset demo, CancellationToken ct)
    {
        var listings = provider.GetRequiredService<DatasetListingService>();
        using var sender = new ChainTransactionSender(chain.Settings, Publisher.PrivateKey, provider.GetRequiredService<ContractErrorDecoder>(), logger);
        var contracts = await chain.GetContractsAsync(ct);
        var plan = await listings.GetPlanAsync(sellerId, datasetId, ct);
        foreach (var accessType in plan.Missing)
        {
            logger.LogInformation("Demo dataset '{Title}': listing for {Access} from {Wallet}", demo.Title, accessType, Publisher.Address);

            // Checked by the same rules a seller's wallet transaction is (owner, state, linked wallet, review period).
            var unsigned = await listings.BuildCreateListingAsync(sellerId, datasetId, accessType, Publisher.Address, ct);
            if (unsigned.To != contracts.DataMarketplace)
            {
                throw new InvalidOperationException("The listing transaction is not addressed to the marketplace contract.");
            }

            var (cid, price) = await ListedFactsAsync(provider, datasetId, ct);
            var receipt = await sender.SendAsync(contracts.DataMarketplace, new CreateListingFunction
            {
                ContentDigest = ContentDigest.FromCid(cid),
                Price = price.Units,
                ReviewPeriod = (long)TimeSpan.FromDays(demo.ReviewDays).TotalSeconds,
                AccessType = (byte)DatasetListingService.ToChain(accessType),
                Tranches = DatasetListingService.Tranches,
            }, ct);
            var confirmation = await listings.ConfirmCreateListingAsync(sellerId, datasetId, accessType, TxHash.Parse(receipt.TransactionHash), ct);
            if (confirmation.IsPending)
            {
                throw new InvalidOperationException($"The listing of demo dataset '{demo.Title}' was not recorded (tx {receipt.TransactionHash}).");
            }
        }

        await provider.GetRequiredService<ModerationService>().ApproveAsync(new ModerationActor(moderatorId, IsModerator: true), datasetId, ct);
    }

    private static async Task<(Cid Cid, TokenAmount Price)> ListedFactsAsync(IServiceProvider provider, Guid datasetId, CancellationToken ct)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(ct);
        var dataset = await db.Datasets.AsNoTracking().Include(d => d.Versions).SingleAsync(d => d.Id == datasetId, ct);
        var version = dataset.LatestReadyVersion ?? throw new InvalidOperationException($"Demo dataset {datasetId} has no ready version.");
        return (version.Cid, dataset.Price);
    }
}
