using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// A plug-in's part in ingestion: the outbox messages it writes in a conversion's own transaction, and a call once that
/// conversion is committed. Forwarding is one (it writes a message per matching forwarding rule). Register an
/// implementation as a singleton: <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IngestionHook, MyHook&gt;())</c>.
/// </summary>
/// <remarks>
/// Every hook is asked for every valid postback, before the store decides whether its conversion is new or a duplicate;
/// what it returns is written only with a stored conversion, atomically with it and its log entry (a duplicate writes
/// none). Rejected postbacks reach no hook. Hooks run on the request's path: keep them quick, and read what they need
/// from memory. A hook that throws fails the postback before anything is written (the network is answered 500 and
/// retries).
/// </remarks>
public abstract class IngestionHook
{
    /// <summary>Initializes a new instance of the <see cref="IngestionHook"/> class.</summary>
    protected IngestionHook()
    {
    }

    /// <summary>
    /// Gives the outbox messages to write with a conversion if it is stored: each with a new unique id,
    /// <see cref="OutboxMessage.ConversionId"/> equal to <paramref name="conversion"/>'s id and status
    /// <see cref="OutboxMessageStatus.Pending"/>. The default gives none.
    /// </summary>
    /// <param name="postbackSet">The set the postback was addressed to.</param>
    /// <param name="conversion">The conversion as it will be stored, attribution decided.</param>
    /// <param name="cancellationToken">Cancels the postback (before anything is written).</param>
    /// <returns>The messages; empty for none.</returns>
    public virtual ValueTask<IReadOnlyList<OutboxMessage>> CreateOutboxMessagesAsync(PostbackSet postbackSet, ConversionRecord conversion, CancellationToken cancellationToken) =>
        new(Array.Empty<OutboxMessage>());

    /// <summary>
    /// Called once the conversion is committed as stored (never for a duplicate, nor when the append failed), with the
    /// messages this hook gave for it. The default does nothing. It must not throw: the postback is already acknowledged.
    /// </summary>
    /// <param name="conversion">The stored conversion.</param>
    /// <param name="outboxMessages">The messages this hook gave, now committed with it.</param>
    public virtual void OnStored(ConversionRecord conversion, IReadOnlyList<OutboxMessage> outboxMessages)
    {
    }
}
