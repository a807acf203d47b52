using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.ReliabilityTests;

/// <summary>
/// The hosted dispatcher of the sample host in real time: a destination that hangs for its whole attempt timeout never
/// holds back another destination, and a graceful stop (SIGTERM) in the middle of a send gives the message back, so the
/// restarted host sends it again at once and the outbox records one delivery.
/// </summary>
public sealed class ForwardingDispatchTests(ITestOutputHelper output)
{
    private const string PixelId = "123456789012345";
    private const string AccessToken = "EAAB-reliability-token-0123456789abcd";
    private static readonly TimeSpan ScenarioDeadline = TimeSpan.FromMinutes(3);

    // The sample's defaults, which the scenarios keep.
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    // Room for a loaded 2-core machine: process start-up, SQLite writes, scheduling.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task HangingDestination_OnSqlite_AnotherDestinationGetsEachConversionWithinASecond()
    {
        using var scenario = new Scenario("hanging-destination", output, ScenarioDeadline);
        await ThrowAwayStore.OnSqliteAsync("chatterfy-reliability-hanging-", environment => HangingDestinationAsync(scenario, environment));
    }

    [Fact]
    public async Task TerminatedWhileSending_OnSqlite_SendsTheMessageAgainAtOnceAfterTheRestart_AndTheOutboxRecordsOneDelivery()
    {
        using var scenario = new Scenario("sigterm-during-send", output, ScenarioDeadline);
        await ThrowAwayStore.OnSqliteAsync("chatterfy-reliability-sigterm-", environment => TerminatedWhileSendingAsync(scenario, environment));
    }

    private static async Task HangingDestinationAsync(Scenario scenario, Dictionary<string, string> environment)
    {
        const int Deposits = 6;
        var attemptTimeout = TimeSpan.FromSeconds(5);
        var bound = TimeSpan.FromSeconds(1);
        var ct = scenario.Deadline;

        // Every Conversions API call hangs until the dispatcher's attempt timeout gives up on it; the tracker answers at once.
        await using var graph = await RecordingDestination.StartAsync(_ => true, ct);
        await using var tracker = await RecordingDestination.StartAsync(_ => false, ct);
        AddForwardingEnvironment(environment, attemptTimeout);
        await using var host = await SampleHost.StartAsync(scenario.Name, environment, ct);
        using var api = new TrackerApi(host.BaseAddress);
        var set = await api.CreateSetAsync("Binomo", "binomo", ct);
        await api.CreateForwardingRuleAsync(set.Id, "http-postback", new { urlTemplate = tracker.BaseUrl + "/pb?cid={{click.id}}" }, ct);
        var clicks = await CreateClicksAsync(api, Deposits + 1, ct);
        var warmUp = clicks[Deposits];
        clicks = clicks[..Deposits];
        var acknowledgedAt = new long[Deposits];
        using (var client = HttpClients.Create(host.BaseAddress, TimeSpan.FromSeconds(10), maxConnections: 2))
        {
            // One postback to the tracker first, so the measured ones pay no first-call costs (code loading, the connection).
            await SendFirstDepositAsync(client, set.Token, warmUp, ct);
            (await tracker.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(10), ct)).Should().BeTrue(
                scenario.Failure("the warm-up postback should reach the tracker", host.Output()));
            await api.CreateForwardingRuleAsync(set.Id, "facebook-capi", new { pixelId = PixelId, accessToken = AccessToken, graphBaseUrl = graph.BaseUrl }, ct);

            // The shape of the report: a deposit whose Conversions API call hangs, then more deposits 0.3 s apart.
            for (var i = 0; i < Deposits; i++)
            {
                if (i > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
                }

                await SendFirstDepositAsync(client, set.Token, clicks[i], ct);
                acknowledgedAt[i] = Stopwatch.GetTimestamp();
                if (i == 0)
                {
                    (await graph.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(10), ct)).Should().BeTrue(
                        scenario.Failure("the first deposit's Conversions API call should start", host.Output()));
                }
            }
        }

        var allArrived = await tracker.WaitForAsync(r => r.Count >= Deposits + 1, attemptTimeout, ct);
        var gaveUp = await graph.WaitForAsync(r => r[0].GaveUpAt is not null, attemptTimeout + Slack, ct);
        var hanging = graph.Requests[0];
        var measured = tracker.Requests.Skip(1).ToList();
        var latencies = new TimeSpan?[Deposits];
        foreach (var request in measured)
        {
            var i = Array.IndexOf(clicks, Query(request.Query, "cid"));
            if (i >= 0 && latencies[i] is null)
            {
                latencies[i] = Stopwatch.GetElapsedTime(acknowledgedAt[i], request.ArrivedAt);
            }
        }

        var hungFor = hanging.GaveUpAt is { } end ? Stopwatch.GetElapsedTime(hanging.ArrivedAt, end) : (TimeSpan?)null;
        scenario.Summary(
            Deposits,
            Deposits,
            Deposits,
            duplicates: 0,
            rejected: 0,
            ("trackerCalls", measured.Count),
            ("maxLatencyMs", latencies.Max(l => l?.TotalMilliseconds ?? double.PositiveInfinity).ToString("0", CultureInfo.InvariantCulture)),
            ("graphCalls", graph.Requests.Count),
            ("hangingCallSeconds", hungFor?.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"));
        var timeline = string.Join(Environment.NewLine, latencies.Select((l, i) => $"  deposit {i + 1}: tracker got it {l?.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) ?? "never"} ms after the 200"));
        allArrived.Should().BeTrue(scenario.Failure($"the tracker got {measured.Count} of {Deposits} postbacks while the Conversions API hung{Environment.NewLine}{timeline}", host.Output()));
        latencies.Should().OnlyContain(l => l <= bound, scenario.Failure($"each postback should reach the tracker within {bound.TotalSeconds:0} s of its 200{Environment.NewLine}{timeline}", host.Output()));
        gaveUp.Should().BeTrue(scenario.Failure("the dispatcher should give up on the hanging call after AttemptTimeout", host.Output()));
        hungFor.Should().BeGreaterThanOrEqualTo(attemptTimeout - TimeSpan.FromSeconds(1), "the Conversions API call hung for its whole attempt timeout");
        measured.Should().OnlyContain(r => r.ArrivedAt < hanging.GaveUpAt, "every postback reached the tracker while the other call still hung");
    }

    private static async Task TerminatedWhileSendingAsync(Scenario scenario, Dictionary<string, string> environment)
    {
        var ct = scenario.Deadline;

        // A slow destination: the first call gets no answer before the host is stopped; later ones are answered at once.
        await using var tracker = await RecordingDestination.StartAsync(number => number == 1, ct);
        AddForwardingEnvironment(environment, attemptTimeout: TimeSpan.FromSeconds(30));
        await using var host = await SampleHost.StartAsync(scenario.Name, environment, ct);
        string conversionId;
        using (var api = new TrackerApi(host.BaseAddress))
        {
            var set = await api.CreateSetAsync("Binomo", "binomo", ct);
            await api.CreateForwardingRuleAsync(set.Id, "http-postback", new { urlTemplate = tracker.BaseUrl + "/pb?cid={{click.id}}&conversion={{conversion.id}}" }, ct);
            var click = (await CreateClicksAsync(api, 1, ct))[0];
            using var client = HttpClients.Create(host.BaseAddress, TimeSpan.FromSeconds(10), maxConnections: 1);
            conversionId = await SendFirstDepositAsync(client, set.Token, click, ct);
        }

        (await tracker.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(10), ct)).Should().BeTrue(
            scenario.Failure("the dispatcher should start sending the conversion", host.Output()));
        host.Terminate();
        var callCutShort = await tracker.WaitForAsync(r => r[0].GaveUpAt is not null, Slack, ct);
        scenario.Log($"SIGTERM while the first call was in flight; the call was {(callCutShort ? "" : "not ")}cut short");

        await host.StartAsync(ct);
        var restartedAt = Stopwatch.GetTimestamp();
        var resent = await tracker.WaitForAsync(r => r.Count >= 2, LeaseDuration + PollInterval + Slack, ct);
        var resentAfter = resent ? Stopwatch.GetElapsedTime(restartedAt, tracker.Requests[1].ArrivedAt) : (TimeSpan?)null;
        JsonElement message;
        using (var api = new TrackerApi(host.BaseAddress))
        {
            message = (await api.GetOutboxMessagesAsync(conversionId, ct)).Single();
            for (var poll = 0; poll < 500 && resent && message.GetProperty("status").GetString() != "delivered"; poll++)
            {
                // Synchronisation with the child process: the destination has answered, the host records it just after.
                await Task.Delay(20, ct);
                message = (await api.GetOutboxMessagesAsync(conversionId, ct)).Single();
            }
        }

        var attempts = message.GetProperty("attempts");
        scenario.Summary(
            1,
            1,
            1,
            duplicates: Math.Max(0, tracker.Requests.Count - 1),
            rejected: 0,
            ("destinationCalls", tracker.Requests.Count),
            ("resentAfterRestartMs", resentAfter?.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) ?? "never"),
            ("outboxStatus", message.GetProperty("status").GetString()!),
            ("outboxAttempts", attempts.GetArrayLength()));
        resent.Should().BeTrue(scenario.Failure(
            $"the restarted host should send the message again within LeaseDuration + PollInterval + {Slack.TotalSeconds:0} s; the destination got {tracker.Requests.Count} call(s)",
            host.Output()));
        resentAfter.Should().BeLessThan(PollInterval + Slack, "the stopped host gave its lease back, so the restarted one sends the message at once");
        tracker.Requests.Select(r => Query(r.Query, "conversion")).Should().AllBe(conversionId, "a re-send carries the same conversion id, by which the destination de-duplicates");
        message.GetProperty("status").GetString().Should().Be("delivered");
        message.GetProperty("leaseExpiresAt").ValueKind.Should().Be(JsonValueKind.Null);
        attempts.GetArrayLength().Should().Be(1, "the call cut short by the stop records nothing: the outbox records one delivery");
        attempts[0].GetProperty("status").GetString().Should().Be("delivered");
    }

    // Loopback and http allowed for the fake destinations; every other forwarding option keeps the sample's default.
    private static void AddForwardingEnvironment(Dictionary<string, string> environment, TimeSpan attemptTimeout)
    {
        environment["Postbacks__Forwarding__AllowHttp"] = "true";
        environment["Postbacks__Forwarding__AllowPrivateNetworks"] = "true";
        environment["Postbacks__Forwarding__AttemptTimeout"] = attemptTimeout.ToString("c", CultureInfo.InvariantCulture);
    }

    // Clicks with what the Conversions API needs to match a person: the chat user, an IP address and a browser.
    private static async Task<string[]> CreateClicksAsync(TrackerApi api, int count, CancellationToken cancellationToken)
    {
        var clicks = new string[count];
        for (var i = 0; i < count; i++)
        {
            clicks[i] = await api.CreateClickAsync(
                new { campaignId = "dispatch", subjectId = $"tg:{200_000 + i}", ip = $"203.0.113.{i + 1}", userAgent = "Mozilla/5.0 (iPhone)" },
                cancellationToken);
        }

        return clicks;
    }

    private static async Task<string> SendFirstDepositAsync(HttpClient client, string token, string clickId, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync($"api/postbacks/{token}/first-deposit?click_id={clickId}&amount=25.00", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetString().Should().Be("accepted");
        return json.RootElement.GetProperty("conversionId").GetString()!;
    }

    private static string? Query(string query, string name)
    {
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0 && pair.AsSpan(0, separator).SequenceEqual(name))
            {
                return Uri.UnescapeDataString(pair[(separator + 1)..]);
            }
        }

        return null;
    }
}
