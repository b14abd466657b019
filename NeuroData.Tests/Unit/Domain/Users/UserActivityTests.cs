using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Domain.Users;

public sealed class UserActivityTests
{
    [Fact]
    public void HeaderValues_AreTruncated_BlankBecomesNull()
    {
        var a = new UserActivity(Guid.NewGuid(), UserActivityKind.SignedIn, T0, new string('1', 60), new string('u', 600), new string('d', 1500));

        a.IpAddress!.Length.ShouldBe(UserActivity.IpMaxLength);
        a.UserAgent!.Length.ShouldBe(UserActivity.UserAgentMaxLength);
        a.Detail!.Length.ShouldBe(UserActivity.DetailMaxLength);
        a.Kind.ShouldBe(UserActivityKind.SignedIn);
        a.At.ShouldBe(T0);

        var blank = new UserActivity(Guid.NewGuid(), UserActivityKind.SignedOut, T0, " ", "", null);
        blank.IpAddress.ShouldBeNull();
        blank.UserAgent.ShouldBeNull();
        blank.Detail.ShouldBeNull();
    }

    [Fact]
    public void NeedsAUser()
    {
        Should.Throw<DomainException>(() => new UserActivity(Guid.Empty, UserActivityKind.SignedIn, T0, null, null, null)).Message.ShouldBe("The user is required.");
    }

    [Fact]
    public void RoleNames_AreTheThreeDuties()
    {
        RoleNames.All.ShouldBe(["Admin", "Moderator", "Arbitrator"]);
    }
}
