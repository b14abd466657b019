using System.Security.Cryptography;
using System.Text;
using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using static NeuroData.Tests.Unit.Domain.DomainBuilders;

namespace NeuroData.Tests.Unit.Domain.Users;

public sealed class ApiKeyTests
{
    private static ApiKey Issue(out string plain, DateTimeOffset? expiresAt = null, ApiKeyScopes scopes = ApiKeyScopes.ReadDatasets | ApiKeyScopes.Train) =>
        ApiKey.Issue(Guid.NewGuid(), "  CI key  ", scopes, T0, expiresAt, out plain);

    [Fact]
    public void Issue_StoresOnlyTheHashOfTheKey()
    {
        var key = Issue(out var plain);

        plain.ShouldStartWith("nd_" + key.Prefix + "_");
        key.Prefix.Length.ShouldBe(ApiKey.PrefixLength);
        key.Prefix.ShouldAllBe(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
        key.Hash.ShouldBe(SHA256.HashData(Encoding.UTF8.GetBytes(plain)));
        key.Name.ShouldBe("CI key");
        key.CreatedAt.ShouldBe(T0);

        // Nothing readable on the entity contains the secret part.
        var secret = plain[(4 + ApiKey.PrefixLength)..];
        secret.Length.ShouldBeGreaterThanOrEqualTo(43, "32 random bytes in base64url");
        var stored = typeof(ApiKey).GetProperties().Select(p => p.GetValue(key)).OfType<string>();
        stored.ShouldAllBe(s => !s.Contains(secret, StringComparison.Ordinal));
        Convert.ToBase64String(key.Hash).ShouldNotContain(secret);
    }

    [Fact]
    public void Issue_GivesDifferentKeysEachTime()
    {
        Issue(out var a);
        Issue(out var b);

        a.ShouldNotBe(b);
    }

    [Fact]
    public void Verify_AcceptsTheIssuedKey_AndNothingElse()
    {
        var key = Issue(out var plain);

        key.Verify(plain, T0.AddDays(1)).ShouldBeTrue();
        key.Verify(plain + "x", T0).ShouldBeFalse();
        key.Verify(plain[..^1], T0).ShouldBeFalse();
        key.Verify(plain.ToUpperInvariant(), T0).ShouldBeFalse();
        key.Verify("", T0).ShouldBeFalse();
        Issue(out var other);
        key.Verify(other, T0).ShouldBeFalse();
    }

    [Fact]
    public void Verify_FailsOnceExpiredOrRevoked()
    {
        var expiring = Issue(out var plain, expiresAt: T0.AddDays(30));
        expiring.Verify(plain, T0.AddDays(30).AddTicks(-1)).ShouldBeTrue();
        expiring.Verify(plain, T0.AddDays(30)).ShouldBeFalse();
        expiring.IsActive(T0.AddDays(31)).ShouldBeFalse();

        var revoked = Issue(out var plain2);
        revoked.Revoke(T0.AddHours(1));
        revoked.RevokedAt.ShouldBe(T0.AddHours(1));
        revoked.Verify(plain2, T0.AddHours(2)).ShouldBeFalse();
        Should.Throw<DomainException>(() => revoked.Revoke(T0.AddHours(3))).Message.ShouldBe("API key 'CI key' is already revoked.");
        revoked.RevokedAt.ShouldBe(T0.AddHours(1));
    }

    [Fact]
    public void PrefixOf_FindsThePrefixOfEveryIssuedKey()
    {
        // Regression: the secret is base64url and contains '_' in about half of all keys; splitting on every '_'
        // made those keys unrecognisable, so a freshly issued key could never be looked up.
        for (var i = 0; i < 200; i++)
        {
            var key = Issue(out var plain);
            ApiKey.PrefixOf(plain).ShouldBe(key.Prefix, plain);
        }
    }

    [Theory]
    [InlineData("nd_abcd1234_se_cr_et", "abcd1234")]
    [InlineData("nd_abcd1234_secret", "abcd1234")]
    [InlineData("nd_abcd1234__", "abcd1234")]
    public void PrefixOf_AKeyWhoseSecretContainsUnderscores(string presented, string prefix)
    {
        ApiKey.PrefixOf(presented).ShouldBe(prefix);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nd_abcd1234")]
    [InlineData("nd_abcd1234_")]
    [InlineData("xx_abcd1234_secret")]
    [InlineData("nd_abc_secret")]
    [InlineData("nd_abcd12345_secret")]
    [InlineData("Bearer nd_abcd1234_secret")]
    public void PrefixOf_SomethingThatIsNotOurKey_IsNull(string presented)
    {
        ApiKey.PrefixOf(presented).ShouldBeNull();
    }

    [Fact]
    public void Issue_Invalid_IsRejected()
    {
        Should.Throw<DomainException>(() => ApiKey.Issue(Guid.Empty, "k", ApiKeyScopes.Train, T0, null, out _)).Message.ShouldBe("The key owner is required.");
        Should.Throw<DomainException>(() => ApiKey.Issue(Guid.NewGuid(), " ", ApiKeyScopes.Train, T0, null, out _)).Message.ShouldBe("Key name is required.");
        Should.Throw<DomainException>(() => ApiKey.Issue(Guid.NewGuid(), new string('k', 65), ApiKeyScopes.Train, T0, null, out _)).Message.ShouldContain("at most 64");
        Should.Throw<DomainException>(() => ApiKey.Issue(Guid.NewGuid(), "k", ApiKeyScopes.None, T0, null, out _)).Message.ShouldBe("Choose at least one scope for the key.");
        Should.Throw<DomainException>(() => ApiKey.Issue(Guid.NewGuid(), "k", ApiKeyScopes.Train, T0, T0, out _)).Message.ShouldBe("The expiry date must be in the future.");
    }

    [Fact]
    public void HasScope_RequiresEveryRequestedFlag()
    {
        var key = Issue(out _, scopes: ApiKeyScopes.ReadDatasets | ApiKeyScopes.Train);

        key.HasScope(ApiKeyScopes.ReadDatasets).ShouldBeTrue();
        key.HasScope(ApiKeyScopes.Train).ShouldBeTrue();
        key.HasScope(ApiKeyScopes.Predict).ShouldBeFalse();
        key.HasScope(ApiKeyScopes.ReadDatasets | ApiKeyScopes.Predict).ShouldBeFalse();
    }

    [Fact]
    public void MarkUsed_OnlyWhileActive()
    {
        var key = Issue(out _, expiresAt: T0.AddDays(1));

        key.MarkUsed(T0.AddHours(1));
        key.LastUsedAt.ShouldBe(T0.AddHours(1));

        Should.Throw<DomainException>(() => key.MarkUsed(T0.AddDays(2))).Message.ShouldBe("A revoked or expired key cannot be used.");
        key.LastUsedAt.ShouldBe(T0.AddHours(1));
    }
}
