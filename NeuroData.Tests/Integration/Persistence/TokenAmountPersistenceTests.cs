using System.Numerics;
using Microsoft.EntityFrameworkCore;
using NeuroData.Domain.Common;
using NeuroData.Domain.Datasets;
using NeuroData.Tests.Integration.Fixtures;

namespace NeuroData.Tests.Integration.Persistence;

public sealed class TokenAmountPersistenceTests(PostgresCluster cluster, TestDatabases databases) : PersistenceTest(cluster, databases)
{
    private static readonly TokenAmount Max = TokenAmount.FromUnits(TokenAmount.MaxUnits);

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task Price_ZeroOneAndMaxUint256_RoundTripExactly(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var seller = await SeedUserAsync(provider, "seller");
        var amounts = new[] { TokenAmount.Zero, TokenAmount.FromUnits(1), TokenAmount.ParseTokens("1.000000000000000001"), Max };
        var ids = new List<Guid>();
        await using (var db = await ContextAsync(provider))
        {
            foreach (var amount in amounts)
            {
                var d = NewDataset(seller, amount);
                ids.Add(d.Id);
                db.Datasets.Add(d);
            }

            await db.SaveChangesAsync(ct);
        }

        await using (var db = await ContextAsync(provider))
        {
            for (var i = 0; i < ids.Count; i++)
            {
                var loaded = await db.Datasets.AsNoTracking().SingleAsync(d => d.Id == ids[i], ct);
                loaded.Price.ShouldBe(amounts[i]);
                loaded.Price.Units.ShouldBe(amounts[i].Units);
            }

            // Equality on the converted column finds exactly the max-value row.
            var byMax = await db.Datasets.AsNoTracking().Where(d => d.SellerId == seller && d.Price == Max).Select(d => d.Id).ToListAsync(ct);
            byMax.ShouldBe([ids[^1]]);
        }
    }

    [Theory]
    [ClassData(typeof(AllProviders))]
    public async Task OrderByPrice_SortsNumerically_AcrossDigitCounts(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var seller = await SeedUserAsync(provider, "seller");

        // Deliberately chosen so text order without padding would differ from numeric order ("9" > "10", "2" > "1…").
        var units = new[]
        {
            TokenAmount.MaxUnits, BigInteger.Zero, new BigInteger(9), new BigInteger(10), BigInteger.Pow(10, 18),
            BigInteger.Pow(2, 255), new BigInteger(2), TokenAmount.MaxUnits - 1, new BigInteger(100),
        };
        await using (var db = await ContextAsync(provider))
        {
            foreach (var u in units)
            {
                db.Datasets.Add(NewDataset(seller, TokenAmount.FromUnits(u)));
            }

            await db.SaveChangesAsync(ct);
        }

        await using (var db = await ContextAsync(provider))
        {
            var ascending = await db.Datasets.AsNoTracking().Where(d => d.SellerId == seller).OrderBy(d => d.Price).Select(d => d.Price).ToListAsync(ct);
            ascending.Select(p => p.Units).ShouldBe(units.Order());

            var descending = await db.Datasets.AsNoTracking().Where(d => d.SellerId == seller).OrderByDescending(d => d.Price).Select(d => d.Price).ToListAsync(ct);
            descending.Select(p => p.Units).ShouldBe(units.OrderDescending());

            // Range comparison translates to SQL on both providers.
            var threshold = TokenAmount.FromUnits(10);
            var above = await db.Datasets.AsNoTracking().Where(d => d.SellerId == seller && d.Price > threshold).CountAsync(ct);
            above.ShouldBe(units.Count(u => u > 10));
        }
    }

    private Dataset NewDataset(Guid seller, TokenAmount price) =>
        new(seller, "Priced dataset", UniqueSlug("priced"), "Prices from 0 to 2^256-1.", "CC-BY-4.0", null, price, TimeSpan.FromDays(3), DatasetAccessTypes.Download, Now);
}
