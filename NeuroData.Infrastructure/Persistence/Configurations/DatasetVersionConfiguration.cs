using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Datasets;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class DatasetVersionConfiguration : IEntityTypeConfiguration<DatasetVersion>
{
    public void Configure(EntityTypeBuilder<DatasetVersion> builder)
    {
        builder.ToTable("DatasetVersions");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Cid).IsRequired();
        builder.Property(v => v.Format).IsEnumText();
        builder.Property(v => v.Status).IsEnumText();
        builder.Property(v => v.ContentSha256).HasMaxLength(64).IsUnicode(false).IsFixedLength().IsRequired();
        builder.Property(v => v.WrappedKey).IsRequired();
        builder.Property(v => v.FailureReason).HasMaxLength(DatasetVersion.FailureMaxLength);
        builder.Property(v => v.PreviewJson);
        builder.Property(v => v.LabelColumn).HasMaxLength(DatasetVersion.LabelColumnMaxLength);
        builder.Property(v => v.BaselineMetricsJson);
        builder.Property(v => v.BaselineStatus).IsEnumText().HasDefaultValue(BaselineStatus.NotApplicable).HasSentinel((BaselineStatus)(-1));
        builder.Property(v => v.BaselineFailureReason).HasMaxLength(DatasetVersion.FailureMaxLength);
        builder.Property(v => v.BaselineComputedAt);

        builder.HasIndex(v => new { v.DatasetId, v.VersionNumber }).IsUnique();
        builder.HasIndex(v => new { v.DatasetId, v.Cid }).IsUnique();
        builder.HasIndex(v => v.Cid);
        builder.HasIndex(v => v.BaselineStatus); // the baseline job's pass looks for pending ones
    }
}
