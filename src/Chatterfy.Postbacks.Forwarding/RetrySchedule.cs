using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Computes when a failed delivery is tried again: exponential back-off from <see cref="RetryScheduleOptions.FirstDelay"/>,
/// doubled per attempt, capped at <see cref="RetryScheduleOptions.MaxDelay"/>, with jitter, within a horizon measured from
/// the message's creation. Thread-safe.
/// </summary>
public sealed class RetrySchedule
{
    private readonly Func<RetryScheduleOptions> _options;
    private readonly Func<double> _random;

    /// <summary>Initializes a new instance of the <see cref="RetrySchedule"/> class.</summary>
    /// <param name="options">The schedule; read on each call.</param>
    /// <param name="random">
    /// Returns a uniform value in <c>[0, 1)</c> for the jitter; <see langword="null"/> for <see cref="Random.Shared"/>. Tests pass a
    /// seeded <see cref="Random"/> or a constant.
    /// </param>
    public RetrySchedule(RetryScheduleOptions options, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = () => options;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="RetrySchedule"/> class that follows <see cref="ForwardingOptions.Retry"/>,
    /// reloaded options included, with <see cref="Random.Shared"/> for the jitter. The constructor the service provider calls.
    /// </summary>
    /// <param name="options">The forwarding options; <see cref="ForwardingOptions.Retry"/> is read on each call.</param>
    public RetrySchedule(IOptionsMonitor<ForwardingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = () => options.CurrentValue.Retry;
        _random = Random.Shared.NextDouble;
    }

    /// <summary>Gets the delay after the given failed attempt before jitter and hints: <c>FirstDelay × 2^(attempt − 1)</c>, capped.</summary>
    /// <param name="attempt">The number of the attempt that failed, starting at 1.</param>
    /// <returns>The un-jittered delay.</returns>
    public TimeSpan GetBaseDelay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var options = _options();
        var cap = options.MaxDelay.Ticks;
        var ticks = options.FirstDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 62));
        return TimeSpan.FromTicks(ticks >= cap ? cap : (long)ticks);
    }

    /// <summary>Computes when to try a message again after a failed attempt.</summary>
    /// <param name="createdAt">When the message was created; the horizon is measured from it.</param>
    /// <param name="attempt">The number of the attempt that just failed, starting at 1.</param>
    /// <param name="now">The current time, from the host's <see cref="TimeProvider"/>.</param>
    /// <param name="retryAfter">
    /// The destination's hint (<see cref="DeliveryOutcome.RetryAfter"/>), or <see langword="null"/>: the retry is not scheduled
    /// before it, though the hint is capped at <see cref="RetryScheduleOptions.MaxDelay"/>.
    /// </param>
    /// <returns>
    /// The time of the next attempt, never past <c>createdAt + Horizon</c> (a retry that would land after it is moved to it,
    /// as a last attempt); <see langword="null"/> when the horizon has passed and the message should be dead-lettered.
    /// </returns>
    public DateTimeOffset? NextAttemptAt(DateTimeOffset createdAt, int attempt, DateTimeOffset now, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var options = _options();
        var deadline = createdAt + options.Horizon;
        if (now >= deadline)
        {
            return null;
        }

        var baseDelay = GetBaseDelay(attempt);
        var jitter = Math.Clamp(options.JitterFactor, 0, 1) * Math.Clamp(_random(), 0, 1);
        var delay = TimeSpan.FromTicks((long)(baseDelay.Ticks * (1 - jitter)));
        if (retryAfter is { } hint && hint > delay)
        {
            delay = hint > options.MaxDelay ? options.MaxDelay : hint;
        }

        var next = now + delay;
        return next > deadline ? deadline : next;
    }
}
