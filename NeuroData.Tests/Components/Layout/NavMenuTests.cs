using Bunit;
using MudBlazor.Services;
using NeuroData.Domain.Users;
using NeuroData.Web.Components.Layout;

namespace NeuroData.Tests.Components.Layout;

public sealed class NavMenuTests : BunitContext
{
    public NavMenuTests()
    {
        Services.AddMudServices();
    }

    [Fact]
    public void SignedOut_SeesPublicLinks_AndSignInRegister_ButNoMemberOrAdminLinks()
    {
        AddAuthorization();

        var cut = Render<NavMenu>();

        cut.Find("#nav-marketplace").GetAttribute("href").ShouldBe("/marketplace");
        cut.Find("#nav-staking").GetAttribute("href").ShouldBe("/staking");
        cut.Find("#nav-login").GetAttribute("href").ShouldBe("/Account/Login");
        cut.Find("#nav-register").GetAttribute("href").ShouldBe("/Account/Register");
        cut.FindAll("#nav-dashboard").ShouldBeEmpty();
        cut.FindAll("#nav-training").ShouldBeEmpty();
        cut.FindAll("#nav-admin-users").ShouldBeEmpty();
        cut.FindAll("#logout-submit").ShouldBeEmpty();
    }

    [Fact]
    public void SignedIn_SeesDashboardTraining_Email_Manage_AndALogoutForm()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("ada@example.test");
        auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Email, "ada@example.test"));

        var cut = Render<NavMenu>();

        cut.Find("#nav-dashboard").GetAttribute("href").ShouldBe("/dashboard");
        cut.Find("#nav-training").GetAttribute("href").ShouldBe("/training");
        cut.Find("#account-email").TextContent.ShouldBe("ada@example.test");
        cut.Find("#nav-manage").GetAttribute("href").ShouldBe("/Account/Manage");
        var form = cut.Find("#logout-submit").Closest("form")!;
        form.GetAttribute("method").ShouldBe("post");
        form.GetAttribute("action")!.TrimStart('/').ShouldBe("Account/Logout");
        form.QuerySelector("input[name=ReturnUrl]")!.GetAttribute("value").ShouldBe("/");
        cut.FindAll("#nav-login").ShouldBeEmpty();
        cut.FindAll("#nav-register").ShouldBeEmpty();
        cut.FindAll("#nav-admin-users").ShouldBeEmpty();
    }

    [Fact]
    public void A_wallet_only_account_shows_its_short_wallet_address_instead_of_the_placeholder_email()
    {
        var email = "0x14dc79964da2c08b23698b3d3cc7ca32193d9955@wallet.invalid";
        var auth = AddAuthorization();
        auth.SetAuthorized(email);
        auth.SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Email, email));

        var cut = Render<NavMenu>();

        cut.Find("#account-email").TextContent.ShouldBe("wallet 0x14dc…9955");
    }

    [Theory]
    [InlineData(RoleNames.Admin)]
    [InlineData(RoleNames.Moderator)]
    public void AdminsAndModerators_SeeTheAdminGroup(string role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("staff@example.test");
        auth.SetRoles(role);

        var cut = Render<NavMenu>();

        cut.Find("#nav-admin-users").GetAttribute("href").ShouldBe("/admin/users");
    }

    [Fact]
    public void Arbitrators_DoNotSeeTheAdminGroup()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("judge@example.test");
        auth.SetRoles(RoleNames.Arbitrator);

        var cut = Render<NavMenu>();

        cut.FindAll("#nav-admin-users").ShouldBeEmpty();
        cut.Find("#nav-dashboard");
    }
}
