using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// Deletes postback log entries older than <see cref="ChatterfyPostbacksOptions.LogRetention"/>, once at start and then
/// every <see cref="ChatterfyPostbacksOptions.LogRetentionInterval"/>. Conversions are never deleted.
/// </summary>
internal sealed partial class PostbackLogRetentionService(
    PostbackLogStore log,
    IOptionsMonitor<ChatterfyPostbacksOptions> options,
    TimeProvider timeProvider,
    ILogger<PostbackLogRetentionService>? logger = null) : BackgroundService
{
    // Hosts always have logging; a bare ServiceCollection (tests, console tools) may not.
    private readonly ILogger _logger = logger ?? NullLogger<PostbackLogRetentionService>.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(options.CurrentValue.LogRetentionInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round of the job: purges what is older than the retention, unless the retention is zero.</summary>
    internal async Task PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var retention = options.CurrentValue.LogRetention;
        if (retention <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            var purged = await log.PurgeAsync(timeProvider.GetUtcNow() - retention, cancellationToken).ConfigureAwait(false);
            LogPurged(_logger, purged, retention);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (PostbackStoreUnavailableException ex)
        {
            // The next round tries again; a store outage is reported by the health check.
            LogPurgeFailed(_logger, ex);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Purged {Count} postback log entries older than {Retention}")]
    private static partial void LogPurged(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Postback log retention could not reach the store; it will try again")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
