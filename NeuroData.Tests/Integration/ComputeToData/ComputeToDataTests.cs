using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Training.Models;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Tests.Integration.Models;

namespace NeuroData.Tests.Integration.ComputeToData;

/// <summary>
/// Compute-to-data: a buyer with training-only access trains and predicts but never gets raw rows, through any page or
/// API, and never another user's model. Real app, real ML.NET model files, SQLite and PostgreSQL.
/// </summary>
public sealed partial class ComputeToDataTests(PostgresCluster cluster, ModelsFactories factories) : IClassFixture<ModelsFactories>
{
    private static readonly int[] PreviewIndexes = [0, 1, 2];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task TrainingOnlyBuyer_Predicts_ButGetsNoRawRow_FromTheDownloadApi_ThePages_OrTheBatchOutput(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var data = await app.SeedDatasetAsync();
        var buyer = await app.SeedUserAsync("trainer");
        await app.BuyAsync(data, buyer, DatasetAccessTypes.TrainingOnly);
        var modelId = await app.SeedModelAsync(buyer, data.VersionId);
        using var client = app.ClientFor(buyer);

        // The files: refused with the reason.
        using var download = await client.GetAsync(data.DownloadUrl, Ct);
        download.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Detail(download)).ShouldContain("training-only");

        // A single prediction works (the model learned: a red member with a high x is "yes").
        var models = app.Services.GetRequiredService<ModelService>();
        var yes = await models.PredictAsync(buyer, false, modelId, new Dictionary<string, string?> { ["x"] = "1.8", ["color"] = "red", ["member"] = "true", ["zone"] = "2" }, Ct);
        var no = await models.PredictAsync(buyer, false, modelId, new Dictionary<string, string?> { ["x"] = "-1.9", ["color"] = "blue", ["member"] = "false", ["zone"] = "2" }, Ct);
        yes.Label.ShouldBe("yes");
        no.Label.ShouldBe("no");

        // The dataset page shows the public preview (3 rows) and nothing beyond it.
        var datasetPage = await client.GetStringAsync($"/datasets/{data.Slug}", Ct);
        Markers(datasetPage).Distinct().Order().ToArray().ShouldBe(PreviewIndexes, "the public preview's rows and no others");

        // The model page shows the lineage, and not one row of the data.
        using var modelPage = await client.GetAsync($"/models/{modelId}", Ct);
        modelPage.StatusCode.ShouldBe(HttpStatusCode.OK);
        var modelHtml = await modelPage.Content.ReadAsStringAsync(Ct);
        modelHtml.ShouldContain("id=\"model-lineage\"");
        modelHtml.ShouldContain("Training-only access");
        modelHtml.ShouldNotContain(ModelData.RowMarker);
        modelHtml.ShouldNotContain("id=\"model-download\"");
        modelHtml.ShouldContain(ModelService.TrainingOnlyTermsReason.Replace("'", "&#x27;", StringComparison.Ordinal));

        // Batch output: exactly the uploaded rows, with predictions; no row of the dataset.
        const string upload = "x,color,member,zone,note\n1.9,red,true,1,mine-1\n-1.8,blue,false,3,mine-2\n0.1,green,true,4,mine-3\n";
        using var batch = await client.PostAsync(ModelService.PredictionsUrl(modelId), new StringContent(upload, Encoding.UTF8, "text/csv"), Ct);
        batch.StatusCode.ShouldBe(HttpStatusCode.OK, await batch.Content.ReadAsStringAsync(Ct));
        var lines = (await batch.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(4);
        lines[0].ShouldStartWith("x,color,member,zone,note,predicted_label");
        lines[1].ShouldContain("mine-1");
        lines[1].ShouldContain(",yes,");
        lines[2].ShouldContain("mine-2");
        lines[2].ShouldContain(",no,");
        lines[3].ShouldContain("mine-3");
        string.Join('\n', lines).ShouldNotContain(ModelData.RowMarker);
        batch.Headers.GetValues("X-Prediction-Rows").ShouldHaveSingleItem().ShouldBe("3");

        // The model file stays on the platform under the default terms.
        using var modelFile = await client.GetAsync(ModelService.DownloadUrl(modelId), Ct);
        modelFile.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Detail(modelFile)).ShouldBe(ModelService.TrainingOnlyTermsReason);
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task ModelDownload_FollowsTheTerms_TrainingOnlyBuyerGetsALoadableZip_WhenTheListingAllowsIt(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var open = await app.SeedDatasetAsync(modelDownloadAllowed: true);
        var closed = await app.SeedDatasetAsync();
        var trainer = await app.SeedUserAsync("trainer");
        var downloader = await app.SeedUserAsync("downloader");
        await app.BuyAsync(open, trainer, DatasetAccessTypes.TrainingOnly);
        await app.BuyAsync(closed, downloader, DatasetAccessTypes.Download);
        var allowed = await app.SeedModelAsync(trainer, open.VersionId, "open terms");
        var bought = await app.SeedModelAsync(downloader, closed.VersionId);
        var own = await app.SeedModelAsync(closed.Seller, closed.VersionId);

        using var asTrainer = await app.ClientFor(trainer).GetAsync(ModelService.DownloadUrl(allowed), Ct);
        using var asDownloader = await app.ClientFor(downloader).GetAsync(ModelService.DownloadUrl(bought), Ct);
        using var asSeller = await app.ClientFor(closed.Seller).GetAsync(ModelService.DownloadUrl(own), Ct);

        asTrainer.StatusCode.ShouldBe(HttpStatusCode.OK);
        asTrainer.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        asTrainer.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        asTrainer.Content.Headers.ContentDisposition.FileName!.Trim('"').ShouldBe("open-terms-v1.zip");
        asDownloader.StatusCode.ShouldBe(HttpStatusCode.OK);
        asSeller.StatusCode.ShouldBe(HttpStatusCode.OK);

        var zip = Path.Combine(app.DataDirectory, $"downloaded-{Guid.NewGuid():N}.zip");
        await File.WriteAllBytesAsync(zip, await asTrainer.Content.ReadAsByteArrayAsync(Ct), Ct);
        var ml = new MLContext(seed: 1);
        var loaded = ml.Model.Load(zip, out var inputSchema);
        loaded.ShouldNotBeNull();
        inputSchema.Select(c => c.Name).ShouldBe(["x", "color", "member", "zone"], ignoreOrder: true);
        File.Delete(zip);

        var page = await app.ClientFor(trainer).GetStringAsync($"/models/{allowed}", Ct);
        page.ShouldContain("id=\"model-download\"");
        page.ShouldContain(ModelService.DownloadUrl(allowed));
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task AnotherUsersModel_IsNotFound_InEveryPageAndApi_ButAnAdminSeesIt(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var data = await app.SeedDatasetAsync(modelDownloadAllowed: true);
        var owner = await app.SeedUserAsync("owner");
        var stranger = await app.SeedUserAsync("stranger");
        var otherBuyer = await app.SeedUserAsync("other-buyer");
        await app.BuyAsync(data, owner, DatasetAccessTypes.TrainingOnly);
        await app.BuyAsync(data, otherBuyer, DatasetAccessTypes.Download);
        var modelId = await app.SeedModelAsync(owner, data.VersionId, "owners-model-" + Guid.NewGuid().ToString("N")[..6]);
        const string upload = "x,color,member,zone\n1,red,true,1\n";

        foreach (var intruder in new[] { stranger, otherBuyer, data.Seller })
        {
            using var client = app.ClientFor(intruder);
            using var page = await client.GetAsync($"/models/{modelId}", Ct);
            using var file = await client.GetAsync(ModelService.DownloadUrl(modelId), Ct);
            using var predictions = await client.PostAsync(ModelService.PredictionsUrl(modelId), new StringContent(upload, Encoding.UTF8, "text/csv"), Ct);
            var list = await client.GetStringAsync("/models", Ct);

            page.StatusCode.ShouldBe(HttpStatusCode.NotFound, "another user's model page");
            file.StatusCode.ShouldBe(HttpStatusCode.NotFound, "another user's model file");
            predictions.StatusCode.ShouldBe(HttpStatusCode.NotFound, "predicting with another user's model");
            (await predictions.Content.ReadAsStringAsync(Ct)).ShouldNotContain("predicted_label");
            list.ShouldNotContain(modelId.ToString());
            list.ShouldContain("id=\"models-empty\"");
        }

        var models = app.Services.GetRequiredService<ModelService>();
        await Should.ThrowAsync<ModelNotFoundException>(() => models.PredictAsync(stranger, false, modelId, new Dictionary<string, string?>(), Ct));
        (await models.GetAsync(stranger, false, modelId, Ct)).ShouldBeNull();
        (await models.GetAsync(Guid.NewGuid(), false, Guid.NewGuid(), Ct)).ShouldBeNull();

        var admin = await app.SeedUserAsync("admin");
        using var asAdmin = app.ClientFor(admin, roles: RoleNames.Admin);
        using var adminPage = await asAdmin.GetAsync($"/models/{modelId}", Ct);
        adminPage.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await models.ListAsync(admin, true, Ct)).ShouldContain(m => m.Id == modelId);
        (await asAdmin.GetStringAsync("/models", Ct)).ShouldContain($"/models/{modelId}");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task BatchPrediction_RefusesBadFiles_WithTheReason_AndLeavesNoFileBehind(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var data = await app.SeedDatasetAsync();
        var buyer = await app.SeedUserAsync("trainer");
        await app.BuyAsync(data, buyer, DatasetAccessTypes.TrainingOnly);
        var modelId = await app.SeedModelAsync(buyer, data.VersionId);
        using var client = app.ClientFor(buyer);
        var url = ModelService.PredictionsUrl(modelId);

        using var missing = await client.PostAsync(url, new StringContent("x,color\n1,red\n", Encoding.UTF8, "text/csv"), Ct);
        using var badValue = await client.PostAsync(url, new StringContent("x,color,member,zone\n1,red,true,1\nlots,red,true,1\n", Encoding.UTF8, "text/csv"), Ct);
        var big = new StringBuilder("x,color,member,zone\n");
        while (big.Length <= ModelsWebFactory.MaxBatchBytes)
        {
            big.Append("1.5,red,true,1\n");
        }

        using var tooLarge = await client.PostAsync(url, new StringContent(big.ToString(), Encoding.UTF8, "text/csv"), Ct);
        using var chunkedTooLarge = await client.PostAsync(url, new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(big.ToString()))), Ct);
        using var noToken = await app.ClientFor(buyer, antiforgery: false).PostAsync(url, new StringContent("x,color,member,zone\n1,red,true,1\n", Encoding.UTF8, "text/csv"), Ct);
        using var anonymous = await app.ClientFor(null).PostAsync(url, new StringContent("x\n1\n", Encoding.UTF8, "text/csv"), Ct);

        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Detail(missing)).ShouldBe("The file has no column 'member', 'zone'; the model needs: x, color, member, zone.");
        badValue.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Detail(badValue)).ShouldContain("Line 3");
        (await Detail(badValue)).ShouldContain("'x'");
        tooLarge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await Detail(tooLarge)).ShouldContain("batch limit");
        chunkedTooLarge.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        noToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Detail(noToken)).ShouldContain("antiforgery");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var leftovers = Directory.Exists(app.BatchTempPath) ? Directory.GetFiles(app.BatchTempPath) : [];
        leftovers.ShouldBeEmpty("batch results are deleted when sent or refused");
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task RefundedBuyer_CanNoLongerUseOrDownloadTheirModel(DbProvider provider)
    {
        var app = await factories.GetAsync(provider, cluster);
        var data = await app.SeedDatasetAsync(modelDownloadAllowed: true);
        var buyer = await app.SeedUserAsync("refunded");
        await app.BuyAsync(data, buyer, DatasetAccessTypes.TrainingOnly);
        var modelId = await app.SeedModelAsync(buyer, data.VersionId);
        await using (var db = await app.ContextAsync(Ct))
        {
            var purchase = await db.Purchases.SingleAsync(p => p.BuyerId == buyer, Ct);
            purchase.MarkRefunded(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(Ct);
        }

        using var client = app.ClientFor(buyer);
        using var predictions = await client.PostAsync(ModelService.PredictionsUrl(modelId), new StringContent("x,color,member,zone\n1,red,true,1\n", Encoding.UTF8, "text/csv"), Ct);
        using var file = await client.GetAsync(ModelService.DownloadUrl(modelId), Ct);
        var page = await client.GetStringAsync($"/models/{modelId}", Ct);

        predictions.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Detail(predictions)).ShouldContain("access to the data this model learned from has ended");
        file.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        page.ShouldContain("id=\"model-unusable\"");
        page.ShouldNotContain("id=\"predict-form\"");
        await Should.ThrowAsync<ModelAccessException>(() => app.Services.GetRequiredService<ModelService>()
            .PredictAsync(buyer, false, modelId, new Dictionary<string, string?> { ["x"] = "1" }, Ct));
    }

    private static IEnumerable<int> Markers(string html) =>
        MarkerPattern().Matches(html).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"row-secret-(\d+)")]
    private static partial Regex MarkerPattern();

    private static async Task<string> Detail(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("detail").GetString() ?? string.Empty;
    }

    /// <summary>A body without a Content-Length (sent chunked), so the server must count while reading.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
