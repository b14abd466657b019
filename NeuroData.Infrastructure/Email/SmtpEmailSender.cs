using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Email;

/// <summary>Sends mail through an SMTP server with MailKit (one connection per message).</summary>
public sealed class SmtpEmailSender(EmailSettings settings, TimeProvider clock, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        using var mime = MimeMessages.Build(message, settings.From, clock.GetUtcNow());
        using var client = new SmtpClient();
        await client.ConnectAsync(settings.SmtpHost ?? throw new InvalidOperationException("SMTP host is not configured."), settings.SmtpPort,
            settings.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.StartTlsWhenAvailable, cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUserName))
        {
            await client.AuthenticateAsync(settings.SmtpUserName, settings.SmtpPassword ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        logger.LogInformation("Mail \"{Subject}\" sent via {Host}", message.Subject, settings.SmtpHost);
    }
}
