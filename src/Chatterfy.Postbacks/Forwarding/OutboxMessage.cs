namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// One conversion to forward to one destination under one rule, written in the same transaction as the conversion, and
/// delivered at least once by the outbox dispatcher.
/// </summary>
public sealed record OutboxMessage
{
    /// <summary>Gets the message's opaque id, stable across attempts.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the id of the conversion to forward.</summary>
    public required string ConversionId { get; init; }

    /// <summary>Gets the id of the forwarding rule that produced the message.</summary>
    public required string RuleId { get; init; }

    /// <summary>Gets the id of the rule's destination, e.g. <c>facebook-capi</c>.</summary>
    public required string DestinationId { get; init; }

    /// <summary>Gets when the message was written (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets where the message stands.</summary>
    public OutboxMessageStatus Status { get; init; } = OutboxMessageStatus.Pending;

    /// <summary>Gets when the message is due while <see cref="OutboxMessageStatus.Pending"/>; the last due time otherwise.</summary>
    public required DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>
    /// Gets when the retry horizon is measured from: <see cref="CreatedAt"/>, or the time of the last replay of a dead letter.
    /// </summary>
    public required DateTimeOffset RetryFrom { get; init; }

    /// <summary>Gets the number of recorded attempts.</summary>
    public int AttemptCount { get; init; }

    /// <summary>Gets the error code of the last failed attempt (<see cref="DeliveryErrorCodes"/>), or <see langword="null"/>.</summary>
    public string? LastErrorCode { get; init; }

    /// <summary>Gets the reason of the last failed attempt, or <see langword="null"/>.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets when the message was delivered or dead-lettered, or <see langword="null"/> while pending.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the id of the lease a dispatcher holds on the message, or <see langword="null"/>.</summary>
    public string? LeaseId { get; init; }

    /// <summary>
    /// Gets when the current lease ends, or <see langword="null"/>. A lease that has ended (its dispatcher crashed) no longer
    /// protects the message: another dispatcher may lease it.
    /// </summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>
    /// Gets the deposit numbers the conversion must take for the message to be written (its rule's
    /// <see cref="ForwardingRuleFilter.DepositNumber"/>), or <see langword="null"/> to write it whatever the number. The store
    /// numbers the conversion in the transaction that writes it, and writes the message only when
    /// <see cref="DepositNumberRange.Contains"/> holds for that number; the condition itself is not stored (messages read
    /// back have none).
    /// </summary>
    public DepositNumberRange? DepositNumberCondition { get; init; }

    /// <summary>
    /// Gets the id of the status history entry the message forwards (<see cref="Storage.ConversionStatusChange.Id"/>): set
    /// on the messages a status change writes (a conversion's first approval), <see langword="null"/> on those written
    /// with a new conversion.
    /// </summary>
    public string? HistoryEntryId { get; init; }
}
