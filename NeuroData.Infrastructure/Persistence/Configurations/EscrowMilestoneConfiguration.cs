using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Commerce;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class EscrowMilestoneConfiguration : IEntityTypeConfiguration<EscrowMilestone>
{
    public void Configure(EntityTypeBuilder<EscrowMilestone> builder)
    {
        builder.ToTable("EscrowMilestones");
        builder.HasKey(m => new { m.EscrowId, m.Index });
        builder.Property(m => m.Index).ValueGeneratedNever();
        builder.Property(m => m.Amount).IsRequired();
    }
}
