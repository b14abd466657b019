using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Web.Components.Layout;

namespace NeuroData.Tests.Components.Layout;

public sealed class RedirectToLoginTests : BunitContext
{
    [Theory]
    [InlineData("dashboard", "/Account/Login?ReturnUrl=%2Fdashboard")]
    [InlineData("training?page=2", "/Account/Login?ReturnUrl=%2Ftraining%3Fpage%3D2")]
    public void SendsTheVisitorToSignIn_AndBackToWhereTheyWere(string from, string expected)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(from);

        Render<RedirectToLogin>();

        new Uri(navigation.Uri).PathAndQuery.ShouldBe(expected);
    }
}
