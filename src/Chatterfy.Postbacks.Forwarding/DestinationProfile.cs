using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// A forwarding destination configured for one rule: which events it forwards, how messages are batched, and how one
/// call to the destination is made. Profiles are immutable and may be cached per rule and used concurrently.
/// </summary>
/// <remarks>
/// A dispatcher loads due outbox messages, groups them by destination id and <see cref="BatchKey"/>, cuts each group into
/// batches of at most <see cref="MaxBatchSize"/>, calls <see cref="SendAsync"/> with the destination's
/// <see cref="HttpClient"/>, and records one <see cref="DeliveryOutcome"/> per message.
/// </remarks>
public abstract class DestinationProfile
{
    /// <summary>
    /// Gets the most messages one <see cref="SendAsync"/> call should receive (the Conversions API takes 1,000 events a
    /// call). A profile given more must still answer for every message, e.g. by making several calls.
    /// </summary>
    /// <value>Defaults to 1: one call per message.</value>
    public virtual int MaxBatchSize => 1;

    /// <summary>
    /// Gets the key under which messages of this destination may share one call. Equal keys must mean interchangeable
    /// profiles: the dispatcher sends a group through any one profile of the group, so the key covers every setting that
    /// shapes a request (endpoint, credentials, mappings). The key must not reveal secrets: hash them.
    /// </summary>
    public abstract string BatchKey { get; }

    /// <summary>
    /// Gets the fixed URLs the profile calls, each with the setting it comes from, so the host's
    /// <see cref="OutboundUrlPolicy"/> can check them (scheme and resolved addresses) when a rule is created.
    /// </summary>
    /// <value>Defaults to none.</value>
    public virtual IReadOnlyList<DestinationEndpoint> Endpoints => [];

    /// <summary>
    /// Gets the masker of the rule's secrets (the destination's <see cref="ForwardingDestination.SecretSettings"/> and
    /// <see cref="ImpliedSecrets"/>), which the dispatcher applies to every outcome before it is stored or logged. Set when
    /// the profile is created for a rule (<see cref="ForwardingDestination.CreateRuleProfile"/>).
    /// </summary>
    internal SecretScrubber Secrets { get; set; } = SecretScrubber.PatternsOnly;

    /// <summary>Gets secrets the profile's requests carry that are not secret settings, e.g. a key written into a postback URL.</summary>
    internal virtual IEnumerable<string> ImpliedSecrets => [];

    /// <summary>Tells whether the rule forwards conversions of an event.</summary>
    /// <param name="conversionEvent">The conversion's event.</param>
    /// <returns><see langword="true"/> when an outbox message should be written for such conversions.</returns>
    public abstract bool Forwards(PostbackEvent conversionEvent);

    /// <summary>
    /// Returns whether the destination can take a message for a conversion in <paramref name="status"/> (see
    /// <see cref="ForwardedConversion.Status"/>). A rule whose <c>statuses</c> filter names a status its profile does not
    /// forward is refused when it is created (field <c>statuses[i]</c>); check it again in <see cref="SendAsync"/> for rules
    /// stored before, and dead-letter such a message with <see cref="DeliveryErrorCodes.EventNotForwarded"/>.
    /// </summary>
    /// <param name="status">The status a message would be for.</param>
    /// <returns><see langword="true"/> by default: every status.</returns>
    public virtual bool ForwardsStatus(ConversionStatus status) => true;

    /// <summary>
    /// Delivers a batch of conversions. Never throws for a failed delivery: network errors, timeouts, open circuits and
    /// refused answers become outcomes. Only cancellation through <paramref name="cancellationToken"/> ends it with an
    /// <see cref="OperationCanceledException"/>, and then no outcome is recorded (the message is retried).
    /// </summary>
    /// <param name="batch">The messages to deliver; one or more, all of this profile's destination and batch key.</param>
    /// <param name="client">The destination's HTTP client, which enforces the outbound policy and the circuit breaker.</param>
    /// <param name="cancellationToken">Cancels the delivery.</param>
    /// <returns>Exactly one outcome per message of <paramref name="batch"/>, in the same order.</returns>
    public abstract ValueTask<IReadOnlyList<DeliveryOutcome>> SendAsync(
        IReadOnlyList<ForwardedConversion> batch, HttpClient client, CancellationToken cancellationToken);
}
