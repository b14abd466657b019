using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Commerce;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> builder)
    {
        builder.ToTable("Refunds");
        builder.HasKey(r => r.Id);
        builder.HasOne<Purchase>().WithMany().HasForeignKey(r => r.PurchaseId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.Reason).HasMaxLength(Refund.ReasonMaxLength).IsRequired();
        builder.Property(r => r.Amount).IsRequired();
        // A purchase has one escrow, and an escrow returns money to its buyer at most once.
        builder.HasIndex(r => r.PurchaseId).IsUnique();
    }
}
