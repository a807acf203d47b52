namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// The outcome of one delivery attempt of one message, as a dispatcher records it: status, HTTP status, a capped response
/// excerpt, the duration, a retry hint and the destination's own error details.
/// </summary>
public sealed record DeliveryOutcome
{
    /// <summary>The longest <see cref="ResponseExcerpt"/> kept, in characters (1 KiB).</summary>
    public const int MaxResponseExcerptLength = 1024;

    private readonly string? _responseExcerpt;

    private DeliveryOutcome(DeliveryStatus status, string? errorCode, string? reason)
    {
        Status = status;
        ErrorCode = errorCode;
        Reason = reason;
    }

    /// <summary>Gets what became of the attempt.</summary>
    public DeliveryStatus Status { get; }

    /// <summary>Gets a stable code from <see cref="DeliveryErrorCodes"/> (or a plugin's own), or <see langword="null"/> when delivered.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets a sentence explaining a retry or dead letter, or <see langword="null"/> when delivered.</summary>
    public string? Reason { get; }

    /// <summary>Gets the HTTP status of the destination's answer, or <see langword="null"/> when there was none.</summary>
    public int? HttpStatusCode { get; init; }

    /// <summary>Gets the start of the destination's answer, cut to <see cref="MaxResponseExcerptLength"/> characters.</summary>
    public string? ResponseExcerpt
    {
        get => _responseExcerpt;
        init => _responseExcerpt = value is { Length: > MaxResponseExcerptLength } ? value[..MaxResponseExcerptLength] : value;
    }

    /// <summary>Gets how long the call that decided this outcome took; zero when no call was made.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>
    /// Gets the destination's hint for the earliest retry (from <c>Retry-After</c>, throttling headers or an open circuit),
    /// or <see langword="null"/>. Only meaningful with <see cref="DeliveryStatus.Retry"/>; the retry schedule honours it
    /// within its horizon.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the error as the destination reported it (e.g. Meta's code, subcode and trace id), or <see langword="null"/>.</summary>
    public DestinationError? DestinationError { get; init; }

    /// <summary>Creates a delivered outcome.</summary>
    /// <returns>The outcome; set <see cref="HttpStatusCode"/>, <see cref="Duration"/> … with <c>with</c>.</returns>
    public static DeliveryOutcome Delivered() => new(DeliveryStatus.Delivered, null, null);

    /// <summary>Creates an outcome asking for a later retry.</summary>
    /// <param name="errorCode">A stable code, e.g. <see cref="DeliveryErrorCodes.NetworkError"/>.</param>
    /// <param name="reason">A sentence explaining the failure.</param>
    /// <param name="retryAfter">The destination's hint for the earliest retry, or <see langword="null"/>.</param>
    /// <returns>The outcome.</returns>
    public static DeliveryOutcome Retry(string errorCode, string reason, TimeSpan? retryAfter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new(DeliveryStatus.Retry, errorCode, reason) { RetryAfter = retryAfter is { } hint && hint < TimeSpan.Zero ? TimeSpan.Zero : retryAfter };
    }

    /// <summary>Creates an outcome that dead-letters the message.</summary>
    /// <param name="errorCode">A stable code, e.g. <see cref="DeliveryErrorCodes.EventTooOld"/>.</param>
    /// <param name="reason">A sentence explaining why the message can never be delivered as it is.</param>
    /// <returns>The outcome.</returns>
    public static DeliveryOutcome DeadLetter(string errorCode, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new(DeliveryStatus.DeadLetter, errorCode, reason);
    }
}
