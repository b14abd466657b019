using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Commerce;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence.Configurations;

namespace NeuroData.Infrastructure.Commerce.Disputes;

internal sealed class DisputeClaimConfiguration : IEntityTypeConfiguration<DisputeClaim>
{
    public void Configure(EntityTypeBuilder<DisputeClaim> builder)
    {
        builder.ToTable("DisputeClaims");
        builder.HasKey(c => c.Id);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.BuyerId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Reason).HasMaxLength(Dispute.ReasonMaxLength).IsRequired();
        builder.Property(c => c.Mode).IsEnumText();
        builder.HasMany(c => c.Evidence).WithOne().HasForeignKey(e => e.ClaimId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Evidence).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(c => new { c.ChainId, c.EscrowOnChainId, c.BuyerId });
    }
}

internal sealed class DisputeClaimEvidenceConfiguration : IEntityTypeConfiguration<DisputeClaimEvidence>
{
    public void Configure(EntityTypeBuilder<DisputeClaimEvidence> builder)
    {
        builder.ToTable("DisputeClaimEvidence");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Cid).IsRequired();
        builder.Property(e => e.Description).HasMaxLength(DisputeEvidence.DescriptionMaxLength);
        builder.HasIndex(e => new { e.ClaimId, e.Cid }).IsUnique();
    }
}
