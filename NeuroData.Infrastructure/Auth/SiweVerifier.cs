using System.Security.Cryptography;
using NeuroData.Domain.Auth;
using NeuroData.Domain.Common;
using Nethereum.Signer;

namespace NeuroData.Infrastructure.Auth;

/// <summary>Why a Sign-In with Ethereum attempt was refused. Each has its own message and test.</summary>
public enum SiweRejection
{
    Malformed,
    WrongDomain,
    WrongUri,
    WrongChain,
    UnknownOrReplayedNonce,
    Expired,
    NotYetValid,
    IssuedAtOutOfWindow,
    BadSignature,
    AddressMismatch,
}

/// <summary>A refused sign-in; <see cref="Exception.Message"/> is safe to show to the user.</summary>
public sealed class SiweVerificationException(SiweRejection reason, string message) : Exception(message)
{
    public SiweRejection Reason { get; } = reason;
}

/// <summary>What the server expects of a message: its own origin and the chain it runs on.</summary>
/// <param name="Scheme">"http" or "https" of the site; a message that names a scheme must name this one.</param>
/// <param name="Domain">RFC 3986 authority of the site, e.g. "localhost:5000".</param>
/// <param name="Origin">Scheme + authority; the message URI must start with it.</param>
/// <param name="ChainId">The chain the marketplace contracts live on.</param>
public sealed record SiweExpectations(string Scheme, string Domain, string Origin, long ChainId);

/// <summary>Single-use, expiring nonces kept on the server.</summary>
public interface ISiweNonceStore
{
    /// <summary>Creates and remembers a fresh nonce (96 bits from a CSPRNG, alphanumeric).</summary>
    Task<string> IssueAsync(CancellationToken cancellationToken);

    /// <summary>Marks the nonce used. False when it was never issued, has expired or was already used.</summary>
    Task<bool> TryConsumeAsync(string nonce, CancellationToken cancellationToken);
}

/// <summary>
/// Verifies an EIP-4361 message and its EIP-191 signature: strict parse, origin, URI, version, chain, validity window,
/// signature recovery (v = 27/28 or 0/1), address match, and finally the single-use nonce. The nonce is consumed only
/// when everything else holds, so a forged attempt cannot burn a user's nonce.
/// </summary>
public sealed class SiweVerifier(ISiweNonceStore nonces, TimeProvider clock)
{
    /// <summary>How far issued-at may lie from now (clock skew between wallet and server included).</summary>
    public static readonly TimeSpan IssuedAtWindow = TimeSpan.FromMinutes(10);

    /// <summary>Checks everything and returns the signer's address; throws <see cref="SiweVerificationException"/>.</summary>
    public async Task<EthAddress> VerifyAsync(string message, string signature, SiweExpectations expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        SiweMessage parsed;
        try
        {
            parsed = SiweMessage.Parse(message ?? string.Empty);
        }
        catch (FormatException ex)
        {
            throw new SiweVerificationException(SiweRejection.Malformed, $"The sign-in message is malformed: {ex.Message}");
        }

        if (!string.Equals(parsed.Domain, expected.Domain, StringComparison.OrdinalIgnoreCase)
            || (parsed.Scheme is not null && !string.Equals(parsed.Scheme, expected.Scheme, StringComparison.OrdinalIgnoreCase)))
        {
            throw new SiweVerificationException(
                SiweRejection.WrongDomain,
                $"The message asks to sign in to {(parsed.Scheme is null ? string.Empty : parsed.Scheme + "://")}{parsed.Domain}, not to this site ({expected.Domain}).");
        }

        if (!UriBelongsTo(parsed.Uri, expected.Origin))
        {
            throw new SiweVerificationException(SiweRejection.WrongUri, $"The message URI {parsed.Uri} is not on this site ({expected.Origin}).");
        }

        if (parsed.ChainId != expected.ChainId)
        {
            throw new SiweVerificationException(
                SiweRejection.WrongChain,
                $"The message is for chain {parsed.ChainId}; NeuroData runs on chain {expected.ChainId}. Switch the network in your wallet.");
        }

        var now = clock.GetUtcNow();
        if (parsed.ExpirationTime is { } expires && now >= expires)
        {
            throw new SiweVerificationException(SiweRejection.Expired, "The sign-in message has expired. Sign in again.");
        }

        if (parsed.NotBefore is { } notBefore && now < notBefore)
        {
            throw new SiweVerificationException(SiweRejection.NotYetValid, "The sign-in message is not valid yet.");
        }

        if ((parsed.IssuedAt - now).Duration() > IssuedAtWindow)
        {
            throw new SiweVerificationException(
                SiweRejection.IssuedAtOutOfWindow,
                "The sign-in message was issued too long ago (or in the future). Check your computer's clock and sign in again.");
        }

        var recovered = Recover(message!, signature);
        if (!string.Equals(recovered.Value, parsed.Address, StringComparison.Ordinal))
        {
            throw new SiweVerificationException(
                SiweRejection.AddressMismatch,
                $"The signature was made by {recovered.ToShortString()}, not by {EthAddress.Parse(parsed.Address).ToShortString()} named in the message.");
        }

        if (!await nonces.TryConsumeAsync(parsed.Nonce, cancellationToken).ConfigureAwait(false))
        {
            throw new SiweVerificationException(
                SiweRejection.UnknownOrReplayedNonce,
                "This sign-in request was already used or has expired. Sign in again.");
        }

        return recovered;
    }

    /// <summary>A fresh alphanumeric nonce of 96 bits (16 base-62 characters).</summary>
    public static string NewNonce()
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return RandomNumberGenerator.GetString(alphabet, 17); // 17 * log2(62) ≈ 101 bits
    }

    private static EthAddress Recover(string message, string? signature)
    {
        var hex = signature?.Trim() ?? string.Empty;
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[2..];
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new SiweVerificationException(SiweRejection.BadSignature, "The signature is not hexadecimal.");
        }

        if (bytes.Length != 65)
        {
            throw new SiweVerificationException(SiweRejection.BadSignature, $"The signature has {bytes.Length} bytes; an Ethereum signature has 65.");
        }

        // Wallets write v as 27/28 (EIP-191) or 0/1 (raw recovery id); accept both, nothing else.
        var v = bytes[64];
        if (v is 0 or 1)
        {
            bytes[64] = (byte)(v + 27);
        }
        else if (v is not (27 or 28))
        {
            throw new SiweVerificationException(SiweRejection.BadSignature, "The signature's recovery byte is invalid.");
        }

        string address;
        try
        {
            address = new EthereumMessageSigner().EncodeUTF8AndEcRecover(message, "0x" + Convert.ToHexString(bytes));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or Org.BouncyCastle.Crypto.CryptoException)
        {
            throw new SiweVerificationException(SiweRejection.BadSignature, "The signature could not be verified.");
        }

        return EthAddress.TryParse(address, out var parsed, out _)
            ? parsed
            : throw new SiweVerificationException(SiweRejection.BadSignature, "The signature could not be verified.");
    }

    private static bool UriBelongsTo(string uri, string origin)
    {
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var u) || !System.Uri.TryCreate(origin, UriKind.Absolute, out var o))
        {
            return false;
        }

        return string.Equals(u.Scheme, o.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(u.Authority, o.Authority, StringComparison.OrdinalIgnoreCase);
    }
}
