using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using NeuroData.Infrastructure.Auth;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Commerce.Purchases;
using NeuroData.Infrastructure.Datasets.Publishing;
using NeuroData.Infrastructure.Datasets.Engagement;
using NeuroData.Infrastructure.Datasets.Moderation;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Ingest;
using NeuroData.Infrastructure.Jobs;
using NeuroData.Infrastructure.Payouts;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Infrastructure.Search;
using NeuroData.Infrastructure.Storage;
using NeuroData.Infrastructure.Training;
using NeuroData.Infrastructure.Training.Runs;
using NeuroData.Infrastructure.Training.Baseline;

namespace NeuroData.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Registers every adapter of the Infrastructure layer.</summary>
    public static IHostApplicationBuilder AddInfrastructure(this IHostApplicationBuilder builder)
    {
        builder.AddPersistence();
        builder.AddJobs(); // Quartz scheduler (NeuroData:Jobs)
        builder.AddChain();
        builder.AddChainIndexer();
        builder.AddSiwe();
        builder.AddDatasetStorage(); // content addressing, encryption, blockstore or Kubo (NeuroData:Storage)
        builder.Services.AddDatasetIngest(builder.Configuration);
        builder.Services.AddDatasetPublishing(builder.Configuration); // uploads, ingest worker, publishing service
        builder.Services.AddDatasetDiscovery(builder.Configuration);
        builder.Services.AddMarketplaceSearch(builder.Configuration); // count cap and result cache (NeuroData:Search)
        builder.Services.AddDatasetModeration(builder.Configuration);
        builder.Services.AddPurchases(builder.Configuration); // purchases, escrows, fees, refunds follow the chain mirror (reconciler order 10)
        Commerce.Disputes.DisputeSetup.AddDisputes(builder); // notifications, escrow page, disputes, arbitration, votes, reminders
        builder.AddPayouts(); // auto-release job, job run history, payouts, fees (NeuroData:Commerce)
        builder.Services.AddTrainingEngine(builder.Configuration); // ML.NET engine, predictor, baseline (NeuroData:Training)
        builder.Services.AddTrainingRuns(builder.Configuration); // run queue, dispatch job, live updates (NeuroData:Training:Runs)
        Training.Models.ModelsSetup.AddModels(builder.Services, builder.Configuration); // using trained models: list, lineage, predictions, downloads (NeuroData:Training:Models)
        builder.Services.AddBaselines(builder.Configuration); // try before you buy: label declaration, training.baseline job
        return builder;
    }

    /// <summary>The database: provider chosen by configuration, one context per operation.</summary>
    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        var settings = DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(settings);
        builder.Services.TryAddSingleton(TimeProvider.System); // stamps audit fields on save
        builder.Services.AddSingleton<NeuroDataDbContextFactory>();
        builder.Services.AddSingleton<IDbContextFactory<NeuroDataDbContext>>(sp => sp.GetRequiredService<NeuroDataDbContextFactory>());
        // Identity's stores need a scoped context; it is created from the same factory.
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<NeuroDataDbContext>>().CreateDbContext());
        builder.Services.AddSingleton<DatabaseMigrator>();
        return builder;
    }
}
