using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class DatasetAccessConfiguration : IEntityTypeConfiguration<DatasetAccess>
{
    public void Configure(EntityTypeBuilder<DatasetAccess> builder)
    {
        builder.ToTable("DatasetAccesses");
        builder.HasKey(a => a.Id);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Dataset>().WithMany().HasForeignKey(a => a.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DatasetVersion>().WithMany().HasForeignKey(a => a.VersionId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(a => a.Kind).IsEnumText();
        builder.Property(a => a.IpAddress).HasMaxLength(45);

        builder.HasIndex(a => new { a.DatasetId, a.At });
        builder.HasIndex(a => new { a.UserId, a.At });
    }
}
