using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Commerce;
using NeuroData.Domain.Datasets;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class PurchaseConfiguration : IEntityTypeConfiguration<Purchase>
{
    public void Configure(EntityTypeBuilder<Purchase> builder)
    {
        builder.ToTable("Purchases");
        builder.HasKey(p => p.Id);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.BuyerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.SellerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Dataset>().WithMany().HasForeignKey(p => p.DatasetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DatasetVersion>().WithMany().HasForeignKey(p => p.DatasetVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ChainTransaction>().WithMany().HasForeignKey(p => p.ChainTransactionId).OnDelete(DeleteBehavior.SetNull);

        builder.Property(p => p.AccessType).HasConversion<int>();
        builder.Property(p => p.Status).IsEnumText();
        builder.Property(p => p.Price).IsRequired();
        builder.Property(p => p.Fee).IsRequired();
        builder.Property(p => p.FailureReason).HasMaxLength(Purchase.FailureMaxLength);
        builder.Property(p => p.DeliveryClaim).HasMaxLength(Purchase.FailureMaxLength);
        builder.Ignore(p => p.GrantsAccess);

        builder.HasIndex(p => new { p.BuyerId, p.DatasetId });
        builder.HasIndex(p => p.DatasetId);
        builder.HasIndex(p => p.SellerId);
        builder.HasIndex(p => p.OnChainPurchaseId).IsUnique();

        // One pending purchase per buyer, version and access type: a repeated request finds it instead of paying twice.
        builder.HasIndex(p => new { p.BuyerId, p.DatasetVersionId, p.AccessType })
            .IsUnique()
            .HasFilter("\"Status\" = 'Pending'")
            .HasDatabaseName("IX_Purchases_OnePendingPerBuyerListing");
    }
}
