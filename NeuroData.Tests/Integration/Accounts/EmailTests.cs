using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Email;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Accounts;

public sealed class EmailTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nd-mail-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task PickupSender_WritesAnEmlFile_ThatTheMailboxListsAndShowsWithItsLinks()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = Settings(new() { ["NeuroData:DataDirectory"] = _root });
        settings.PickupDirectory.ShouldBe(Path.Combine(_root, "mail"));
        var clock = new FixedClock();
        var sender = new PickupFolderEmailSender(settings, clock, NullLogger<PickupFolderEmailSender>.Instance);

        await sender.SendAsync(new EmailMessage("ada@example.com", "First", "<p><a href=\"https://x.test/a?b=1&amp;c=2\">Open <b>it</b></a></p>", "text one"), ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        await sender.SendAsync(new EmailMessage("bob@example.com", "Second", "<a href=\"javascript:alert(1)\">bad</a><a href=\"http://x.test/ok\">Confirm your email</a>", "text two"), ct);

        var files = Directory.GetFiles(settings.PickupDirectory);
        files.Length.ShouldBe(2);
        files.ShouldAllBe(f => f.EndsWith(".eml", StringComparison.Ordinal));
        using (var parsed = await MimeMessage.LoadAsync(files.Order().First(), ct))
        {
            parsed.To.Mailboxes.Single().Address.ShouldBe("ada@example.com");
            parsed.From.Mailboxes.Single().Address.ShouldBe("no-reply@neurodata.local");
            parsed.TextBody.ShouldBe("text one");
        }

        var mailbox = new PickupMailbox(settings);
        var list = await mailbox.ListAsync(cancellationToken: ct);
        list.Select(m => m.Subject).ShouldBe(["Second", "First"]); // newest first

        var first = (await mailbox.GetAsync(list[1].Id, ct)).ShouldNotBeNull();
        first.Links.ShouldBe([new MailLink("Open it", "https://x.test/a?b=1&c=2")]);
        var second = (await mailbox.GetAsync(list[0].Id, ct)).ShouldNotBeNull();
        second.Links.ShouldBe([new MailLink("Confirm your email", "http://x.test/ok")]); // javascript: dropped
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("20261202T101500123-3f2a9c1e/../x")]
    [InlineData("")]
    [InlineData("20261202T101500123-3f2a9c1f")] // well-formed but absent
    public async Task Mailbox_WithAMalformedOrUnknownId_ReturnsNothing(string id)
    {
        var mailbox = new PickupMailbox(Settings(new() { ["NeuroData:DataDirectory"] = _root }));
        (await mailbox.GetAsync(id, TestContext.Current.CancellationToken)).ShouldBeNull();
    }

    [Fact]
    public void Settings_ReadSmtpKeys_AndRejectABadFromAddress()
    {
        var s = Settings(new()
        {
            ["NeuroData:DataDirectory"] = _root,
            ["NeuroData:Email:Smtp:Host"] = "smtp.example.com",
            ["NeuroData:Email:Smtp:Port"] = "2525",
            ["NeuroData:Email:Smtp:UserName"] = "u",
            ["NeuroData:Email:Smtp:Password"] = "p",
            ["NeuroData:Email:Smtp:UseStartTls"] = "false",
            ["NeuroData:Email:Smtp:From"] = "Market <market@example.com>",
        });
        s.UsesSmtp.ShouldBeTrue();
        (s.SmtpPort, s.SmtpUserName, s.SmtpPassword, s.UseStartTls, s.From).ShouldBe((2525, "u", "p", false, "Market <market@example.com>"));

        Settings(new() { ["NeuroData:DataDirectory"] = _root }).UsesSmtp.ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => Settings(new() { ["NeuroData:DataDirectory"] = _root, ["NeuroData:Email:Smtp:From"] = "not an address <" }))
            .Message.ShouldContain("NeuroData:Email:Smtp:From");
    }

    private static EmailSettings Settings(Dictionary<string, string?> values) =>
        EmailSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), Path.GetTempPath());
}
