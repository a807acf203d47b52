using System.Net;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>
/// What the endpoints log while the store is down: a line per interval with a count, never a line per refused request,
/// never a stack trace, never the set's token (it is the postback URL's only secret).
/// </summary>
public sealed class StoreOutageLogTests
{
    private const int Postbacks = 5;

    [Fact]
    public async Task LogsAStoreOutageOncePerIntervalWithACount_WithoutTheTokenOrAStackTrace()
    {
        var store = new UnavailableStore();
        var collector = new FakeLogCollector();
        await using var app = await TestApp.StartAsync(store: store, services: s => s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(collector)));
        var set = await app.CreateSetAsync("1win");
        var path = TestApp.PathOf(set, "base").Split('?')[0];
        var token = path.Split('/')[^1];
        store.IsUnavailable = true;

        for (var i = 0; i < Postbacks; i++)
        {
            (await app.Client.GetAsync($"{path}/registration?clickid=abcdefgh")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        var lines = Outage(collector);
        lines.Should().ContainSingle("one outage in one interval is one line, not one per refused postback");
        lines[0].Level.Should().Be(LogLevel.Warning);
        lines[0].Exception.Should().BeNull("the store logs the cause; a stack trace per refused postback floods the log");

        app.Time.Advance(TimeSpan.FromMinutes(1));
        (await app.Client.GetAsync($"{path}/registration?clickid=abcdefgh")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        lines = Outage(collector);
        lines.Should().HaveCount(2);
        lines[1].Message.Should().Contain(Postbacks.ToString(System.Globalization.CultureInfo.InvariantCulture), "the line counts the refusals since the last one");
        collector.GetSnapshot().Should().NotContain(r => r.Message.Contains(token, StringComparison.Ordinal), "no log line may show a set's token");
    }

    [Fact]
    public async Task LogsTheTrackerApisAndTheRedirectsOutagesWithoutAStackTrace()
    {
        var store = new UnavailableStore();
        var collector = new FakeLogCollector();
        await using var app = await TestApp.StartAsync(store: store, services: s => s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(collector)));
        store.IsUnavailable = true;

        for (var i = 0; i < Postbacks; i++)
        {
            (await app.Client.GetAsync($"{app.TrackerPrefix}/postback-sets")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await app.Client.GetAsync("/api/go/campaign-1")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        var lines = Outage(collector);
        lines.Should().HaveCount(2, "one line for each of the two endpoints in the interval");
        lines.Should().OnlyContain(r => r.Exception == null);
    }

    private static List<FakeLogRecord> Outage(FakeLogCollector collector) =>
        [.. collector.GetSnapshot().Where(r => r.Category == "Chatterfy.Postbacks.AspNetCore" && r.Level >= LogLevel.Warning)];
}
