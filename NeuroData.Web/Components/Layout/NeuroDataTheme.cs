using MudBlazor;

namespace NeuroData.Web.Components.Layout;

/// <summary>The NeuroData look: deep indigo with a teal accent, calm surfaces, system fonts.</summary>
public static class NeuroDataTheme
{
    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00897b",
            Tertiary = "#8e24aa",
            Info = "#1e88e5",
            Success = "#2e7d32",
            Warning = "#ef6c00",
            Error = "#c62828",
            AppbarBackground = "#283593",
            AppbarText = "#ffffff",
            Background = "#f6f7fb",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "rgba(0,0,0,0.80)",
            TextPrimary = "rgba(0,0,0,0.87)",
            TextSecondary = "rgba(0,0,0,0.62)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            Secondary = "#4db6ac",
            Tertiary = "#ce93d8",
            Info = "#64b5f6",
            Success = "#81c784",
            Warning = "#ffb74d",
            Error = "#ef9a9a",
            AppbarBackground = "#1a1d2e",
            AppbarText = "#e8eaf6",
            Background = "#12131c",
            Surface = "#1c1e2b",
            DrawerBackground = "#171926",
            DrawerText = "rgba(255,255,255,0.80)",
            TextPrimary = "rgba(255,255,255,0.90)",
            TextSecondary = "rgba(255,255,255,0.65)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
