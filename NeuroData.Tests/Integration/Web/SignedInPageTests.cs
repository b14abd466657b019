using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Tests.Integration.Web;

/// <summary>The app with a test authentication scheme (see <see cref="TestAuthHandler"/>) in front of it.</summary>
public sealed class SignedInWebFactory : NeuroDataWebFactory
{
    protected override void ConfigureMore(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
        {
            services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, _ => { });
            services.PostConfigure<AuthenticationOptions>(o =>
            {
                o.DefaultScheme = TestAuthHandler.SchemeName;
                o.DefaultAuthenticateScheme = TestAuthHandler.SchemeName;
                o.DefaultChallengeScheme = TestAuthHandler.SchemeName;
                o.DefaultForbidScheme = TestAuthHandler.SchemeName;
            });
        });
}

/// <summary>Member pages render the signed-in user's own data on the server (prerendered HTML).</summary>
public sealed class SignedInPageTests(SignedInWebFactory factory) : IClassFixture<SignedInWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/training")]
    public async Task MemberPages_RequireSignIn(string path)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Dashboard_ShowsTheUsersOwnCounts_AndActivity()
    {
        var user = await SeedUserAsync("dash");
        var stranger = await SeedUserAsync("stranger");
        await using (var db = await ContextAsync())
        {
            var now = DateTimeOffset.UtcNow;
            db.Datasets.Add(NewDataset(user, now));
            db.Datasets.Add(NewDataset(user, now));
            db.Datasets.Add(NewDataset(stranger, now));
            db.UserActivities.Add(new UserActivity(user, UserActivityKind.SignedIn, now, "203.0.113.9", "ua", null));
            db.UserActivities.Add(new UserActivity(stranger, UserActivityKind.PasswordChanged, now, null, null, null));
            await db.SaveChangesAsync(Ct);
        }

        var html = await GetAsUserAsync("/dashboard", user, "dash@example.test");

        html.ShouldContain("id=\"page-title\"");
        html.ShouldMatch("<h4[^>]*id=\"page-title\"[^>]*>Dashboard</h4>|<[^>]*id=\"page-title\"[^>]*>Dashboard<");
        StatValue(html, "stat-datasets").ShouldBe("2");
        StatValue(html, "stat-purchases").ShouldBe("0");
        StatValue(html, "stat-training").ShouldBe("0");
        html.ShouldContain("Signed in");
        html.ShouldContain("203.0.113.9");
        html.ShouldNotContain("Password changed");
        html.ShouldContain("dash@example.test");
    }

    [Fact]
    public async Task Training_WithoutRuns_ExplainsHowTrainingWorks()
    {
        var user = await SeedUserAsync("train");

        var html = await GetAsUserAsync("/training", user, "train@example.test");

        html.ShouldContain("You have not trained a model yet.");
        html.ShouldContain("How training works");
    }

    [Theory]
    [InlineData(RoleNames.Admin, true)]
    [InlineData(RoleNames.Moderator, true)]
    [InlineData(RoleNames.Arbitrator, false)]
    public async Task AdminLink_FollowsTheRole(string role, bool shown)
    {
        var user = await SeedUserAsync("staff");

        var html = await GetAsUserAsync("/", user, "staff@example.test", role);

        html.Contains("id=\"nav-admin-users\"", StringComparison.Ordinal).ShouldBe(shown);
        html.ShouldContain("id=\"logout-submit\"");
        html.ShouldContain("name=\"__RequestVerificationToken\"");
    }

    private async Task<string> GetAsUserAsync(string path, Guid userId, string email, params string[] roles)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(TestAuthHandler.Header, TestAuthHandler.HeaderValue(userId, email, roles));
        using var response = await client.SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private static string StatValue(string html, string id)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"id=\"{id}\".*?class=\"[^\"]*stat-value[^\"]*\"[^>]*>([^<]*)<", System.Text.RegularExpressions.RegexOptions.Singleline);
        match.Success.ShouldBeTrue($"stat card {id} not found");
        return match.Groups[1].Value.Trim();
    }

    private async Task<NeuroDataDbContext> ContextAsync() =>
        await factory.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);

    private async Task<Guid> SeedUserAsync(string name)
    {
        var id = Guid.CreateVersion7();
        var userName = $"{name}-{id:N}@example.test";
        await using var db = await ContextAsync();
        db.Users.Add(new ApplicationUser
        {
            Id = id,
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            Email = userName,
            NormalizedEmail = userName.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(Ct);
        return id;
    }

    private static Dataset NewDataset(Guid seller, DateTimeOffset now) =>
        new(seller, "Dashboard data", "dash-" + Guid.NewGuid().ToString("N")[..12], "Rows.", "MIT", null, TokenAmount.FromTokens(3),
            TimeSpan.FromDays(3), DatasetAccessTypes.Download, now);
}
