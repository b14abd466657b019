using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Web;
using NeuroData.Web.Wallet;

namespace NeuroData.Tests.Integration.Wallet;

/// <summary>The app in memory with its dev chain on a free port (nothing here needs the chain to be up).</summary>
public sealed class WalletWebFactory : NeuroDataWebFactory
{
    protected override void ConfigureMore(IWebHostBuilder builder)
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        builder.UseSetting("NeuroData:Chain:DevPort", ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>POST /Account/SiweLogin over HTTP: antiforgery, and a refusal that goes back to the login page with its reason.</summary>
public sealed partial class SiweEndpointTests(WalletWebFactory factory) : IClassFixture<WalletWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_malformed_message_goes_back_to_the_login_page_with_the_reason_and_creates_nothing()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = await AntiforgeryTokenAsync(client);
        var usersBefore = await UserCountAsync();

        using var response = await client.PostAsync(SiweEndpoints.SiweLoginPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["message"] = "example.com wants you to sign in with your Ethereum account:\r\nnot an address",
            ["signature"] = "0x00",
            ["__RequestVerificationToken"] = token,
        }), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe(SiweEndpoints.LoginPage);
        var status = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SiweEndpoints.StatusCookieName, StringComparison.Ordinal));
        Uri.UnescapeDataString(status).ShouldContain("Error: The sign-in message is malformed");
        (await UserCountAsync()).ShouldBe(usersBefore);
        response.Headers.GetValues("Set-Cookie").ShouldNotContain(c => c.StartsWith("NeuroData.Auth", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("forged-token")]
    public async Task A_post_without_a_valid_antiforgery_token_goes_back_with_a_clear_message_and_signs_nobody_in(string? token)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await AntiforgeryTokenAsync(client); // the antiforgery cookie is there; only the form token is missing or wrong
        var usersBefore = await UserCountAsync();
        var fields = new Dictionary<string, string> { ["message"] = "anything", ["signature"] = "0x00" };
        if (token is not null)
        {
            fields["__RequestVerificationToken"] = token;
        }

        using var response = await client.PostAsync(SiweEndpoints.SiweLoginPath, new FormUrlEncodedContent(fields), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe(SiweEndpoints.LoginPage);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Uri.UnescapeDataString(cookies.Single(c => c.StartsWith(SiweEndpoints.StatusCookieName, StringComparison.Ordinal)))
            .ShouldContain("This page expired");
        cookies.ShouldNotContain(c => c.StartsWith("NeuroData.Auth", StringComparison.Ordinal));
        (await UserCountAsync()).ShouldBe(usersBefore);
    }

    [Fact]
    public async Task A_post_that_is_not_a_form_is_refused_with_a_message()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var content = new StringContent("{\"message\":\"x\"}", System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(SiweEndpoints.SiweLoginPath, content, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Uri.UnescapeDataString(response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SiweEndpoints.StatusCookieName, StringComparison.Ordinal)))
            .ShouldContain("not a form post");
    }

    [Fact]
    public async Task The_login_page_offers_the_wallet_sign_in_island_with_its_form()
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync("/Account/Login", Ct);

        html.ShouldContain("id=\"wallet-signin\"");
        html.ShouldContain($"action=\"{SiweEndpoints.SiweLoginPath}\"");
    }

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/Account/Login", Ct);
        var match = TokenInput().Match(html);
        match.Success.ShouldBeTrue("the login page has no antiforgery token");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private async Task<int> UserCountAsync()
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContextAsync(Ct);
        return await db.Users.CountAsync(Ct);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
