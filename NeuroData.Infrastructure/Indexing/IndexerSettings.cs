using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroData.Domain.Common;
using NeuroData.Domain.Ports;
using NeuroData.Infrastructure.Chain;

namespace NeuroData.Infrastructure.Indexing;

/// <summary>
/// Settings of the chain indexer, section <c>NeuroData:Indexer</c>: Enabled (true), ConfirmationDepth (0 on the
/// embedded dev chain, 12 on an external chain), BatchSize (500), PollIntervalSeconds (2), StartBlock (0: the block
/// the contracts were deployed in or earlier).
/// </summary>
public sealed record IndexerSettings
{
    public const string SectionName = "NeuroData:Indexer";

    public bool Enabled { get; init; } = true;

    public int? ConfirmationDepth { get; init; }

    public int BatchSize { get; init; } = 500;

    public int PollIntervalSeconds { get; init; } = 2;

    public long StartBlock { get; init; }

    public static IndexerSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(SectionName).Get<IndexerSettings>() ?? new IndexerSettings();
        var problems = new List<string>();
        if (settings.ConfirmationDepth is < 0 or > 1000)
        {
            problems.Add("ConfirmationDepth must be between 0 and 1000");
        }

        if (settings.BatchSize is < 1 or > 10_000)
        {
            problems.Add("BatchSize must be between 1 and 10000");
        }

        if (settings.PollIntervalSeconds is < 1 or > 3600)
        {
            problems.Add("PollIntervalSeconds must be between 1 and 3600");
        }

        if (settings.StartBlock < 0)
        {
            problems.Add("StartBlock cannot be negative");
        }

        return problems.Count == 0
            ? settings
            : throw new ChainConfigurationException($"{SectionName} is invalid: {string.Join("; ", problems)}.");
    }

    public ChainIndexerOptions ToOptions(ChainSettings chain, ChainContracts contracts) => new()
    {
        RpcUrl = chain.RpcUrl,
        ChainId = chain.ChainId,
        Contracts = new Dictionary<string, EthAddress>
        {
            ["NeuroCoin"] = contracts.NeuroCoin,
            ["Staking"] = contracts.Staking,
            ["DataMarketplace"] = contracts.DataMarketplace,
            ["EscrowManager"] = contracts.EscrowManager,
        },
        StartBlock = StartBlock,
        ConfirmationDepth = ConfirmationDepth ?? (chain.Mode == ChainMode.Embedded ? 0 : 12),
        BatchSize = BatchSize,
        PollInterval = TimeSpan.FromSeconds(PollIntervalSeconds),
    };
}

public static class IndexerSetup
{
    /// <summary>The chain mirror: status, notifier, and the background indexer (needs <c>AddChain</c>).</summary>
    public static IHostApplicationBuilder AddChainIndexer(this IHostApplicationBuilder builder)
    {
        var settings = IndexerSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<IndexerStatus>();
        builder.Services.AddSingleton<ChainMirrorNotifier>();
        builder.Services.AddSingleton<ChainReconciliation>();
        if (settings.Enabled)
        {
            builder.Services.AddHostedService<IndexerHostedService>();
        }

        return builder;
    }
}
