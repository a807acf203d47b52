using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Forwarding.Tests;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Created = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetBaseDelay_DoublesFromThirtySecondsUpToTheHourCap()
    {
        var schedule = new RetrySchedule(new RetryScheduleOptions());

        Enumerable.Range(1, 10).Select(schedule.GetBaseDelay).Should().Equal(
            TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8),
            TimeSpan.FromMinutes(16), TimeSpan.FromMinutes(32), TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        schedule.GetBaseDelay(int.MaxValue).Should().Be(TimeSpan.FromHours(1));
    }

    [Fact]
    public void NextAttemptAt_WithoutJitter_IsNowPlusTheBaseDelay()
    {
        var time = new FakeTimeProvider(Created);
        var schedule = new RetrySchedule(new RetryScheduleOptions(), () => 0);

        time.Advance(TimeSpan.FromMinutes(3));

        schedule.NextAttemptAt(Created, 3, time.GetUtcNow()).Should().Be(time.GetUtcNow() + TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void NextAttemptAt_JitterStaysWithinItsShareAndDelaysNeverShrink()
    {
        var time = new FakeTimeProvider(Created);
        var random = new Random(1234);
        var schedule = new RetrySchedule(new RetryScheduleOptions(), random.NextDouble);
        var previous = TimeSpan.Zero;

        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var now = time.GetUtcNow();
            var delay = schedule.NextAttemptAt(Created, attempt, now)!.Value - now;
            var full = schedule.GetBaseDelay(attempt);

            delay.Should().BeGreaterThanOrEqualTo(full / 2).And.BeLessThanOrEqualTo(full);
            if (full < TimeSpan.FromHours(1))
            {
                delay.Should().BeGreaterThanOrEqualTo(previous, "with half jitter each range starts where the previous one ends, up to the cap");
            }

            previous = delay;
            time.Advance(delay);
        }
    }

    [Fact]
    public void NextAttemptAt_FullJitterSpreadsOverTheWholeDelay()
    {
        var schedule = new RetrySchedule(new RetryScheduleOptions { JitterFactor = 1 }, () => 0.999);

        (schedule.NextAttemptAt(Created, 1, Created)!.Value - Created).Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void NextAttemptAt_AfterTheHorizon_ReturnsNullSoTheMessageIsDeadLettered()
    {
        var time = new FakeTimeProvider(Created);
        var schedule = new RetrySchedule(new RetryScheduleOptions(), () => 0);

        time.Advance(TimeSpan.FromHours(24));

        schedule.NextAttemptAt(Created, 30, time.GetUtcNow()).Should().BeNull();
    }

    [Fact]
    public void NextAttemptAt_NearTheHorizon_SchedulesALastAttemptAtIt()
    {
        var time = new FakeTimeProvider(Created);
        var schedule = new RetrySchedule(new RetryScheduleOptions(), () => 0);

        time.Advance(TimeSpan.FromHours(23.5));

        schedule.NextAttemptAt(Created, 30, time.GetUtcNow()).Should().Be(Created + TimeSpan.FromHours(24));
    }

    [Fact]
    public void NextAttemptAt_HonoursALongerRetryAfter()
    {
        var schedule = new RetrySchedule(new RetryScheduleOptions(), () => 0);

        schedule.NextAttemptAt(Created, 1, Created, TimeSpan.FromMinutes(5)).Should().Be(Created + TimeSpan.FromMinutes(5));
        schedule.NextAttemptAt(Created, 1, Created, TimeSpan.FromSeconds(1)).Should().Be(Created + TimeSpan.FromSeconds(30), "a short hint never brings a retry forward");
    }

    [Fact]
    public void NextAttemptAt_CapsARetryAfterAtTheMaximumDelayAndTheHorizon()
    {
        var time = new FakeTimeProvider(Created);
        var schedule = new RetrySchedule(new RetryScheduleOptions(), () => 0);

        schedule.NextAttemptAt(Created, 1, Created, TimeSpan.FromDays(3)).Should().Be(Created + TimeSpan.FromHours(1));
        time.Advance(TimeSpan.FromHours(23.9));
        schedule.NextAttemptAt(Created, 9, time.GetUtcNow(), TimeSpan.FromHours(1)).Should().Be(Created + TimeSpan.FromHours(24));
    }

    [Fact]
    public void NextAttemptAt_HonoursAShorterHorizon()
    {
        var schedule = new RetrySchedule(new RetryScheduleOptions { Horizon = TimeSpan.FromMinutes(10) }, () => 0);

        schedule.NextAttemptAt(Created, 1, Created.AddMinutes(10)).Should().BeNull();
        schedule.NextAttemptAt(Created, 5, Created.AddMinutes(9)).Should().Be(Created.AddMinutes(10));
    }
}
