using Microsoft.Extensions.Configuration;

namespace NeuroData.Infrastructure.Payouts;

/// <summary>
/// Settings of the auto-release job (section <c>NeuroData:Commerce</c>):
/// AutoReleaseIntervalSeconds (60): how often the job looks for escrows past their deadline;
/// AutoReleaseBatchSize (50): most escrows one run releases;
/// AutoReleaseMaxAttempts (4): tries per escrow when the chain node fails (exponential backoff);
/// AutoReleaseBackoffMilliseconds (1000): the first wait between tries (doubled each time).
/// </summary>
public sealed record CommerceJobSettings(TimeSpan AutoReleaseInterval, int AutoReleaseBatchSize, int AutoReleaseMaxAttempts, TimeSpan AutoReleaseBackoff)
{
    public const string SectionName = "NeuroData:Commerce";

    public static CommerceJobSettings Default { get; } = new(TimeSpan.FromSeconds(60), 50, 4, TimeSpan.FromSeconds(1));

    public static CommerceJobSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var interval = section.GetValue("AutoReleaseIntervalSeconds", 60);
        var batch = section.GetValue("AutoReleaseBatchSize", 50);
        var attempts = section.GetValue("AutoReleaseMaxAttempts", 4);
        var backoff = section.GetValue("AutoReleaseBackoffMilliseconds", 1000);
        var problems = new List<string>();
        if (interval is < 1 or > 86_400)
        {
            problems.Add($"{SectionName}:AutoReleaseIntervalSeconds must be between 1 and 86400 (was {interval}).");
        }

        if (batch is < 1 or > 1000)
        {
            problems.Add($"{SectionName}:AutoReleaseBatchSize must be between 1 and 1000 (was {batch}).");
        }

        if (attempts is < 1 or > 10)
        {
            problems.Add($"{SectionName}:AutoReleaseMaxAttempts must be between 1 and 10 (was {attempts}).");
        }

        if (backoff is < 0 or > 60_000)
        {
            problems.Add($"{SectionName}:AutoReleaseBackoffMilliseconds must be between 0 and 60000 (was {backoff}).");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        return new CommerceJobSettings(TimeSpan.FromSeconds(interval), batch, attempts, TimeSpan.FromMilliseconds(backoff));
    }
}
