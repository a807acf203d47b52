using Chatterfy.Postbacks.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Forwarding.Reactions;

/// <summary>Calls the host's <see cref="IConversionHandler"/>s, one delivery at a time, each in its own DI scope.</summary>
internal sealed partial class ConversionHandlerProfile(IServiceScopeFactory scopes, ILogger logger) : DestinationProfile
{
    public override string BatchKey => ConversionHandlerDestination.DestinationId;

    public override bool Forwards(PostbackEvent conversionEvent) => true;

    public override async ValueTask<IReadOnlyList<DeliveryOutcome>> SendAsync(
        IReadOnlyList<ForwardedConversion> batch, HttpClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcomes = new DeliveryOutcome[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            outcomes[i] = await HandleAsync(batch[i], cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    private async Task<DeliveryOutcome> HandleAsync(ForwardedConversion item, CancellationToken cancellationToken)
    {
        var context = new ConversionContext
        {
            DeliveryId = item.MessageId,
            Conversion = item.Conversion,
            Click = item.Click,
            Attempt = item.Attempt,
            Change = item.Change,
            Status = item.Status,
            StatusAt = item.StatusAt,
        };
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            foreach (var handler in scope.ServiceProvider.GetServices<IConversionHandler>())
            {
                try
                {
                    await handler.HandleAsync(context, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    var type = handler.GetType().Name;
                    LogHandlerFailed(logger, type, item.MessageId, ex);
                    return DeliveryOutcome.Retry(DeliveryErrorCodes.DestinationException, $"The conversion handler {type} threw {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        return DeliveryOutcome.Delivered();
    }

    [LoggerMessage(EventId = 2008, Level = LogLevel.Error, Message = "The conversion handler {HandlerType} failed for delivery {DeliveryId}; the outbox will retry it")]
    private static partial void LogHandlerFailed(ILogger logger, string handlerType, string deliveryId, Exception exception);
}
