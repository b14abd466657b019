using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NeuroData.Infrastructure.Search.Index;

/// <summary>
/// Loads the search index in the background at start (the database answers until it is ready), then runs the
/// refresh pass every <see cref="SearchOptions.IndexRefreshSeconds"/>. A failed load or pass is logged and tried again
/// at the next interval.
/// </summary>
public sealed partial class SearchIndexService(MarketplaceSearchIndex index, SearchOptions options, TimeProvider clock, ILogger<SearchIndexService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.IndexRefreshSeconds);
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (index.IsReady)
                {
                    await index.RefreshAsync(stoppingToken);
                }
                else
                {
                    await index.LoadAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed pass must not stop the service; the database path answers meanwhile
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, ex);
            }

            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search index load or refresh failed; searches use the database until the next try")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
