using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// The forwarding outbox as the tracker API shows it: messages and their delivery attempts, and retrying a message by
/// hand. Get it from the service provider after <c>AddChatterfyPostbacks()</c>; with <c>AddForwarding()</c>, a retry goes
/// through this instance's <see cref="OutboxDispatcher"/>, which knows its own sends and wakes itself.
/// </summary>
public sealed class OutboxService
{
    private readonly OutboxStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly OutboxDispatcher? _dispatcher;

    // Created by AddChatterfyPostbacks: the dispatcher is there only with forwarding.
    internal OutboxService(OutboxStore store, TimeProvider timeProvider, OutboxDispatcher? dispatcher)
    {
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
