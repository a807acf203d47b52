using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// The forwarding outbox as the tracker API shows it: messages and their delivery attempts, and retrying a message by
/// hand. Get it from the service provider after <c>AddForwarding()</c>, which registers it with this instance's
/// <see cref="OutboxDispatcher"/>: a retry goes through the dispatcher, which knows its own sends and wakes itself.
/// </summary>
public sealed class OutboxService
{
    private readonly OutboxStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly OutboxDispatcher? _dispatcher;

    /// <summary>
    /// Initializes a new instance of the <see cref="OutboxService"/> class. Without a dispatcher (a host that does not call
    /// <c>AddForwarding()</c>, whose outbox other ingestion hooks may write), a retry reschedules the message in the store
    /// alone and nothing here sends.
    /// </summary>
    /// <param name="store">The outbox store.</param>
    /// <param name="timeProvider">The host's clock, for a retry without a dispatcher.</param>
    /// <param name="dispatcher">This instance's dispatcher, or <see langword="null"/> without forwarding.</param>
    public OutboxService(OutboxStore store, TimeProvider timeProvider, OutboxDispatcher? dispatcher = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        _timeProvider = timeProvider;
        _dispatcher = dispatcher;
    }

    /// <summary>Lists outbox messages matching the query's filters, newest first (see <see cref="OutboxStore.ListAsync"/>).</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The messages, at most <see cref="OutboxQuery.Limit"/>.</returns>
    public ValueTask<IReadOnlyList<OutboxMessage>> ListAsync(OutboxQuery query, CancellationToken cancellationToken = default) =>
        _store.ListAsync(query, cancellationToken);

    /// <summary>Gets an outbox message by id.</summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    public ValueTask<OutboxMessage?> GetAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return _store.GetAsync(messageId, cancellationToken);
    }

    /// <summary>Lists the recorded delivery attempts of an outbox message by number.</summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The attempts; empty for an unknown message.</returns>
    public ValueTask<IReadOnlyList<OutboxAttempt>> ListAttemptsAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return _store.ListAttemptsAsync(messageId, cancellationToken);
    }

    /// <summary>
    /// Schedules an outbox message for delivery now: a dead letter is replayed with a new retry horizon, a pending message is
    /// made due now, a delivered one is left as it is. With forwarding, as <see cref="OutboxDispatcher.RetryAsync"/> does
    /// (it also clears a lease nobody renews); without it, in the store alone, and nothing here sends.
    /// </summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message after the call (check its status), or <see langword="null"/> when none has that id.</returns>
    public async ValueTask<OutboxMessage?> RetryAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return _dispatcher is not null
            ? await _dispatcher.RetryAsync(messageId, cancellationToken).ConfigureAwait(false)
            : await _store.RescheduleAsync(messageId, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }
}
