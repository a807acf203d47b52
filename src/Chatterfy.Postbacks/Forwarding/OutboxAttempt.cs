namespace Chatterfy.Postbacks.Forwarding;

/// <summary>One recorded delivery attempt of an outbox message.</summary>
public sealed record OutboxAttempt
{
    /// <summary>Gets the message's id.</summary>
    public required string MessageId { get; init; }

    /// <summary>Gets the attempt's number, starting at 1.</summary>
    public required int Number { get; init; }

    /// <summary>Gets when the attempt started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets how long the attempt's call took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets what became of the attempt.</summary>
    public required DeliveryStatus Status { get; init; }

    /// <summary>Gets the HTTP status of the destination's answer, or <see langword="null"/> when there was none.</summary>
    public int? HttpStatusCode { get; init; }

    /// <summary>Gets the error code (<see cref="DeliveryErrorCodes"/>), or <see langword="null"/> when delivered.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets the reason of a failure, or <see langword="null"/> when delivered.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the start of the destination's answer (at most <c>DeliveryOutcome.MaxResponseExcerptLength</c> characters), or <see langword="null"/>.</summary>
    public string? ResponseExcerpt { get; init; }

    /// <summary>Gets the error as the destination reported it, or <see langword="null"/>.</summary>
    public DestinationError? DestinationError { get; init; }
}
