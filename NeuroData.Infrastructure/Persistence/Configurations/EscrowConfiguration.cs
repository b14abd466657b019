using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Commerce;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class EscrowConfiguration : IEntityTypeConfiguration<Escrow>
{
    public void Configure(EntityTypeBuilder<Escrow> builder)
    {
        builder.ToTable("Escrows");
        builder.HasKey(e => e.Id);
        builder.HasOne<Purchase>().WithMany().HasForeignKey(e => e.PurchaseId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(e => e.Buyer).IsRequired();
        builder.Property(e => e.Seller).IsRequired();
        builder.Property(e => e.Amount).IsRequired();
        builder.Property(e => e.Fee).IsRequired();
        builder.Property(e => e.State).IsEnumText();
        builder.Property(e => e.Resolution).IsEnumText();

        builder.HasMany(e => e.Milestones).WithOne().HasForeignKey(m => m.EscrowId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(e => e.Milestones).UsePropertyAccessMode(PropertyAccessMode.Field).AutoInclude();
        builder.Ignore(e => e.IsClosed);
        builder.Ignore(e => e.ReleasedAmount);

        // One mirror row per on-chain escrow.
        builder.HasIndex(e => new { e.ChainId, e.OnChainId }).IsUnique();
        builder.HasIndex(e => e.PurchaseId).IsUnique();
        builder.HasIndex(e => new { e.State, e.Deadline });
    }
}
