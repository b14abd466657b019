using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Ports;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Datasets.Listings;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Datasets.Moderation;

/// <summary>Who is moderating: the signed-in user and whether they hold the Moderator or Admin role.</summary>
public sealed record ModerationActor(Guid UserId, bool IsModerator)
{
    public static ModerationActor From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var parsed) ? parsed : Guid.Empty;
        return new ModerationActor(id, id != Guid.Empty && (user.IsInRole(RoleNames.Moderator) || user.IsInRole(RoleNames.Admin)));
    }
}

/// <summary>The caller is not a moderator (pages answer 403).</summary>
public sealed class ModerationForbiddenException() : Exception("Only moderators and admins can moderate datasets.");

/// <summary>A row of the moderation queue.</summary>
public sealed record ModerationQueueItem(
    Guid DatasetId,
    string Title,
    string Seller,
    Guid SellerId,
    DatasetStatus Status,
    bool IsNewVersion,
    int? VersionNumber,
    long? SizeBytes,
    DatasetFormat? Format,
    long? RowCount,
    DateTimeOffset? SubmittedAt,
    bool IsFlagged,
    IReadOnlyList<DatasetListingView> Listings);

/// <summary>Everything a moderator needs to decide on one dataset.</summary>
public sealed record ModerationCase(
    Guid DatasetId,
    string Title,
    string Slug,
    string Description,
    string License,
    Guid SellerId,
    string Seller,
    DatasetStatus Status,
    TokenAmount Price,
    DatasetAccessTypes AccessTypes,
    string? ModerationReason,
    string? FlagReason,
    bool IsFeatured,
    DateTimeOffset? SubmittedAt,
    int? VersionNumber,
    Cid? Cid,
    long? SizeBytes,
    DatasetFormat? Format,
    long? RowCount,
    IReadOnlyList<ColumnSchema> Schema,
    IReadOnlyList<string> PreviewColumns,
    IReadOnlyList<IReadOnlyList<string?>> PreviewRows,
    IReadOnlyList<DatasetListingView> Listings,
    IReadOnlyList<ModerationLogView> Log,
    bool IsOwnDataset,
    string? ApproveBlockedReason)
{
    public bool CanApprove => ApproveBlockedReason is null;

    public bool HasPendingNewVersion => Status == DatasetStatus.Live && Listings.Any(l => l.Status == DatasetListingStatus.Pending);
}

public sealed record ModerationLogView(DateTimeOffset At, string Actor, ModerationAction Action, string? Reason, string? Detail);

/// <summary>
/// The moderator's actions on datasets and their on-chain listings. Chain first, database second: approveListing /
/// rejectListing go out with the platform operator key, then the dataset changes state. Every action is recorded in
/// the moderation log, and each is idempotent (a second click finds the work done and changes nothing).
/// </summary>
public sealed class ModerationService(
    IDbContextFactory<NeuroDataDbContext> dbFactory,
    IPlatformChainOperator chainOperator,
    IChainGateway gateway,
    TimeProvider clock,
    ILogger<ModerationService> logger)
{
    private const int ChainReasonMaxLength = 500;
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    public async Task<IReadOnlyList<ModerationQueueItem>> GetQueueAsync(ModerationActor actor, CancellationToken cancellationToken = default)
    {
        Require(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pendingListingDatasets = await db.Set<DatasetListing>().AsNoTracking()
            .Where(l => l.Status == DatasetListingStatus.Pending)
            .Select(l => l.DatasetId).Distinct().ToListAsync(cancellationToken);
        var datasets = await db.Datasets.AsNoTracking().Include(d => d.Versions)
            .Where(d => d.Status == DatasetStatus.PendingReview || (d.Status == DatasetStatus.Live && (pendingListingDatasets.Contains(d.Id) || d.FlagReason != null)))
            .ToListAsync(cancellationToken);
        var listings = await DatasetListingService.ListingsAsync(db, datasets.Select(d => d.Id).ToList(), cancellationToken);
        var sellers = await SellerNamesAsync(db, datasets.Select(d => d.SellerId), cancellationToken);
        return datasets
            .OrderBy(d => d.SubmittedAt ?? d.CreatedAt)
            .Select(d =>
            {
                var v = d.LatestReadyVersion;
                var own = listings.Where(l => l.VersionId != Guid.Empty && d.Versions.Any(x => x.Id == l.VersionId)).ToList();
                return new ModerationQueueItem(
                    d.Id, d.Title, sellers.GetValueOrDefault(d.SellerId, "unknown"), d.SellerId, d.Status,
                    d.Status == DatasetStatus.Live && own.Any(l => l.Status == DatasetListingStatus.Pending),
                    v?.VersionNumber, v?.SizeBytes, v?.Format, v?.RowCount, d.SubmittedAt, d.IsFlagged, own);
            })
            .ToList();
    }

    public async Task<ModerationCase?> GetCaseAsync(ModerationActor actor, Guid datasetId, CancellationToken cancellationToken = default)
    {
        Require(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var d = await db.Datasets.AsNoTracking().Include(x => x.Versions).FirstOrDefaultAsync(x => x.Id == datasetId, cancellationToken);
        if (d is null)
        {
            return null;
        }

        var listings = await DatasetListingService.ListingsAsync(db, [datasetId], cancellationToken);
        var log = await db.Set<ModerationLogEntry>().AsNoTracking().Where(e => e.DatasetId == datasetId).ToListAsync(cancellationToken);
        var names = await SellerNamesAsync(db, log.Select(e => e.ActorId).Append(d.SellerId), cancellationToken);
        var v = d.LatestReadyVersion;
        var (columns, rows) = ReadPreview(v?.PreviewJson);
        var own = d.SellerId == actor.UserId;
        return new ModerationCase(
            d.Id, d.Title, d.Slug, d.DescriptionMarkdown, d.LicenseSpdxId, d.SellerId, names.GetValueOrDefault(d.SellerId, "unknown"),
            d.Status, d.Price, d.AccessTypes, d.ModerationReason, d.FlagReason, d.IsFeatured, d.SubmittedAt,
            v?.VersionNumber, v?.Cid, v?.SizeBytes, v?.Format, v?.RowCount, ReadSchema(v?.SchemaJson), columns, rows, listings,
            log.OrderByDescending(e => e.At).Select(e => new ModerationLogView(e.At, names.GetValueOrDefault(e.ActorId, "unknown"), e.Action, e.Reason, e.Detail)).ToList(),
            own, ApproveBlocked(d, listings, own));
    }

    /// <summary>Approves a dataset waiting for review (or a live dataset's new version): approveListing on chain for
    /// every pending listing of the latest version, then the dataset goes live.</summary>
    public Task ApproveAsync(ModerationActor actor, Guid datasetId, CancellationToken cancellationToken = default) =>
        WithDatasetAsync(actor, datasetId, async (db, d) =>
        {
            var listings = await TrackedListingsAsync(db, datasetId, cancellationToken);
            var views = await DatasetListingService.ListingsAsync(db, [datasetId], cancellationToken);
            if (d.Status == DatasetStatus.Live && !listings.Any(l => l.Status == DatasetListingStatus.Pending))
            {
                return; // already approved: a second click changes nothing
            }

            if (ApproveBlocked(d, views, d.SellerId == actor.UserId) is { } blocked)
            {
                throw new DomainException(blocked);
            }

            var version = d.LatestReadyVersion!;
            var sent = new List<string>();
            foreach (var listing in listings.Where(l => l.VersionId == version.Id && l.Status == DatasetListingStatus.Pending))
            {
                var onChain = await gateway.GetListingAsync(listing.ChainListingId, cancellationToken)
                    ?? throw new DomainException($"Listing {listing.ChainListingId} does not exist on chain.");
                if (onChain.Status == ChainListingStatus.Pending)
                {
                    var receipt = await chainOperator.ApproveListingAsync(listing.ChainListingId, cancellationToken);
                    listing.Update(DatasetListingStatus.Approved, null, receipt.Hash, clock.GetUtcNow());
                    sent.Add($"approveListing({listing.ChainListingId}) {receipt.Hash}");
                }
                else if (onChain.Status == ChainListingStatus.Approved)
                {
                    listing.Update(DatasetListingStatus.Approved, null, null, clock.GetUtcNow());
                }
                else
                {
                    throw new DomainException($"Listing {listing.ChainListingId} is {onChain.Status.ToString().ToLowerInvariant()} on chain and cannot be approved; the seller must list again.");
                }
            }

            var now = clock.GetUtcNow();
            ModerationAction action;
            if (d.Status == DatasetStatus.PendingReview)
            {
                d.Approve(actor.UserId, now);
                action = ModerationAction.Approved;
            }
            else
            {
                action = ModerationAction.VersionApproved;
            }

            db.Add(new ModerationLogEntry(d.Id, actor.UserId, action, null, Detail(sent), now));
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Rejects a dataset waiting for review (or a live dataset's pending new version) with a reason the seller
    /// sees; pending listings are rejected on chain with the same reason.</summary>
    public Task RejectAsync(ModerationActor actor, Guid datasetId, string reason, CancellationToken cancellationToken = default)
    {
        var why = Guard.Text(reason, "A rejection reason", Dataset.ReasonMaxLength);
        return WithDatasetAsync(actor, datasetId, async (db, d) =>
        {
            var listings = await TrackedListingsAsync(db, datasetId, cancellationToken);
            var newVersion = d.Status == DatasetStatus.Live && listings.Any(l => l.Status == DatasetListingStatus.Pending);
            if (d.Status == DatasetStatus.Rejected || (d.Status == DatasetStatus.Live && !newVersion))
            {
                return; // already decided
            }

            if (d.Status != DatasetStatus.PendingReview && !newVersion)
            {
                throw new DomainException($"Only a dataset waiting for review can be rejected; this one is {Describe(d.Status)}.");
            }

            RequireNotOwn(d, actor);
            var sent = await RejectOnChainAsync(listings.Where(l => l.Status == DatasetListingStatus.Pending), why, cancellationToken);
            var now = clock.GetUtcNow();
            if (newVersion)
            {
                db.Add(new ModerationLogEntry(d.Id, actor.UserId, ModerationAction.VersionRejected, why, Detail(sent), now));
            }
            else
            {
                d.Reject(actor.UserId, why, now);
                db.Add(new ModerationLogEntry(d.Id, actor.UserId, ModerationAction.Rejected, why, Detail(sent), now));
            }

            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Takes a live dataset off the marketplace: its open listings are taken down on chain (rejectListing).</summary>
    public Task DelistAsync(ModerationActor actor, Guid datasetId, string reason, CancellationToken cancellationToken = default)
    {
        var why = Guard.Text(reason, "A delisting reason", Dataset.ReasonMaxLength);
        return WithDatasetAsync(actor, datasetId, async (db, d) =>
        {
            if (d.Status == DatasetStatus.Delisted)
            {
                return;
            }

            if (d.Status != DatasetStatus.Live)
            {
                throw new DomainException($"Only a live dataset can be delisted; this one is {Describe(d.Status)}.");
            }

            RequireNotOwn(d, actor);
            var listings = await TrackedListingsAsync(db, datasetId, cancellationToken);
            var sent = await RejectOnChainAsync(listings.Where(l => l.IsOpen), why, cancellationToken);
            var now = clock.GetUtcNow();
            d.Delist(actor.UserId, why, now);
            db.Add(new ModerationLogEntry(d.Id, actor.UserId, ModerationAction.Delisted, why, Detail(sent), now));
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }

    public Task FlagAsync(ModerationActor actor, Guid datasetId, string reason, CancellationToken cancellationToken = default)
    {
        var why = Guard.Text(reason, "A flag reason", Dataset.ReasonMaxLength);
        return WithDatasetAsync(actor, datasetId, async (db, d) =>
        {
            if (d.FlagReason == why)
            {
                return;
            }

            var now = clock.GetUtcNow();
            d.Flag(actor.UserId, why, now);
            db.Add(new ModerationLogEntry(d.Id, actor.UserId, ModerationAction.Flagged, why, null, now));
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }

    public Task UnflagAsync(ModerationActor actor, Guid datasetId, CancellationToken cancellationToken = default) =>
        WithDatasetAsync(actor, datasetId, async (db, d) =>
        {
            if (!d.IsFlagged)
            {
                return;
            }

            RequireNotOwn(d, actor);
            d.ClearFlag();
            db.Add(new ModerationLogEntry(d.Id, actor.UserId, ModerationAction.Unflagged, null, null, clock.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);

    public Task SetFeaturedAsync(ModerationActor actor, Guid datasetId, bool featured, CancellationToken cancellationToken = default) =>
        WithDatasetAsync(actor, datasetId, async (db, d) =>
        {
            if (d.IsFeatured == featured)
            {
                return;
            }

            RequireNotOwn(d, actor);
            d.SetFeatured(featured);
            db.Add(new ModerationLogEntry(d.Id, actor.UserId, featured ? ModerationAction.Featured : ModerationAction.Unfeatured, null, null, clock.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Why approval is not possible yet (null: it is).</summary>
    internal static string? ApproveBlocked(Dataset d, IReadOnlyList<DatasetListingView> listings, bool own)
    {
        if (own)
        {
            return "A moderator cannot review their own dataset.";
        }

        var newVersion = d.Status == DatasetStatus.Live && listings.Any(l => l.Status == DatasetListingStatus.Pending);
        if (d.Status != DatasetStatus.PendingReview && !newVersion)
        {
            return $"Only a dataset waiting for review can be approved; this one is {Describe(d.Status)}.";
        }

        var version = d.LatestReadyVersion;
        if (version is null)
        {
            return "The dataset has no processed version.";
        }

        var missing = DatasetListingService.OfferedTypes(d.AccessTypes)
            .Where(t => !listings.Any(l => l.VersionId == version.Id && l.AccessType == t && l.Status is DatasetListingStatus.Pending or DatasetListingStatus.Approved))
            .ToList();
        if (missing.Count > 0)
        {
            return $"The seller has not listed version {version.VersionNumber} on chain yet ({string.Join(" and ", missing.Select(DatasetListingService.Describe))} access); approval waits for the listing transaction.";
        }

        return null;
    }

    private async Task WithDatasetAsync(ModerationActor actor, Guid datasetId, Func<NeuroDataDbContext, Dataset, Task> action, CancellationToken cancellationToken)
    {
        Require(actor);
        var gate = _locks.GetOrAdd(datasetId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var dataset = await db.Datasets.Include(d => d.Versions).FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken)
                ?? throw new DomainException("Dataset not found.");
            await action(db, dataset);
        }
        catch (ChainTransactionException ex)
        {
            logger.LogWarning(ex, "Moderation of dataset {DatasetId} failed on chain", datasetId);
            throw new DomainException($"The chain refused the moderation transaction: {ex.Message} Nothing was changed in the marketplace; try again.");
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<List<string>> RejectOnChainAsync(IEnumerable<DatasetListing> listings, string reason, CancellationToken cancellationToken)
    {
        var chainReason = reason.Length <= ChainReasonMaxLength ? reason : reason[..ChainReasonMaxLength];
        var sent = new List<string>();
        foreach (var listing in listings.ToList())
        {
            var onChain = await gateway.GetListingAsync(listing.ChainListingId, cancellationToken);
            if (onChain is { Status: ChainListingStatus.Pending or ChainListingStatus.Approved })
            {
                var receipt = await chainOperator.RejectListingAsync(listing.ChainListingId, chainReason, cancellationToken);
                listing.Update(DatasetListingStatus.Rejected, reason, receipt.Hash, clock.GetUtcNow());
                sent.Add($"rejectListing({listing.ChainListingId}) {receipt.Hash}");
            }
            else if (onChain is not null)
            {
                listing.Update(DatasetListingService.FromChain(onChain.Status), listing.StatusReason, null, clock.GetUtcNow());
            }
        }

        return sent;
    }

    private static Task<List<DatasetListing>> TrackedListingsAsync(NeuroDataDbContext db, Guid datasetId, CancellationToken cancellationToken) =>
        db.Set<DatasetListing>().Where(l => l.DatasetId == datasetId).ToListAsync(cancellationToken);

    private static void Require(ModerationActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsModerator)
        {
            throw new ModerationForbiddenException();
        }
    }

    private static void RequireNotOwn(Dataset d, ModerationActor actor)
    {
        if (d.SellerId == actor.UserId)
        {
            throw new DomainException("A moderator cannot review their own dataset.");
        }
    }

    private static string? Detail(List<string> sent) => sent.Count == 0 ? null : string.Join("; ", sent);

    private static async Task<Dictionary<Guid, string>> SellerNamesAsync(NeuroDataDbContext db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var set = ids.Distinct().ToList();
        var profiles = await db.UserProfiles.AsNoTracking().Where(p => set.Contains(p.Id)).Select(p => new { p.Id, p.DisplayName }).ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => set.Contains(u.Id)).Select(u => new { u.Id, u.Email }).ToListAsync(cancellationToken);
        var names = new Dictionary<Guid, string>();
        foreach (var id in set)
        {
            var name = profiles.FirstOrDefault(p => p.Id == id)?.DisplayName;
            var email = users.FirstOrDefault(u => u.Id == id)?.Email;
            names[id] = (name, email) switch
            {
                ({ } n, { } e) => $"{n} ({e})",
                ({ } n, null) => n,
                (null, { } e) => e,
                _ => "unknown",
            };
        }

        return names;
    }

    internal static IReadOnlyList<ColumnSchema> ReadSchema(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<ColumnSchema>>(json, JsonSerializerOptions.Web) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The first preview row is taken as the header when the preview has no schema of its own.</summary>
    internal static (IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows) ReadPreview(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return ([], []);
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var columns = new List<string>();
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("columns", out var cols) && cols.ValueKind == JsonValueKind.Array)
                {
                    columns.AddRange(cols.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String ? c.GetString() ?? string.Empty : c.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : c.ToString()));
                }

                root = root.TryGetProperty("rows", out var r) ? r : default;
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                return (columns, []);
            }

            var rows = root.EnumerateArray()
                .Where(row => row.ValueKind == JsonValueKind.Array)
                .Select(row => (IReadOnlyList<string?>)row.EnumerateArray()
                    .Select(cell => SpreadsheetSafety.Neutralise(cell.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => cell.GetString(),
                        _ => cell.GetRawText(),
                    }))
                    .ToList())
                .ToList();
            return (columns, rows);
        }
        catch (JsonException)
        {
            return ([], []);
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
