using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class UserActivityConfiguration : IEntityTypeConfiguration<UserActivity>
{
    public void Configure(EntityTypeBuilder<UserActivity> builder)
    {
        builder.ToTable("UserActivities");
        builder.HasKey(a => a.Id);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);

        builder.Property(a => a.Kind).IsEnumText();
        builder.Property(a => a.IpAddress).HasMaxLength(UserActivity.IpMaxLength);
        builder.Property(a => a.UserAgent).HasMaxLength(UserActivity.UserAgentMaxLength);
        builder.Property(a => a.Detail).HasMaxLength(UserActivity.DetailMaxLength);

        builder.HasIndex(a => new { a.UserId, a.At });
    }
}
