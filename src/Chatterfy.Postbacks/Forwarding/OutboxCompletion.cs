namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// The result of one attempt, as a dispatcher hands it to <see cref="Storage.OutboxStore.CompleteAsync"/>:
/// the attempt to record and the message's new state.
/// </summary>
public sealed record OutboxCompletion
{
    /// <summary>Gets the lease under which the attempt was made; the completion applies only while the message still holds it.</summary>
    public required string LeaseId { get; init; }

    /// <summary>Gets the attempt to record; its <see cref="OutboxAttempt.Number"/> becomes the message's <see cref="OutboxMessage.AttemptCount"/>.</summary>
    public required OutboxAttempt Attempt { get; init; }

    /// <summary>
    /// Gets the message's new status: <see cref="OutboxMessageStatus.Pending"/> to retry at <see cref="NextAttemptAt"/>,
    /// <see cref="OutboxMessageStatus.Delivered"/> or <see cref="OutboxMessageStatus.DeadLettered"/>.
    /// </summary>
    public required OutboxMessageStatus Status { get; init; }

    /// <summary>Gets when to try again; required when <see cref="Status"/> is <see cref="OutboxMessageStatus.Pending"/>, ignored otherwise.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Gets when the attempt ended: the message's <see cref="OutboxMessage.CompletedAt"/> when it is delivered or dead-lettered.</summary>
    public required DateTimeOffset CompletedAt { get; init; }
}
