using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Users;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class WalletLinkConfiguration : IEntityTypeConfiguration<WalletLink>
{
    public void Configure(EntityTypeBuilder<WalletLink> builder)
    {
        builder.ToTable("WalletLinks");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Address).IsRequired();

        // A wallet belongs to exactly one account.
        builder.HasIndex(w => w.Address).IsUnique();
        builder.HasIndex(w => w.UserId);
    }
}
