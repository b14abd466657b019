using System.Globalization;
using System.Numerics;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;
using NeuroData.Domain.Common;
using NeuroData.Infrastructure.Indexing;
using NeuroData.Infrastructure.Payouts;
using NeuroData.Infrastructure.Persistence;
using NeuroData.Tests.Integration.Fixtures;
using NeuroData.Web.Components.Pages.Admin;

namespace NeuroData.Tests.Components.Payouts;

/// <summary>
/// /admin/fees over mirrored fee events in a real SQLite database and the live parameters of the shared test chain
/// (real anvil, real contracts): the total is the exact sum of the events' fees, the parameters are what the
/// contracts answer.
/// </summary>
public sealed class AdminFeesPageTests(AnvilFixture anvil) : BunitContext, IAsyncLifetime
{
    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"nd-fees-ui-{Guid.NewGuid():N}.db");
    private PlatformFinanceQueries _finance = null!;

    public async ValueTask InitializeAsync()
    {
        await anvil.RequireChainAsync();
        var ct = Xunit.TestContext.Current.CancellationToken;
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = _dbPath, ForeignKeys = true, Pooling = false }.ConnectionString);
        var contexts = new NeuroDataDbContextFactory(settings, TimeProvider.System);
        await new DatabaseMigrator(contexts, settings, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(ct);
        _finance = new PlatformFinanceQueries(contexts, anvil.Context, new BlockTimestamps(anvil.Context));
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton(_finance);

        await using var db = await ((IDbContextFactory<NeuroDataDbContext>)contexts).CreateDbContextAsync(ct);
        var chainId = anvil.Settings.ChainId;
        db.Set<ChainLogRecord>().AddRange(
            Released(chainId, 1, escrowId: 7, gross: TokenAmount.FromTokens(100), fee: TokenAmount.ParseTokens("0.25")),
            Released(chainId, 2, escrowId: 8, gross: TokenAmount.FromTokens(3), fee: new TokenAmount(BigInteger.One)),
            Released(chainId, 3, escrowId: 9, gross: TokenAmount.FromTokens(1), fee: TokenAmount.Zero));
        await db.SaveChangesAsync(ct);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        SqliteConnection.ClearAllPools();
        File.Delete(_dbPath);
    }

    [Fact]
    public async Task Fee_income_is_the_exact_sum_of_the_fees_and_the_parameters_come_from_the_contracts()
    {
        var live = await _finance.ReadParametersAsync(Xunit.TestContext.Current.CancellationToken);

        var cut = Render<Fees>();

        cut.WaitForAssertion(() => cut.Find("#fee-income").TextContent.ShouldBe("0.250000000000000001 NCR"), TimeSpan.FromSeconds(15));
        cut.Find("#fee-count").TextContent.ShouldContain("2 payments");
        cut.FindAll("#fees-table tbody tr").Count.ShouldBe(2, "a zero fee is not income");
        var parameters = cut.Find("#chain-parameters");
        parameters.QuerySelector("[data-param=fee-bps]")!.TextContent.ShouldContain($"({live.FeeBps} bps; cap 5 %)");
        parameters.QuerySelector("[data-param=bond-bps]")!.TextContent.ShouldContain($"at least {live.MinBond}");
        parameters.QuerySelector("[data-param=voting-period]")!.TextContent.ShouldBe(live.VotingPeriod.TotalDays.ToString("0", CultureInfo.InvariantCulture) + " days");
        parameters.QuerySelector("[data-param=treasury]")!.TextContent.ShouldBe(live.Treasury.Value);
        parameters.QuerySelector("[data-param=paused]")!.TextContent.ShouldBe("marketplace running · escrow running · staking running");
        cut.Find("#fee-accrued").TextContent.ShouldContain(live.AccruedFees.ToString());
    }

    private static ChainLogRecord Released(Domain.Common.ChainId chainId, int n, long escrowId, TokenAmount gross, TokenAmount fee) => new()
    {
        ChainId = chainId,
        BlockNumber = 1_000 + n,
        BlockHash = "0x" + (0xb10c00 + n).ToString("x64", CultureInfo.InvariantCulture),
        TxHash = TxHash.Parse("0x" + (0xfee000 + n).ToString("x64", CultureInfo.InvariantCulture)),
        LogIndex = 0,
        Address = EthAddress.Parse("0x" + new string('e', 40)),
        EventName = ContractEvents.EscrowReleased.Name,
        Topics = string.Join(',', ContractEvents.EscrowReleased.Topic0, Word(escrowId), Word(0)),
        Data = "0x" + Word(gross.Units)[2..] + Word(fee.Units)[2..],
    };

    private static string Word(BigInteger value) => "0x" + value.ToString("x64", CultureInfo.InvariantCulture);
}
