using Chatterfy.Postbacks.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.ReliabilityTests;

/// <summary>
/// SIGKILL of the receiver while thousands of postbacks are in flight, then a restart on the same data and the network's
/// retries of everything that got no 200: nothing acknowledged may be lost, nothing counted twice.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Clicks = 700;
    private const int Concurrency = 32;
    private const int Kills = 3;
    private const int MaxRetryRounds = 10;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ScenarioDeadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task KilledMidStream_OnSqlite_KeepsEveryAcknowledgedPostbackAndCountsEachKeyOnce()
    {
        using var scenario = new Scenario("crash-sqlite", output, ScenarioDeadline);
        await ThrowAwayStore.OnSqliteAsync("chatterfy-reliability-sqlite-", environment => RunAsync(scenario, environment));
    }

    [PostgresFact]
    public async Task KilledMidStream_OnPostgreSql_KeepsEveryAcknowledgedPostbackAndCountsEachKeyOnce()
    {
        using var scenario = new Scenario("crash-postgresql", output, ScenarioDeadline);
        await ThrowAwayStore.OnPostgreSqlAsync(environment => RunAsync(scenario, environment));
    }

    private static async Task RunAsync(Scenario scenario, Dictionary<string, string> environment)
    {
        var ct = scenario.Deadline;
        await using var host = await SampleHost.StartAsync(scenario.Name, environment, ct);
        PostbackSetInfo set;
        IReadOnlyList<string> clicks;
        using (var api = new TrackerApi(host.BaseAddress))
        {
            set = await api.CreateSetAsync("Binomo", "binomo", ct);
            clicks = await api.CreateClicksAsync(Clicks, "crash", ct);
        }

        var plan = PostbackPlan.Create(scenario.Random, clicks, minDeposits: 3, maxDeposits: 7, duplicateShare: 0.2);
        scenario.Log($"set {set.Id}, {clicks.Count} clicks, {plan.Items.Count} postbacks ({plan.UniqueKeys} keys, {plan.DeliberateDuplicates} deliberate duplicates)");

        // Kill the host at a random point of the stream, restart it, let the network re-send what got no 200 - and kill
        // it again during those retries; the last restart is left alone until everything is acknowledged.
        var delivery = new PostbackDelivery(plan, set.Token);
        var kills = new List<string>();
        for (var cycle = 0; cycle < Kills; cycle++)
        {
            var pending = delivery.Pending();
            var killAfter = scenario.Random.Next(pending.Count * 15 / 100, pending.Count * 85 / 100);
            var acknowledgedBefore = delivery.AcknowledgedCount;
            var cutOffBefore = delivery.TransportFailures;
            int started;
            using (var client = HttpClients.Create(host.BaseAddress, RequestTimeout, Concurrency))
            {
                started = await delivery.SendRoundAsync(client, pending, Concurrency, ct, killAfter, host.Kill);
            }

            host.IsRunning.Should().BeFalse("the host was killed after {0} answers", killAfter);
            var cutOff = delivery.TransportFailures - cutOffBefore;
            kills.Add($"{killAfter}/{pending.Count}");
            scenario.Log($"SIGKILL {cycle + 1} after {killAfter} of {pending.Count} pending answered: {started} requests started, {delivery.AcknowledgedCount - acknowledgedBefore} acknowledged, {cutOff} cut off in flight");
            await host.StartAsync(ct);
            scenario.Log($"restarted on the same data (port {host.Port}); {delivery.Pending().Count} postbacks not acknowledged yet");
        }

        int rounds;
        using (var client = HttpClients.Create(host.BaseAddress, RequestTimeout, Concurrency))
        {
            rounds = await delivery.SendUntilAcknowledgedAsync(client, Concurrency, MaxRetryRounds, ct);
        }

        VerificationResult result;
        using (var api = new TrackerApi(host.BaseAddress))
        {
            result = await DeliveryVerifier.VerifyAsync(api, plan, delivery, ct);
        }

        scenario.Summary(
            plan.Items.Count,
            delivery.AcknowledgedCount,
            result.StoredConversions,
            delivery.DuplicateAnswers,
            result.Stats.Rejected,
            ("requests", delivery.Requests),
            ("kills", string.Join(",", kills)),
            ("cutOffInFlight", delivery.TransportFailures),
            ("finalRounds", rounds));
        Assert.True(
            result.Problems.Count == 0,
            scenario.Failure(
                $"{plan.Items.Count} postbacks, {delivery.AcknowledgedCount} acknowledged, {result.StoredConversions} stored (expected {plan.UniqueKeys}), SIGKILL after {string.Join(", ", kills)} answers",
                result.Describe(),
                host.Output()));
    }
}
