using System.Net;
using Chatterfy.Postbacks.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.ReliabilityTests;

/// <summary>
/// The database goes away mid-stream (<c>pg_ctl stop -m immediate</c> on a PostgreSQL server of the test's own): the
/// receiver answers 503 with <c>Retry-After</c> and acknowledges nothing it cannot commit; when the database is back,
/// the network's retries are accepted with nothing lost or doubled.
/// </summary>
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    private const int Clicks = 250;
    private const int Concurrency = 16;
    private const int MaxRetryRounds = 10;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    [PostgresServerFact]
    public async Task DatabaseStoppedMidStream_Answers503WithRetryAfter_AndRetriesAfterItReturnsAreCountedExactly()
    {
        using var scenario = new Scenario("storage-outage", output, TimeSpan.FromMinutes(3));
        var ct = scenario.Deadline;
        await using var database = await PostgresServer.StartAsync(ct);
        scenario.Log($"own PostgreSQL on 127.0.0.1:{database.Port}");
        var environment = PostgresTestDatabase.HostEnvironment(database.ConnectionString, "outage");

        // Reads (the set cache, click look-ups) must not outlive the outage by much: a short command timeout.
        environment["Postbacks__PostgreSql__CommandTimeout"] = "00:00:05";
        await using var host = await SampleHost.StartAsync(scenario.Name, environment, ct);
        PostbackSetInfo set;
        IReadOnlyList<string> clicks;
        using (var api = new TrackerApi(host.BaseAddress))
        {
            set = await api.CreateSetAsync("Binomo", "binomo", ct);
            clicks = await api.CreateClicksAsync(Clicks, "outage", ct);
        }

        var plan = PostbackPlan.Create(scenario.Random, clicks, minDeposits: 2, maxDeposits: 5, duplicateShare: 0.2);
        var stopAfter = scenario.Random.Next(plan.Items.Count * 20 / 100, plan.Items.Count * 50 / 100);
        scenario.Log($"{plan.Items.Count} postbacks ({plan.UniqueKeys} keys); PostgreSQL stops after {stopAfter} answers");

        // Phase 1: the stream, with the database stopped at a random answer; the rest of the stream meets the outage.
        var delivery = new PostbackDelivery(plan, set.Token) { Phase = "up" };
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (var client = HttpClients.Create(host.BaseAddress, RequestTimeout, Concurrency))
        {
            await delivery.SendRoundAsync(client, [.. Enumerable.Range(0, plan.Items.Count)], Concurrency, ct, stopAfter, () =>
            {
                delivery.Phase = "stopping";
                try
                {
                    database.StopImmediateAsync(ct).GetAwaiter().GetResult();
                    delivery.Phase = "down";
                    stopped.SetResult();
                }
                catch (Exception ex)
                {
                    stopped.SetException(ex);
                    throw;
                }
            });
            await stopped.Task;
            scenario.Log($"PostgreSQL stopped (immediate); {delivery.AcknowledgedCount} acknowledged so far; sending the rest during the outage");
            await delivery.SendRoundAsync(client, delivery.Pending(), Concurrency, ct);
        }

        var duringOutage = delivery.Attempts.Where(a => a.PhaseAtStart == "down" && a.PhaseAtEnd == "down").ToList();
        var problems = new List<string>();
        var unavailable = duringOutage.Count(a => a.StatusCode == 503 && a.HasRetryAfter && a.ProblemCode == "store_unavailable");
        foreach (var attempt in duringOutage.Where(a => !(a.StatusCode == 503 && a.HasRetryAfter && a.ProblemCode == "store_unavailable")).Take(10))
        {
            problems.Add($"during the outage, postback {plan.Items[attempt.Index]} was answered {attempt.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? attempt.Failure} {attempt.Status} {attempt.ProblemCode} (Retry-After: {attempt.HasRetryAfter}); expected 503 store_unavailable with Retry-After");
        }

        if (duringOutage.Count == 0)
        {
            problems.Add("no postback was sent while PostgreSQL was down");
        }

        var healthDuringOutage = await host.HealthAsync(ct);
        if (healthDuringOutage != HttpStatusCode.ServiceUnavailable)
        {
            problems.Add($"/health answered {(int?)healthDuringOutage} while PostgreSQL was down; expected 503");
        }

        var acknowledgedBeforeRestart = delivery.AcknowledgedCount;
        scenario.Log($"outage: {duringOutage.Count} requests, {unavailable} answered 503 + Retry-After; /health {(int?)healthDuringOutage}; {acknowledgedBeforeRestart} acknowledged in all");

        // Phase 2: the database returns (crash recovery); the receiver recovers without a restart; the network retries.
        delivery.Phase = "recovering";
        await database.StartAgainAsync(ct);
        var healthy = await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), ct);
        if (!healthy)
        {
            problems.Add("/health did not answer 200 within 60 s of PostgreSQL's restart");
        }

        delivery.Phase = "back";
        scenario.Log($"PostgreSQL is back; /health 200: {healthy}; re-sending {delivery.Pending().Count} unacknowledged postbacks");
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

        problems.AddRange(result.Problems);
        scenario.Summary(
            plan.Items.Count,
            delivery.AcknowledgedCount,
            result.StoredConversions,
            delivery.DuplicateAnswers,
            result.Stats.Rejected,
            ("requests", delivery.Requests),
            ("stopAfter", stopAfter),
            ("duringOutage", duringOutage.Count),
            ("answered503", unavailable),
            ("ackedBeforeRestart", acknowledgedBeforeRestart),
            ("retryRounds", rounds));
        Assert.True(
            problems.Count == 0,
            scenario.Failure(
                $"{plan.Items.Count} postbacks, {delivery.AcknowledgedCount} acknowledged, {result.StoredConversions} stored (expected {plan.UniqueKeys}), PostgreSQL stopped after {stopAfter} answers; {problems.Count} problem(s), the first 15:",
                [.. problems.Take(15), host.Output(), database.ServerLogTail()]));
    }
}
