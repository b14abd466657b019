using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Web;

namespace NeuroData.Tests.Integration.Payouts;

/// <summary>
/// Who may open /payouts, /admin/jobs and /admin/fees, through the real app pipeline (prerendered HTML): sign-in
/// required, admin pages for admins only, and a seller's payout page shows that seller's rows only.
/// </summary>
public sealed class PayoutPagesAccessTests(SignedInWebFactory factory) : IClassFixture<SignedInWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/payouts")]
    [InlineData("/admin/jobs")]
    [InlineData("/admin/fees")]
    public async Task Pages_require_sign_in(string path)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/admin/jobs", "")]
    [InlineData("/admin/fees", "")]
    [InlineData("/admin/jobs", RoleNames.Moderator)]
    [InlineData("/admin/fees", RoleNames.Moderator)]
    [InlineData("/admin/fees", RoleNames.Arbitrator)]
    public async Task Admin_pages_are_forbidden_to_everyone_but_admins(string path, string role)
    {
        var user = await SeedUserAsync("nosy");

        using var response = await SendAsUserAsync(path, user, role.Length == 0 ? [] : [role]);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_admin_sees_the_jobs_with_the_auto_release_job_and_the_fee_page()
    {
        var admin = await SeedUserAsync("admin");

        using var jobs = await SendAsUserAsync("/admin/jobs", admin, [RoleNames.Admin]);
        jobs.StatusCode.ShouldBe(HttpStatusCode.OK);
        var jobsHtml = await jobs.Content.ReadAsStringAsync(Ct);
        jobsHtml.ShouldContain("id=\"jobs-table\"");
        jobsHtml.ShouldContain("commerce.auto-release");
        jobsHtml.ShouldContain("every 1 min");
        jobsHtml.ShouldContain("id=\"run-now-commerce-auto-release\"");

        using var fees = await SendAsUserAsync("/admin/fees", admin, [RoleNames.Admin]);
        fees.StatusCode.ShouldBe(HttpStatusCode.OK);
        var feesHtml = await fees.Content.ReadAsStringAsync(Ct);
        feesHtml.ShouldContain("id=\"fee-income\"");
        feesHtml.ShouldContain("0 NCR");
        feesHtml.ShouldContain("id=\"chain-parameters-error\"", Case.Sensitive, "the test host's chain node is unreachable, and the page says so");
    }

    [Fact]
    public async Task A_seller_sees_only_their_own_payouts()
    {
        var alice = await SeedUserAsync("alice");
        var bob = await SeedUserAsync("bob");
        var chainId = factory.Services.GetRequiredService<ChainSettings>().ChainId;
        await using (var db = await ContextAsync())
        {
            var at = DateTimeOffset.UtcNow;
            db.Payouts.Add(new Payout(alice, null, EthAddress.Parse("0x" + new string('a', 40)), TokenAmount.ParseTokens("12.5"), chainId, Hash(), at));
            db.Payouts.Add(new Payout(bob, null, EthAddress.Parse("0x" + new string('b', 40)), TokenAmount.ParseTokens("77.7"), chainId, Hash(), at));
            await db.SaveChangesAsync(Ct);
        }

        using var response = await SendAsUserAsync("/payouts", alice, []);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("id=\"payouts-table\"");
        html.ShouldContain("12.5 NCR");
        html.ShouldNotContain("77.7 NCR");
    }

    private async Task<HttpResponseMessage> SendAsUserAsync(string path, Guid userId, string[] roles)
    {
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(TestAuthHandler.Header, TestAuthHandler.HeaderValue(userId, $"{userId:N}@example.test", roles));
        return await client.SendAsync(request, Ct);
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

    private static TxHash Hash() => TxHash.Parse("0x" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));
}
