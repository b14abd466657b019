using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class TrainedModelConfiguration : IEntityTypeConfiguration<TrainedModel>
{
    public void Configure(EntityTypeBuilder<TrainedModel> builder)
    {
        builder.ToTable("TrainedModels");
        builder.HasKey(m => m.Id);
        builder.HasOne<TrainingRun>().WithMany().HasForeignKey(m => m.TrainingRunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DatasetVersion>().WithMany().HasForeignKey(m => m.DatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<TrainedModel>().WithMany().HasForeignKey(m => m.ParentModelId).OnDelete(DeleteBehavior.Restrict);

        builder.Property(m => m.Task).IsEnumText();
        builder.Property(m => m.Name).HasMaxLength(TrainedModel.NameMaxLength).IsRequired();
        builder.Property(m => m.FilePath).HasMaxLength(TrainedModel.PathMaxLength).IsRequired();

        builder.HasIndex(m => new { m.UserId, m.Name, m.VersionNumber }).IsUnique();
        builder.HasIndex(m => m.TrainingRunId).IsUnique();
    }
}
