using System.Globalization;
using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.ReliabilityTests.Infrastructure;
using Chatterfy.Postbacks.Testing;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.ReliabilityTests;

/// <summary>
/// Forwarding through a crash: first deposits are acknowledged while the Conversions API is down, the receiver is killed
/// (SIGKILL) while its dispatcher keeps failing, the API recovers, the receiver restarts on the same data — and every
/// conversion must reach the (de-duplicating) API exactly once, as the Purchase with its conversion id, value and currency.
/// </summary>
public sealed class ForwardingCrashTests(ITestOutputHelper output)
{
    private const int FirstDeposits = 150;
    private const string PixelId = "123456789012345";
    private const string AccessToken = "EAAB-reliability-token-0123456789abcd";
    private static readonly TimeSpan ScenarioDeadline = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task KilledWhileTheDestinationIsDown_OnSqlite_DeliversEveryConversionExactlyOnceAfterTheRestart()
    {
        using var scenario = new Scenario("crash-forwarding-sqlite", output, ScenarioDeadline);
        await ThrowAwayStore.OnSqliteAsync("chatterfy-reliability-forwarding-", environment => RunAsync(scenario, environment));
    }

    [PostgresFact]
    public async Task KilledWhileTheDestinationIsDown_OnPostgreSql_DeliversEveryConversionExactlyOnceAfterTheRestart()
    {
        using var scenario = new Scenario("crash-forwarding-postgresql", output, ScenarioDeadline);
        await ThrowAwayStore.OnPostgreSqlAsync(environment => RunAsync(scenario, environment));
    }

    private static async Task RunAsync(Scenario scenario, Dictionary<string, string> environment)
    {
        var ct = scenario.Deadline;
        await using var graph = await FakeConversionsApi.StartAsync(cancellationToken: ct);
        graph.FailWith(503);
        foreach (var (key, value) in FastForwardingEnvironment())
        {
            environment[key] = value;
        }

        await using var host = await SampleHost.StartAsync(scenario.Name, environment, ct);
        PostbackSetInfo set;
        List<string> clicks;
        using (var api = new TrackerApi(host.BaseAddress))
        {
            set = await api.CreateSetAsync("Binomo", "binomo", ct);
            // The Conversions API needs data to match a person on: the chat user (hashed as external_id), IP and browser.
            var created = new List<string>();
            for (var i = 0; i < FirstDeposits; i++)
            {
                created.Add(await api.CreateClickAsync(
                    new { campaignId = "forwarding", subjectId = $"tg:{100_000 + i}", ip = $"203.0.113.{i % 250}", userAgent = "Mozilla/5.0 (iPhone)" },
                    ct));
            }

            clicks = created;
            await api.CreateForwardingRuleAsync(set.Id, "facebook-capi", new { pixelId = PixelId, accessToken = AccessToken, graphBaseUrl = graph.BaseUrl }, ct);
        }

        // Every first deposit is acknowledged while the destination refuses everything.
        var expected = new Dictionary<string, decimal>(StringComparer.Ordinal);
        using (var client = HttpClients.Create(host.BaseAddress, TimeSpan.FromSeconds(10), maxConnections: 8))
        {
            for (var i = 0; i < clicks.Count; i++)
            {
                var amount = 10m + i + (i % 100 / 100m);
                var conversionId = await SendFirstDepositAsync(client, set.Token, clicks[i], amount, ct);
                expected.Add(conversionId, amount);
            }
        }

        // Kill the receiver once its dispatcher has tried (and failed) to deliver: the outbox holds everything.
        (await WaitAsync(() => graph.RequestCount >= 2, TimeSpan.FromSeconds(30), ct)).Should().BeTrue(scenario.Failure($"the dispatcher should try the destination while it is down; it got {graph.RequestCount} calls", host.Output()));
        var failedCalls = graph.RequestCount;
        host.Kill();
        graph.Events.Should().BeEmpty("the destination accepted nothing while it was down");
        scenario.Log($"{expected.Count} first deposits acknowledged; SIGKILL after {failedCalls} refused calls to the destination");

        graph.Recover();
        await host.StartAsync(ct);
        var delivered = await graph.WaitForEventsAsync(expected.Count, DeliveryDeadline, ct);
        using (var api = new TrackerApi(host.BaseAddress))
        {
            // The destination has every event once its answers are sent; the dispatcher records them just after.
            var outbox = await api.CountOutboxAsync(ct);
            for (var poll = 0; poll < 1_500 && outbox.Delivered < expected.Count && outbox.DeadLettered == 0; poll++)
            {
                await Task.Delay(20, ct);
                outbox = await api.CountOutboxAsync(ct);
            }

            scenario.Summary(
                expected.Count,
                expected.Count,
                graph.Events.Count,
                duplicates: graph.EventsSent - graph.Events.Count,
                rejected: 0,
                ("destinationCalls", graph.RequestCount),
                ("refusedCalls", failedCalls),
                ("eventsSent", graph.EventsSent),
                ("outboxDelivered", outbox.Delivered),
                ("outboxPending", outbox.Pending),
                ("outboxDeadLettered", outbox.DeadLettered));
            delivered.Should().BeTrue(scenario.Failure($"only {graph.Events.Count} of {expected.Count} events reached the destination within {DeliveryDeadline.TotalSeconds:0} s", host.Output()));
            outbox.Should().Be(new OutboxCounts(expected.Count, 0, 0));
        }

        var events = graph.Events;
        events.Select(e => e.EventId).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(expected.Keys, "every acknowledged conversion is forwarded once, under its conversion id");
        foreach (var received in events)
        {
            received.EventName.Should().Be("Purchase");
            received.PixelId.Should().Be(PixelId);
            received.Value.Should().Be(expected[received.EventId]);
            received.Currency.Should().Be("USD");
        }
    }

    // Short timeouts and back-off so the scenario runs in seconds; loopback and http allowed for the fake destination.
    private static Dictionary<string, string> FastForwardingEnvironment() => new(StringComparer.Ordinal)
    {
        ["Postbacks__Forwarding__AllowHttp"] = "true",
        ["Postbacks__Forwarding__AllowPrivateNetworks"] = "true",
        ["Postbacks__Forwarding__AttemptTimeout"] = "00:00:02",
        ["Postbacks__Forwarding__CircuitBreakerSamplingDuration"] = "00:00:04",
        ["Postbacks__Forwarding__CircuitBreakerBreakDuration"] = "00:00:01",
        ["Postbacks__Forwarding__Retry__FirstDelay"] = "00:00:01",
        ["Postbacks__Forwarding__Retry__MaxDelay"] = "00:00:02",
        ["Postbacks__Forwarding__Dispatcher__PollInterval"] = "00:00:00.200",
        ["Postbacks__Forwarding__Dispatcher__LeaseDuration"] = "00:00:04",
    };

    private static async Task<string> SendFirstDepositAsync(HttpClient client, string token, string clickId, decimal amount, CancellationToken cancellationToken)
    {
        var uri = $"api/postbacks/{token}/first-deposit?click_id={clickId}&amount={amount.ToString("0.00", CultureInfo.InvariantCulture)}";
        using var response = await client.GetAsync(uri, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetString().Should().Be("accepted");
        return json.RootElement.GetProperty("conversionId").GetString()!;
    }

    // Synchronisation with the child process: poll a condition with short pauses, bounded by count and time.
    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + deadline;
        for (var poll = 0; poll < 10_000 && DateTime.UtcNow < until; poll++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20, cancellationToken);
        }

        return condition();
    }
}
