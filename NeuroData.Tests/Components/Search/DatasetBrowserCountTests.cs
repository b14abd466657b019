using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Queries;
using NeuroData.Infrastructure.Search;
using NeuroData.Tests.Integration.Search;
using NeuroData.Web.Components.Pages.Datasets.Page;

namespace NeuroData.Tests.Components.Search;

/// <summary>The result count and pager of the marketplace, category and tag pages with a capped count (bUnit, real SQLite).</summary>
public sealed class DatasetBrowserCountTests : BunitContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"nd-browser-count-{Guid.NewGuid():N}.db");
    private NeuroDataDbContextFactory _factory = null!;

    public DatasetBrowserCountTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private async Task SetupAsync()
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = _path, ForeignKeys = true }.ConnectionString);
        _factory = new NeuroDataDbContextFactory(settings);
        await new DatabaseMigrator(_factory, settings, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(Xunit.TestContext.Current.CancellationToken);
        Services.AddSingleton(new MarketplaceQueries(_factory, new SearchOptions { CountCap = 5, CacheSeconds = 0 }));
    }

    private void DeleteDatabase()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task MoreThanTheCap_Says5Plus_AndPagesThroughTheFirstFive()
    {
        await SetupAsync();
        try
        {
            var slug = await SeedCategoryAsync(7);

            var cut = Render<DatasetBrowser>(p => p.Add(x => x.FixedCategorySlug, slug).Add(x => x.PageSize, 2));

            cut.WaitForAssertion(() => cut.Find("#market-count").TextContent.Trim().ShouldBe("5+ datasets"));
            cut.FindAll("#market-results .mud-grid-item").Count.ShouldBe(2);
            cut.FindAll("#market-pager .mud-pagination-item").Count(li => int.TryParse(li.TextContent.Trim(), out _)).ShouldBe(3);
        }
        finally
        {
            DeleteDatabase();
        }
    }

    [Fact]
    public async Task AtMostTheCap_ShowsTheExactCount()
    {
        await SetupAsync();
        try
        {
            var five = await SeedCategoryAsync(5);
            var one = await SeedCategoryAsync(1);

            var cut = Render<DatasetBrowser>(p => p.Add(x => x.FixedCategorySlug, five).Add(x => x.PageSize, 2));
            cut.WaitForAssertion(() => cut.Find("#market-count").TextContent.Trim().ShouldBe("5 datasets"));

            var single = Render<DatasetBrowser>(p => p.Add(x => x.FixedCategorySlug, one));
            single.WaitForAssertion(() => single.Find("#market-count").TextContent.Trim().ShouldBe("1 dataset"));
            single.FindAll("#market-pager").ShouldBeEmpty();
        }
        finally
        {
            DeleteDatabase();
        }
    }

    private async Task<string> SeedCategoryAsync(int datasets)
    {
        await using var db = _factory.CreateDbContext();
        var ids = new[] { Guid.CreateVersion7(), Guid.CreateVersion7() };
        foreach (var id in ids)
        {
            var name = $"browser-{id:N}@example.test";
            db.Users.Add(new ApplicationUser
            {
                Id = id,
                UserName = name,
                NormalizedUserName = name.ToUpperInvariant(),
                Email = name,
                NormalizedEmail = name.ToUpperInvariant(),
                SecurityStamp = Guid.NewGuid().ToString("N"),
                CreatedAt = Now,
            });
        }

        var category = new Category("Browser count", $"browser-{Guid.NewGuid():N}", null, null);
        db.Categories.Add(category);
        for (var i = 0; i < datasets; i++)
        {
            db.Datasets.Add(SearchTestData.Live(ids[0], ids[1], category.Id, $"Set {i}", "x", Now.AddMinutes(-i)));
        }

        await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        return category.Slug;
    }
}
