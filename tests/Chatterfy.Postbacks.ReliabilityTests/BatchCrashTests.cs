using Chatterfy.Postbacks.ReliabilityTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.ReliabilityTests;

/// <summary>
/// SIGKILL of the receiver on PostgreSQL at a moment when its batches are in flight: the server shows the receiver's
/// connections holding the advisory locks an append batch takes first and keeps until it commits. Then a restart on
/// the same data and the network's retries: every acknowledged postback is stored exactly once, nothing else is.
/// </summary>
public sealed class BatchCrashTests(ITestOutputHelper output)
{
    private const int Clicks = 700;
    private const int Concurrency = 64;
    private const int Kills = 3;
    private const int MaxRetryRounds = 10;
    private const int MaxPolls = 20_000;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ScenarioDeadline = TimeSpan.FromMinutes(3);

    [PostgresFact]
    public async Task KilledWhileBatchesAreInFlight_OnPostgreSql_KeepsEveryAcknowledgedPostbackAndCountsEachKeyOnce()
    {
        using var scenario = new Scenario("crash-postgresql-batches", output, ScenarioDeadline);
        await ThrowAwayStore.OnPostgreSqlAsync(environment => RunAsync(scenario, environment));
    }

    private static async Task RunAsync(Scenario scenario, Dictionary<string, string> environment)
    {
        var ct = scenario.Deadline;
        await using var host = await SampleHost.StartAsync(scenario.Name, environment, ct);
        await using var database = NpgsqlDataSource.Create(PostgresTestDatabase.RequiredConnectionString);
        PostbackSetInfo set;
        IReadOnlyList<string> clicks;
        using (var api = new TrackerApi(host.BaseAddress))
        {
            set = await api.CreateSetAsync("Binomo", "binomo", ct);
            clicks = await api.CreateClicksAsync(Clicks, "batch-crash", ct);
        }

        var plan = PostbackPlan.Create(scenario.Random, clicks, minDeposits: 3, maxDeposits: 7, duplicateShare: 0.2);
        scenario.Log($"set {set.Id}, {clicks.Count} clicks, {plan.Items.Count} postbacks ({plan.UniqueKeys} keys, {plan.DeliberateDuplicates} deliberate duplicates)");

        var delivery = new PostbackDelivery(plan, set.Token);
        var kills = new List<string>();
        for (var cycle = 0; cycle < Kills; cycle++)
        {
            var pending = delivery.Pending();
            var requestsBeforeKill = scenario.Random.Next(pending.Count * 15 / 100, pending.Count * 85 / 100);
            var requestsBefore = delivery.Requests;
            var killed = 0;
            var watcher = Task.Run(
                async () =>
                {
                    // Once enough requests were sent, wait until the server shows the receiver inside append batches: its
                    // connections hold the advisory key locks a batch takes first and holds until its commit.
                    for (var poll = 0; poll < MaxPolls && !ct.IsCancellationRequested; poll++)
                    {
                        if (delivery.Requests - requestsBefore >= requestsBeforeKill)
                        {
                            var (connections, locks) = await BatchesInFlightAsync(database, ct);
                            if (locks > 0)
                            {
                                host.Kill();
                                Volatile.Write(ref killed, 1);
                                return $"{connections} connections holding {locks} key locks";
                            }
                        }

                        // Synchronisation with the child process and the server: a short pause between polls, bounded.
                        await Task.Delay(2, ct);
                    }

                    host.Kill();
                    Volatile.Write(ref killed, 1);
                    return "no batch seen in flight (killed anyway)";
                },
                CancellationToken.None);

            var acknowledgedBefore = delivery.AcknowledgedCount;
            var cutOffBefore = delivery.TransportFailures;
            int started;
            using (var client = HttpClients.Create(host.BaseAddress, RequestTimeout, Concurrency))
            {
                started = await delivery.SendRoundAsync(client, pending, Concurrency, ct, stopWhen: () => Volatile.Read(ref killed) != 0);
            }

            var inFlight = await watcher;
            host.IsRunning.Should().BeFalse();
            kills.Add(inFlight.StartsWith("no batch", StringComparison.Ordinal) ? "none-seen" : "in-flight");
            scenario.Log($"SIGKILL {cycle + 1} after ≥{requestsBeforeKill} of {pending.Count} pending sent, {inFlight}: {started} requests started, {delivery.AcknowledgedCount - acknowledgedBefore} acknowledged, {delivery.TransportFailures - cutOffBefore} cut off in flight");
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
        kills.Should().Contain("in-flight", "at least one SIGKILL must hit while the server showed a batch in flight");
        Assert.True(
            result.Problems.Count == 0,
            scenario.Failure(
                $"{plan.Items.Count} postbacks, {delivery.AcknowledgedCount} acknowledged, {result.StoredConversions} stored (expected {plan.UniqueKeys}), kills {string.Join(", ", kills)}",
                result.Describe(),
                host.Output()));
    }

    /// <summary>The receiver's connections (<c>application_name</c> Chatterfy.Postbacks) that hold advisory locks right now.</summary>
    private static async Task<(long Connections, long Locks)> BatchesInFlightAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            """
            SELECT count(DISTINCT l.pid), count(*)
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'Chatterfy.Postbacks' AND a.datname = current_database()
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
