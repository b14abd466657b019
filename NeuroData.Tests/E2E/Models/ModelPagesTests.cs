using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Training.Runs;
using NeuroData.Tests.E2E.Infrastructure;
using NeuroData.Tests.Integration.Models;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E.Models;

/// <summary>
/// The model pages in Chromium at desktop and phone width: the list, the lineage, a prediction from the generated form
/// with its probability bars, and a batch prediction from an uploaded CSV down to the download link. Screenshots go to
/// TestResults/screenshots.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class ModelPagesTests(AppServerFixture app, BrowserFixture browser)
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ModelPage_Predicts_AndRunsABatch_OnDesktopAndPhone()
    {
        var modelId = await SeedAdminModelAsync();
        string state;
        await using (var signIn = await browser.NewSessionAsync(app, Viewport.Desktop))
        {
            await AccountPages.SignInAsync(signIn.Page, AppServerFixture.AdminEmail, AppServerFixture.AdminPassword);
            state = await signIn.Context.StorageStateAsync();
        }

        foreach (var viewport in Viewport.All)
        {
            await using var session = await browser.NewSessionAsync(app, viewport, state);
            var page = session.Page;

            (await PageChecks.GotoAsync(page, "/models")).Status.ShouldBe(200);
            await PageChecks.WaitForBlazorAsync(page);
            await Expect(page.Locator("#models-table")).ToBeVisibleAsync();
            await Expect(page.Locator($"a[href='/models/{modelId}']").First).ToBeVisibleAsync();
            await session.ScreenshotAsync("models-list");
            await CheckNoSidewaysScrollAsync(page, viewport, "/models");

            (await PageChecks.GotoAsync(page, $"/models/{modelId}")).Status.ShouldBe(200);
            await PageChecks.WaitForBlazorAsync(page);
            await Expect(page.Locator("#model-lineage")).ToContainTextAsync("lightgbm");
            await Expect(page.Locator("#model-download")).ToBeVisibleAsync();
            await Expect(page.Locator(".nd-predict-field[data-column=member] input[type=checkbox]")).ToHaveCountAsync(1);

            await page.Locator(".nd-predict-field[data-column=x] input").FillAsync("1.8");
            await page.Locator(".nd-predict-field[data-column=x] input").BlurAsync();
            await page.Locator("#predict-submit").ClickAsync();
            await Expect(page.Locator("#predict-label")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(yes|no)$"));
            await Expect(page.Locator("#predict-probabilities .nd-bar-row")).ToHaveCountAsync(2);

            await page.Locator("#batch-upload").SetInputFilesAsync(new FilePayload
            {
                Name = "rows.csv",
                MimeType = "text/csv",
                Buffer = Encoding.UTF8.GetBytes("x,color,member,zone\n1.9,red,true,1\n-1.8,blue,false,3\n"),
            });
            await page.Locator("#batch-submit").ClickAsync();
            await Expect(page.Locator("#batch-download")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(page.Locator("#batch-rows")).ToContainTextAsync("2 rows");
            await session.ScreenshotAsync("model-page");
            await CheckNoSidewaysScrollAsync(page, viewport, $"/models/{modelId}");

            session.Errors.ShouldBeEmpty($"console errors on the model pages at {viewport.Name} width");
        }
    }

    private static async Task CheckNoSidewaysScrollAsync(IPage page, Viewport viewport, string path)
    {
        if (!viewport.IsMobile)
        {
            return;
        }

        var overflow = await PageChecks.HorizontalOverflowAsync(page);
        if (overflow > 1)
        {
            var culprits = await PageChecks.OverflowingElementsAsync(page);
            Assert.Fail($"{path} scrolls sideways by {overflow}px at {viewport.Width}px width; elements past the right edge: {string.Join(", ", culprits)}");
        }
    }

    /// <summary>A draft dataset of the admin (with the generated table's schema) and a real model trained on that table.</summary>
    private async Task<Guid> SeedAdminModelAsync()
    {
        var trained = await ModelData.TrainedAsync();
        await using var db = Context();
        var adminEmail = AppServerFixture.AdminEmail.ToUpperInvariant();
        var adminId = await db.Users.Where(u => u.NormalizedEmail == adminEmail).Select(u => u.Id).SingleAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        var dataset = new Dataset(adminId, "Model page outcomes", "model-page-" + Guid.NewGuid().ToString("N")[..10], "Rows.", "CC-BY-4.0", null,
            TokenAmount.FromTokens(5), TimeSpan.FromDays(3), DatasetAccessTypes.TrainingOnly, now);
        var cid = Cid.Parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
        var version = dataset.AddVersion(cid, 10, DatasetFormat.Csv, new string('a', 64), [1, 2, 3], now);
        version.AttachStorage(cid, null, null);
        version.MarkReady(JsonSerializer.Serialize(ModelData.Schema, WebJson), null, ModelData.Rows);
        db.Datasets.Add(dataset);
        await db.SaveChangesAsync(Ct);

        var store = new ModelStore(Path.Combine(app.DataDirectory, "models"));
        var copy = Path.Combine(app.DataDirectory, $"incoming-{Guid.NewGuid():N}.zip");
        File.Copy(trained.ModelPath!, copy);
        var relative = store.Import(adminId, Guid.CreateVersion7(), copy);
        var run = new TrainingRun(adminId, version.Id, TrainingTask.BinaryClassification, "lightgbm", "y", ModelData.Features.Select(f => f.Name), "{}", now);
        run.Start(now);
        run.Succeed(trained.MetricsJson, now);
        var model = new TrainedModel(run, "Outcome model", 1, relative, new FileInfo(store.FullPath(relative)).Length, null, null, now);
        db.TrainingRuns.Add(run);
        db.TrainedModels.Add(model);
        await db.SaveChangesAsync(Ct);
        return model.Id;
    }

    private NeuroDataDbContext Context() =>
        new NeuroDataDbContextFactory(
            new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(app.DataDirectory, "neurodata.db")};Foreign Keys=True"),
            TimeProvider.System).CreateDbContext();
}
