using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// When the host starts with <see cref="ForwardingOptions.ProtectSecrets"/> on, protects in place the plain secrets of the
/// rules stored before (or by an instance with the option off). Idempotent: protected secrets are left as they are, so a
/// second start writes nothing. A store that is unavailable at start-up is logged and the rules stay as they are until the
/// next start; they are read either way.
/// </summary>
internal sealed partial class RuleSecretProtectionService(
    ForwardingRuleStore store,
    IForwardingDestinationRegistry destinations,
    RuleSecretProtector secrets,
    ForwardingRuleCache cache,
    ILogger<RuleSecretProtectionService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!secrets.IsEnabled)
        {
            return;
        }

        var updated = 0;
        try
        {
            foreach (var rule in await store.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                // A rule whose destination is not registered has secrets unknown here: it stays as it is until it is.
                if (destinations.TryGetDestination(rule.DestinationId, out var destination)
                    && secrets.Protect(rule.Settings, destination.SecretSettings) is { } settings
                    && await store.UpdateSettingsAsync(rule.Id, settings, cancellationToken).ConfigureAwait(false))
                {
                    updated++;
                }
            }
        }
        catch (PostbackStoreUnavailableException exception)
        {
            LogStoreUnavailable(logger, exception, updated);
        }

        if (updated > 0)
        {
            cache.Invalidate();
            LogProtected(logger, updated);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Protected the plain secrets of {Count} forwarding rule(s) in place with Data Protection (Postbacks:Forwarding:ProtectSecrets)")]
    private static partial void LogProtected(ILogger logger, int count);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "The store is unavailable, so the plain secrets of forwarding rules were not all protected at start-up ({Count} were); the rest stay as stored until the next start")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception, int count);
}
