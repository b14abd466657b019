using NeuroData.Infrastructure.Identity;

namespace NeuroData.Tests.Integration.Accounts;

/// <summary>The password and email rules on their own (the registration tests check them end to end).</summary>
public sealed class AccountRulesTests
{
    [Theory]
    [InlineData("password1234")]
    [InlineData("Password123456!")]
    [InlineData("QWERTYUIOP123")]
    [InlineData("qwertyuiop")]
    [InlineData("123456789012")]
    [InlineData("aaaaaaaaaaaaa")]
    [InlineData("abababababab")]
    [InlineData("abcdefghijklmn")]
    [InlineData("correcthorsebatterystaple")]
    public void CommonOrTrivialPasswords_AreRejected(string password) =>
        CommonPasswordValidator.Check(password, "someone@example.com").ShouldNotBeNull();

    [Theory]
    [InlineData("Demo-Passw0rd!")]
    [InlineData("violet-harbour-lantern-42")]
    [InlineData("my cat eats 3 tomatoes daily")]
    public void UncommonPasswords_AreAccepted(string password) =>
        CommonPasswordValidator.Check(password, "someone@example.com").ShouldBeNull();

    [Fact]
    public void APasswordThatIsTheEmailNamePlusALittle_IsRejected() =>
        CommonPasswordValidator.Check("margaret.h2024", "margaret.h@example.com").ShouldNotBeNull();

    [Theory]
    [InlineData("a@example.com")]
    [InlineData("first.last+tag@sub.example.co.uk")]
    [InlineData("admin@neurodata.local")]
    public void WellFormedEmails_AreValid(string email) => EmailRules.IsValid(email).ShouldBeTrue();

    [Theory]
    [InlineData("plain")]
    [InlineData("a@b")]
    [InlineData("a@@example.com")]
    [InlineData(".a@example.com")]
    [InlineData("a..b@example.com")]
    [InlineData("a@-example.com")]
    [InlineData("a@example.com ")]
    [InlineData("a b@example.com")]
    [InlineData("")]
    public void MalformedEmails_AreInvalid(string email) => EmailRules.IsValid(email).ShouldBeFalse();

    [Fact]
    public void AnEmailLongerThan254Characters_IsInvalid() =>
        EmailRules.IsValid(new string('a', 60) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com").ShouldBeFalse();
}
