using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Datasets.Publishing;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Uploads;

/// <summary>DatasetPublishingService against the real app's database on SQLite and PostgreSQL.</summary>
public sealed class PublishingServiceTests(PostgresCluster cluster, UploadHosts hosts) : IClassFixture<UploadHosts>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DatasetDetailsInput Details(string title, string price = "12.5", params string[] tags) =>
        new(title, "Some *Markdown*.", "CC-BY-4.0", null, tags, price, 7, DatasetAccessTypes.Download | DatasetAccessTypes.TrainingOnly);

    private async Task<(Seller Seller, DatasetPublishingService Service)> SetUpAsync(DbProvider provider)
    {
        var seller = await Seller.CreateAsync(await hosts.GetAsync(provider, cluster));
        return (seller, seller.Host.Services.GetRequiredService<DatasetPublishingService>());
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Drafts_get_unique_slugs_exact_prices_and_shared_tags(DbProvider provider)
    {
        var (seller, service) = await SetUpAsync(provider);
        using var _ = seller;
        var title = "Ocean Temperatures " + Guid.NewGuid().ToString("N")[..8];

        var first = await service.CreateDraftAsync(seller.Id, Details(title, "0.000000000000000001", "ocean", "Climate"), Ct);
        var second = await service.CreateDraftAsync(seller.Id, Details(title, "1000000", "OCEAN"), Ct);
        var third = await service.CreateDraftAsync(seller.Id, Details(title), Ct);

        first.Slug.ShouldBe(Slug.From(title));
        second.Slug.ShouldBe(Slug.From(title) + "-2");
        third.Slug.ShouldBe(Slug.From(title) + "-3");
        first.Status.ShouldBe(DatasetStatus.Draft);
        await using var db = await seller.Host.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        (await db.Datasets.SingleAsync(d => d.Id == first.Id, Ct)).Price.ToUnitsString().ShouldBe("1");
        (await db.Datasets.SingleAsync(d => d.Id == second.Id, Ct)).Price.ShouldBe(TokenAmount.FromTokens(1_000_000));
        (await db.Tags.CountAsync(t => t.Slug == "ocean", Ct)).ShouldBe(1, "the same tag is reused, not created twice");
        var reloaded = await service.GetAsync(seller.Id, second.Id, Ct);
        reloaded!.Details.Tags.ShouldBe(["ocean"]);
        reloaded.Details.PriceText.ShouldBe("1000000");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Bad_details_are_refused_with_a_reason_and_nothing_is_written(DbProvider provider)
    {
        var (seller, service) = await SetUpAsync(provider);
        using var _ = seller;
        var title = "Refused " + Guid.NewGuid().ToString("N")[..8];

        (await Should.ThrowAsync<DomainException>(() => service.CreateDraftAsync(seller.Id, Details(title, "12.5.1"), Ct))).Message.ShouldContain("is not a price in NCR");
        (await Should.ThrowAsync<DomainException>(() => service.CreateDraftAsync(seller.Id, Details(title) with { LicenseSpdxId = "WTFPL-9" }, Ct))).Message.ShouldBe("Choose a license from the list.");
        (await Should.ThrowAsync<DomainException>(() => service.CreateDraftAsync(seller.Id, Details(title) with { ReviewPeriodDays = 31 }, Ct))).Message.ShouldContain("1 to 30 days");
        (await Should.ThrowAsync<DomainException>(() => service.CreateDraftAsync(seller.Id, Details(title) with { CategoryId = Guid.CreateVersion7() }, Ct))).Message.ShouldBe("Choose a category from the list.");
        (await Should.ThrowAsync<DomainException>(() => service.CreateDraftAsync(seller.Id, Details(title) with { AccessTypes = DatasetAccessTypes.None }, Ct))).Message.ShouldContain("Offer download access");

        await using var db = await seller.Host.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        (await db.Datasets.AnyAsync(d => d.SellerId == seller.Id, Ct)).ShouldBeFalse();
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Another_seller_can_neither_read_edit_nor_submit_a_draft(DbProvider provider)
    {
        var (owner, service) = await SetUpAsync(provider);
        using var _ = owner;
        using var stranger = await Seller.CreateAsync(owner.Host);
        var draft = await service.CreateDraftAsync(owner.Id, Details("Private " + Guid.NewGuid().ToString("N")[..8]), Ct);

        (await service.GetAsync(stranger.Id, draft.Id, Ct)).ShouldBeNull();
        await Should.ThrowAsync<DomainException>(() => service.UpdateDraftAsync(stranger.Id, draft.Id, Details("Taken over"), Ct));
        await Should.ThrowAsync<DomainException>(() => service.SubmitForReviewAsync(stranger.Id, draft.Id, Ct));

        (await service.GetAsync(owner.Id, draft.Id, Ct))!.Details.Title.ShouldStartWith("Private ");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task A_draft_is_submitted_only_with_a_ready_version_and_keeps_the_chosen_preview(DbProvider provider)
    {
        var (seller, service) = await SetUpAsync(provider);
        using var _ = seller;
        var draft = await service.CreateDraftAsync(seller.Id, Details("Submitted " + Guid.NewGuid().ToString("N")[..8]), Ct);
        (await Should.ThrowAsync<DomainException>(() => service.SubmitForReviewAsync(seller.Id, draft.Id, Ct))).Message.ShouldContain("Upload a file");

        var file = Encoding.UTF8.GetBytes("id,name\n" + string.Concat(Enumerable.Range(1, 30).Select(i => $"{i},n{i}\n")));
        using (var created = await seller.CreateUploadAsync(draft.Id, "names.csv", file.Length))
        {
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var session = (await seller.Host.Services.GetRequiredService<UploadService>().FindLatestAsync(seller.Id, draft.Id, Ct))!;
        await seller.SendFromAsync(session.Id, file, 0);
        using (await seller.Client.PostAsync($"/api/v1/uploads/{session.Id}/complete", null, Ct))
        {
        }

        var done = await seller.WaitForIngestAsync(session.Id);
        done.Status.ShouldBe("Ready", done.Error);

        var version = (await service.GetVersionAsync(seller.Id, done.VersionId!.Value, Ct))!;
        version.RowCount.ShouldBe(30);
        version.PreviewRowsAvailable.ShouldBe(30);
        version.Columns.Select(c => c.Name).ShouldBe(["id", "name"]);
        (await Should.ThrowAsync<DomainException>(() => service.SetPreviewRowsAsync(seller.Id, version.Id, 31, Ct))).Message.ShouldContain("between 0 and 30");
        (await service.SetPreviewRowsAsync(seller.Id, version.Id, 3, Ct)).PreviewRowsShown.ShouldBe(3);

        await service.SubmitForReviewAsync(seller.Id, draft.Id, Ct);

        var submitted = (await service.GetAsync(seller.Id, draft.Id, Ct))!;
        submitted.Status.ShouldBe(DatasetStatus.PendingReview);
        submitted.Versions.Single().PreviewRowsShown.ShouldBe(3);
        (await Should.ThrowAsync<DomainException>(() => service.UpdateDraftAsync(seller.Id, draft.Id, Details("Changed"), Ct))).Message.ShouldContain("waiting for review");
    }
}
