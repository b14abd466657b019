using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Commerce;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class ChainTransactionConfiguration : IEntityTypeConfiguration<ChainTransaction>
{
    public void Configure(EntityTypeBuilder<ChainTransaction> builder)
    {
        builder.ToTable("ChainTransactions");
        builder.HasKey(t => t.Id);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(t => t.Hash).IsRequired();
        builder.Property(t => t.From).IsRequired();
        builder.Property(t => t.Purpose).IsEnumText();
        builder.Property(t => t.Status).IsEnumText();
        builder.Property(t => t.FailureReason).HasMaxLength(ChainTransaction.FailureMaxLength);
        builder.Ignore(t => t.IsFinal);

        // A hash identifies a transaction on one chain.
        builder.HasIndex(t => new { t.ChainId, t.Hash }).IsUnique();
        builder.HasIndex(t => new { t.Status, t.SentAt });
        builder.HasIndex(t => t.UserId);
    }
}
