using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Datasets.Downloads;

public enum DownloadDecision
{
    /// <summary>No such dataset or version, or the caller may not know it exists (404).</summary>
    NotFound,

    /// <summary>The caller sees the dataset but is not entitled to its files (403).</summary>
    Forbidden,

    Allowed,
}

/// <summary>What the download endpoint needs to stream one version.</summary>
public sealed record DownloadGrant(
    Guid DatasetId,
    Guid VersionId,
    int VersionNumber,
    string FileName,
    string ContentType,
    Cid Cid,
    Cid StorageCid,
    byte[] WrappedKey,
    long SizeBytes,
    string Sha256Hex);

public sealed record DownloadAuthorization(DownloadDecision Decision, string Message, DownloadGrant? Grant);

/// <summary>What the download panel shows to an entitled user (latest ready version).</summary>
public sealed record DownloadOffer(int VersionNumber, long SizeBytes, Cid Cid, DatasetFormat Format, string Url, string FileName);

/// <summary>
/// Who may download a dataset's files: its seller, admins, and buyers of a version with download access, as the
/// <see cref="EntitlementService"/> decides (confirmation depth, content digest). Every access is logged
/// (DatasetAccess, kind Download, with the IP).
/// </summary>
public sealed class DatasetDownloadService(IDbContextFactory<NeuroDataDbContext> dbFactory, EntitlementService entitlements, TimeProvider clock)
{
    public static string Url(Guid datasetId, int versionNumber) =>
        $"/api/v1/datasets/{datasetId}/versions/{versionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)}/download";

    public async Task<DownloadAuthorization> AuthorizeAsync(Guid userId, bool isAdmin, Guid datasetId, int versionNumber, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().Include(d => d.Versions).FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken);
        if (dataset is null)
        {
            return new(DownloadDecision.NotFound, "No such dataset.", null);
        }

        var owner = userId != Guid.Empty && (isAdmin || dataset.SellerId == userId);
        var bought = !owner && userId != Guid.Empty && (await entitlements.PurchasedVersionsAsync(userId, datasetId, cancellationToken)).Count > 0;
        if (!owner && !bought && dataset.Status != DatasetStatus.Live)
        {
            return new(DownloadDecision.NotFound, "No such dataset.", null);
        }

        var version = dataset.Versions.FirstOrDefault(v => v.VersionNumber == versionNumber && v.Status is DatasetVersionStatus.Ready or DatasetVersionStatus.Withdrawn);
        if (version is null)
        {
            return new(DownloadDecision.NotFound, $"This dataset has no version {versionNumber} to download.", null);
        }

        var entitlement = owner ? Entitlement.Owner : await entitlements.GetAsync(userId, isAdmin, datasetId, version.Id, cancellationToken);
        if (!entitlement.CanDownload)
        {
            return new(DownloadDecision.Forbidden, entitlement.PurchaseId is not null
                ? entitlement.Reason
                : dataset.AccessTypes.HasFlag(DatasetAccessTypes.Download)
                    ? "You are not entitled to download this dataset: buy download access first. Only the seller, admins and buyers with download access can download its files."
                    : "This dataset is offered for training only: its files cannot be downloaded, only used for training on the platform.", null);
        }

        if (version.StorageCid is null)
        {
            return new(DownloadDecision.NotFound, $"The file of version {versionNumber} is not in storage.", null);
        }

        return new(DownloadDecision.Allowed, "OK", new DownloadGrant(
            dataset.Id, version.Id, version.VersionNumber, FileName(dataset.Slug, version.VersionNumber, version.Format), ContentType(version.Format),
            version.Cid, version.StorageCid, version.WrappedKey, version.SizeBytes, version.ContentSha256));
    }

    /// <summary>
    /// The version an entitled user can download: the latest ready one for the seller and admins, the latest bought one
    /// for a buyer (null: not entitled, not yet deep enough on chain, or nothing to download).
    /// </summary>
    public async Task<DownloadOffer?> GetOfferAsync(Guid userId, bool isAdmin, Guid datasetId, CancellationToken cancellationToken = default)
    {
        if (userId == Guid.Empty)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().Include(d => d.Versions).FirstOrDefaultAsync(d => d.Id == datasetId, cancellationToken);
        if (dataset is null)
        {
            return null;
        }

        if (isAdmin || dataset.SellerId == userId)
        {
            return dataset.LatestReadyVersion is { StorageCid: not null } latest ? Offer(dataset, latest) : null;
        }

        foreach (var versionId in await entitlements.PurchasedVersionsAsync(userId, datasetId, cancellationToken))
        {
            var version = dataset.Versions.FirstOrDefault(v => v.Id == versionId && v.StorageCid is not null && v.Status is DatasetVersionStatus.Ready or DatasetVersionStatus.Withdrawn);
            if (version is not null && (await entitlements.GetAsync(userId, isAdmin, datasetId, version.Id, cancellationToken)).CanDownload)
            {
                return Offer(dataset, version);
            }
        }

        return null;
    }

    private static DownloadOffer Offer(Dataset dataset, DatasetVersion version) =>
        new(version.VersionNumber, version.SizeBytes, version.Cid, version.Format, Url(dataset.Id, version.VersionNumber), FileName(dataset.Slug, version.VersionNumber, version.Format));

    /// <summary>Logs one access (a full download also counts on the dataset).</summary>
    public async Task RecordAsync(Guid userId, DownloadGrant grant, string? ipAddress, bool fullDownload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.DatasetAccesses.Add(new DatasetAccess(userId, grant.DatasetId, grant.VersionId, DatasetAccessKind.Download, clock.GetUtcNow(), ipAddress));
        if (fullDownload)
        {
            var dataset = await db.Datasets.FirstAsync(d => d.Id == grant.DatasetId, cancellationToken);
            dataset.RecordDownload();
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A safe ASCII attachment name: slug-vN.ext.</summary>
    public static string FileName(string slug, int versionNumber, DatasetFormat format)
    {
        var safe = new string(slug.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').ToArray());
        if (safe.Length == 0)
        {
            safe = "dataset";
        }

        return $"{(safe.Length > 80 ? safe[..80] : safe)}-v{versionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{Extension(format)}";
    }

    public static string Extension(DatasetFormat format) => format switch
    {
        DatasetFormat.Csv => "csv",
        DatasetFormat.Tsv => "tsv",
        DatasetFormat.JsonLines => "jsonl",
        DatasetFormat.Parquet => "parquet",
        DatasetFormat.Zip => "zip",
        _ => "bin",
    };

    public static string ContentType(DatasetFormat format) => format switch
    {
        DatasetFormat.Csv => "text/csv",
        DatasetFormat.Tsv => "text/tab-separated-values",
        DatasetFormat.JsonLines => "application/x-ndjson",
        DatasetFormat.Parquet => "application/vnd.apache.parquet",
        DatasetFormat.Zip => "application/zip",
        _ => "application/octet-stream",
    };
}
