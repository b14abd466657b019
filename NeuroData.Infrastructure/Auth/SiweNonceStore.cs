using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Auth;

/// <summary>A nonce handed out for Sign-In with Ethereum; used at most once, before it expires.</summary>
public sealed class SiweNonce
{
    public string Value { get; set; } = string.Empty;

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? ConsumedAt { get; set; }
}

internal sealed class SiweNonceConfiguration : IEntityTypeConfiguration<SiweNonce>
{
    public void Configure(EntityTypeBuilder<SiweNonce> b)
    {
        b.ToTable("SiweNonces");
        b.HasKey(x => x.Value);
        b.Property(x => x.Value).HasMaxLength(64).IsUnicode(false);
        b.HasIndex(x => x.ExpiresAt);
    }
}

/// <summary>
/// Nonces in the database, so any web node can verify what another issued. Consumption is one conditional UPDATE
/// (… WHERE ConsumedAt IS NULL AND ExpiresAt > now): two concurrent attempts with the same nonce cannot both win.
/// </summary>
public sealed class DatabaseSiweNonceStore(IDbContextFactory<NeuroDataDbContext> contexts, TimeProvider clock) : ISiweNonceStore
{
    /// <summary>How long a user has to sign after asking.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public async Task<string> IssueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);

        // Housekeeping: forget nonces that can no longer be used.
        await db.Set<SiweNonce>().Where(n => n.ExpiresAt < now.AddDays(-1)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);

        var nonce = new SiweNonce { Value = SiweVerifier.NewNonce(), IssuedAt = now, ExpiresAt = now + Lifetime };
        db.Add(nonce);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return nonce.Value;
    }

    public async Task<bool> TryConsumeAsync(string nonce, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var updated = await db.Set<SiweNonce>()
            .Where(n => n.Value == nonce && n.ConsumedAt == null && n.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ConsumedAt, now), cancellationToken)
            .ConfigureAwait(false);
        return updated == 1;
    }
}

public static class SiweSetup
{
    /// <summary>Sign-In with Ethereum: the database nonce store and the verifier.</summary>
    public static IHostApplicationBuilder AddSiwe(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ISiweNonceStore, DatabaseSiweNonceStore>();
        builder.Services.AddSingleton<SiweVerifier>();
        return builder;
    }
}
