namespace Chatterfy.Postbacks.Diagnostics;

/// <summary>
/// Lets a failure that repeats (a store outage: every write, every request failing the same way) be logged once per
/// interval with a count, instead of once per occurrence. Thread-safe; time comes from the <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Compiled into each package that logs store failures (src/Shared), as an internal type: one home for the policy.
/// The first occurrence is logged at once; later ones only when <see cref="Interval"/> has passed since the last line,
/// which then counts every occurrence since the line before. When the failure ends, <see cref="TryEnd"/> says whether to
/// log the recovery: only when a line was written about the run it ends, so a failure that comes and goes quickly writes
/// at most two lines per interval.
/// </remarks>
internal sealed class LogThrottle(TimeProvider timeProvider, TimeSpan interval)
{
    /// <summary>How often a repeating failure is logged: every ten seconds at most.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private long _lastLine;
    private bool _hasLogged;
    private bool _runLogged;
    private long _sinceLine;
    private long _sinceEnd;

    /// <summary>Initializes a new instance of the <see cref="LogThrottle"/> class with <see cref="DefaultInterval"/>.</summary>
    public LogThrottle(TimeProvider timeProvider)
        : this(timeProvider, DefaultInterval)
    {
    }

    /// <summary>Gets the least time between two lines about the failure.</summary>
    public TimeSpan Interval => interval;

    /// <summary>
    /// Counts one occurrence of the failure and tells whether to log it now.
    /// </summary>
    /// <param name="occurrences">When logging: how many occurrences the line stands for (this one and the ones not logged since the previous line).</param>
    /// <returns><see langword="true"/> when the occurrence is to be logged now.</returns>
    public bool ShouldLog(out long occurrences)
    {
        var now = timeProvider.GetTimestamp();
        lock (_lock)
        {
            _sinceLine++;
            _sinceEnd++;
            if (_hasLogged && timeProvider.GetElapsedTime(_lastLine, now) < interval)
            {
                occurrences = 0;
                return false;
            }

            _hasLogged = true;
            _runLogged = true;
            _lastLine = now;
            occurrences = _sinceLine;
            _sinceLine = 0;
            return true;
        }
    }

    /// <summary>
    /// Records that the failure stopped and tells whether to log the recovery: only when a line was written about the
    /// failures it ends. Otherwise they stay counted, and the next line about the failure includes them.
    /// </summary>
    /// <param name="occurrences">When logging: how many occurrences there were since the last recovery line.</param>
    /// <returns><see langword="true"/> when the recovery is to be logged now.</returns>
    public bool TryEnd(out long occurrences)
    {
        lock (_lock)
        {
            if (!_runLogged)
            {
                occurrences = 0;
                return false;
            }

            occurrences = _sinceEnd;
            _runLogged = false;
            _sinceEnd = 0;
            _sinceLine = 0;
            return true;
        }
    }
}
