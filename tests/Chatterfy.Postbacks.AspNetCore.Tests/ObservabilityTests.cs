using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The receiver's meter, activity source and the store health check.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task CountsReceivedPostbacksByOutcomeNetworkAndBoundedEvent()
    {
        await using var app = await TestApp.StartAsync();
        using var received = new MetricCollector<long>(app.Get<IMeterFactory>(), ChatterfyPostbacksTelemetry.MeterName, ChatterfyPostbacksTelemetry.ReceivedCounterName);
        var binomo = await app.CreateSetAsync("binomo");
        var oneWin = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var binomoBare = TestApp.PathOf(binomo, "base");
        var oneWinBare = TestApp.PathOf(oneWin, "base").Split('?')[0];

        await app.Client.GetAsync($"{binomoBare}?click_id={clickId}&ftd=true&amount=10&transaction_id=1");
        await app.Client.GetAsync($"{binomoBare}?click_id={clickId}&ftd=true&amount=10&transaction_id=1");
        await app.Client.GetAsync($"{oneWinBare}/emailconf?clickid={clickId}");
        await app.Client.GetAsync($"{oneWinBare}/registration?clickid=unknownClick1");
        await app.Client.GetAsync($"{oneWinBare}/first-deposit?clickid={clickId}");
        await app.Client.GetAsync("/api/postbacks/AAAAAAAAAAAAAAAAAAAAAA/registration?clickid=x");
        await app.Client.GetAsync("/api/postbacks/AAAAAAAAAAAAAAAAAAAAAA/tracker-postback?tracker.event=sale");
        await app.Client.PostAsync($"{oneWinBare}/deposit", new StringContent(new string('x', 17 * 1024)));

        received.GetMeasurementSnapshot().Select(m => (m.Value, Tag(m.Tags, "outcome"), Tag(m.Tags, "network"), Tag(m.Tags, "event"))).Should().Equal(
            (1L, "accepted", "binomo", "first-deposit"),
            (1L, "duplicate", "binomo", "first-deposit"),
            (1L, "accepted", "1win", "custom"),
            (1L, "unattributed", "1win", "registration"),
            (1L, "rejected", "1win", "first-deposit"),
            (1L, "not_found", "unknown", "registration"),
            (1L, "not_found", "unknown", "none"),
            (1L, "too_large", "unknown", "deposit"));
    }

    [Fact]
    public async Task CountsPostbacksAnsweredWhileTheStoreIsUnavailable()
    {
        var store = new UnavailableStore();
        await using var app = await TestApp.StartAsync(store: store);
        using var received = new MetricCollector<long>(app.Get<IMeterFactory>(), ChatterfyPostbacksTelemetry.MeterName, ChatterfyPostbacksTelemetry.ReceivedCounterName);
        var set = await app.CreateSetAsync("1win");
        store.IsUnavailable = true;

        await app.Client.GetAsync($"{TestApp.PathOf(set, "base").Split('?')[0]}/registration?clickid=abcdefgh");

        var measurement = received.GetMeasurementSnapshot().Single();
        Tag(measurement.Tags, "outcome").Should().Be("unavailable");
        Tag(measurement.Tags, "event").Should().Be("registration");
    }

    [Fact]
    public async Task RecordsTheIngestDurationInSeconds()
    {
        await using var app = await TestApp.StartAsync();
        using var duration = new MetricCollector<double>(app.Get<IMeterFactory>(), ChatterfyPostbacksTelemetry.MeterName, ChatterfyPostbacksTelemetry.IngestDurationHistogramName);
        var set = await app.CreateSetAsync("1win");

        await app.Client.GetAsync($"{TestApp.PathOf(set, "base").Split('?')[0]}/registration?clickid=abcdefgh");

        var measurement = duration.GetMeasurementSnapshot().Single();
        measurement.Value.Should().BeGreaterThanOrEqualTo(0);
        Tag(measurement.Tags, "outcome").Should().Be("unattributed");
        Tag(measurement.Tags, "network").Should().Be("1win");
        duration.Instrument!.Unit.Should().Be("s");
    }

    [Fact]
    public async Task StartsAnActivityPerPostbackWithTheSetAndOutcome()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ChatterfyPostbacksTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var setId = set.GetProperty("id").GetString();

        await app.Client.GetAsync($"{TestApp.PathOf(set, "base").Split('?')[0]}/registration?clickid=abcdefgh");

        // Other tests run in parallel and share the static source: pick this test's activity by its set.
        var activity = stopped.Single(a => (string?)a.GetTagItem("chatterfy.postbacks.set_id") == setId);
        activity.OperationName.Should().Be(ChatterfyPostbacksTelemetry.IngestActivityName);
        activity.GetTagItem("chatterfy.postbacks.outcome").Should().Be("unattributed");
        activity.GetTagItem("chatterfy.postbacks.network").Should().Be("1win");
    }

    [Fact]
    public async Task ReportsTheStoreHealthy()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.GetAsync(TestApp.HealthPath);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }

    [Fact]
    public async Task ReportsTheStoreUnhealthyWhileItIsUnavailable()
    {
        var store = new UnavailableStore();
        await using var app = await TestApp.StartAsync(store: store);
        store.IsUnavailable = true;

        var response = await app.Client.GetAsync(TestApp.HealthPath);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Be("Unhealthy");
    }

    private static string? Tag(IReadOnlyDictionary<string, object?> tags, string name) => tags.TryGetValue(name, out var value) ? value as string : null;
}
