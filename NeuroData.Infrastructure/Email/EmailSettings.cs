using Microsoft.Extensions.Configuration;
using MimeKit;
using NeuroData.Infrastructure.Persistence;

namespace NeuroData.Infrastructure.Email;

/// <summary>
/// Where mail goes. <c>NeuroData:Email:Smtp:Host</c> set -> SMTP (MailKit); otherwise .eml files in a pickup folder
/// (<c>NeuroData:Email:PickupDirectory</c>, default <c>{DataDirectory}/mail</c>) that the dev mailbox page shows.
/// </summary>
public sealed record EmailSettings
{
    public const string Section = "NeuroData:Email";
    public const string DefaultFrom = "NeuroData <no-reply@neurodata.local>";

    public string? SmtpHost { get; init; }

    public int SmtpPort { get; init; } = 587;

    public string? SmtpUserName { get; init; }

    public string? SmtpPassword { get; init; }

    /// <summary>STARTTLS is required when true (default); false allows a plain connection (local relays only).</summary>
    public bool UseStartTls { get; init; } = true;

    public string From { get; init; } = DefaultFrom;

    public required string PickupDirectory { get; init; }

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(SmtpHost);

    public static EmailSettings Load(IConfiguration configuration, string contentRoot)
    {
        var smtp = configuration.GetSection(Section + ":Smtp");
        var pickup = configuration[Section + ":PickupDirectory"];
        var settings = new EmailSettings
        {
            SmtpHost = smtp["Host"],
            SmtpPort = int.TryParse(smtp["Port"], out var port) ? port : 587,
            SmtpUserName = smtp["UserName"],
            SmtpPassword = smtp["Password"],
            UseStartTls = !bool.TryParse(smtp["UseStartTls"], out var tls) || tls,
            From = string.IsNullOrWhiteSpace(smtp["From"]) ? DefaultFrom : smtp["From"]!,
            PickupDirectory = string.IsNullOrWhiteSpace(pickup)
                ? Path.Combine(DatabaseSettings.ResolveDataDirectory(configuration, contentRoot), "mail")
                : Path.GetFullPath(pickup, contentRoot),
        };

        if (!MailboxAddress.TryParse(settings.From, out _))
        {
            throw new InvalidOperationException($"NeuroData:Email:Smtp:From is not a valid address: '{settings.From}'.");
        }

        if (settings.SmtpPort is < 1 or > 65535)
        {
            throw new InvalidOperationException($"NeuroData:Email:Smtp:Port must be 1-65535 (got {settings.SmtpPort}).");
        }

        return settings;
    }
}
