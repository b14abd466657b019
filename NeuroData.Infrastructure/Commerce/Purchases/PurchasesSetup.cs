using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeuroData.Infrastructure.Chain;
using NeuroData.Infrastructure.Indexing;

namespace NeuroData.Infrastructure.Commerce.Purchases;

public static class PurchasesSetup
{
    /// <summary>
    /// Purchases: the reconciler that keeps Purchase/Escrow/fee/refund rows in step with the chain mirror, the
    /// entitlement service, and the buyer's purchase service (NeuroData:Commerce).
    /// </summary>
    public static IServiceCollection AddPurchases(this IServiceCollection services, IConfiguration? configuration = null)
    {
        services.AddScoped<IChainReconciler, PurchaseReconciler>();
        services.AddSingleton(sp => CommerceSettings.From(
            configuration ?? sp.GetService<IConfiguration>() ?? new ConfigurationBuilder().Build(),
            sp.GetService<ChainSettings>()?.Mode ?? ChainMode.Embedded));
        services.AddSingleton(sp => new EntitlementService(
            sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Persistence.NeuroDataDbContext>>(),
            sp.GetRequiredService<CommerceSettings>(),
            sp.GetService<IndexerStatus>(),
            sp.GetService<TimeProvider>()));
        services.AddSingleton<PurchaseService>();
        services.AddSingleton<PurchaseQueries>();
        return services;
    }
}
