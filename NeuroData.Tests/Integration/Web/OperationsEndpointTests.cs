using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Web;

/// <summary>Health endpoints, security headers, problem details and the friendly 404, through the real pipeline.</summary>
public sealed class OperationsEndpointTests(NeuroDataWebFactory factory) : IClassFixture<NeuroDataWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Live_IsAlways200()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await StatusOf(response)).ShouldBe("Healthy");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task Ready_ChecksTheDatabase()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        json.RootElement.GetProperty("status").GetString().ShouldBe("Healthy");
        json.RootElement.GetProperty("checks").GetProperty("database").GetString().ShouldBe("Healthy");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/marketplace")]
    [InlineData("/health/live")]
    [InlineData("/no-such-page")]
    [InlineData("/api/v1/no-such-endpoint")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");
        Header(response, "X-Frame-Options").ShouldBe("DENY");
        Header(response, "Referrer-Policy").ShouldBe("strict-origin-when-cross-origin");
        Header(response, "Permissions-Policy").ShouldContain("camera=()");
        var csp = Header(response, "Content-Security-Policy").Split(';', StringSplitOptions.TrimEntries);
        csp.ShouldContain("script-src 'self'");
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldContain("connect-src 'self' ws: wss:");
        csp.ShouldContain("object-src 'none'");
        csp.ShouldNotContain(d => d.StartsWith("script-src", StringComparison.Ordinal) && (d.Contains("unsafe-inline", StringComparison.Ordinal) || d.Contains("unsafe-eval", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task UnknownApiPath_IsAProblemDetails404()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/v1/no-such-endpoint", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        json.RootElement.GetProperty("status").GetInt32().ShouldBe(404);
        json.RootElement.GetProperty("title").GetString().ShouldBe("Not Found");
    }

    [Fact]
    public async Task UnknownPage_IsAFriendly404Page()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/no-such-page", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("Page not found");
        html.ShouldContain("href=\"/marketplace\"");
    }

    [Fact]
    public async Task EmptyMarketplace_SaysSoHonestly()
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync(new Uri("/marketplace", UriKind.Relative), Ct);

        html.ShouldContain("No datasets are listed yet.");
    }

    [Fact]
    public async Task HomePage_RendersTheShell()
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative), Ct);

        html.ShouldContain("id=\"theme-toggle\"");
        html.ShouldContain("href=\"/Account/Login\"");
        html.ShouldContain("Browse the marketplace");
    }

    [Fact]
    public async Task ThemeCookie_RendersTheDarkThemeOnTheServer()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", "nd-theme=dark");

        using var response = await client.SendAsync(request, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        html.ShouldContain("Switch to light theme");
    }

    [Fact]
    public async Task DataProtectionKeys_AreKeptInTheDatabase()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri("/marketplace", UriKind.Relative), Ct); // issues an antiforgery cookie

        response.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        var keys = await db.DataProtectionKeys.ToListAsync(Ct);
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(k => k.Xml != null && k.Xml.Contains("<key ", StringComparison.Ordinal));
    }

    private static async Task<string?> StatusOf(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.GetProperty("status").GetString();
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : throw new ShouldAssertException($"The response to {response.RequestMessage?.RequestUri} has no {name} header.");
}

/// <summary>When the database goes away while the app runs, the app stays alive but is no longer ready.</summary>
public sealed class DatabaseDownEndpointTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Ready_Turns503_WhenTheDatabaseDisappears_WhileLive_Stays200()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await cluster.CreateDatabaseAsync("nd_web");
        await using var factory = new PostgresWebFactory(connectionString);
        await factory.InitializeAsync();
        using var client = factory.CreateClient();
        using (var before = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), ct))
        {
            before.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await cluster.DropDatabaseAsync(connectionString);

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), ct);
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var body = await ready.Content.ReadAsStringAsync(ct);
        body.ShouldContain("\"database\":\"Unhealthy\"");
        body.ShouldNotContain("does not exist");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
