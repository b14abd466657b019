namespace NeuroData.Tests.E2E.Infrastructure;

/// <summary>A screen the E2E tests look through; <see cref="Name"/> is the screenshot suffix.</summary>
public sealed record Viewport(string Name, int Width, int Height, bool IsMobile)
{
    /// <summary>A common laptop screen.</summary>
    public static Viewport Desktop { get; } = new("desktop", 1366, 900, IsMobile: false);

    /// <summary>A current phone (CSS pixels), with touch and the mobile viewport meta tag honoured.</summary>
    public static Viewport Phone { get; } = new("phone", 390, 844, IsMobile: true);

    public static IReadOnlyList<Viewport> All { get; } = [Desktop, Phone];
}
