using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NeuroData.Infrastructure.Persistence.Configurations;

internal static class ConfigurationExtensions
{
    /// <summary>Stores an enum by name (readable in the database, safe against reordering members).</summary>
    public static PropertyBuilder<TEnum> IsEnumText<TEnum>(this PropertyBuilder<TEnum> property)
        where TEnum : struct, Enum =>
        property.HasConversion<string>().HasMaxLength(40).IsUnicode(false);

    public static PropertyBuilder<TEnum?> IsEnumText<TEnum>(this PropertyBuilder<TEnum?> property)
        where TEnum : struct, Enum =>
        property.HasConversion<string>().HasMaxLength(40).IsUnicode(false);
}
