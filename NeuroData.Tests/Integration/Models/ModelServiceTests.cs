using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training.Models;
using NeuroData.Infrastructure.Training.Runs;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Models;

/// <summary>The model service against the real app: the list, the lineage (columns with retyping, trainer, metrics,
/// licence, access) and predictions, on SQLite and PostgreSQL.</summary>
public sealed class ModelServiceTests(PostgresCluster cluster, ModelsFactories factories) : IClassFixture<ModelsFactories>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task List_ShowsOnlyTheUsersModels_NewestFirst_WithDatasetCidAndHeadlineMetric(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var data = await app.SeedDatasetAsync();
        var user = await app.SeedUserAsync("trainer");
        var other = await app.SeedUserAsync("other");
        await app.BuyAsync(data, user, DatasetAccessTypes.TrainingOnly);
        await app.BuyAsync(data, other, DatasetAccessTypes.TrainingOnly);
        var first = await app.SeedModelAsync(user, data.VersionId, "first");
        var second = await app.SeedModelAsync(user, data.VersionId, "second");
        await app.SeedModelAsync(other, data.VersionId, "not mine");
        var models = app.Services.GetRequiredService<ModelService>();

        var list = await models.ListAsync(user, false, Ct);

        list.Select(m => m.Id).ShouldBe([second, first]);
        var item = list[0];
        item.Name.ShouldBe("second");
        item.Task.ShouldBe(TrainingTask.BinaryClassification);
        item.DatasetTitle.ShouldBe("Outcomes");
        item.DatasetVersionNumber.ShouldBe(1);
        item.DataCid.ShouldStartWith("Qm");
        item.PrimaryMetric.ShouldBe("AUC");
        item.PrimaryValue!.Value.ShouldBeGreaterThan(0.9, "the label follows x, color and member: a working model separates it");

        var html = await app.ClientFor(user).GetStringAsync("/models", Ct);
        html.ShouldContain("id=\"models-table\"");
        html.ShouldContain($"/models/{first}");
        html.ShouldNotContain("not mine");
        (await app.ClientFor(await app.SeedUserAsync("nobody")).GetStringAsync("/models", Ct)).ShouldContain("id=\"models-empty\"");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Lineage_NamesTheData_TheColumnsWithTheirRetyping_TheTrainer_AndTheAccess(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var data = await app.SeedDatasetAsync();
        var user = await app.SeedUserAsync("trainer");
        await app.BuyAsync(data, user, DatasetAccessTypes.TrainingOnly);
        var modelId = await app.SeedModelAsync(user, data.VersionId);
        var models = app.Services.GetRequiredService<ModelService>();

        var model = (await models.GetAsync(user, false, modelId, Ct)).ShouldNotBeNull();

        model.DatasetId.ShouldBe(data.DatasetId);
        model.DatasetVersionId.ShouldBe(data.VersionId);
        model.DataLicense.ShouldBe("CC-BY-4.0");
        model.Access.ShouldBe(TrainingAccess.TrainingOnly);
        model.Trainer.ShouldBe("lightgbm");
        model.LabelColumn.ShouldBe("y");
        model.Parameters["trees"].ShouldBe(30);
        model.Metrics.ShouldNotBeNull().Binary.ShouldNotBeNull().Auc.ShouldBeGreaterThan(0.9);
        model.Columns.ShouldBe(
        [
            new ModelColumn("x", "number", ColumnType.Number, false),
            new ModelColumn("color", "category", ColumnType.Text, false),
            new ModelColumn("member", "boolean", ColumnType.Boolean, false),
            new ModelColumn("zone", "category", ColumnType.WholeNumber, true),
        ]);
        model.Description.Inputs.Single(i => i.Name == "color").Categories.ShouldBe(["blue", "green", "red"], ignoreOrder: true);
        model.Download.Allowed.ShouldBeFalse();

        var seller = (await models.GetAsync(data.Seller, false, await app.SeedModelAsync(data.Seller, data.VersionId), Ct)).ShouldNotBeNull();
        seller.Access.ShouldBe(TrainingAccess.Owner);
        seller.Download.Allowed.ShouldBeTrue();

        var html = await app.ClientFor(user).GetStringAsync($"/models/{modelId}", Ct);
        html.ShouldContain("id=\"lineage-cid\"");
        html.ShouldContain(model.DataCid);
        html.ShouldContain("(retyped)");
        html.ShouldContain("id=\"predict-form\"");
        html.ShouldContain("id=\"batch-upload\"");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Predict_RefusesAValueItCannotRead_WithTheColumn(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var data = await app.SeedDatasetAsync();
        var modelId = await app.SeedModelAsync(data.Seller, data.VersionId);
        var models = app.Services.GetRequiredService<ModelService>();

        var error = await Should.ThrowAsync<TrainingException>(() =>
            models.PredictAsync(data.Seller, false, modelId, new Dictionary<string, string?> { ["x"] = "many", ["color"] = "red" }, Ct));

        error.Message.ShouldContain("'many'");
        error.Message.ShouldContain("'x'");
    }

    [Fact]
    public void BatchLimiter_AllowsTheConfiguredNumberPerUser_AndFreesASlotOnDispose()
    {
        var limiter = new ModelBatchLimiter(Options.Create(new ModelOptions { MaxConcurrentBatchesPerUser = 2 }));
        var user = Guid.NewGuid();

        using var first = limiter.TryEnter(user);
        var second = limiter.TryEnter(user);
        first.ShouldNotBeNull();
        second.ShouldNotBeNull();
        limiter.TryEnter(user).ShouldBeNull();
        using var otherUser = limiter.TryEnter(Guid.NewGuid());
        otherUser.ShouldNotBeNull();

        second.Dispose();
        second.Dispose();
        using var third = limiter.TryEnter(user);
        third.ShouldNotBeNull();
        limiter.TryEnter(user).ShouldBeNull("disposing twice frees one slot only");
    }
}
