using Chatterfy.Postbacks.Configuration;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Options of the outbox dispatcher (configuration section <c>Postbacks:Forwarding:Dispatcher</c> by convention): whether
/// the hosted dispatcher runs, how often it looks for due messages, and how much it takes on at once.
/// </summary>
public sealed class OutboxDispatcherOptions
{
    private const string Section = ForwardingOptions.Section + "Dispatcher:";

    /// <summary>
    /// Gets or sets a value indicating whether the hosted dispatcher runs in this process. Turn it off on instances that
    /// only receive postbacks, or to drive <see cref="OutboxDispatcher.DispatchOnceAsync"/> yourself (a scheduled job).
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets how long the hosted dispatcher waits for due messages when nothing wakes it. A conversion accepted by
    /// this instance, a retry by hand through it and a call to a destination ending wake it at once; messages written by
    /// other instances, and retries falling due, wait at most this long.
    /// </summary>
    /// <value>Defaults to 1 second; between 10 milliseconds and 10 minutes.</value>
    [OptionRange(Section + nameof(PollInterval), typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = OptionRangeAttribute.Between)]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how long a lease on outbox messages lasts unless it is renewed. A dispatcher renews the lease of the
    /// messages it holds every third of this, so a send may take as long as <see cref="ForwardingOptions.AttemptTimeout"/>
    /// allows; a dispatcher that stops gives its leases back at once, and one that crashes loses them when they end. After a
    /// crash, a message is sent again within this plus <see cref="PollInterval"/>. Instances sharing a database should use
    /// the same value: retry by hand (<see cref="OutboxDispatcher.RetryAsync"/>) clears a lease not renewed for half of it.
    /// </summary>
    /// <value>Defaults to 30 seconds; between 3 seconds and 1 hour.</value>
    [OptionRange(Section + nameof(LeaseDuration), typeof(TimeSpan), "00:00:03", "01:00:00", ErrorMessage = OptionRangeAttribute.Between)]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the most messages one lease takes (one pass of <see cref="OutboxDispatcher.DispatchOnceAsync"/>).</summary>
    /// <value>Defaults to 500; between 1 and 10,000.</value>
    [OptionRange(Section + nameof(BatchSize), 1, OutboxLeaseRequest.MaxCountLimit, ErrorMessage = OptionRangeAttribute.Between)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Gets or sets the most calls to destinations in flight at once. A destination group (the messages of one destination
    /// and batch key, e.g. one pixel or one postback URL) has at most one call in flight, so a slow destination takes one
    /// slot and the others go on: the hosted dispatcher keeps leasing other groups' messages while it waits, and leaves a
    /// busy group's messages in the store until its call ends.
    /// </summary>
    /// <value>Defaults to 4; between 1 and 64.</value>
    [OptionRange(Section + nameof(MaxConcurrentSends), 1, 64, ErrorMessage = OptionRangeAttribute.Between)]
    public int MaxConcurrentSends { get; set; } = 4;
}
