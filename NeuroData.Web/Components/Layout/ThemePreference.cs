namespace NeuroData.Web.Components.Layout;

/// <summary>
/// The visitor's light/dark choice, remembered in a first-party cookie (<see cref="CookieName"/>) that
/// wwwroot/js/theme.js writes and the server reads when it renders the page, so there is no flash of the wrong theme.
/// </summary>
public static class ThemePreference
{
    public const string CookieName = "nd-theme";
    public const string Dark = "dark";
    public const string Light = "light";

    /// <summary>The JS module that writes the cookie.</summary>
    public const string ModulePath = "./js/theme.js";

    public static bool IsDark(IRequestCookieCollection cookies) =>
        cookies is not null && cookies.TryGetValue(CookieName, out var value) && string.Equals(value, Dark, StringComparison.Ordinal);
}

/// <summary>The theme of this page/circuit, cascaded from Routes to the layout.</summary>
public sealed class ThemeState
{
    public bool IsDark { get; set; }
}
