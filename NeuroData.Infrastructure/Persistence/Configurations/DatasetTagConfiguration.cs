using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Datasets;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class DatasetTagConfiguration : IEntityTypeConfiguration<DatasetTag>
{
    public void Configure(EntityTypeBuilder<DatasetTag> builder)
    {
        builder.ToTable("DatasetTags");
        builder.HasKey(t => new { t.DatasetId, t.TagId });
        builder.HasOne<Tag>().WithMany().HasForeignKey(t => t.TagId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.TagId);
    }
}
