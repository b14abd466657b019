using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Commerce;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class PlatformFeeConfiguration : IEntityTypeConfiguration<PlatformFee>
{
    public void Configure(EntityTypeBuilder<PlatformFee> builder)
    {
        builder.ToTable("PlatformFees");
        builder.HasKey(f => f.Id);
        builder.HasOne<Purchase>().WithMany().HasForeignKey(f => f.PurchaseId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(f => f.TxHash).IsRequired();
        builder.Property(f => f.Amount).IsRequired();

        // The fee of a purchase is collected once.
        builder.HasIndex(f => f.PurchaseId).IsUnique();
    }
}
