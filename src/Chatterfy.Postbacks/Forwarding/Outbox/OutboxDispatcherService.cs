using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// The hosted dispatcher: passes over the outbox until nothing is due, then waits for ingestion's signal or the poll
/// interval, whichever comes first. Never stops on a failure: a pass that fails is logged and tried again after one poll
/// interval. Does nothing when <see cref="OutboxDispatcherOptions.Enabled"/> is off.
/// </summary>
internal sealed partial class OutboxDispatcherService(
    OutboxDispatcher dispatcher,
    OutboxSignal signal,
    IOptionsMonitor<ForwardingOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxDispatcherService>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = logger ?? NullLogger<OutboxDispatcherService>.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.Dispatcher.Enabled)
        {
            LogDisabled(_logger);
            return;
        }

        // Never run a pass on the thread that starts the host.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var failed = false;
            try
            {
                // A full batch means more may be due: keep going until a pass leaves nothing behind.
                OutboxDispatcher.PassResult pass;
                do
                {
                    pass = await dispatcher.RunPassAsync(stoppingToken).ConfigureAwait(false);
                }
                while (pass.Leased >= options.CurrentValue.Dispatcher.BatchSize && !stoppingToken.IsCancellationRequested);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (PostbackStoreUnavailableException exception)
            {
                LogStoreUnavailable(_logger, exception);
                failed = true;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                LogPassFailed(_logger, exception);
                failed = true;
            }

            var interval = options.CurrentValue.Dispatcher.PollInterval;
            try
            {
                if (failed)
                {
                    // Back off one interval: signals would only hammer a store that is down.
                    await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    await signal.WaitAsync(interval, timeProvider, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "The outbox dispatcher is disabled (Postbacks:Forwarding:Dispatcher:Enabled); outbox messages are sent only by DispatchOnceAsync")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "The outbox dispatcher could not reach the store; it will try again after the poll interval")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Error, Message = "An outbox dispatch pass failed; the dispatcher will try again after the poll interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
