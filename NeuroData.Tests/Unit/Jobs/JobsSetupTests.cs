using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroData.Infrastructure.Jobs;
using Quartz;

namespace NeuroData.Tests.Unit.Jobs;

public sealed class JobsSetupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_disposed_host_does_not_break_the_schedulers_of_hosts_built_after_it()
    {
        // The first host builds its scheduler (Quartz points its static logger at this host's factory) and is disposed.
        using (var first = Build())
        {
            var scheduler = await first.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);
            scheduler.SchedulerName.ShouldBe("NeuroData");
        }

        // A second host still resolves and builds its own: Quartz's constructors log through the static.
        using var second = Build();
        var factory = Should.NotThrow(() => second.Services.GetRequiredService<ISchedulerFactory>());
        var again = await factory.GetScheduler(Ct);
        again.IsShutdown.ShouldBeFalse();
        await again.Shutdown(Ct);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public void An_out_of_range_concurrency_is_refused_with_the_setting_name(string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["NeuroData:Jobs:MaxConcurrency"] = value;

        Should.Throw<InvalidOperationException>(() => builder.AddJobs()).Message.ShouldContain("NeuroData:Jobs:MaxConcurrency");
    }

    private static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["NeuroData:Jobs:Enabled"] = "false";
        builder.AddJobs();
        return builder.Build();
    }
}
