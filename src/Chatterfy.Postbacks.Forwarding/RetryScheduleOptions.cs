using Chatterfy.Postbacks.Configuration;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>The exponential back-off with jitter that spaces the attempts of one outbox message.</summary>
public sealed class RetryScheduleOptions
{
    private const string Section = ForwardingOptions.Section + "Retry:";

    /// <summary>Gets or sets the delay before the first retry, before jitter; each later delay doubles.</summary>
    /// <value>Defaults to 30 seconds; at least 1 second.</value>
    [OptionRange(Section + nameof(FirstDelay), typeof(TimeSpan), "00:00:01", OptionRangeAttribute.MaxTimeSpan, ErrorMessage = OptionRangeAttribute.AtLeast)]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest delay between two attempts, also the cap of a destination's <c>Retry-After</c> hint.</summary>
    /// <value>Defaults to 1 hour; at least <see cref="FirstDelay"/>.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how long after its creation a message is retried; an attempt failing after it dead-letters the message.
    /// </summary>
    /// <value>Defaults to 24 hours, as affiliate networks retry their own postbacks; at least <see cref="FirstDelay"/>.</value>
    public TimeSpan Horizon { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets the share of each delay that is random: a delay <c>d</c> becomes a uniform value in
    /// <c>[d × (1 − JitterFactor), d]</c>. 1 is "full jitter"; the default 0.5 keeps successive delays growing while
    /// spreading messages that failed together (up to <see cref="MaxDelay"/>, where delays vary within the top range).
    /// </summary>
    /// <value>Defaults to 0.5; between 0 and 1.</value>
    [OptionRange(Section + nameof(JitterFactor), 0.0, 1.0, ErrorMessage = OptionRangeAttribute.Between)]
    public double JitterFactor { get; set; } = 0.5;
}
