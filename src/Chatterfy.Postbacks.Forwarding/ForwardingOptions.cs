using Chatterfy.Postbacks.Configuration;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Options of conversion forwarding (configuration section <c>Postbacks:Forwarding</c> by convention): the outbound
/// safety policy, the HTTP resilience of destination calls, the retry schedule and the outbox dispatcher. Validated at startup.
/// </summary>
public sealed class ForwardingOptions
{
    /// <summary>The configuration section the options are bound from by convention.</summary>
    internal const string Section = "Postbacks:Forwarding:";

    /// <summary>Gets or sets a value indicating whether destinations may use plain <c>http</c> URLs. For development only.</summary>
    /// <value>Defaults to <see langword="false"/>: only <c>https</c>.</value>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether destinations may resolve to loopback, private, shared, link-local (cloud
    /// metadata <c>169.254.169.254</c>), unique-local, IPv6 transition (6to4, Teredo, local-use NAT64, IPv4-translated) or
    /// other reserved addresses, on any port. For tests and trusted internal networks only.
    /// </summary>
    /// <value>
    /// Defaults to <see langword="false"/>: such hosts are refused when a rule is created and when a request connects. When
    /// <see langword="true"/>, any port but 0 is allowed too (see <see cref="AllowedPorts"/>).
    /// </value>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Gets the ports destinations may use besides 443 (and 80 with <see cref="AllowHttp"/>), e.g. a tracker's postback
    /// endpoint on 8443. Checked when a rule is created and when a request connects; port 0 is never allowed. Bound from
    /// configuration as a list (<c>Postbacks:Forwarding:AllowedPorts:0</c> = <c>8443</c>).
    /// </summary>
    /// <value>
    /// Defaults to empty: only 443, and 80 with <see cref="AllowHttp"/>. Each port between 1 and 65535.
    /// <see cref="AllowPrivateNetworks"/> lifts the port rule (but not the refusal of port 0).
    /// </value>
    public IList<int> AllowedPorts { get; } = [];

    /// <summary>Gets or sets the timeout of one call to a destination (connect, send and read the answer).</summary>
    /// <value>Defaults to 30 seconds; between 1 second and 5 minutes.</value>
    [OptionRange(Section + nameof(AttemptTimeout), typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = OptionRangeAttribute.Between)]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the share of failed calls (network errors, timeouts, 408, 429, 5xx) to one destination host within
    /// <see cref="CircuitBreakerSamplingDuration"/> that opens its circuit, after which calls to that host fail fast
    /// (and are retried later) without stalling other hosts.
    /// </summary>
    /// <value>Defaults to 0.5; greater than 0 and at most 1.</value>
    [OptionRange(Section + nameof(CircuitBreakerFailureRatio), 0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "{0} must be greater than {1} and at most {2} (got {3}).")]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets the fewest calls to one host within the sampling duration before its circuit may open.</summary>
    /// <value>Defaults to 10; at least 2.</value>
    [OptionRange(Section + nameof(CircuitBreakerMinimumThroughput), 2, int.MaxValue, ErrorMessage = OptionRangeAttribute.AtLeast)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets the window over which the failure ratio of a host is measured.</summary>
    /// <value>Defaults to 60 seconds; at least twice <see cref="AttemptTimeout"/>.</value>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long an open circuit stays open before one trial call is let through.</summary>
    /// <value>Defaults to 30 seconds; at least 0.5 seconds.</value>
    [OptionRange(Section + nameof(CircuitBreakerBreakDuration), typeof(TimeSpan), "00:00:00.5", OptionRangeAttribute.MaxTimeSpan, ErrorMessage = OptionRangeAttribute.AtLeast)]
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the largest part of a destination's answer that is read, in bytes; the rest is discarded.</summary>
    /// <value>Defaults to 65,536 (64 KiB); between 1 KiB and 1 MiB.</value>
    [OptionRange(Section + nameof(MaxResponseBodyBytes), 1024, 1024 * 1024, ErrorMessage = OptionRangeAttribute.Between)]
    public int MaxResponseBodyBytes { get; set; } = Http.DestinationHttp.DefaultMaxResponseBodyBytes;

    /// <summary>
    /// Gets or sets a value indicating whether the secret settings of forwarding rules (each destination's
    /// <see cref="ForwardingDestination.SecretSettings"/>, e.g. the Conversions API <c>accessToken</c>) are kept in the store
    /// protected with ASP.NET Core Data Protection (<c>IDataProtectionProvider</c>) rather than as plain text. Rules created
    /// from then on are stored protected, and the plain secrets of earlier rules are protected when the host starts. The host
    /// must register Data Protection with a persisted key ring (a key repository such as <c>PersistKeysToFileSystem</c>,
    /// shared by every instance, under one <c>SetApplicationName</c>), or the host does not start. A secret that cannot be
    /// unprotected later (a lost key ring, another application's keys) is never sent: its messages are dead-lettered as
    /// <see cref="DeliveryErrorCodes.SecretUnreadable"/>. See <c>docs/forwarding.md</c>, "Secrets at rest".
    /// </summary>
    /// <value>
    /// Defaults to <see langword="false"/>: secrets are stored as given. Protected secrets already stored are read either way,
    /// while the key ring is there.
    /// </value>
    public bool ProtectSecrets { get; set; }

    /// <summary>
    /// Gets or sets how long an instance keeps the forwarding rules in memory before reading them again. A rule created or
    /// deleted through this instance applies at once; other instances sharing the database see it after at most this long.
    /// </summary>
    /// <value>Defaults to 5 seconds; between zero (read the rules for every conversion) and 5 minutes.</value>
    [OptionRange(Section + nameof(RuleCacheDuration), typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = OptionRangeAttribute.Between)]
    public TimeSpan RuleCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the retry schedule of failed deliveries.</summary>
    [ValidateObjectMembers]
    public RetryScheduleOptions Retry { get; } = new();

    /// <summary>Gets the options of the outbox dispatcher (section <c>Postbacks:Forwarding:Dispatcher</c>).</summary>
    [ValidateObjectMembers]
    public OutboxDispatcherOptions Dispatcher { get; } = new();

    /// <summary>Gets the options of the signed webhook destination (<c>Postbacks:Forwarding:Webhook</c>).</summary>
    /// <value>An empty allow-list by default: webhooks keep the outbound policy like every other rule.</value>
    public Reactions.WebhookOptions Webhook { get; } = new();
}
