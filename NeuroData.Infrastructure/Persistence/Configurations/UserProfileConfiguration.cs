using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Domain.Users;
using NeuroData.Infrastructure.Identity;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal sealed class UserProfileConfiguration : IEntityTypeConfiguration<UserProfile>
{
    public void Configure(EntityTypeBuilder<UserProfile> builder)
    {
        builder.ToTable("UserProfiles");
        builder.HasKey(p => p.Id);

        // Keyed by the Identity user id; deleting the account deletes the profile.
        builder.HasOne<ApplicationUser>().WithOne().HasForeignKey<UserProfile>(p => p.Id).OnDelete(DeleteBehavior.Cascade);

        builder.Property(p => p.DisplayName).HasMaxLength(UserProfile.DisplayNameMaxLength).IsRequired();
        builder.Property(p => p.Bio).HasMaxLength(UserProfile.BioMaxLength);
        builder.Property(p => p.AvatarUrl).HasMaxLength(UserProfile.AvatarUrlMaxLength);

        builder.HasMany(p => p.Wallets).WithOne().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(p => p.Wallets).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(p => p.PrimaryWallet);
    }
}
