using Microsoft.Extensions.DependencyInjection;
using NeuroData.Infrastructure.Indexing;

namespace NeuroData.Infrastructure.Commerce.Purchases;

public static class PurchasesSetup
{
    /// <summary>Purchases: the reconciler that keeps Purchase/Escrow/fee/refund rows in step with the chain mirror.</summary>
    public static IServiceCollection AddPurchases(this IServiceCollection services)
    {
        services.AddScoped<IChainReconciler, PurchaseReconciler>();
        return services;
    }
}
