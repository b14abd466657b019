using Microsoft.Extensions.Configuration;
using NeuroData.Infrastructure.Chain;

namespace NeuroData.Infrastructure.Commerce.Purchases;

/// <summary>
/// <c>NeuroData:Commerce</c>.
/// <list type="table">
/// <item><term>DownloadConfirmations</term><description>Blocks an escrow must be deep (counting its own block) before a
/// download buyer gets the data key. Default 0 on the embedded dev chain, 2 on an external chain. Training access does
/// not wait.</description></item>
/// </list>
/// </summary>
public sealed record CommerceSettings
{
    public const string Section = "NeuroData:Commerce";

    public int DownloadConfirmations { get; init; } = 2;

    public static CommerceSettings From(IConfiguration configuration, ChainMode mode)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var text = section["DownloadConfirmations"];
        var confirmations = mode == ChainMode.Embedded ? 0 : 2;
        if (!string.IsNullOrWhiteSpace(text))
        {
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out confirmations) || confirmations > 1000)
            {
                throw new InvalidOperationException($"{Section}:DownloadConfirmations must be a whole number from 0 to 1000 (got '{text}').");
            }
        }

        return new CommerceSettings { DownloadConfirmations = confirmations };
    }
}
