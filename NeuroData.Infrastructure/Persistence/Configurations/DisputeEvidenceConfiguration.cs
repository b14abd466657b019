using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Commerce;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class DisputeEvidenceConfiguration : IEntityTypeConfiguration<DisputeEvidence>
{
    public void Configure(EntityTypeBuilder<DisputeEvidence> builder)
    {
        builder.ToTable("DisputeEvidence");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Cid).IsRequired();
        builder.Property(e => e.Description).HasMaxLength(DisputeEvidence.DescriptionMaxLength);
        builder.HasIndex(e => new { e.DisputeId, e.Cid }).IsUnique();
    }
}
