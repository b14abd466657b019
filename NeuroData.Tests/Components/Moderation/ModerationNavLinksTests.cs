using Bunit;
using MudBlazor.Services;
using NeuroData.Domain.Users;
using NeuroData.Web.Components.Datasets;
using NeuroData.Web.Components.Layout;

namespace NeuroData.Tests.Components.Moderation;

/// <summary>The "My datasets" and "Moderation" links follow sign-in and roles.</summary>
public sealed class ModerationNavLinksTests : BunitContext
{
    public ModerationNavLinksTests()
    {
        Services.AddMudServices();
    }

    [Fact]
    public void SignedOut_SeesNeitherLink()
    {
        AddAuthorization();

        var cut = Render<NavMenu>();

        cut.FindAll("#nav-my-datasets").ShouldBeEmpty();
        cut.FindAll("#nav-moderation").ShouldBeEmpty();
    }

    [Fact]
    public void AMember_SeesMyDatasets_ButNotModeration()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("seller@example.test");

        var cut = Render<NavMenu>();

        cut.Find("#nav-my-datasets").GetAttribute("href").ShouldBe("/datasets/mine");
        cut.FindAll("#nav-moderation").ShouldBeEmpty();
    }

    [Theory]
    [InlineData(RoleNames.Moderator, true)]
    [InlineData(RoleNames.Admin, true)]
    [InlineData(RoleNames.Arbitrator, false)]
    public void ModerationLink_FollowsTheRole(string role, bool shown)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("staff@example.test");
        auth.SetRoles(role);

        var cut = Render<NavMenu>();

        cut.FindAll("#nav-moderation").Count.ShouldBe(shown ? 1 : 0);
        if (shown)
        {
            cut.Find("#nav-moderation").GetAttribute("href").ShouldBe("/moderation");
        }
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(52_431, "52.4 KB")]
    [InlineData(5_000_000_000, "5 GB")]
    public void DownloadPanel_FormatsSizes(long bytes, string expected)
    {
        DownloadPanel.FormatSize(bytes).ShouldBe(expected);
    }
}
