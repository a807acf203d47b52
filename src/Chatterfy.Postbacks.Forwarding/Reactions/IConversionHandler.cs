namespace Chatterfy.Postbacks.Forwarding.Reactions;

/// <summary>
/// The host's own reaction to a conversion (an "auto action": move the chat user to a flow step), called by rules whose
/// destination is <see cref="ConversionHandlerDestination.DestinationId"/> through the durable outbox. Register it with
/// <c>AddConversionHandler&lt;THandler&gt;()</c>; it is resolved in a new DI scope for every delivery.
/// </summary>
/// <remarks>
/// Delivery is at least once: after a crash or a failed attempt the same delivery comes again, with the same
/// <see cref="ConversionContext.DeliveryId"/>. Make the effect idempotent on that id. Throwing makes the outbox retry the
/// delivery on its schedule (code <c>destination_exception</c>), and dead-letter it after the retry horizon.
/// </remarks>
public interface IConversionHandler
{
    /// <summary>Reacts to one conversion.</summary>
    /// <param name="context">The conversion, its click and subject, and the delivery's id.</param>
    /// <param name="cancellationToken">Cancelled when the host stops; the delivery is then sent again later.</param>
    /// <returns>A task that completes when the reaction is done.</returns>
    ValueTask HandleAsync(ConversionContext context, CancellationToken cancellationToken);
}
