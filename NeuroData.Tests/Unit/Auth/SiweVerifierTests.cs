using Microsoft.Extensions.Time.Testing;
using NeuroData.Domain.Auth;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Auth;
using Nethereum.Signer;

namespace NeuroData.Tests.Unit.Auth;

public sealed class SiweVerifierTests
{
    // A fixed throwaway test key.
    private const string Key = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcb5c6e4e3f8a1d3a2";
    private static readonly SiweExpectations Site = new("http", "localhost:5000", "http://localhost:5000", 31337);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly SetNonceStore _nonces = new();
    private readonly EthECKey _key = new(Key);

    private SiweVerifier Verifier => new(_nonces, _clock);

    private EthAddress Signer => EthAddress.Parse(_key.GetPublicAddress());

    private string Message(
        string domain = "localhost:5000",
        string uri = "http://localhost:5000",
        long chainId = 31337,
        string? nonce = null,
        DateTimeOffset? issuedAt = null,
        DateTimeOffset? expires = null,
        DateTimeOffset? notBefore = null,
        string? address = null,
        string? scheme = null)
    {
        nonce ??= _nonces.Issue();
        return SiweMessage.Create(
            scheme, domain, address ?? Signer.Value, "Sign in to NeuroData.", uri, chainId, nonce,
            issuedAt ?? _clock.GetUtcNow(), expires, notBefore).ToMessageString();
    }

    private string Sign(string message) => new EthereumMessageSigner().EncodeUTF8AndSign(message, _key);

    private async Task<SiweRejection> Rejected(string message, string signature)
    {
        var ex = await Should.ThrowAsync<SiweVerificationException>(
            () => Verifier.VerifyAsync(message, signature, Site, TestContext.Current.CancellationToken));
        ex.Message.ShouldNotBeNullOrWhiteSpace();
        return ex.Reason;
    }

    [Fact]
    public async Task A_valid_signed_message_returns_the_signer_and_consumes_the_nonce()
    {
        var message = Message(expires: _clock.GetUtcNow().AddMinutes(5));
        var address = await Verifier.VerifyAsync(message, Sign(message), Site, TestContext.Current.CancellationToken);

        address.ShouldBe(Signer);
        _nonces.Consumed.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Recovery_byte_0_or_1_is_accepted_like_27_or_28()
    {
        var message = Message();
        var signature = Convert.FromHexString(Sign(message)[2..]);
        signature[64] -= 27;

        var address = await Verifier.VerifyAsync(message, "0x" + Convert.ToHexString(signature), Site, TestContext.Current.CancellationToken);
        address.ShouldBe(Signer);
    }

    [Fact]
    public async Task A_replayed_nonce_is_refused()
    {
        var message = Message();
        var signature = Sign(message);
        await Verifier.VerifyAsync(message, signature, Site, TestContext.Current.CancellationToken);

        (await Rejected(message, signature)).ShouldBe(SiweRejection.UnknownOrReplayedNonce);
    }

    [Fact]
    public async Task A_nonce_the_server_never_issued_is_refused()
    {
        var message = Message(nonce: "neverIssued123");
        (await Rejected(message, Sign(message))).ShouldBe(SiweRejection.UnknownOrReplayedNonce);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("localhost:5001")]
    public async Task Another_domain_is_refused(string domain)
    {
        var message = Message(domain: domain);
        (await Rejected(message, Sign(message))).ShouldBe(SiweRejection.WrongDomain);
        _nonces.Consumed.ShouldBeEmpty();
    }

    [Fact]
    public async Task Another_scheme_is_refused()
    {
        var message = Message(scheme: "https");
        (await Rejected(message, Sign(message))).ShouldBe(SiweRejection.WrongDomain);
    }

    [Fact]
    public async Task A_uri_on_another_origin_is_refused()
    {
        var message = Message(uri: "https://evil.example/login");
        (await Rejected(message, Sign(message))).ShouldBe(SiweRejection.WrongUri);
    }

    [Fact]
    public async Task Another_chain_is_refused()
    {
        var message = Message(chainId: 1);
        (await Rejected(message, Sign(message))).ShouldBe(SiweRejection.WrongChain);
    }

    [Fact]
    public async Task An_expired_message_is_refused()
    {
        var message = Message(expires: _clock.GetUtcNow().AddMinutes(2));
        var signature = Sign(message);
        _clock.Advance(TimeSpan.FromMinutes(2));

        (await Rejected(message, signature)).ShouldBe(SiweRejection.Expired);
    }

    [Fact]
    public async Task A_message_not_yet_valid_is_refused()
    {
        var message = Message(notBefore: _clock.GetUtcNow().AddMinutes(1));
        (await Rejected(message, Sign(message))).ShouldBe(SiweRejection.NotYetValid);
    }

    [Fact]
    public async Task A_message_issued_long_ago_is_refused()
    {
        var message = Message(issuedAt: _clock.GetUtcNow().AddHours(-1));
        (await Rejected(message, Sign(message))).ShouldBe(SiweRejection.IssuedAtOutOfWindow);
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("not hex at all")]
    [InlineData("")]
    public async Task A_garbled_signature_is_refused(string signature)
    {
        (await Rejected(Message(), signature)).ShouldBe(SiweRejection.BadSignature);
    }

    [Fact]
    public async Task A_signature_with_an_invalid_recovery_byte_is_refused()
    {
        var message = Message();
        var signature = Convert.FromHexString(Sign(message)[2..]);
        signature[64] = 5;
        (await Rejected(message, "0x" + Convert.ToHexString(signature))).ShouldBe(SiweRejection.BadSignature);
    }

    [Fact]
    public async Task A_signature_by_another_key_is_an_address_mismatch()
    {
        var message = Message();
        var other = EthECKey.GenerateKey();
        var signature = new EthereumMessageSigner().EncodeUTF8AndSign(message, other);

        (await Rejected(message, signature)).ShouldBe(SiweRejection.AddressMismatch);
        _nonces.Consumed.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_message_altered_after_signing_is_refused()
    {
        var message = Message();
        var signature = Sign(message);
        var altered = message.Replace("Sign in to NeuroData.", "Sign in to NeuroData!", StringComparison.Ordinal);

        (await Rejected(altered, signature)).ShouldBe(SiweRejection.AddressMismatch);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    public async Task A_malformed_message_is_refused(string message)
    {
        (await Rejected(message, "0x00")).ShouldBe(SiweRejection.Malformed);
    }

    [Fact]
    public void Nonces_are_long_alphanumeric_and_distinct()
    {
        var a = SiweVerifier.NewNonce();
        var b = SiweVerifier.NewNonce();
        a.Length.ShouldBeGreaterThanOrEqualTo(16);
        a.ShouldAllBe(c => char.IsAsciiLetterOrDigit(c));
        a.ShouldNotBe(b);
    }

    /// <summary>Keeps issued nonces in memory: the verifier's port, exercised here apart from the database store.</summary>
    private sealed class SetNonceStore : ISiweNonceStore
    {
        private readonly HashSet<string> _issued = [];

        public List<string> Consumed { get; } = [];

        public string Issue()
        {
            var nonce = SiweVerifier.NewNonce();
            _issued.Add(nonce);
            return nonce;
        }

        public Task<string> IssueAsync(CancellationToken cancellationToken) => Task.FromResult(Issue());

        public Task<bool> TryConsumeAsync(string nonce, CancellationToken cancellationToken)
        {
            var ok = _issued.Remove(nonce);
            if (ok)
            {
                Consumed.Add(nonce);
            }

            return Task.FromResult(ok);
        }
    }
}
