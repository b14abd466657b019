using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Storage;
using NeuroData.Tests.Integration.Web;

namespace NeuroData.Tests.Integration.Storage;

public sealed class StorageSetupTests : IDisposable
{
    private static readonly string TestKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly TempFolder _folder = new();

    [Fact]
    public void Production_WithoutPlatformKey_FailsAtStartWithAClearMessage()
    {
        var ex = Should.Throw<StorageConfigurationException>(() => Build(Environments.Production, []));

        ex.Message.ShouldContain("NeuroData:Storage:PlatformKey is required outside Development");
    }

    [Theory]
    [InlineData("NeuroData:Storage:PlatformKey", "c2hvcnQ=", "base64 of exactly 32 random bytes")]
    [InlineData("NeuroData:Storage:PlatformKey", "not base64!", "base64 of exactly 32 random bytes")]
    [InlineData("NeuroData:Storage:Provider", "S3", "Provider must be Local or Kubo (got 'S3')")]
    [InlineData("NeuroData:Storage:KuboApiUrl", "ftp://node:5001", "KuboApiUrl must be an absolute http(s) URL")]
    [InlineData("NeuroData:Storage:PlatformKeyId", "0", "PlatformKeyId must be a number from 1 to 255")]
    public void InvalidSetting_FailsAtStart_NamingIt(string key, string value, string message)
    {
        var ex = Should.Throw<StorageConfigurationException>(() => Build(Environments.Development, new() { [key] = value }));

        ex.Message.ShouldContain(message);
    }

    [Fact]
    public void Default_IsTheLocalBlockstoreUnderTheDataDirectory()
    {
        using var host = Build(Environments.Production, new() { ["NeuroData:Storage:PlatformKey"] = TestKey });

        var store = host.Services.GetRequiredService<IContentStore>().ShouldBeOfType<LocalBlockstore>();
        store.Root.ShouldBe(Path.Combine(_folder.Path, "blocks"));
        host.Services.GetRequiredService<IDatasetStorage>().ShouldBeOfType<DatasetStorage>();
        host.Services.GetRequiredService<StorageMaintenance>().ShouldNotBeNull();
    }

    [Fact]
    public void Kubo_IsSelectedByConfiguration()
    {
        using var host = Build(Environments.Production, new()
        {
            ["NeuroData:Storage:PlatformKey"] = TestKey,
            ["NeuroData:Storage:Provider"] = "kubo",
            ["NeuroData:Storage:KuboApiUrl"] = "http://127.0.0.1:5999",
        });

        host.Services.GetRequiredService<IPinningContentStore>().ShouldBeOfType<KuboContentStore>();
        host.Services.GetRequiredService<StorageSettings>().KuboApiUrl.ShouldBe(new Uri("http://127.0.0.1:5999"));
    }

    [Fact]
    public async Task Development_WithoutPlatformKey_GeneratesOne_0600_WarnsOnce_AndReusesIt()
    {
        var logs = new ListLogger();
        using var first = Build(Environments.Development, [], logs);
        var wrapped = first.Services.GetRequiredService<PlatformKeyRing>().Wrap(new byte[32]);
        first.Services.GetRequiredService<PlatformKeyRing>().Wrap(new byte[32]);

        var file = Path.Combine(_folder.Path, "storage", "platform.key");
        File.Exists(file).ShouldBeTrue();
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        logs.Warnings.Count(w => w.Contains("generated a development platform key", StringComparison.Ordinal)).ShouldBe(1);
        using var second = Build(Environments.Development, []);
        second.Services.GetRequiredService<PlatformKeyRing>().Unwrap(wrapped).ShouldBe(new byte[32]);
        (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).Length.ShouldBe(44);
    }

    [Fact]
    public async Task App_InProduction_WithoutPlatformKey_ExitsWithOneClearLine()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NeuroData.Web.dll"));
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["NeuroData__DataDirectory"] = _folder.Path;
        foreach (var (key, value) in NeuroDataWebFactory.ExternalChainSettings.Where(s => !s.Key.StartsWith("NeuroData:Storage", StringComparison.Ordinal)))
        {
            psi.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        process.ExitCode.ShouldNotBe(0);
        (await stderr).ShouldContain("NeuroData cannot start: Storage settings are invalid: NeuroData:Storage:PlatformKey is required");
    }

    public void Dispose() => _folder.Dispose();

    private IHost Build(string environment, Dictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, ContentRootPath = _folder.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings) { [DatabaseSettings.DataDirectoryKey] = _folder.Path });
        builder.Services.AddLogging();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.AddDatasetStorage();
        return builder.Build();
    }

    private sealed class ListLogger : ILoggerProvider, ILogger
    {
        public List<string> Warnings { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                lock (Warnings)
                {
                    Warnings.Add(formatter(state, exception));
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
