using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Commerce;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class PayoutConfiguration : IEntityTypeConfiguration<Payout>
{
    public void Configure(EntityTypeBuilder<Payout> builder)
    {
        builder.ToTable("Payouts");
        builder.HasKey(p => p.Id);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.SellerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Escrow>().WithMany().HasForeignKey(p => p.EscrowId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.ToAddress).IsRequired();
        builder.Property(p => p.TxHash).IsRequired();
        builder.Property(p => p.Amount).IsRequired();
        builder.HasIndex(p => new { p.SellerId, p.PaidAt });
        builder.HasIndex(p => new { p.ChainId, p.TxHash });
    }
}
