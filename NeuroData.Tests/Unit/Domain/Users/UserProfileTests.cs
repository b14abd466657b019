using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Domain.Users;

public sealed class UserProfileTests
{
    private static EthAddress Wallet(int n) => EthAddress.FromBytes([.. new byte[19], (byte)n]);

    private static UserProfile Profile() => new(Guid.NewGuid(), "Ada", T0);

    [Fact]
    public void New_UsesTheAccountId()
    {
        var userId = Guid.NewGuid();

        var p = new UserProfile(userId, "  Ada Lovelace ", T0);

        p.Id.ShouldBe(userId);
        p.DisplayName.ShouldBe("Ada Lovelace");
        p.CreatedAt.ShouldBe(T0);
        p.Wallets.ShouldBeEmpty();
        p.PrimaryWallet.ShouldBeNull();
    }

    [Fact]
    public void New_WithoutUserOrName_IsRejected()
    {
        Should.Throw<DomainException>(() => new UserProfile(Guid.Empty, "Ada", T0)).Message.ShouldBe("The user is required.");
        Should.Throw<DomainException>(() => new UserProfile(Guid.NewGuid(), " ", T0)).Message.ShouldBe("Display name is required.");
        Should.Throw<DomainException>(() => new UserProfile(Guid.NewGuid(), new string('n', 65), T0)).Message.ShouldContain("at most 64");
    }

    [Theory]
    [InlineData("https://example.com/me.png")]
    [InlineData("HTTPS://cdn.example.org/a/b.jpg?size=64")]
    [InlineData("  https://example.com/x  ")]
    public void UpdateProfile_AcceptsHttpsAvatars(string url)
    {
        var p = Profile();

        p.UpdateProfile("Ada L.", "Mathematician", url);

        p.DisplayName.ShouldBe("Ada L.");
        p.Bio.ShouldBe("Mathematician");
        p.AvatarUrl.ShouldBe(url.Trim());
    }

    [Theory]
    [InlineData("http://example.com/me.png")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:image/png;base64,AAAA")]
    [InlineData("ftp://example.com/me.png")]
    [InlineData("//example.com/me.png")]
    [InlineData("/images/me.png")]
    [InlineData("me.png")]
    [InlineData("https://")]
    public void UpdateProfile_RejectsNonHttpsAvatars_AndChangesNothing(string url)
    {
        var p = Profile();
        p.UpdateProfile("Ada", "bio", "https://example.com/old.png");

        Should.Throw<DomainException>(() => p.UpdateProfile("New name", "new bio", url)).Message.ShouldBe("Avatar URL must be an absolute https:// address.");

        p.DisplayName.ShouldBe("Ada");
        p.Bio.ShouldBe("bio");
        p.AvatarUrl.ShouldBe("https://example.com/old.png");
    }

    [Fact]
    public void UpdateProfile_BlankOptionalFieldsClearThem_AndLimitsApply()
    {
        var p = Profile();
        p.UpdateProfile("Ada", "bio", "https://example.com/a.png");

        p.UpdateProfile("Ada", "  ", null);
        p.Bio.ShouldBeNull();
        p.AvatarUrl.ShouldBeNull();

        Should.Throw<DomainException>(() => p.UpdateProfile("Ada", new string('b', UserProfile.BioMaxLength + 1), null)).Message.ShouldContain("Bio must be at most 2000");
        Should.Throw<DomainException>(() => p.UpdateProfile("Ada", null, "https://example.com/" + new string('a', 500))).Message.ShouldContain("Avatar URL must be at most 512");
        Should.Throw<DomainException>(() => p.UpdateProfile("", null, null)).Message.ShouldBe("Display name is required.");
    }

    // ---------------------------------------------------------------- wallets

    [Fact]
    public void LinkWallet_TheFirstBecomesPrimary()
    {
        var p = Profile();

        var first = p.LinkWallet(Wallet(1), T0);
        var second = p.LinkWallet(Wallet(2), T0.AddMinutes(1));

        first.IsPrimary.ShouldBeTrue();
        second.IsPrimary.ShouldBeFalse();
        first.UserId.ShouldBe(p.Id);
        first.LinkedAt.ShouldBe(T0);
        p.PrimaryWallet.ShouldBe(Wallet(1));
        p.Wallets.Count.ShouldBe(2);
    }

    [Fact]
    public void LinkWallet_TheSameAddressInAnotherCase_IsADuplicate()
    {
        var p = Profile();
        p.LinkWallet(BuyerAddress, T0);

        Should.Throw<DomainException>(() => p.LinkWallet(EthAddress.Parse(BuyerAddress.Value.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)), T0))
            .Message.ShouldBe($"Wallet {BuyerAddress} is already linked to this account.");
        p.Wallets.Count.ShouldBe(1);
    }

    [Fact]
    public void LinkWallet_AtMostFive()
    {
        var p = Profile();
        for (var i = 1; i <= UserProfile.MaxWallets; i++)
        {
            p.LinkWallet(Wallet(i), T0.AddMinutes(i));
        }

        Should.Throw<DomainException>(() => p.LinkWallet(Wallet(6), T0.AddHours(1))).Message.ShouldBe("At most 5 wallets can be linked; unlink one first.");
        p.Wallets.Count.ShouldBe(5);

        p.UnlinkWallet(Wallet(3));
        p.LinkWallet(Wallet(6), T0.AddHours(1)).IsPrimary.ShouldBeFalse();
        p.Wallets.Count.ShouldBe(5);
    }

    [Fact]
    public void LinkWallet_TheZeroAddress_IsRejected()
    {
        var p = Profile();

        Should.Throw<DomainException>(() => p.LinkWallet(EthAddress.Zero, T0)).Message.ShouldBe("The zero address cannot be linked.");
        Should.Throw<ArgumentNullException>(() => p.LinkWallet(null!, T0));
        p.Wallets.ShouldBeEmpty();
    }

    [Fact]
    public void UnlinkWallet_ThePrimary_PromotesTheOldestRemaining()
    {
        var p = Profile();
        p.LinkWallet(Wallet(1), T0);
        p.LinkWallet(Wallet(2), T0.AddMinutes(2));
        p.LinkWallet(Wallet(3), T0.AddMinutes(1));

        p.UnlinkWallet(Wallet(1));

        p.PrimaryWallet.ShouldBe(Wallet(3));
        p.Wallets.Count(w => w.IsPrimary).ShouldBe(1);
    }

    [Fact]
    public void UnlinkWallet_TheLastOne_LeavesNoPrimary_AndUnknownIsRejected()
    {
        var p = Profile();
        p.LinkWallet(Wallet(1), T0);

        Should.Throw<DomainException>(() => p.UnlinkWallet(Wallet(2))).Message.ShouldBe($"Wallet {Wallet(2)} is not linked to this account.");
        p.UnlinkWallet(Wallet(1));

        p.Wallets.ShouldBeEmpty();
        p.PrimaryWallet.ShouldBeNull();
    }

    [Fact]
    public void SetPrimaryWallet_MovesTheFlag()
    {
        var p = Profile();
        p.LinkWallet(Wallet(1), T0);
        p.LinkWallet(Wallet(2), T0);

        p.SetPrimaryWallet(Wallet(2));

        p.PrimaryWallet.ShouldBe(Wallet(2));
        p.Wallets.Count(w => w.IsPrimary).ShouldBe(1);
        Should.Throw<DomainException>(() => p.SetPrimaryWallet(Wallet(9))).Message.ShouldContain("is not linked");
        p.PrimaryWallet.ShouldBe(Wallet(2));
    }

    [Fact]
    public void Statistics_AndReputation()
    {
        var p = Profile();

        p.RecordSale();
        p.RecordSale();
        p.RecordPurchase();
        p.AdjustReputation(5);
        p.AdjustReputation(-8);

        p.DatasetsSold.ShouldBe(2);
        p.DatasetsBought.ShouldBe(1);
        p.Reputation.ShouldBe(-3, "reputation may go negative");
        p.AdjustReputation(int.MaxValue);
        Should.Throw<OverflowException>(() => p.AdjustReputation(int.MaxValue));
        p.Reputation.ShouldBe(int.MaxValue - 3);
    }
}
