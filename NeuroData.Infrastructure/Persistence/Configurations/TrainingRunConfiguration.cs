using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class TrainingRunConfiguration : IEntityTypeConfiguration<TrainingRun>
{
    public void Configure(EntityTypeBuilder<TrainingRun> builder)
    {
        builder.ToTable("TrainingRuns");
        builder.HasKey(r => r.Id);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DatasetVersion>().WithMany().HasForeignKey(r => r.DatasetVersionId).OnDelete(DeleteBehavior.Restrict);

        builder.Property(r => r.Task).IsEnumText();
        builder.Property(r => r.Status).IsEnumText();
        builder.Property(r => r.Trainer).HasMaxLength(TrainingRun.TrainerMaxLength).IsRequired();
        builder.Property(r => r.LabelColumn).HasMaxLength(TrainingRun.ColumnMaxLength);
        builder.PrimitiveCollection(r => r.FeatureColumns).IsRequired();
        builder.PrimitiveCollection(r => r.RetypedColumns).IsRequired();
        builder.Property(r => r.ParametersJson).IsRequired();
        builder.Property(r => r.FailureReason).HasMaxLength(TrainingRun.FailureMaxLength);
        builder.Property(r => r.ModelName).HasMaxLength(TrainingRun.ModelNameMaxLength).IsRequired();
        builder.Property(r => r.Stage).HasMaxLength(TrainingRun.StageMaxLength);
        builder.Property(r => r.Note).HasMaxLength(TrainingRun.NoteMaxLength);
        builder.Ignore(r => r.IsFinished);
        builder.Ignore(r => r.Features);
        builder.Ignore(r => r.Validation);

        builder.HasIndex(r => new { r.UserId, r.QueuedAt });
        builder.HasIndex(r => new { r.Status, r.QueuedAt });
    }
}
