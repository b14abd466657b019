using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Commerce;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class DisputeConfiguration : IEntityTypeConfiguration<Dispute>
{
    public void Configure(EntityTypeBuilder<Dispute> builder)
    {
        builder.ToTable("Disputes");
        builder.HasKey(d => d.Id);
        builder.HasOne<Escrow>().WithMany().HasForeignKey(d => d.EscrowId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(d => d.OpenedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(d => d.BuyerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(d => d.SellerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(d => d.ArbitratorId).OnDelete(DeleteBehavior.Restrict);

        builder.Property(d => d.Reason).HasMaxLength(Dispute.ReasonMaxLength).IsRequired();
        builder.Property(d => d.RulingReason).HasMaxLength(Dispute.ReasonMaxLength);
        builder.Property(d => d.SellerStatement).HasMaxLength(Dispute.ReasonMaxLength);
        builder.Property(d => d.ProposedReason).HasMaxLength(Dispute.ReasonMaxLength);
        builder.Property(d => d.Bond).IsRequired();
        builder.Property(d => d.Mode).IsEnumText();
        builder.Property(d => d.Status).IsEnumText();
        builder.Property(d => d.Ruling).IsEnumText();

        builder.HasMany(d => d.Evidence).WithOne().HasForeignKey(e => e.DisputeId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(d => d.Evidence).UsePropertyAccessMode(PropertyAccessMode.Field);

        // One dispute per escrow.
        builder.HasIndex(d => d.EscrowId).IsUnique();
        builder.HasIndex(d => new { d.Status, d.OpenedAt });
        builder.HasIndex(d => d.ArbitratorId);
    }
}
