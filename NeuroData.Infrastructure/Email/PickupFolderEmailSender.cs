using Microsoft.Extensions.Logging;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Email;

/// <summary>
/// Writes each mail as an .eml file into the pickup folder (no SMTP configured). The file appears complete or not at
/// all: it is written under a temporary name and renamed.
/// </summary>
public sealed class PickupFolderEmailSender(EmailSettings settings, TimeProvider clock, ILogger<PickupFolderEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(settings.PickupDirectory);
        var now = clock.GetUtcNow();
        using var mime = MimeMessages.Build(message, settings.From, now);
        var id = PickupMailbox.NewId(now);
        var final = Path.Combine(settings.PickupDirectory, id + ".eml");
        var temp = final + ".tmp";
        try
        {
            await mime.WriteToAsync(temp, cancellationToken);
            File.Move(temp, final);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        logger.LogInformation("Mail \"{Subject}\" written to {File}", message.Subject, final);
    }
}
