namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// The stable, machine-readable codes of a failed delivery attempt (<see cref="OutboxAttempt.ErrorCode"/>), as destinations
/// report them (<c>DeliveryOutcome.ErrorCode</c> in Chatterfy.Postbacks.Forwarding).
/// </summary>
public static class DeliveryErrorCodes
{
    /// <summary>The connection failed or broke (DNS, refused, reset). Retried.</summary>
    public const string NetworkError = "network_error";

    /// <summary>The attempt timed out. Retried.</summary>
    public const string Timeout = "timeout";

    /// <summary>The destination host's circuit breaker is open after repeated failures; no request was made. Retried.</summary>
    public const string CircuitOpen = "circuit_open";

    /// <summary>The destination answered with a status that is neither success nor a recognised destination error.</summary>
    public const string HttpStatus = "http_status";

    /// <summary>The destination asked us to slow down (HTTP 429, Meta's throttling codes). Retried.</summary>
    public const string Throttled = "throttled";

    /// <summary>The destination reported an error in its own format (see <see cref="OutboxAttempt.DestinationError"/>).</summary>
    public const string DestinationError = "destination_error";

    /// <summary>
    /// The destination's address is forbidden by the outbound policy at send time: its host is or resolves to a loopback,
    /// private, link-local, metadata or transition address, or its port is not allowed. Dead-lettered.
    /// </summary>
    public const string AddressForbidden = "address_forbidden";

    /// <summary>The URL is forbidden by the outbound policy (<c>http</c> while only <c>https</c> is allowed, user info). Dead-lettered.</summary>
    public const string UrlForbidden = "url_forbidden";

    /// <summary>The rendered destination URL is not a valid absolute URL; nothing was sent. Dead-lettered.</summary>
    public const string InvalidUrl = "url_invalid";

    /// <summary>The event is older than the destination accepts (Meta: 7 days); it was not sent. Dead-lettered.</summary>
    public const string EventTooOld = "event_too_old";

    /// <summary>The event carries no data the destination can match a user on; it was not sent. Dead-lettered.</summary>
    public const string MissingUserData = "missing_user_data";

    /// <summary>The rule no longer forwards the conversion's event; it was not sent. Dead-lettered.</summary>
    public const string EventNotForwarded = "event_not_forwarded";

    /// <summary>
    /// A batch failed permanently and isolating the bad event would take more calls than one delivery may make; the
    /// unresolved messages are retried in later batches.
    /// </summary>
    public const string IsolationDeferred = "isolation_deferred";

    /// <summary>The message's forwarding rule was deleted; it was not sent. Dead-lettered by the dispatcher.</summary>
    public const string RuleDeleted = "rule_deleted";

    /// <summary>The rule's destination is not registered in this host; it was not sent. Dead-lettered by the dispatcher.</summary>
    public const string DestinationUnknown = "destination_unknown";

    /// <summary>The destination refuses the rule's stored settings (e.g. after an upgrade); it was not sent. Dead-lettered by the dispatcher.</summary>
    public const string SettingsInvalid = "settings_invalid";

    /// <summary>
    /// A secret setting of the rule is stored protected (<c>ForwardingOptions.ProtectSecrets</c>) and cannot be
    /// unprotected with this host's Data Protection key ring (keys lost, or another application's); nothing was sent.
    /// Dead-lettered; replay it once the key ring is restored or the rule re-created.
    /// </summary>
    public const string SecretUnreadable = "secret_unreadable";

    /// <summary>The message's conversion, or the status change it forwards, is not in the store; nothing can be sent. Dead-lettered by the dispatcher.</summary>
    public const string ConversionMissing = "conversion_missing";

    /// <summary>The destination's code threw instead of returning outcomes. Retried by the dispatcher.</summary>
    public const string DestinationException = "destination_exception";

    /// <summary>An attempt failed transiently after the retry horizon had passed. Dead-lettered by the dispatcher.</summary>
    public const string RetryHorizonPassed = "retry_horizon_passed";
}
