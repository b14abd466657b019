using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class DatasetReviewConfiguration : IEntityTypeConfiguration<DatasetReview>
{
    public void Configure(EntityTypeBuilder<DatasetReview> builder)
    {
        builder.ToTable("DatasetReviews", t => t.HasCheckConstraint("CK_DatasetReviews_Rating", "\"Rating\" BETWEEN 1 AND 5"));
        builder.HasKey(r => r.Id);
        builder.HasOne<Dataset>().WithMany().HasForeignKey(r => r.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(r => r.BuyerId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.Text).HasMaxLength(DatasetReview.TextMaxLength);

        // One review per buyer per dataset.
        builder.HasIndex(r => new { r.DatasetId, r.BuyerId }).IsUnique();
    }
}
