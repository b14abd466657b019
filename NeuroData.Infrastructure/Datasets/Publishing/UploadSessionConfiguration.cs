using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Datasets.Publishing;

internal sealed class UploadSessionConfiguration : IEntityTypeConfiguration<UploadSession>
{
    public void Configure(EntityTypeBuilder<UploadSession> builder)
    {
        builder.ToTable("UploadSessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Dataset>().WithMany().HasForeignKey(s => s.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DatasetVersion>().WithMany().HasForeignKey(s => s.VersionId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(s => s.FileName).HasMaxLength(UploadSession.FileNameMaxLength).IsRequired();
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(40).IsUnicode(false);
        builder.Property(s => s.Error).HasMaxLength(UploadSession.ErrorMaxLength);
        builder.Property(s => s.Received).IsConcurrencyToken();
        builder.HasIndex(s => new { s.OwnerId, s.Status });
        builder.HasIndex(s => new { s.Status, s.UpdatedAt });
    }
}
