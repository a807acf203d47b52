using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The store role of the forwarding outbox: leases for dispatchers, attempts and their outcomes, and the outbox queries.
/// Messages are written with their conversion by <see cref="IngestStore.AppendAsync"/>.
/// </summary>
/// <remarks>See <see cref="StoreRole"/> for what every role promises. The dispatcher decides; the store records.</remarks>
public abstract class OutboxStore : StoreRole
{
    /// <summary>
    /// Leases due outbox messages for one dispatcher: up to <see cref="OutboxLeaseRequest.MaxCount"/> messages that are
    /// <see cref="OutboxMessageStatus.Pending"/>, due (<see cref="OutboxMessage.NextAttemptAt"/> at or before
    /// <see cref="OutboxLeaseRequest.Now"/>), not under a live lease (none, or one whose
    /// <see cref="OutboxMessage.LeaseExpiresAt"/> is at or before <see cref="OutboxLeaseRequest.Now"/>) and not of a rule in
    /// <see cref="OutboxLeaseRequest.ExcludedRuleIds"/>, earliest due first then by id (ordinal). Their
    /// <see cref="OutboxMessage.LeaseId"/> and <see cref="OutboxMessage.LeaseExpiresAt"/> are set.
    /// </summary>
    /// <remarks>
    /// Race-free: concurrent calls, from this process or (for a shared database) from other instances, never lease the same
    /// message while its lease lives. A call that finds nothing due should not write (a dispatcher asks every poll interval).
    /// </remarks>
    /// <param name="request">The lease's id, the current time, the lease's duration and the most messages to lease.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The leased messages, as stored after the lease, earliest due first then by id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="OutboxLeaseRequest.MaxCount"/> is not from 1 to <see cref="OutboxLeaseRequest.MaxCountLimit"/>, or the duration is not positive.</exception>
    public ValueTask<IReadOnlyList<OutboxMessage>> LeaseAsync(OutboxLeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.LeaseId, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxCount, 1, nameof(request));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.MaxCount, OutboxLeaseRequest.MaxCountLimit, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        ArgumentNullException.ThrowIfNull(request.ExcludedRuleIds, nameof(request));
        return LeaseCoreAsync(request, cancellationToken);
    }

    /// <summary>
    /// Records attempts and applies their outcomes in one transaction. A completion applies only when its message exists, is
    /// <see cref="OutboxMessageStatus.Pending"/> and still holds the completion's lease (<see cref="OutboxMessage.LeaseId"/>
    /// equals <see cref="OutboxCompletion.LeaseId"/>); otherwise it is skipped and nothing of it is stored. Applying one stores
    /// its attempt, sets <see cref="OutboxMessage.AttemptCount"/> to the attempt's number, <see cref="OutboxMessage.Status"/>,
    /// <see cref="OutboxMessage.LastErrorCode"/> and <see cref="OutboxMessage.LastError"/> to the attempt's error code and reason
    /// (<see langword="null"/> when delivered), <see cref="OutboxMessage.NextAttemptAt"/> to the completion's when pending
    /// (unchanged otherwise), <see cref="OutboxMessage.CompletedAt"/> to the completion's when delivered or dead-lettered
    /// (<see langword="null"/> when pending), and clears the lease.
    /// </summary>
    /// <param name="completions">The completions, at most one per message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many completions were applied.</returns>
    /// <exception cref="ArgumentException">A completion is invalid: a pending one has no <see cref="OutboxCompletion.NextAttemptAt"/>, or two name the same message.</exception>
    public ValueTask<int> CompleteAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completions);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var completion in completions)
        {
            ArgumentNullException.ThrowIfNull(completion, nameof(completions));
            ArgumentNullException.ThrowIfNull(completion.Attempt, nameof(completions));
            if (completion.Status == OutboxMessageStatus.Pending && completion.NextAttemptAt is null)
            {
                throw new ArgumentException($"The completion of message '{completion.Attempt.MessageId}' is pending but has no next attempt time.", nameof(completions));
            }

            if (!seen.Add(completion.Attempt.MessageId))
            {
                throw new ArgumentException($"Two completions name message '{completion.Attempt.MessageId}'.", nameof(completions));
            }
        }

        return completions.Count == 0 ? new(0) : CompleteCoreAsync(completions, cancellationToken);
    }

    /// <summary>
    /// Renews a lease its holder still holds: each message of <paramref name="messageIds"/> that is
    /// <see cref="OutboxMessageStatus.Pending"/> and holds <paramref name="leaseId"/> (whether or not that lease has ended:
    /// nobody took it over) gets <see cref="OutboxMessage.LeaseExpiresAt"/> = <paramref name="expiresAt"/>. Other messages
    /// and unknown ids are left as they are.
    /// </summary>
    /// <param name="leaseId">The lease's id.</param>
    /// <param name="messageIds">The messages to renew; may be empty.</param>
    /// <param name="expiresAt">The new end of the lease.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many messages were renewed.</returns>
    /// <exception cref="ArgumentException"><paramref name="leaseId"/> is empty, or an id is <see langword="null"/>.</exception>
    public ValueTask<int> ExtendLeaseAsync(string leaseId, IReadOnlyCollection<string> messageIds, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ValidateLease(leaseId, messageIds);
        return messageIds.Count == 0 ? new(0) : ExtendLeaseCoreAsync(leaseId, messageIds, expiresAt, cancellationToken);
    }

    /// <summary>
    /// Gives a lease up: each message of <paramref name="messageIds"/> that is <see cref="OutboxMessageStatus.Pending"/> and
    /// holds <paramref name="leaseId"/> has <see cref="OutboxMessage.LeaseId"/> and <see cref="OutboxMessage.LeaseExpiresAt"/>
    /// cleared, so any dispatcher may lease it again at once (when it is due); nothing else of it changes and no attempt is
    /// recorded. Other messages and unknown ids are left as they are.
    /// </summary>
    /// <param name="leaseId">The lease's id.</param>
    /// <param name="messageIds">The messages to release; may be empty.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many messages were released.</returns>
    /// <exception cref="ArgumentException"><paramref name="leaseId"/> is empty, or an id is <see langword="null"/>.</exception>
    public ValueTask<int> ReleaseLeaseAsync(string leaseId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        ValidateLease(leaseId, messageIds);
        return messageIds.Count == 0 ? new(0) : ReleaseLeaseCoreAsync(leaseId, messageIds, cancellationToken);
    }

    /// <summary>Gets an outbox message by id.</summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    public ValueTask<OutboxMessage?> GetAsync(string messageId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(messageId);
        return GetCoreAsync(messageId, cancellationToken);
    }

    /// <summary>Lists the recorded attempts of an outbox message by number.</summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The attempts; empty for an unknown message.</returns>
    public ValueTask<IReadOnlyList<OutboxAttempt>> ListAttemptsAsync(string messageId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(messageId);
        return ListAttemptsCoreAsync(messageId, cancellationToken);
    }

    /// <summary>
    /// Lists outbox messages matching the query's filters, newest first: by <see cref="OutboxMessage.CreatedAt"/> descending,
    /// then id descending (ordinal). With <see cref="OutboxQuery.BeforeId"/>, only messages after that message in this order
    /// are listed (whether or not it matches the filters); when no message has that id, none are.
    /// </summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The messages, at most <see cref="OutboxQuery.Limit"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="OutboxQuery.Limit"/> is not from 1 to <see cref="OutboxQuery.MaxLimit"/>.</exception>
    public ValueTask<IReadOnlyList<OutboxMessage>> ListAsync(OutboxQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, OutboxQuery.MaxLimit, nameof(query));
        return ListCoreAsync(query, cancellationToken);
    }

    /// <summary>
    /// Schedules an outbox message for delivery now. A dead letter becomes <see cref="OutboxMessageStatus.Pending"/> with
    /// <see cref="OutboxMessage.NextAttemptAt"/> and <see cref="OutboxMessage.RetryFrom"/> set to <paramref name="now"/>
    /// (a new retry horizon) and <see cref="OutboxMessage.CompletedAt"/> cleared; its attempt count and last error are kept.
    /// A pending message not under a live lease gets <see cref="OutboxMessage.NextAttemptAt"/> = <paramref name="now"/>.
    /// A leased or delivered message is left as it is.
    /// </summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message after the call (check its status), or <see langword="null"/> when none has that id.</returns>
    public ValueTask<OutboxMessage?> RescheduleAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(messageId);
        return RescheduleCoreAsync(messageId, now, cancellationToken);
    }

    /// <summary>Leases messages (see <see cref="LeaseAsync"/>); the request is checked.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The leased messages.</returns>
    protected abstract ValueTask<IReadOnlyList<OutboxMessage>> LeaseCoreAsync(OutboxLeaseRequest request, CancellationToken cancellationToken);

    /// <summary>Applies completions (see <see cref="CompleteAsync"/>); they are checked and not empty.</summary>
    /// <param name="completions">The completions.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many were applied.</returns>
    protected abstract ValueTask<int> CompleteCoreAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken);

    /// <summary>Renews a lease (see <see cref="ExtendLeaseAsync"/>); the ids are checked and not empty.</summary>
    /// <param name="leaseId">The lease's id.</param>
    /// <param name="messageIds">The messages.</param>
    /// <param name="expiresAt">The new end of the lease.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many messages were renewed.</returns>
    protected abstract ValueTask<int> ExtendLeaseCoreAsync(string leaseId, IReadOnlyCollection<string> messageIds, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Gives a lease up (see <see cref="ReleaseLeaseAsync"/>); the ids are checked and not empty.</summary>
    /// <param name="leaseId">The lease's id.</param>
    /// <param name="messageIds">The messages.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many messages were released.</returns>
    protected abstract ValueTask<int> ReleaseLeaseCoreAsync(string leaseId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken);

    /// <summary>Reads a message (see <see cref="GetAsync"/>).</summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    protected abstract ValueTask<OutboxMessage?> GetCoreAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>Lists a message's attempts (see <see cref="ListAttemptsAsync"/>).</summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The attempts.</returns>
    protected abstract ValueTask<IReadOnlyList<OutboxAttempt>> ListAttemptsCoreAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>Lists messages (see <see cref="ListAsync"/>); the limit is checked.</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The messages.</returns>
    protected abstract ValueTask<IReadOnlyList<OutboxMessage>> ListCoreAsync(OutboxQuery query, CancellationToken cancellationToken);

    /// <summary>Schedules a message for delivery now (see <see cref="RescheduleAsync"/>).</summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message after the call, or <see langword="null"/>.</returns>
    protected abstract ValueTask<OutboxMessage?> RescheduleCoreAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken);

    private static void ValidateLease(string leaseId, IReadOnlyCollection<string> messageIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseId);
        ArgumentNullException.ThrowIfNull(messageIds);
        foreach (var id in messageIds)
        {
            if (id is null)
            {
                throw new ArgumentException("A message id is null.", nameof(messageIds));
            }
        }
    }
}
