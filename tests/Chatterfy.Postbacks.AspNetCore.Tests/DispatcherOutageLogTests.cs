using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>
/// The hosted outbox dispatcher asks the store every poll interval. While the store is down, that is one failure a
/// second: it is logged once per interval with a count and without a stack trace, and the recovery once.
/// </summary>
public sealed class DispatcherOutageLogTests
{
    private const int StoreUnavailable = 2212;
    private const int StoreBack = 2216;

    [Fact]
    public async Task LogsAStoreOutageOfTheDispatcherOncePerIntervalWithACount_AndTheRecoveryOnce()
    {
        var store = new UnavailableStore { IsUnavailable = true };
        await using var app = await TestApp.StartAsync(
            store: store,
            postbacks: b => b.AddForwarding(o => o.Dispatcher.PollInterval = TimeSpan.FromSeconds(1)),
            services: s => s.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));
        var time = (FakeTimeProvider)app.Get<TimeProvider>();

        // 60 polls against a store that is down: 60 simulated seconds.
        for (var poll = 0; poll < 60; poll++)
        {
            await NextPollAsync(store, time);
        }

        store.IsUnavailable = false;
        await NextPollAsync(store, time);
        await NextPollAsync(store, time);

        var logs = app.Services.GetFakeLogCollector().GetSnapshot();
        var outage = logs.Where(r => r.Id.Id == StoreUnavailable).ToList();
        outage.Count.Should().BeInRange(6, 9, "60 polls a second apart (a little more when a step lands before the dispatcher waits) make one line at once and one per 10 s");
        outage.Should().OnlyContain(r => r.Exception == null, "a store outage is logged without a stack trace");
        outage.Sum(Failures).Should().BeInRange(45, 60, "each line counts the failures since the one before");
        Failures(logs.Where(r => r.Id.Id == StoreBack).Should().ContainSingle("the recovery is logged once").Subject)
            .Should().Be(60, "the recovery line counts every failure of the outage");
        logs.Should().NotContain(r => r.Level >= LogLevel.Error && r.Category!.Contains("Outbox", StringComparison.Ordinal));
    }

    private static long Failures(FakeLogRecord record) =>
        Convert.ToInt64(record.StructuredState!.Single(p => p.Key == "Failures").Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Moves the fake clock on until the dispatcher asks the store again (bounded: 100 steps of 0.1 s).</summary>
    private static async Task NextPollAsync(UnavailableStore store, FakeTimeProvider time)
    {
        for (var step = 0; step < 100; step++)
        {
            if (await store.LeaseCalls.WaitAsync(TimeSpan.FromMilliseconds(2)))
            {
                return;
            }

            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException("The dispatcher did not ask the store again within 10 simulated seconds.");
    }
}
