using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using NeuroData.Infrastructure.Email;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Accounts;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Web.Accounts;
using NeuroData.Web.Components.Account.Pages;
using NeuroData.Web.Components.Account.Shared;
using NeuroData.Web.Components.Pages.Dev;

namespace NeuroData.Tests.Components.Account;

/// <summary>
/// Account components rendered with bUnit and the real account services. Validation runs before anything touches the
/// database, so the database here is never opened by the validation tests.
/// </summary>
public sealed class AccountComponentTests : BunitContext
{
    private readonly string _mailRoot = Path.Combine(Path.GetTempPath(), "nd-bunit-mail-" + Guid.NewGuid().ToString("N")[..12]);

    public AccountComponentTests()
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_mailRoot, "never-opened.db")}");
        AccountServices.AddTo(Services, settings, new FixedClock());
        Services.AddMudServices();
        Services.AddHttpContextAccessor();
        Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        new IdentityBuilder(typeof(ApplicationUser), typeof(ApplicationRole), Services).AddSignInManager();
        Services.AddScoped<IdentityRedirectManager>();
        Services.AddScoped<AccountEmails>();
        Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgery());
        var emailSettings = new EmailSettings { PickupDirectory = Path.Combine(_mailRoot, "mail") };
        Services.AddSingleton(emailSettings);
        Services.AddSingleton<PickupMailbox>();
        JSInterop.Mode = JSRuntimeMode.Loose; // MudBlazor's static parts call no JS that matters here
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_mailRoot))
        {
            Directory.Delete(_mailRoot, recursive: true);
        }
    }

    [Fact]
    public void Register_RendersTheFormWithTheFixedIds()
    {
        var cut = Render<Register>(p => p.AddCascadingValue<HttpContext>(new DefaultHttpContext()));

        cut.Find("input#email").ShouldNotBeNull();
        cut.Find("input#password").GetAttribute("type").ShouldBe("password");
        cut.Find("input#confirm-password").GetAttribute("type").ShouldBe("password");
        cut.Find("button#register-submit").GetAttribute("type").ShouldBe("submit");
        cut.Find("form").GetAttribute("method").ShouldBe("post");
    }

    [Fact]
    public void Register_SubmittedEmpty_ShowsARequiredMessageForEachField()
    {
        var cut = Render<Register>(p => p.AddCascadingValue<HttpContext>(new DefaultHttpContext()));

        cut.Find("form").Submit();

        var messages = cut.FindAll(".validation-message").Select(m => m.TextContent).ToList();
        messages.ShouldContain("Enter your email address.");
        messages.ShouldContain("Choose a password.");
        messages.ShouldContain("Type the password again.");
    }

    [Fact]
    public void Register_WithAMalformedEmail_AShortPassword_AndAMismatch_ShowsEachProblem()
    {
        var cut = Render<Register>(p => p.AddCascadingValue<HttpContext>(new DefaultHttpContext()));

        cut.Find("input#email").Change("someone@localhost");
        cut.Find("input#password").Change("short");
        cut.Find("input#confirm-password").Change("different");
        cut.Find("form").Submit();

        var messages = cut.FindAll(".validation-message").Select(m => m.TextContent).ToList();
        messages.ShouldContain("Enter a valid email address, like name@example.com.");
        messages.ShouldContain("Passwords must be 12 to 128 characters long.");
        messages.ShouldContain("The two passwords do not match.");
        Services.GetRequiredService<RecordingEmailSender>().Sent.ShouldBeEmpty();
    }

    [Fact]
    public void Register_WithATooLongPassword_ShowsTheLengthRule()
    {
        var cut = Render<Register>(p => p.AddCascadingValue<HttpContext>(new DefaultHttpContext()));
        var longPassword = new string('k', 129);

        cut.Find("input#email").Change("long@example.com");
        cut.Find("input#password").Change(longPassword);
        cut.Find("input#confirm-password").Change(longPassword);
        cut.Find("form").Submit();

        cut.FindAll(".validation-message").Select(m => m.TextContent).ShouldBe(["Passwords must be 12 to 128 characters long."]);
    }

    [Fact]
    public void Login_RendersTheFixedIds_AndRequiresBothFields()
    {
        var cut = Render<Login>(p => p.AddCascadingValue<HttpContext>(new DefaultHttpContext { Request = { Method = "POST" } }));

        cut.Find("input#email").ShouldNotBeNull();
        cut.Find("input#password").GetAttribute("type").ShouldBe("password");
        cut.Find("form").Submit();

        cut.FindAll(".validation-message").Select(m => m.TextContent).ShouldBe(["Enter your email address.", "Enter your password."]);
        cut.Find("button#login-submit").ShouldNotBeNull();
    }

    [Fact]
    public void LogoutForm_PostsToLogout_WithAnAntiforgeryTokenAndTheReturnUrl()
    {
        var cut = Render<LogoutForm>(p => p.Add(x => x.ReturnUrl, "/marketplace"));

        var form = cut.Find("form");
        form.GetAttribute("action").ShouldBe("Account/Logout");
        form.GetAttribute("method").ShouldBe("post");
        cut.Find("input[name=__RequestVerificationToken]").GetAttribute("value").ShouldBe(FixedAntiforgery.Token);
        cut.Find("input[name=ReturnUrl]").GetAttribute("value").ShouldBe("/marketplace");
        cut.Find("button#logout-submit").GetAttribute("type").ShouldBe("submit");
    }

    [Fact]
    public void StatusMessage_ShowsErrorsAsErrors_AndOtherMessagesAsSuccess()
    {
        Render<StatusMessage>(p => p.Add(x => x.Message, "Error: nope")).Find("#status-message").ClassList.ShouldContain("mud-alert-text-error");
        Render<StatusMessage>(p => p.Add(x => x.Message, "Saved.")).Find("#status-message").ClassList.ShouldContain("mud-alert-text-success");
        Render<StatusMessage>().FindAll("#status-message").ShouldBeEmpty();
    }

    [Fact]
    public async Task Mailbox_ListsMailsNewestFirst_AsLinks_AndAMailShowsItsConfirmLink()
    {
        var ct = Xunit.TestContext.Current.CancellationToken;
        var clock = new FixedClock();
        var sender = new PickupFolderEmailSender(Services.GetRequiredService<EmailSettings>(), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<PickupFolderEmailSender>.Instance);
        await sender.SendAsync(new("a@example.com", "Older", "<a href=\"http://localhost/x\">Other</a>", "t"), ct);
        clock.Advance(TimeSpan.FromSeconds(2));
        await sender.SendAsync(new("b@example.com", "Confirm your NeuroData account", "<a href=\"http://localhost/Account/ConfirmEmail?userId=1&amp;code=2\">Confirm your email</a>", "t"), ct);

        var list = Render<Mailbox>();
        list.WaitForAssertion(() => list.FindAll("a.mail-item").Count.ShouldBe(2));
        var items = list.FindAll("a.mail-item");
        items[0].TextContent.ShouldContain("Confirm your NeuroData account");
        items[1].TextContent.ShouldContain("Older");
        var href = items[0].GetAttribute("href")!;
        href.ShouldStartWith("/dev/mailbox/");

        var mail = Render<MailboxMessage>(p => p.Add(x => x.Id, href["/dev/mailbox/".Length..]));
        mail.WaitForAssertion(() => mail.Find("a.mail-link").TextContent.ShouldBe("Confirm your email"));
        mail.Find("a.mail-link").GetAttribute("href").ShouldBe("http://localhost/Account/ConfirmEmail?userId=1&code=2");
    }

    [Fact]
    public void Mailbox_WhenEmpty_SaysSo()
    {
        var cut = Render<Mailbox>();
        cut.WaitForAssertion(() => cut.Find("#mailbox-empty").TextContent.ShouldContain("No mail yet"));
    }

    [Theory]
    [InlineData("/dashboard", "dashboard")]
    [InlineData("Account/Manage?tab=1", "Account/Manage?tab=1")]
    [InlineData("http://localhost/Account/Manage", "Account/Manage")]
    [InlineData("//evil.example/x", "")]
    [InlineData("/\\evil.example", "")]
    [InlineData("https://evil.example/", "")]
    [InlineData("javascript:alert(1)", "")]
    [InlineData("/ok\r\nSet-Cookie: x=1", "")]
    [InlineData(null, "")]
    public void RedirectManager_FollowsOnlyLocalUrls(string? returnUrl, string expected) =>
        Services.GetRequiredService<IdentityRedirectManager>().ToLocal(returnUrl).ShouldBe(expected);

    private sealed class FixedAntiforgery : AntiforgeryStateProvider
    {
        public const string Token = "test-antiforgery-token";

        public override AntiforgeryRequestToken? GetAntiforgeryToken() => new(Token, "__RequestVerificationToken");
    }
}
