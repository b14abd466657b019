using MimeKit;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Email;

internal static class MimeMessages
{
    /// <summary>A multipart/alternative message (text and HTML) from the port's <see cref="EmailMessage"/>.</summary>
    public static MimeMessage Build(EmailMessage message, string from, DateTimeOffset now)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(from));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Date = now;
        mime.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("neurodata.local");
        mime.Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody();
        return mime;
    }
}
