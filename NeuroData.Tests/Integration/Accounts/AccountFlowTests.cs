using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Accounts;

/// <summary>
/// The account flow over real HTTP through the app's pipeline (antiforgery, cookies, static SSR forms) on a SQLite
/// file: register, read the mail from the pickup folder, confirm, sign in, sign out.
/// </summary>
public sealed partial class AccountFlowTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "nd-flow-" + Guid.NewGuid().ToString("N")[..12]);
    private WebApplicationFactory<Program> _factory = null!;

    public ValueTask InitializeAsync()
    {
        _factory = Create("Development");
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Register_Confirm_SignIn_SignOut_OverHttp()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var email = $"flow-{Guid.NewGuid():N}"[..16] + "@example.com";
        const string password = "amber-canyon-whistle-5";

        var registered = await PostFormAsync(client, "/Account/Register", "register", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
        registered.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        registered.Headers.Location!.ToString().ShouldContain("/Account/RegisterConfirmation");
        (await client.GetStringAsync(registered.Headers.Location, ct)).ShouldContain("Check your email");

        // Unconfirmed: the right password gets the "confirm first" message, not a session.
        var early = await PostFormAsync(client, "/Account/Login", "login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        early.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await early.Content.ReadAsStringAsync(ct)).ShouldContain("Confirm your email address before signing in");

        var mailbox = await client.GetStringAsync("/dev/mailbox", ct);
        var mailId = MailItem().Match(mailbox).Groups[1].Value;
        var mail = await client.GetStringAsync($"/dev/mailbox/{mailId}", ct);
        var link = WebUtility.HtmlDecode(ConfirmLink().Match(mail).Groups[1].Value);
        link.ShouldContain("/Account/ConfirmEmail?userId=");

        (await client.GetStringAsync(link + "x", ct)).ShouldContain("This confirmation link is invalid or has expired.");
        (await client.GetStringAsync(link, ct)).ShouldContain("Thank you for confirming your email.");

        var wrong = await PostFormAsync(client, "/Account/Login", "login", new() { ["Input.Email"] = email, ["Input.Password"] = "not-the-password-1" });
        (await wrong.Content.ReadAsStringAsync(ct)).ShouldContain("Invalid email or password.");

        var signedIn = await PostFormAsync(client, "/Account/Login?returnUrl=%2FAccount%2FManage", "login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.ToString().ShouldEndWith("/Account/Manage");
        var manage = await client.GetAsync("/Account/Manage", ct);
        manage.StatusCode.ShouldBe(HttpStatusCode.OK);
        var manageHtml = await manage.Content.ReadAsStringAsync(ct);
        manageHtml.ShouldContain(email);
        manageHtml.ShouldContain("Recent security activity");
        manageHtml.ShouldContain("Failed sign-in");

        var logoutToken = LogoutToken().Match(manageHtml).Groups[1].Value;
        using var logout = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(logoutToken),
            ["ReturnUrl"] = "/",
        }), ct);
        logout.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var afterLogout = await client.GetAsync("/Account/Manage", ct);
        afterLogout.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        afterLogout.Headers.Location!.ToString().ShouldContain("/Account/Login");

        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NeuroDataDbContext>();
        var user = await db.Users.SingleAsync(u => u.Email == email, ct);
        var kinds = await db.UserActivities.Where(a => a.UserId == user.Id).OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync(ct);
        kinds.ShouldBe([UserActivityKind.Registered, UserActivityKind.SignInFailed, UserActivityKind.EmailConfirmed,
            UserActivityKind.SignInFailed, UserActivityKind.SignedIn, UserActivityKind.SignedOut]);
    }

    [Fact]
    public async Task Logout_WithoutAnAntiforgeryToken_IsRejected()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["ReturnUrl"] = "/" }),
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DevMailbox_OutsideDevelopment_IsNotFound()
    {
        await using var production = Create("Production");
        await production.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken); // production databases are migrated by the operator
        using var client = production.CreateClient();
        (await client.GetAsync("/dev/mailbox", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AccountPosts_BeyondThePerIpLimit_Get429()
    {
        await using var limited = Create("Development", postsPerMinute: 2);
        using var client = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var fields = new Dictionary<string, string> { ["Input.Email"] = "nobody@example.com", ["Input.Password"] = "whatever-it-is-1" };

        (await PostFormAsync(client, "/Account/Login", "login", new(fields))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PostFormAsync(client, "/Account/Login", "login", new(fields))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var third = await PostFormAsync(client, "/Account/Login", "login", new(fields));

        third.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await third.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Too many attempts");
    }

    private WebApplicationFactory<Program> Create(string environment, int? postsPerMinute = null) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            if (postsPerMinute is { } limit)
            {
                b.UseSetting(NeuroData.Web.Accounts.AccountsSetup.RateLimitKey, limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            b.UseEnvironment(environment);
            b.UseOfflineChain();
            b.UseSetting("NeuroData:DataDirectory", Path.Combine(_dataDir, environment));
            b.UseSetting("ConnectionStrings:Postgres", string.Empty);
        });

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string handler, Dictionary<string, string> fields)
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await client.GetStringAsync(url, ct);
        var form = page.Split("<form").Single(f => f.Contains($"name=\"_handler\" value=\"{handler}\"", StringComparison.Ordinal));
        var token = WebUtility.HtmlDecode(FormToken().Match(form).Groups[1].Value);
        token.ShouldNotBeNullOrEmpty();
        fields["__RequestVerificationToken"] = token;
        fields["_handler"] = handler;
        return await client.PostAsync(url, new FormUrlEncodedContent(fields), ct);
    }

    [GeneratedRegex("""name="__RequestVerificationToken" value="([^"]+)""")]
    private static partial Regex FormToken();

    [GeneratedRegex("""<a class="mail-item" href="/dev/mailbox/([^"]+)""")]
    private static partial Regex MailItem();

    [GeneratedRegex("""<a class="mail-link" href="([^"]+)">Confirm your email</a>""")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex("""action="Account/Logout"[^>]*><input type="hidden" name="__RequestVerificationToken" value="([^"]+)""")]
    private static partial Regex LogoutToken();
}
