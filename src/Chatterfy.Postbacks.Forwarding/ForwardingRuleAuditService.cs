using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// At startup, checks the stored forwarding rules against the outbound policy once and names those it refuses in one
/// warning (<see cref="ForwardingRuleCache.WarnOfRefusedRulesAsync"/>). Never stops the host: a store that cannot be read
/// yet is left to the dispatcher, which dead-letters such rules' messages when it sends them.
/// </summary>
internal sealed partial class ForwardingRuleAuditService(ForwardingRuleCache rules, OutboundUrlPolicy policy, ILogger<ForwardingRuleAuditService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Never read the store on the thread that starts the host.
        await Task.Yield();
        try
        {
            await rules.WarnOfRefusedRulesAsync(policy).WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (PostbackStoreUnavailableException exception)
        {
            LogStoreUnavailable(logger, exception.Message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 2107, Level = LogLevel.Debug, Message = "The stored forwarding rules were not checked against the outbound policy at startup: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Error, Message = "Checking the stored forwarding rules against the outbound policy at startup failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
