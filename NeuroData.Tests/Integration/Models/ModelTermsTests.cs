using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Datasets.Publishing;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Models;

/// <summary>The listing's model-download term: off by default, set by the seller on a draft, stored on both providers,
/// frozen while the dataset is live.</summary>
public sealed class ModelTermsTests(PostgresCluster cluster, ModelsFactories factories) : IClassFixture<ModelsFactories>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Seller_SetsTheTermOnADraft_ItIsStored_AndReadBack(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var seller = await app.SeedUserAsync("seller");
        var publishing = app.Services.GetRequiredService<DatasetPublishingService>();
        var input = new DatasetDetailsInput("Sensor readings", "Hourly readings.", "CC-BY-4.0", null, ["sensors"], "12", 7, DatasetAccessTypes.TrainingOnly);

        var draft = await publishing.CreateDraftAsync(seller, input, Ct);
        draft.Details.ModelDownloadAllowed.ShouldBeFalse("models stay on the platform unless the seller allows it");

        var updated = await publishing.UpdateDraftAsync(seller, draft.Id, input with { ModelDownloadAllowed = true }, Ct);
        updated.Details.ModelDownloadAllowed.ShouldBeTrue();
        await using var db = await app.ContextAsync(Ct);
        (await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == draft.Id, Ct)).ModelDownloadAllowed.ShouldBeTrue();
        (await publishing.GetAsync(seller, draft.Id, Ct))!.Details.ModelDownloadAllowed.ShouldBeTrue();
    }

    [Fact]
    public void Term_CannotChange_WhileTheDatasetIsLive()
    {
        var now = DateTimeOffset.UtcNow;
        var dataset = new Dataset(Guid.NewGuid(), "Live", "live-" + Guid.NewGuid().ToString("N")[..8], "Rows.", "MIT", null, TokenAmount.FromTokens(5), TimeSpan.FromDays(3),
            DatasetAccessTypes.TrainingOnly, now);
        var cid = Cid.Parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
        var version = dataset.AddVersion(cid, 10, DatasetFormat.Csv, new string('a', 64), [1, 2, 3], now);
        version.AttachStorage(cid, null, null);
        version.MarkReady(null, null, 1);
        dataset.SubmitForReview(now);
        dataset.Approve(Guid.NewGuid(), now);

        Should.Throw<DomainException>(() => dataset.SetModelTerms(true)).Message.ShouldContain("cannot change while the dataset is");
        dataset.ModelDownloadAllowed.ShouldBeFalse();
        dataset.SetModelTerms(false);
    }
}
