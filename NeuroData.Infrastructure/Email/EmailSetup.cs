using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using NeuroData.Domain.Ports;

namespace NeuroData.Infrastructure.Email;

public static class EmailSetup
{
    /// <summary>The <see cref="IEmailSender"/> port: SMTP when a host is configured, else the pickup folder.</summary>
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        var settings = EmailSettings.Load(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<PickupMailbox>();
        if (settings.UsesSmtp)
        {
            builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();
        }
        else
        {
            builder.Services.AddSingleton<IEmailSender, PickupFolderEmailSender>();
        }

        return builder;
    }
}
