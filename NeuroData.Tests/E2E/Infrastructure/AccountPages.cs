using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace NeuroData.Tests.E2E.Infrastructure;

/// <summary>
/// The account flow as a user clicks through it: register, open the confirmation mail in the Development mailbox,
/// confirm, sign in. Element ids are the contract with the Identity pages (#email, #password, #confirm-password,
/// #register-submit, #login-submit, a.mail-item, #page-title).
/// </summary>
public static partial class AccountPages
{
    /// <summary>A password that meets the rules (12+ characters, not a common one).</summary>
    public const string StrongPassword = "violet-Harbor-lantern-93";

    /// <summary>A fresh address no earlier test used.</summary>
    public static string NewEmail(string purpose) => $"e2e-{purpose}-{Guid.NewGuid():N}"[..32] + "@example.test";

    public static async Task SubmitRegistrationAsync(IPage page, string email, string password, string? confirmPassword = null)
    {
        await PageChecks.GotoAsync(page, "/Account/Register");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#confirm-password").FillAsync(confirmPassword ?? password);
        await page.Locator("#register-submit").ClickAsync();
    }

    public static async Task RegisterAsync(IPage page, string email, string password)
    {
        await SubmitRegistrationAsync(page, email, password);
        await Expect(page.GetByText("Check your email").First).ToBeVisibleAsync();
    }

    /// <summary>
    /// Opens /dev/mailbox and counts its mails (E2E tests run one at a time, so a difference is this test's mail).
    /// The mailbox page must answer 200 and be fully rendered, so an empty count is not a broken page.
    /// </summary>
    public static async Task<int> MailCountAsync(IPage page)
    {
        var response = await PageChecks.GotoAsync(page, "/dev/mailbox");
        response.Status.ShouldBe(200, "the Development mailbox /dev/mailbox should exist");
        await PageChecks.WaitForBlazorAsync(page);
        return await page.Locator("a.mail-item").CountAsync();
    }

    /// <summary>
    /// Opens the newest mail in /dev/mailbox (the newest addressed to <paramref name="email"/> when the list shows
    /// recipients), follows its "Confirm your email" link and expects the confirmation page.
    /// </summary>
    public static async Task ConfirmFromMailboxAsync(IPage page, string email)
    {
        // The mail may be written a moment after the page said "Check your email": reload until it is listed, and never
        // open someone else's mail (another test's) by mistake.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        ILocator mine;
        while (true)
        {
            await PageChecks.GotoAsync(page, "/dev/mailbox");
            mine = page.Locator("a.mail-item").Filter(new LocatorFilterOptions { HasText = email });
            if (await mine.CountAsync() > 0)
            {
                break;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"No mail to {email} appeared in the dev mailbox.");
            }

            await Task.Delay(500);
        }

        // Go to the mail's own page rather than clicking: a click can land while the list is still being re-rendered
        // (seen at phone width) and then nothing navigates.
        var mailHref = await mine.First.GetAttributeAsync("href");
        mailHref.ShouldNotBeNullOrWhiteSpace("a mail in the list has no link");
        await PageChecks.GotoAsync(page, mailHref);

        await FollowLinkAsync(page, "Confirm your email");
        await Expect(page.GetByText("Thank you for confirming your email.")).ToBeVisibleAsync();
    }

    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await PageChecks.GotoAsync(page, "/Account/Login");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#login-submit").ClickAsync();
        await page.WaitForURLAsync(DashboardUrl());
        await Expect(page.Locator("#page-title")).ToHaveTextAsync("Dashboard");
    }

    /// <summary>Registers, confirms and signs in a new user in the session's context; returns the email.</summary>
    public static async Task<string> CreateConfirmedUserAndSignInAsync(IPage page, string purpose)
    {
        var email = NewEmail(purpose);
        await RegisterAsync(page, email, StrongPassword);
        await ConfirmFromMailboxAsync(page, email);
        await SignInAsync(page, email, StrongPassword);
        return email;
    }

    [GeneratedRegex(@"/dashboard/?(\?.*)?$", RegexOptions.IgnoreCase)]
    public static partial Regex DashboardUrl();

    /// <summary>
    /// Follows the link with the given text in the page or in a frame of it (a mail body may be shown in an iframe):
    /// a click when it opens in the same page, otherwise the same page navigates to its href (one tab throughout).
    /// </summary>
    private static async Task FollowLinkAsync(IPage page, string text)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            foreach (var frame in page.Frames)
            {
                var link = frame.GetByRole(AriaRole.Link, new FrameGetByRoleOptions { Name = text, Exact = true }).First;
                if (await link.CountAsync() == 0)
                {
                    continue;
                }

                // Navigate to the link's address rather than clicking it: a click can land while the interactive page
                // re-renders and then nothing navigates (a CI run once stayed on the mail this way).
                var href = await link.GetAttributeAsync("href");
                href.ShouldNotBeNullOrWhiteSpace($"the '{text}' link has no href");
                var baseUrl = frame.Url.StartsWith("http", StringComparison.Ordinal) ? frame.Url : page.Url;
                await page.GotoAsync(new Uri(new Uri(baseUrl), href).ToString());
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"No link '{text}' in the mail shown at {page.Url}.");
            }

            await Task.Delay(250);
        }
    }
}
