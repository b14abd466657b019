using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using NeuroData.Web.Components.Layout;

namespace NeuroData.Tests.Components.Layout;

public sealed class MainLayoutTests : BunitContext
{
    private readonly BunitJSModuleInterop _themeModule;

    public MainLayoutTests()
    {
        Services.AddMudServices();
        // MudBlazor's providers and drawer call their own JS; the theme module is set up explicitly and verified.
        JSInterop.Mode = JSRuntimeMode.Loose;
        _themeModule = JSInterop.SetupModule(ThemePreference.ModulePath);
        _themeModule.SetupVoid("setTheme", _ => true);
        AddAuthorization();
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void ThemeToggle_SwitchesToDark_AndRemembersIt_ThenBackToLight()
    {
        var theme = new ThemeState();
        var cut = RenderLayout(theme, Text("Hello"));
        IsDarkRendered(cut).ShouldBeFalse();
        cut.Find("#theme-toggle").GetAttribute("aria-label").ShouldBe("Switch to dark theme");

        cut.Find("#theme-toggle").Click();

        IsDarkRendered(cut).ShouldBeTrue();
        theme.IsDark.ShouldBeTrue();
        cut.Find("#theme-toggle").GetAttribute("aria-label").ShouldBe("Switch to light theme");
        _themeModule.VerifyInvoke("setTheme").Arguments.ShouldBe([ThemePreference.Dark]);

        cut.Find("#theme-toggle").Click();

        IsDarkRendered(cut).ShouldBeFalse();
        _themeModule.Invocations["setTheme"].Select(i => i.Arguments.Single()).ShouldBe([ThemePreference.Dark, ThemePreference.Light]);
    }

    [Fact]
    public void RememberedDarkTheme_IsUsedFromTheFirstRender()
    {
        var cut = RenderLayout(new ThemeState { IsDark = true }, Text("Hello"));

        IsDarkRendered(cut).ShouldBeTrue();
        cut.Find("#theme-toggle").GetAttribute("aria-label").ShouldBe("Switch to light theme");
        _themeModule.Invocations.ShouldBeEmpty();
    }

    [Fact]
    public void ABrokenPage_ShowsAFriendlyMessage_AndTryAgainRendersItAfresh()
    {
        var failing = true;
        RenderFragment body = builder =>
        {
            builder.OpenComponent<Thrower>(0);
            builder.AddAttribute(1, nameof(Thrower.ShouldThrow), (Func<bool>)(() => failing));
            builder.CloseComponent();
        };

        var cut = RenderLayout(new ThemeState(), body);

        cut.Find("#error-boundary").TextContent.ShouldContain("Something went wrong on this page.");
        cut.FindAll("#thrower-ok").ShouldBeEmpty();

        failing = false;
        cut.Find("#error-retry").Click();

        cut.FindAll("#error-boundary").ShouldBeEmpty();
        cut.Find("#thrower-ok").TextContent.ShouldBe("fine");
    }

    [Fact]
    public void Layout_RendersTheBody_AndTheNavigation()
    {
        var cut = RenderLayout(new ThemeState(), Text("Body text"));

        cut.Markup.ShouldContain("Body text");
        cut.Find("#nav-marketplace");
        cut.Find("#drawer-toggle");
    }

    [Fact]
    public void OnAPlainHtmlPage_TheCircuitButtonsAreLeftOut_ButLinksStay()
    {
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = RenderLayout(new ThemeState(), Text("Static page"));

        cut.FindAll("#theme-toggle").ShouldBeEmpty();
        cut.FindAll("#drawer-toggle").ShouldBeEmpty();
        cut.Find("#nav-marketplace").GetAttribute("href").ShouldBe("/marketplace");
        cut.Markup.ShouldContain("Static page");
    }

    private IRenderedComponent<CascadingValue<ThemeState>> RenderLayout(ThemeState theme, RenderFragment body) =>
        Render<CascadingValue<ThemeState>>(p => p
            .Add(c => c.Value, theme)
            .AddChildContent<MainLayout>(l => l.Add(x => x.Body, body)));

    /// <summary>MudThemeProvider writes the active palette as CSS variables, including the native colour scheme.</summary>
    private static bool IsDarkRendered(IRenderedComponent<CascadingValue<ThemeState>> cut)
    {
        var style = cut.FindAll("style").Select(s => s.TextContent).Where(t => t.Contains("--mud-palette-background:", StringComparison.Ordinal))
            .ShouldHaveSingleItem(customMessage: "one palette style element");
        var dark = style.Contains("--mud-native-html-color-scheme: dark", StringComparison.Ordinal);
        var light = style.Contains("--mud-native-html-color-scheme: light", StringComparison.Ordinal);
        (dark ^ light).ShouldBeTrue("exactly one colour scheme is rendered");
        return dark;
    }

    private static RenderFragment Text(string text) => b => b.AddContent(0, text);

    /// <summary>A page that fails to render while <see cref="ShouldThrow"/> says so.</summary>
    private sealed class Thrower : ComponentBase
    {
        [Parameter]
        public Func<bool> ShouldThrow { get; set; } = () => true;

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            if (ShouldThrow())
            {
                throw new InvalidOperationException("Page failed");
            }

            builder.OpenElement(0, "p");
            builder.AddAttribute(1, "id", "thrower-ok");
            builder.AddContent(2, "fine");
            builder.CloseElement();
        }
    }
}
