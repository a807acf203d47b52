namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Options of the outbox dispatcher (configuration section <c>Postbacks:Forwarding:Dispatcher</c> by convention): whether
/// the hosted dispatcher runs, how often it looks for due messages, and how much it takes on at once.
/// </summary>
public sealed class OutboxDispatcherOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the hosted dispatcher runs in this process. Turn it off on instances that
    /// only receive postbacks, or to drive <see cref="OutboxDispatcher.DispatchOnceAsync"/> yourself (a scheduled job).
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets how long the hosted dispatcher waits for due messages when nothing wakes it. A conversion accepted by
    /// this instance wakes it at once; messages written by other instances, and retries falling due, wait at most this long.
    /// </summary>
    /// <value>Defaults to 1 second; between 10 milliseconds and 10 minutes.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how long a dispatcher holds the messages it leased. A dispatcher that crashes (or stalls) loses them when
    /// the lease ends, and another pass sends them again. A batch is sent only while at least
    /// <see cref="ForwardingOptions.AttemptTimeout"/> of the lease remains.
    /// </summary>
    /// <value>Defaults to 5 minutes; at least twice <see cref="ForwardingOptions.AttemptTimeout"/> and at most 1 day.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the most messages one pass leases.</summary>
    /// <value>Defaults to 500; between 1 and 10,000.</value>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Gets or sets the most destination groups (messages of one destination and batch key, e.g. one pixel) a pass sends
    /// to at the same time. One slow destination occupies one slot, not the whole pass.
    /// </summary>
    /// <value>Defaults to 4; between 1 and 64.</value>
    public int MaxConcurrentSends { get; set; } = 4;
}
