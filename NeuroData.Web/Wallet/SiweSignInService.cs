using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Auth;
using NeuroData.Domain.Common;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Auth;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Web.Wallet;

/// <summary>What a verified Sign-In with Ethereum led to.</summary>
public enum SiweOutcome
{
    /// <summary>Refused: nothing was created or changed; <see cref="SiweSignInResult.Error"/> says why.</summary>
    Refused,

    /// <summary>The wallet was linked to an account: sign that account in.</summary>
    SignedIn,

    /// <summary>The wallet was linked to the signed-in account.</summary>
    Linked,

    /// <summary>A new wallet-only account was created: sign it in and let the user complete the profile.</summary>
    Created,
}

/// <summary>The outcome; <see cref="Error"/> is safe to show to the user.</summary>
public sealed record SiweSignInResult(SiweOutcome Outcome, ApplicationUser? User, EthAddress? Address, string? Error)
{
    public static SiweSignInResult Refused(string error, EthAddress? address = null) => new(SiweOutcome.Refused, null, address, error);
}

/// <summary>
/// Sign-In with Ethereum, the part that does not need HTTP: issues the challenge (nonce + EIP-4361 text) for the
/// wallet island, and after the wallet signed it verifies the signature (<see cref="SiweVerifier"/>) and decides:
/// a linked wallet signs its owner in; an unlinked wallet is linked to the signed-in user, or gets a new wallet-only
/// account. Verification happens before any write, and every write of one outcome is one transaction: a refusal
/// leaves nothing behind. The HTTP endpoint (<see cref="SiweEndpoints"/>) sets the cookie.
/// </summary>
public sealed class SiweSignInService(
    SiweVerifier verifier,
    ISiweNonceStore nonces,
    ChainSettings chain,
    UserManager<ApplicationUser> users,
    NeuroDataDbContext db,
    TimeProvider clock,
    ILogger<SiweSignInService> logger)
{
    /// <summary>The statement the wallet shows.</summary>
    public const string Statement = "Sign in to NeuroData.";

    /// <summary>How long the user has to sign (the nonce lives as long).</summary>
    public static readonly TimeSpan MessageLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Wallet-only accounts get this placeholder email domain: Identity needs a unique, well-formed email, and the
    /// reserved .invalid top-level domain can never receive mail. The address stays unconfirmed until the user sets a
    /// real one on /Account/Manage/Email.
    /// </summary>
    public const string PlaceholderEmailDomain = "wallet.invalid";

    public const string LinkedElsewhereMessage = "Error: This wallet is linked to another NeuroData account. Sign in with it, or unlink it there first.";

    /// <summary>A fresh single-use nonce and the message for <paramref name="address"/> to sign, for the site at <paramref name="baseUri"/>.</summary>
    public async Task<string> CreateChallengeAsync(EthAddress address, Uri baseUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(baseUri);
        var nonce = await nonces.IssueAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var message = SiweMessage.Create(
            scheme: baseUri.Scheme,
            domain: baseUri.Authority,
            address: address.Value,
            statement: Statement,
            uri: baseUri.GetLeftPart(UriPartial.Authority) + "/",
            chainId: chain.ChainId.Value,
            nonce: nonce,
            issuedAt: now,
            expirationTime: now + MessageLifetime);
        return message.ToMessageString();
    }

    public static string PlaceholderEmailFor(EthAddress address) => $"{address.Value.ToLowerInvariant()}@{PlaceholderEmailDomain}";

    public static bool IsPlaceholderEmail(string? email) =>
        email is not null && email.EndsWith("@" + PlaceholderEmailDomain, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Verifies <paramref name="message"/> and <paramref name="signature"/> against <paramref name="expected"/> (the
    /// request's own origin and the configured chain) and applies the outcome. <paramref name="signedInUserId"/> is the
    /// cookie's user, if any.
    /// </summary>
    public async Task<SiweSignInResult> SignInAsync(
        string? message,
        string? signature,
        SiweExpectations expected,
        Guid? signedInUserId,
        RequestInfo request,
        CancellationToken cancellationToken)
    {
        EthAddress address;
        try
        {
            address = await verifier.VerifyAsync(message ?? string.Empty, signature ?? string.Empty, expected, cancellationToken);
        }
        catch (SiweVerificationException ex)
        {
            logger.LogInformation("Sign-In with Ethereum refused: {Reason}", ex.Reason);
            return SiweSignInResult.Refused("Error: " + ex.Message);
        }

        var ownerId = await db.WalletLinks.AsNoTracking().Where(w => w.Address == address).Select(w => (Guid?)w.UserId).FirstOrDefaultAsync(cancellationToken);
        if (ownerId is { } owner)
        {
            if (signedInUserId is { } current && current != owner)
            {
                return SiweSignInResult.Refused(LinkedElsewhereMessage, address);
            }

            var user = await users.FindByIdAsync(owner.ToString());
            if (user is null)
            {
                return SiweSignInResult.Refused("Error: The account of this wallet no longer exists.", address);
            }

            if (await users.IsLockedOutAsync(user))
            {
                await RecordAsync(user.Id, UserActivityKind.SignInFailed, request, $"Wallet {address}: account locked", cancellationToken);
                return SiweSignInResult.Refused("Error: This account is locked. Try again later.", address);
            }

            await RecordAsync(user.Id, UserActivityKind.SignedIn, request, $"With wallet {address}", cancellationToken);
            return new SiweSignInResult(signedInUserId is null ? SiweOutcome.SignedIn : SiweOutcome.Linked, user, address, null);
        }

        return signedInUserId is { } userId
            ? await LinkAsync(userId, address, request, cancellationToken)
            : await CreateAsync(address, request, cancellationToken);
    }

    /// <summary>Unlinks a wallet from its owner; refuses to remove the last way to sign in to a wallet-only account.</summary>
    public async Task<string?> UnlinkAsync(Guid userId, EthAddress address, RequestInfo request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        var profile = await db.UserProfiles.Include(p => p.Wallets).FirstOrDefaultAsync(p => p.Id == userId, cancellationToken);
        if (user is null || profile is null || profile.Wallets.All(w => w.Address != address))
        {
            return $"Error: Wallet {address.ToShortString()} is not linked to your account.";
        }

        if (!await users.HasPasswordAsync(user) && profile.Wallets.Count == 1)
        {
            return "Error: This wallet is the only way to sign in to your account. Set a password (or link another wallet) before unlinking it.";
        }

        profile.UnlinkWallet(address);
        db.UserActivities.Add(new UserActivity(userId, UserActivityKind.WalletUnlinked, clock.GetUtcNow(), request.IpAddress, request.UserAgent, address.Value));
        await db.SaveChangesAsync(cancellationToken);
        await users.UpdateSecurityStampAsync(user);
        return null;
    }

    private async Task<SiweSignInResult> LinkAsync(Guid userId, EthAddress address, RequestInfo request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return SiweSignInResult.Refused("Error: Your session has ended. Sign in again.", address);
        }

        var now = clock.GetUtcNow();
        var profile = await db.UserProfiles.Include(p => p.Wallets).FirstOrDefaultAsync(p => p.Id == userId, cancellationToken);
        if (profile is null)
        {
            profile = new UserProfile(userId, AccountService.DisplayNameFor(user.Email ?? address.ToShortString()), now);
            db.UserProfiles.Add(profile);
        }

        try
        {
            profile.LinkWallet(address, now);
        }
        catch (DomainException ex)
        {
            db.ChangeTracker.Clear();
            return SiweSignInResult.Refused("Error: " + ex.Message, address);
        }

        db.UserActivities.Add(new UserActivity(userId, UserActivityKind.WalletLinked, now, request.IpAddress, request.UserAgent, address.Value));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // Someone linked the same address a moment ago: the unique index decides.
            db.ChangeTracker.Clear();
            logger.LogWarning(ex, "Linking wallet {Address} lost a race", address);
            return SiweSignInResult.Refused(LinkedElsewhereMessage, address);
        }

        logger.LogInformation("Wallet {Address} linked to {UserId}", address, userId);
        return new SiweSignInResult(SiweOutcome.Linked, user, address, null);
    }

    private async Task<SiweSignInResult> CreateAsync(EthAddress address, RequestInfo request, CancellationToken cancellationToken)
    {
        var email = PlaceholderEmailFor(address);
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            return await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var now = clock.GetUtcNow();
                var user = new ApplicationUser
                {
                    Id = Guid.CreateVersion7(),
                    UserName = email,
                    Email = email,
                    EmailConfirmed = false,
                    CreatedAt = now,
                };

                // No password: the wallet is the sign-in method.
                var created = await users.CreateAsync(user);
                if (!created.Succeeded)
                {
                    await tx.RollbackAsync(ct);
                    db.ChangeTracker.Clear();
                    return SiweSignInResult.Refused("Error: " + string.Join(" ", created.Errors.Select(e => e.Description)), address);
                }

                var profile = new UserProfile(user.Id, address.ToShortString(), now);
                profile.LinkWallet(address, now);
                db.UserProfiles.Add(profile);
                db.UserActivities.Add(new UserActivity(user.Id, UserActivityKind.Registered, now, request.IpAddress, request.UserAgent, $"With wallet {address}"));
                db.UserActivities.Add(new UserActivity(user.Id, UserActivityKind.WalletLinked, now, request.IpAddress, request.UserAgent, address.Value));
                db.UserActivities.Add(new UserActivity(user.Id, UserActivityKind.SignedIn, now, request.IpAddress, request.UserAgent, $"With wallet {address}"));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                logger.LogInformation("Account {UserId} created for wallet {Address}", user.Id, address);
                return new SiweSignInResult(SiweOutcome.Created, user, address, null);
            }, cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // The same wallet signed in twice at once: the other request created the account.
            db.ChangeTracker.Clear();
            logger.LogWarning(ex, "Account creation for wallet {Address} lost a race", address);
            return SiweSignInResult.Refused("Error: This wallet was just registered by another request. Sign in again.", address);
        }
    }

    private async Task RecordAsync(Guid userId, UserActivityKind kind, RequestInfo request, string detail, CancellationToken cancellationToken)
    {
        db.UserActivities.Add(new UserActivity(userId, kind, clock.GetUtcNow(), request.IpAddress, request.UserAgent, detail));
        await db.SaveChangesAsync(cancellationToken);
    }
}
