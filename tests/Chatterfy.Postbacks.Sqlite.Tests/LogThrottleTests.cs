using Chatterfy.Postbacks.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Sqlite.Tests;

/// <summary>The policy for logging a repeating failure (src/Shared/Diagnostics/LogThrottle.cs, compiled into each store package).</summary>
public sealed class LogThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ShouldLog_FirstOccurrence_LogsAtOnceAsOne()
    {
        var throttle = new LogThrottle(_time, Interval);

        throttle.ShouldLog(out var occurrences).Should().BeTrue();
        occurrences.Should().Be(1);
    }

    [Fact]
    public void ShouldLog_WithinTheInterval_CountsWithoutLogging()
    {
        var throttle = new LogThrottle(_time, Interval);
        throttle.ShouldLog(out _);

        _time.Advance(Interval - TimeSpan.FromTicks(1));

        throttle.ShouldLog(out _).Should().BeFalse();
        throttle.ShouldLog(out _).Should().BeFalse();
    }

    [Fact]
    public void ShouldLog_OnceTheIntervalPassed_LogsCountingEveryOccurrenceSinceTheLastLine()
    {
        var throttle = new LogThrottle(_time, Interval);
        throttle.ShouldLog(out _);
        throttle.ShouldLog(out _);
        throttle.ShouldLog(out _);

        _time.Advance(Interval);

        throttle.ShouldLog(out var occurrences).Should().BeTrue();
        occurrences.Should().Be(3);
        throttle.ShouldLog(out _).Should().BeFalse("the interval starts again at the last line");
    }

    [Fact]
    public void TryEnd_AfterALoggedRun_ReportsEveryOccurrenceOfIt_AndTheNextFailureAfterTheIntervalLogsAsOne()
    {
        var throttle = new LogThrottle(_time, Interval);
        throttle.ShouldLog(out _);
        throttle.ShouldLog(out _);

        throttle.TryEnd(out var occurrences).Should().BeTrue();
        occurrences.Should().Be(2);
        throttle.TryEnd(out _).Should().BeFalse("nothing failed since");

        _time.Advance(Interval);
        throttle.ShouldLog(out var next).Should().BeTrue();
        next.Should().Be(1);
    }

    [Fact]
    public void TryEnd_OfARunNotLoggedYet_SaysNothing_AndTheNextLineCountsIt()
    {
        var throttle = new LogThrottle(_time, Interval);
        throttle.ShouldLog(out _);
        throttle.TryEnd(out _).Should().BeTrue();

        // A failure that comes and goes within the interval: no line for it, and no recovery line either.
        throttle.ShouldLog(out _).Should().BeFalse();
        throttle.TryEnd(out _).Should().BeFalse();
        throttle.ShouldLog(out _).Should().BeFalse();
        throttle.TryEnd(out _).Should().BeFalse();

        _time.Advance(Interval);
        throttle.ShouldLog(out var occurrences).Should().BeTrue();
        occurrences.Should().Be(3);
        throttle.TryEnd(out var total).Should().BeTrue();
        total.Should().Be(3);
    }

    [Fact]
    public async Task ShouldLog_ManyThreadsAtOnce_LogsOnceAndLosesNoCount()
    {
        var throttle = new LogThrottle(_time, Interval);
        var logged = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                if (throttle.ShouldLog(out _))
                {
                    Interlocked.Increment(ref logged);
                }
            }
        })));

        logged.Should().Be(1);
        _time.Advance(Interval);
        throttle.ShouldLog(out var occurrences).Should().BeTrue();
        occurrences.Should().Be(8000);
    }
}
