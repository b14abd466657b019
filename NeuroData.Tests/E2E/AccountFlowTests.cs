using System.Text.RegularExpressions;
using NeuroData.Tests.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E;

/// <summary>
/// The account flow in a real browser against the real app: register, open the confirmation mail in the Development
/// mailbox, confirm, sign in, land on the dashboard; and registration with bad input.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class AccountFlowTests(AppServerFixture app, BrowserFixture browser)
{
    [Fact]
    public async Task Register_ConfirmFromMailbox_SignIn_ShowsDashboard()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        var email = AccountPages.NewEmail("flow");

        await AccountPages.RegisterAsync(page, email, AccountPages.StrongPassword);
        await session.ScreenshotAsync("account-flow-1-registered");

        await AccountPages.ConfirmFromMailboxAsync(page, email);
        await session.ScreenshotAsync("account-flow-2-confirmed");

        await AccountPages.SignInAsync(page, email, AccountPages.StrongPassword);

        page.Url.ShouldMatch(AccountPages.DashboardUrl().ToString());
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("Dashboard");
        await session.ScreenshotAsync("account-flow-3-dashboard");
    }

    [Fact]
    public async Task SignIn_BeforeConfirmingEmail_IsRefused()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        var email = AccountPages.NewEmail("unconfirmed");
        await AccountPages.RegisterAsync(page, email, AccountPages.StrongPassword);

        await PageChecks.GotoAsync(page, "/Account/Login");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(AccountPages.StrongPassword);
        await page.Locator("#login-submit").ClickAsync();

        await Expect(page.Locator("body")).ToContainTextAsync(ConfirmFirstMessage(), IgnoreCase);
        await Expect(page).ToHaveURLAsync(LoginUrl());
        await session.ScreenshotAsync("account-signin-unconfirmed");
    }

    [Fact]
    public async Task Register_WithWeakPassword_ShowsError_AndSendsNoMail()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        var email = AccountPages.NewEmail("weak");
        var mailsBefore = await AccountPages.MailCountAsync(page);

        await AccountPages.SubmitRegistrationAsync(page, email, "password");

        await Expect(page.Locator("body")).ToContainTextAsync(WeakPasswordMessage(), IgnoreCase);
        await Expect(page.GetByText("Check your email")).ToHaveCountAsync(0);
        await Expect(page).ToHaveURLAsync(RegisterUrl());
        await session.ScreenshotAsync("account-register-weak-password");

        (await AccountPages.MailCountAsync(page)).ShouldBe(mailsBefore, "a rejected registration must not send mail");
        await Expect(page.Locator("body")).Not.ToContainTextAsync(email);
    }

    [Fact]
    public async Task Register_WithMismatchedConfirmation_ShowsError_AndSendsNoMail()
    {
        await using var session = await browser.NewSessionAsync(app, Viewport.Desktop);
        var page = session.Page;
        var email = AccountPages.NewEmail("mismatch");
        var mailsBefore = await AccountPages.MailCountAsync(page);

        await AccountPages.SubmitRegistrationAsync(page, email, AccountPages.StrongPassword, AccountPages.StrongPassword + "x");

        await Expect(page.Locator("body")).ToContainTextAsync(new Regex("match", RegexOptions.IgnoreCase), IgnoreCase);
        await Expect(page.GetByText("Check your email")).ToHaveCountAsync(0);

        (await AccountPages.MailCountAsync(page)).ShouldBe(mailsBefore, "a rejected registration must not send mail");
        await Expect(page.Locator("body")).Not.ToContainTextAsync(email);
    }

    /// <summary>Case-insensitive text match (the option wins over the .NET regex's own flags).</summary>
    private static readonly Microsoft.Playwright.LocatorAssertionsToContainTextOptions IgnoreCase = new() { IgnoreCase = true };

    /// <summary>Identity's length rule or the common-password check, however the page words it.</summary>
    [GeneratedRegex(@"at least 12|12 to \d+ characters|too short|too common|commonly used|weak", RegexOptions.IgnoreCase)]
    private static partial Regex WeakPasswordMessage();

    /// <summary>The login page's refusal of an unconfirmed account, however it is worded.</summary>
    [GeneratedRegex("confirm your email|email (address )?(is )?not (yet )?confirmed", RegexOptions.IgnoreCase)]
    private static partial Regex ConfirmFirstMessage();

    [GeneratedRegex(@"/Account/Register", RegexOptions.IgnoreCase)]
    private static partial Regex RegisterUrl();

    [GeneratedRegex(@"/Account/Login", RegexOptions.IgnoreCase)]
    private static partial Regex LoginUrl();
}
