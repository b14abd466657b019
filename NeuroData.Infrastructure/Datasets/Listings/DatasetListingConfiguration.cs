using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence.Configurations;

namespace NeuroData.Infrastructure.Datasets.Listings;

internal sealed class DatasetListingConfiguration : IEntityTypeConfiguration<DatasetListing>
{
    public void Configure(EntityTypeBuilder<DatasetListing> builder)
    {
        builder.ToTable("DatasetListings");
        builder.HasKey(l => l.Id);
        builder.HasOne<Dataset>().WithMany().HasForeignKey(l => l.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DatasetVersion>().WithMany().HasForeignKey(l => l.VersionId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(l => l.AccessType).IsEnumText();
        builder.Property(l => l.Status).IsEnumText();
        builder.Property(l => l.Seller).IsRequired();
        builder.Property(l => l.TransactionHash).IsRequired();
        builder.Property(l => l.StatusReason).HasMaxLength(Dataset.ReasonMaxLength);

        // At most one open listing per version and access type (checked by the service); a chain listing id is one row.
        builder.HasIndex(l => new { l.VersionId, l.AccessType });
        builder.HasIndex(l => l.ChainListingId).IsUnique();
        builder.HasIndex(l => l.TransactionHash);
        builder.HasIndex(l => new { l.DatasetId, l.Status });
    }
}

internal sealed class ModerationLogEntryConfiguration : IEntityTypeConfiguration<ModerationLogEntry>
{
    public void Configure(EntityTypeBuilder<ModerationLogEntry> builder)
    {
        builder.ToTable("ModerationLog");
        builder.HasKey(e => e.Id);
        builder.HasOne<Dataset>().WithMany().HasForeignKey(e => e.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(e => e.ActorId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(e => e.Action).IsEnumText();
        builder.Property(e => e.Reason).HasMaxLength(Dataset.ReasonMaxLength);
        builder.Property(e => e.Detail).HasMaxLength(ModerationLogEntry.DetailMaxLength);
        builder.HasIndex(e => new { e.DatasetId, e.At });
    }
}
