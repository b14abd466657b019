using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Notifications;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence.Configurations;

namespace NeuroData.Infrastructure.Notifications;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("Notifications");
        builder.HasKey(n => n.Id);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(n => n.Kind).IsEnumText();
        builder.Property(n => n.Key).HasMaxLength(Notification.KeyMaxLength).IsRequired().IsUnicode(false);
        builder.Property(n => n.Title).HasMaxLength(Notification.TitleMaxLength).IsRequired();
        builder.Property(n => n.Body).HasMaxLength(Notification.BodyMaxLength).IsRequired();
        builder.Property(n => n.Link).HasMaxLength(Notification.LinkMaxLength);

        // The idempotency key: one notification per (user, subject), so a repeated reconciler pass inserts nothing.
        builder.HasIndex(n => new { n.UserId, n.Key }).IsUnique();
        builder.HasIndex(n => new { n.UserId, n.CreatedAt });
    }
}
