using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Identity;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Seeding;

namespace NeuroData.Tests.Integration.Accounts;

/// <summary>The account services as the app registers them (Identity core, stores, validators, seeders) over a given database.</summary>
public static class AccountServices
{
    public static ServiceProvider Build(
        DatabaseSettings settings,
        TimeProvider clock,
        IDictionary<string, string?>? configuration = null,
        string environment = "Development",
        Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        AddTo(services, settings, clock, configuration, environment);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public static void AddTo(
        IServiceCollection services,
        DatabaseSettings settings,
        TimeProvider clock,
        IDictionary<string, string?>? configuration = null,
        string environment = "Development")
    {
        services.AddLogging();
        services.AddSingleton(clock);
        services.AddSingleton(settings);
        services.AddSingleton<IDbContextFactory<NeuroDataDbContext>>(new NeuroDataDbContextFactory(settings, clock));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContext());
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build());
        services.AddSingleton<IHostEnvironment>(new TestEnvironment(environment));
        services.AddNeuroDataIdentityCore();
        services.AddSingleton<AccountsBootstrapper>();
        services.AddSingleton<DevelopmentSeeder>();
        services.AddSingleton<RecordingEmailSender>();
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<RecordingEmailSender>());
    }

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "NeuroData.Tests";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

/// <summary>Keeps sent mails in memory (the pickup and SMTP senders have their own tests).</summary>
public sealed class RecordingEmailSender : IEmailSender
{
    private readonly List<EmailMessage> _sent = [];

    public IReadOnlyList<EmailMessage> Sent
    {
        get
        {
            lock (_sent)
            {
                return _sent.ToList();
            }
        }
    }

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        lock (_sent)
        {
            _sent.Add(message);
        }

        return Task.CompletedTask;
    }
}
