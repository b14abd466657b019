using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class DatasetConfiguration : IEntityTypeConfiguration<Dataset>
{
    public void Configure(EntityTypeBuilder<Dataset> builder)
    {
        builder.ToTable("Datasets");
        builder.HasKey(d => d.Id);

        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(d => d.SellerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(d => d.ModeratorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Category>().WithMany().HasForeignKey(d => d.CategoryId).OnDelete(DeleteBehavior.SetNull);

        builder.Property(d => d.Title).HasMaxLength(Dataset.TitleMaxLength).IsRequired();
        builder.Property(d => d.Slug).HasMaxLength(Domain.Common.Slug.MaxLength).IsRequired();
        builder.Property(d => d.DescriptionMarkdown).HasMaxLength(Dataset.DescriptionMaxLength).IsRequired();
        builder.Property(d => d.LicenseSpdxId).HasMaxLength(Dataset.LicenseMaxLength).IsRequired();
        builder.Property(d => d.Price).IsRequired();
        builder.Property(d => d.ModelDownloadAllowed).IsRequired();
        builder.Property(d => d.Status).IsEnumText();
        builder.Property(d => d.AccessTypes).HasConversion<int>();
        builder.Property(d => d.ModerationReason).HasMaxLength(Dataset.ReasonMaxLength);
        builder.Property(d => d.FlagReason).HasMaxLength(Dataset.ReasonMaxLength);

        builder.Property(d => d.LatestFormat).IsEnumText();
        builder.Property(d => d.RatingAverage).HasDefaultValue(0.0);

        builder.HasMany(d => d.Versions).WithOne("Owner").HasForeignKey(v => v.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(d => d.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasMany(d => d.Tags).WithOne().HasForeignKey(t => t.DatasetId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(d => d.Tags).UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.Ignore(d => d.AverageRating);
        builder.Ignore(d => d.LatestReadyVersion);
        builder.Ignore(d => d.IsPurchasable);
        builder.Ignore(d => d.IsFlagged);

        builder.HasIndex(d => d.Slug).IsUnique();
        builder.HasIndex(d => new { d.Status, d.PublishedAt });
        builder.HasIndex(d => d.SellerId);
        builder.HasIndex(d => d.CategoryId);
        builder.HasIndex(d => d.OnChainListingId).IsUnique();

        // Marketplace sorts over live listings (search reads them in index order and stops after a page).
        const string live = "\"Status\" = 'Live'";
        builder.HasIndex(d => new { d.PublishedAt, d.Id }, "IX_Datasets_Live_Newest").IsDescending(true, false).HasFilter(live);
        builder.HasIndex(d => new { d.Price, d.Id }, "IX_Datasets_Live_PriceAsc").HasFilter(live);
        builder.HasIndex(d => new { d.Price, d.Id }, "IX_Datasets_Live_PriceDesc").IsDescending(true, false).HasFilter(live);
        builder.HasIndex(d => new { d.PurchaseCount, d.ViewCount, d.Id }, "IX_Datasets_Live_Popular").IsDescending(true, true, false).HasFilter(live);
        builder.HasIndex(d => new { d.RatingAverage, d.ReviewCount, d.Id }, "IX_Datasets_Live_TopRated").IsDescending(true, true, false).HasFilter(live);
    }
}
