using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Datasets.Publishing;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Training;
using NeuroData.Infrastructure.Training.Baseline;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Uploads;

namespace NeuroData.Tests.Integration.Baseline;

/// <summary>
/// The baseline inside the real app (uploads API, ingest worker, Quartz scheduler) on SQLite and PostgreSQL: the upload
/// is ready without waiting for it, the label the seller declares is computed by the app's job, and a new version with
/// the same column keeps the label and gets its own baseline; a version without that column starts without one.
/// </summary>
public sealed class NewVersionBaselineTests(PostgresCluster cluster, UploadHosts hosts) : IClassFixture<UploadHosts>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Csv(int seed, bool withLabel)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(withLabel ? "x1,x2,label\n" : "x1,x2,outcome\n");
        for (var i = 0; i < 300; i++)
        {
            double x1 = random.NextDouble() * 2 - 1, x2 = random.NextDouble() * 2 - 1;
            sb.Append(CultureInfo.InvariantCulture, $"{x1:0.000},{x2:0.000},{(x1 + x2 > 0 ? "yes" : "no")}\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static async Task<Guid> UploadAsync(Seller seller, Guid datasetId, byte[] file)
    {
        using (var created = await seller.CreateUploadAsync(datasetId, "outcomes.csv", file.Length))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var session = (await seller.Host.Services.GetRequiredService<UploadService>().FindLatestAsync(seller.Id, datasetId, Ct))!;
        await seller.SendFromAsync(session.Id, file, 0);
        using (var complete = await seller.Client.PostAsync($"/api/v1/uploads/{session.Id}/complete", null, Ct))
        {
            complete.IsSuccessStatusCode.ShouldBeTrue();
        }

        var done = await seller.WaitForIngestAsync(session.Id);
        done.Status.ShouldBe("Ready", done.Error);
        return done.VersionId!.Value;
    }

    /// <summary>Waits (at most 90 s) until the app's job has finished the version's baseline.</summary>
    private static async Task<DatasetVersion> WaitForBaselineAsync(Seller seller, Guid versionId)
    {
        var contexts = seller.Host.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            await using (var db = await contexts.CreateDbContextAsync(Ct))
            {
                var version = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == versionId, Ct);
                if (version.BaselineStatus is not BaselineStatus.Pending)
                {
                    return version;
                }
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"the baseline of {versionId} is still pending");
            await Task.Delay(100, Ct);
        }
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task The_apps_job_computes_the_declared_baseline_and_a_new_version_keeps_the_label(DbProvider provider)
    {
        using var seller = await Seller.CreateAsync(await hosts.GetAsync(provider, cluster));
        var datasetId = await seller.DraftAsync("Outcomes " + Guid.NewGuid().ToString("N")[..8]);
        var baselines = seller.Host.Services.GetRequiredService<BaselineService>();

        var first = await UploadAsync(seller, datasetId, Csv(1, withLabel: true));
        (await baselines.GetLabelChoiceAsync(seller.Id, first, Ct))!.Status.ShouldBe(BaselineStatus.NotApplicable);
        (await baselines.DeclareLabelAsync(seller.Id, first, "label", Ct)).Status.ShouldBe(BaselineStatus.Pending);
        var computed = await WaitForBaselineAsync(seller, first);
        computed.BaselineStatus.ShouldBe(BaselineStatus.Computed, computed.BaselineFailureReason);
        BaselineTrainer.Read(computed)!.Binary!.Auc.ShouldBeGreaterThan(0.9);

        var second = await UploadAsync(seller, datasetId, Csv(2, withLabel: true));
        var kept = await WaitForBaselineAsync(seller, second);
        kept.LabelColumn.ShouldBe("label");
        kept.BaselineStatus.ShouldBe(BaselineStatus.Computed, kept.BaselineFailureReason);
        BaselineTrainer.Read(kept)!.Binary!.Auc.ShouldBeGreaterThan(0.9);

        var third = await UploadAsync(seller, datasetId, Csv(3, withLabel: false));
        var choice = (await baselines.GetLabelChoiceAsync(seller.Id, third, Ct))!;
        choice.LabelColumn.ShouldBeNull("version 3 has no column 'label'");
        choice.Status.ShouldBe(BaselineStatus.NotApplicable);
    }
}
