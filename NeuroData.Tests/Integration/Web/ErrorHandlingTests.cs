using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace NeuroData.Tests.Integration.Web;

/// <summary>The app plus a path that fails (<c>/boom</c>, <c>/api/boom</c>) behind the real error handling.</summary>
public sealed class FailingPathWebFactory : NeuroDataWebFactory
{
    public const string Secret = "internal detail 7f3a";

    protected override void ConfigureMore(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, FailingPathFilter>());

    /// <summary>Runs after the app's own pipeline: only paths no endpoint handles reach it.</summary>
    private sealed class FailingPathFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path.Value?.EndsWith("/boom", StringComparison.Ordinal) == true)
                {
                    throw new InvalidOperationException(Secret);
                }

                await nextMiddleware(context);
            });
        };
    }
}

public sealed class ErrorHandlingTests(FailingPathWebFactory factory) : IClassFixture<FailingPathWebFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFailingPage_ShowsTheFriendlyErrorPage_WithARequestId_AndNoDetails()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/boom", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("Something went wrong");
        html.ShouldMatch("id=\"request-id\">[^<]+<");
        html.ShouldNotContain(FailingPathWebFactory.Secret);
        response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem().ShouldContain("frame-ancestors 'none'");
    }

    [Fact]
    public async Task AFailingApiCall_IsAProblemDetails500_WithoutTheExceptionMessage()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/v1/boom", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var body = await response.Content.ReadAsStringAsync(Ct);
        body.ShouldNotContain(FailingPathWebFactory.Secret);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetInt32().ShouldBe(500);
        response.Headers.GetValues("X-Content-Type-Options").ShouldHaveSingleItem().ShouldBe("nosniff");
    }
}
