using System.Globalization;
using System.Net;
using Chatterfy.Postbacks.ReliabilityTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.ReliabilityTests;

/// <summary>
/// The SQLite file's storage misbehaves while postbacks stream in: the disk fills up (a tmpfs of the test's own), or the
/// database file is deleted or replaced by an older copy. The receiver answers 503 with <c>Retry-After</c> instead of
/// acknowledging what it cannot keep, logs a little rather than a line per postback, and nothing acknowledged is lost.
/// </summary>
public sealed class StorageFaultTests(ITestOutputHelper output)
{
    private const int Clicks = 150;
    private const int Concurrency = 16;
    private const int MaxRetryRounds = 10;
    private const int TmpfsMegabytes = 24;

    // Well above a few throttled lines per outage (a stack trace each), well below a line per refused postback (~2 KB each).
    private const long MaxOutageLogBytes = 64 * 1024;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ScenarioDeadline = TimeSpan.FromMinutes(3);

    [TmpfsFact]
    public async Task DiskFull_EveryPostbackGets503WithRetryAfter_TheLogStaysSmall_AndOnceSpaceReturnsNothingAcknowledgedIsLost()
    {
        using var scenario = new Scenario("disk-full-sqlite", output, ScenarioDeadline);
        var ct = scenario.Deadline;
        await using var tmpfs = await Tmpfs.MountAsync(TmpfsMegabytes, ct);
        scenario.Log($"tmpfs of {TmpfsMegabytes} MiB at {tmpfs.Path}");
        await using var host = await SampleHost.StartAsync(scenario.Name, SampleHost.SqliteEnvironment(Path.Combine(tmpfs.Path, "postbacks.db")), ct);
        var (set, plan) = await PrepareAsync(scenario, host, ct);
        var fillAfter = scenario.Random.Next(plan.Items.Count * 20 / 100, plan.Items.Count * 40 / 100);
        scenario.Log($"{plan.Items.Count} postbacks ({plan.UniqueKeys} keys); the disk fills up after {fillAfter} answers");

        // Phase 1: the stream, with the disk filled at a random answer; the rest of the stream meets the full disk (a write
        // may still fit in the write-ahead log's room until it needs more), then everything not acknowledged is sent again.
        var delivery = new PostbackDelivery(plan, set.Token) { Phase = "up" };
        long outputBefore = 0;
        long filled = 0;
        using (var client = HttpClients.Create(host.BaseAddress, RequestTimeout, Concurrency))
        {
            await delivery.SendRoundAsync(client, [.. Enumerable.Range(0, plan.Items.Count)], Concurrency, ct, fillAfter, () =>
            {
                delivery.Phase = "filling";
                filled = tmpfs.Fill();
                outputBefore = host.OutputBytes;
                delivery.Phase = "full";
            });
            scenario.Log($"disk full ({filled} bytes of filler); {delivery.AcknowledgedCount} acknowledged so far; sending the rest");
            await delivery.SendRoundAsync(client, delivery.Pending(), Concurrency, ct);

            // Space freed by a failed write (a journal removed) must not let a write in: top the filler up.
            tmpfs.Fill();
            delivery.Phase = "still full";
            await delivery.SendRoundAsync(client, delivery.Pending(), Concurrency, ct);
        }

        var problems = new List<string>();
        var stillFull = delivery.Attempts.Where(a => a.PhaseAtStart == "still full").ToList();
        var full = delivery.Attempts.Where(a => a.PhaseAtStart is "full" or "still full").ToList();
        var refused = full.Count(IsUnavailable);
        // A 200 is allowed only for what was stored: the verification below finds every acknowledged conversion.
        problems.AddRange(full.Where(a => !IsUnavailable(a) && a.StatusCode != 200).Take(10)
            .Select(a => $"with the disk full, postback {plan.Items[a.Index]} was answered {Describe(a)}; expected 503 store_unavailable with Retry-After (or 200, stored)"));
        var stillRefused = stillFull.Count(IsUnavailable);
        if (stillRefused == 0 || stillRefused < stillFull.Count / 2)
        {
            problems.Add($"once writes had failed, only {stillRefused} of {stillFull.Count} re-sent postbacks were answered 503: the outage was not exercised");
        }

        var health = await host.HealthAsync(ct);
        if (health == HttpStatusCode.OK)
        {
            problems.Add("/health answered 200 while every write failed");
        }

        var outageLog = host.OutputBytes - outputBefore;
        if (outageLog > MaxOutageLogBytes)
        {
            problems.Add($"the host wrote {outageLog} bytes of log during the outage ({refused} postbacks refused); at most {MaxOutageLogBytes} expected");
        }

        scenario.Log($"outage: {full.Count} requests, {refused} answered 503 + Retry-After; /health {(int?)health}; {outageLog} bytes of log");

        // Phase 2: the space returns; the receiver recovers without a restart; the network retries.
        delivery.Phase = "recovering";
        tmpfs.Free();
        if (!await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30), ct))
        {
            problems.Add("/health did not answer 200 within 30 s of the space coming back");
        }

        delivery.Phase = "back";
        var (rounds, result) = await ResendAndVerifyAsync(host, plan, delivery, ct);
        problems.AddRange(result.Problems);
        problems.AddRange(ServerErrors(delivery, plan));
        scenario.Summary(
            plan.Items.Count,
            delivery.AcknowledgedCount,
            result.StoredConversions,
            delivery.DuplicateAnswers,
            result.Stats.Rejected,
            ("requests", delivery.Requests),
            ("fillAfter", fillAfter),
            ("duringOutage", full.Count),
            ("answered503", refused),
            ("outageLogBytes", outageLog),
            ("retryRounds", rounds));
        Assert.True(
            problems.Count == 0,
            scenario.Failure(
                $"{plan.Items.Count} postbacks, {delivery.AcknowledgedCount} acknowledged, {result.StoredConversions} stored (expected {plan.UniqueKeys}), disk filled after {fillAfter} answers; {problems.Count} problem(s), the first 15:",
                [.. problems.Take(15), host.Output()]));
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("replaced")]
    public async Task DatabaseFileDeletedOrReplacedWhileRunning_Answers503WithACriticalLine_AndNothingAcknowledgedIsLost(string fault)
    {
        using var scenario = new Scenario($"file-{fault}-sqlite", output, ScenarioDeadline);
        await ThrowAwayStore.OnSqliteAsync("chatterfy-reliability-file-", async environment =>
        {
            var ct = scenario.Deadline;
            var dataSource = environment["Postbacks__Sqlite__DataSource"];
            await using var host = await SampleHost.StartAsync(scenario.Name, environment, ct);
            var (set, plan) = await PrepareAsync(scenario, host, ct);

            // The older copy an operator might restore: it holds the set and the clicks, and no conversion yet.
            var copy = dataSource + ".copy";
            Backup(dataSource, copy);
            var faultAfter = scenario.Random.Next(plan.Items.Count * 20 / 100, plan.Items.Count * 50 / 100);
            scenario.Log($"{plan.Items.Count} postbacks ({plan.UniqueKeys} keys); the database file is {fault} after {faultAfter} answers");

            // Phase 1: the stream, with the file deleted (rm of the database, -wal and -shm) or an older copy renamed over
            // it at a random answer; the rest of the stream meets the changed file.
            var delivery = new PostbackDelivery(plan, set.Token) { Phase = "up" };
            using (var client = HttpClients.Create(host.BaseAddress, RequestTimeout, Concurrency))
            {
                await delivery.SendRoundAsync(client, [.. Enumerable.Range(0, plan.Items.Count)], Concurrency, ct, faultAfter, () =>
                {
                    delivery.Phase = "changing";
                    if (fault == "deleted")
                    {
                        DeleteDatabaseFiles(dataSource);
                    }
                    else
                    {
                        File.Move(copy, dataSource, overwrite: true);
                    }

                    delivery.Phase = "changed";
                });
                scenario.Log($"database file {fault}; {delivery.AcknowledgedCount} acknowledged so far; sending the rest");
                await delivery.SendRoundAsync(client, delivery.Pending(), Concurrency, ct);
            }

            var problems = new List<string>();
            var changed = delivery.Attempts.Where(a => a.PhaseAtStart == "changed").ToList();
            var refused = changed.Count(IsUnavailable);
            problems.AddRange(changed.Where(a => !IsUnavailable(a)).Take(10)
                .Select(a => $"after the file was {fault}, postback {plan.Items[a.Index]} was answered {Describe(a)}; expected 503 store_unavailable with Retry-After"));
            if (changed.Count == 0)
            {
                problems.Add($"nothing was sent after the file was {fault}");
            }

            var critical = host.CriticalLines();
            if (!critical.Any(l => l.Contains("Chatterfy.Postbacks.Sqlite.SqlitePostbackStore[", StringComparison.Ordinal)))
            {
                problems.Add($"no critical line of the SQLite store (the file was lost, a copy saved) in the host's output; critical lines: {string.Join(" | ", critical)}");
            }

            var health = await host.HealthAsync(ct);
            if (health == HttpStatusCode.OK)
            {
                problems.Add($"/health answered 200 after the file was {fault}");
            }

            scenario.Log($"after the change: {changed.Count} requests, {refused} answered 503 + Retry-After; /health {(int?)health}; critical: {string.Join(" | ", critical)}");

            // Phase 2: what the critical line says to do. Stop the host, put the saved copy at the path, start it again; the
            // network retries.
            host.Kill();
            var rescued = Directory.GetFiles(Path.GetDirectoryName(dataSource)!, Path.GetFileName(dataSource) + ".rescued-*")
                .Where(f => !f.EndsWith("-journal", StringComparison.Ordinal)).ToList();
            if (rescued.Count != 1)
            {
                // Without the copy there is nothing to restore: report what went wrong so far.
                problems.Add($"expected one saved copy beside {dataSource}, found {rescued.Count}: {string.Join(", ", rescued)}");
                Assert.Fail(scenario.Failure($"file {fault} after {faultAfter} answers; {problems.Count} problem(s), the first 15:", [.. problems.Take(15), host.Output()]));
            }

            DeleteDatabaseFiles(dataSource);
            File.Move(rescued[0], dataSource);
            scenario.Log($"put the saved copy {Path.GetFileName(rescued[0])} back at {dataSource}; restarting");

            await host.StartAsync(ct);
            delivery.Phase = "back";
            var (rounds, result) = await ResendAndVerifyAsync(host, plan, delivery, ct);
            problems.AddRange(result.Problems);
            problems.AddRange(ServerErrors(delivery, plan));
            scenario.Summary(
                plan.Items.Count,
                delivery.AcknowledgedCount,
                result.StoredConversions,
                delivery.DuplicateAnswers,
                result.Stats.Rejected,
                ("requests", delivery.Requests),
                ("faultAfter", faultAfter),
                ("afterFault", changed.Count),
                ("answered503", refused),
                ("retryRounds", rounds));
            Assert.True(
                problems.Count == 0,
                scenario.Failure(
                    $"{plan.Items.Count} postbacks, {delivery.AcknowledgedCount} acknowledged, {result.StoredConversions} stored (expected {plan.UniqueKeys}), file {fault} after {faultAfter} answers; {problems.Count} problem(s), the first 15:",
                    [.. problems.Take(15), host.Output()]));
        });
    }

    private static async Task<(PostbackSetInfo Set, PostbackPlan Plan)> PrepareAsync(Scenario scenario, SampleHost host, CancellationToken ct)
    {
        using var api = new TrackerApi(host.BaseAddress);
        var set = await api.CreateSetAsync("Binomo", "binomo", ct);
        var clicks = await api.CreateClicksAsync(Clicks, "storage", ct);
        return (set, PostbackPlan.Create(scenario.Random, clicks, minDeposits: 2, maxDeposits: 4, duplicateShare: 0.2));
    }

    private static async Task<(int Rounds, VerificationResult Result)> ResendAndVerifyAsync(SampleHost host, PostbackPlan plan, PostbackDelivery delivery, CancellationToken ct)
    {
        int rounds;
        using (var client = HttpClients.Create(host.BaseAddress, RequestTimeout, Concurrency))
        {
            rounds = await delivery.SendUntilAcknowledgedAsync(client, Concurrency, MaxRetryRounds, ct);
        }

        using var api = new TrackerApi(host.BaseAddress);
        return (rounds, await DeliveryVerifier.VerifyAsync(api, plan, delivery, ct));
    }

    private static bool IsUnavailable(DeliveryAttempt attempt) =>
        attempt is { StatusCode: 503, HasRetryAfter: true, ProblemCode: "store_unavailable" };

    private static string Describe(DeliveryAttempt attempt) =>
        $"{attempt.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? attempt.Failure} {attempt.Status} {attempt.ProblemCode} (Retry-After: {attempt.HasRetryAfter})";

    /// <summary>Any answer of 500 or above other than 503: never acceptable, in any phase.</summary>
    private static IEnumerable<string> ServerErrors(PostbackDelivery delivery, PostbackPlan plan) =>
        delivery.Attempts.Where(a => a.StatusCode is >= 500 and not 503).Take(10)
            .Select(a => $"postback {plan.Items[a.Index]} was answered {Describe(a)} in phase {a.PhaseAtStart}");

    private static void Backup(string dataSource, string destination)
    {
        using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dataSource, Pooling = false }.ToString()))
        using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString()))
        {
            source.Open();
            target.Open();
            source.BackupDatabase(target);
        }
    }

    private static void DeleteDatabaseFiles(string dataSource)
    {
        foreach (var file in new[] { dataSource, dataSource + "-wal", dataSource + "-shm" })
        {
            File.Delete(file);
        }
    }
}
