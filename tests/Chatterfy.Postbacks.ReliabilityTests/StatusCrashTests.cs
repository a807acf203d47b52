using Chatterfy.Postbacks.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.ReliabilityTests;

/// <summary>
/// Status changes under SIGKILL: deposits sent <c>hold</c> (pending), then their approvals, then chargebacks for some,
/// each phase with deliberate retries and a SIGKILL mid-stream, and everything without a 200 re-sent. Every conversion
/// must be stored once, end in its planned status and keep exactly its planned history, no entry twice.
/// </summary>
public sealed class StatusCrashTests(ITestOutputHelper output)
{
    private const int Clicks = 300;
    private const int Concurrency = 32;
    private const int MaxRetryRounds = 10;
    private const double DuplicateShare = 0.2;
    private const double ChargebackShare = 0.25;
    private const string Pending = "hold";
    private const string Approved = "approved";
    private const string Chargeback = "chargeback";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ScenarioDeadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task KilledInEveryPhase_OnSqlite_StoresEachConversionOnceWithItsPlannedStatusAndHistory()
    {
        using var scenario = new Scenario("crash-statuses-sqlite", output, ScenarioDeadline);
        await ThrowAwayStore.OnSqliteAsync("chatterfy-reliability-statuses-", environment => RunAsync(scenario, environment));
    }

    [PostgresFact]
    public async Task KilledInEveryPhase_OnPostgreSql_StoresEachConversionOnceWithItsPlannedStatusAndHistory()
    {
        using var scenario = new Scenario("crash-statuses-postgresql", output, ScenarioDeadline);
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
            clicks = await api.CreateClicksAsync(Clicks, "crash-statuses", ct);
        }

        var random = scenario.Random;
        var originals = new List<PlannedPostback>();
        for (var c = 0; c < clicks.Count; c++)
        {
            // Every first deposit and about half the repeat deposits are held first; the other deposits are approved at once.
            originals.Add(New(PostbackKind.FirstDeposit, clicks[c], $"F{c}", Pending));
            var deposits = random.Next(1, 4);
            for (var d = 0; d < deposits; d++)
            {
                originals.Add(New(PostbackKind.Deposit, clicks[c], $"D{c}-{d}", random.Next(2) == 0 ? Pending : null));
            }
        }

        var held = originals.Where(p => p.Status == Pending).ToList();
        var chargedBack = originals.Where(_ => random.NextDouble() < ChargebackShare).ToList();
        var phases = new (string Name, List<PlannedPostback> Postbacks)[]
        {
            ("deposits", originals),
            ("approvals", [.. held.Select(p => p with { Status = Approved, Transport = StatusTransport(random), CommaDecimal = false })]),
            ("chargebacks", [.. chargedBack.Select(p => p with { Status = Chargeback, Transport = StatusTransport(random), CommaDecimal = false })]),
        };

        var plans = new List<(PostbackPlan Plan, PostbackDelivery Delivery)>();
        var kills = new List<string>();
        long sent = 0, acknowledged = 0, changed = 0, duplicates = 0, requests = 0, cutOff = 0;
        foreach (var (name, postbacks) in phases)
        {
            var plan = PostbackPlan.Of(WithRetries(postbacks), clicks);
            var delivery = new PostbackDelivery(plan, set.Token);
            plans.Add((plan, delivery));
            scenario.Log($"phase {name}: {plan.Items.Count} postbacks ({plan.UniqueKeys} keys, {plan.DeliberateDuplicates} deliberate duplicates)");

            // One SIGKILL at a random answer of the phase, a restart on the same data, then re-sends until all are acknowledged.
            var killAfter = random.Next(plan.Items.Count * 15 / 100, plan.Items.Count * 85 / 100);
            using (var client = HttpClients.Create(host.BaseAddress, RequestTimeout, Concurrency))
            {
                await delivery.SendRoundAsync(client, delivery.Pending(), Concurrency, ct, killAfter, host.Kill);
            }

            host.IsRunning.Should().BeFalse("the host was killed after {0} answers of phase {1}", killAfter, name);
            kills.Add($"{name}:{killAfter}/{plan.Items.Count}");
            scenario.Log($"SIGKILL in phase {name} after {killAfter} answers: {delivery.AcknowledgedCount} acknowledged, {delivery.TransportFailures} cut off in flight");
            await host.StartAsync(ct);
            using (var client = HttpClients.Create(host.BaseAddress, RequestTimeout, Concurrency))
            {
                var rounds = await delivery.SendUntilAcknowledgedAsync(client, Concurrency, MaxRetryRounds, ct);
                scenario.Log($"phase {name}: {delivery.AcknowledgedCount} of {plan.Items.Count} acknowledged after {rounds} re-send rounds");
            }

            sent += plan.Items.Count;
            acknowledged += delivery.AcknowledgedCount;
            changed += delivery.ChangedAnswers;
            duplicates += delivery.DuplicateAnswers;
            requests += delivery.Requests;
            cutOff += delivery.TransportFailures;
            if (delivery.AcknowledgedCount != plan.Items.Count)
            {
                break;
            }
        }

        List<string> problems;
        int stored;
        int historyEntries;
        int changedLogged;
        using (var api = new TrackerApi(host.BaseAddress))
        {
            var conversions = await api.GetSetConversionsAsync(set.Id, ct);
            stored = conversions.Count;
            historyEntries = conversions.Sum(c => c.History.Count);
            var changedLog = await api.GetLoggedConversionIdsAsync("changed", ct);
            changedLogged = changedLog.Count;
            problems = Verify(plans, originals, held, chargedBack, conversions, changedLog, await api.GetLoggedConversionIdsAsync("accepted", ct));
        }

        // A 'changed' answer is one history entry; a change whose answer a SIGKILL cut off is answered 'duplicate' on retry.
        if (changed > historyEntries || changed < historyEntries - cutOff)
        {
            problems.Add($"{changed} 'changed' answers for {historyEntries} history entries with {cutOff} requests cut off in flight");
        }

        scenario.Summary(
            sent,
            acknowledged,
            stored,
            duplicates,
            rejected: 0,
            ("changed", changed),
            ("historyEntries", historyEntries),
            ("changedLogged", changedLogged),
            ("requests", requests),
            ("kills", string.Join(",", kills)),
            ("cutOffInFlight", cutOff));
        Assert.True(
            problems.Count == 0,
            scenario.Failure(
                $"{originals.Count} conversions, {held.Count} held then approved, {chargedBack.Count} charged back; {stored} stored, {historyEntries} history entries, SIGKILL after {string.Join(", ", kills)}",
                $"{problems.Count} mismatch(es), the first {Math.Min(15, problems.Count)}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems.Take(15))}",
                host.Output()));

        PlannedPostback New(PostbackKind kind, string click, string transactionId, string? status) =>
            new(0, PlannedPostback.KeyOf(kind, click, transactionId), kind, click, transactionId, random.Next(100, 100_000) / 100m, StatusTransport(random), random.Next(8) == 0, false)
            {
                Status = status,
            };

        // The phase's postbacks plus retries of a share of them (the same URL, status and transaction id), shuffled.
        List<PlannedPostback> WithRetries(List<PlannedPostback> postbacks)
        {
            var items = new List<PlannedPostback>(postbacks);
            var retries = (int)(postbacks.Count * DuplicateShare);
            for (var i = 0; i < retries; i++)
            {
                items.Add(postbacks[random.Next(postbacks.Count)] with { Transport = StatusTransport(random), IsDeliberateDuplicate = true });
            }

            var shuffled = items.ToArray();
            random.Shuffle(shuffled);
            return [.. shuffled];
        }
    }

    /// <summary>
    /// Checks the set's conversions against the plan: each key once, its amount, its final status and its history;
    /// every 200 of every phase naming that key's conversion; one <c>accepted</c> log entry per conversion and one
    /// <c>changed</c> entry per history entry.
    /// </summary>
    private static List<string> Verify(
        List<(PostbackPlan Plan, PostbackDelivery Delivery)> phases,
        List<PlannedPostback> originals,
        List<PlannedPostback> held,
        List<PlannedPostback> chargedBack,
        IReadOnlyList<ConversionWithHistory> conversions,
        IReadOnlyList<string?> changedLog,
        IReadOnlyList<string?> acceptedLog)
    {
        var problems = new List<string>();
        var heldKeys = held.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var chargedBackKeys = chargedBack.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var byKey = conversions.GroupBy(c => DeliveryVerifier.KeyOf(c.Conversion), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var keyOfId = conversions.ToDictionary(c => c.Conversion.Id, c => DeliveryVerifier.KeyOf(c.Conversion), StringComparer.Ordinal);

        foreach (var original in originals)
        {
            if (!byKey.TryGetValue(original.Key, out var stored))
            {
                problems.Add($"key {original.Key} is not stored (sent: {original})");
                continue;
            }

            if (stored.Count != 1)
            {
                problems.Add($"key {original.Key} is stored {stored.Count} times: {string.Join("; ", stored)}");
            }

            var conversion = stored[0];
            var expectedHistory = new List<string>();
            if (heldKeys.Contains(original.Key))
            {
                expectedHistory.Add("pending>approved");
            }

            if (chargedBackKeys.Contains(original.Key))
            {
                expectedHistory.Add("approved>chargeback");
            }

            var expectedStatus = chargedBackKeys.Contains(original.Key) ? Chargeback : Approved;
            if (conversion.Status != expectedStatus || !conversion.History.SequenceEqual(expectedHistory, StringComparer.Ordinal))
            {
                problems.Add($"key {original.Key} should be {expectedStatus} with history [{string.Join(",", expectedHistory)}]: {conversion}");
            }

            if (conversion.Conversion.Amount != original.Amount || conversion.Conversion.Attribution != "credited")
            {
                problems.Add($"key {original.Key} should be credited with amount {original.Amount}: {conversion}");
            }
        }

        var planned = originals.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var key in byKey.Keys.Where(k => !planned.Contains(k)))
        {
            problems.Add($"stored key {key} was never sent: {string.Join("; ", byKey[key])}");
        }

        // Every 200 of every phase is a promise about the key's one conversion.
        foreach (var (plan, delivery) in phases)
        {
            for (var i = 0; i < plan.Items.Count; i++)
            {
                var postback = plan.Items[i];
                if (!delivery.Outcomes[i].Acknowledged)
                {
                    problems.Add($"postback {postback} was never acknowledged after {delivery.Outcomes[i].Attempts} attempts; last: {delivery.Outcomes[i].LastFailure}");
                }

                foreach (var id in delivery.Outcomes[i].ConversionIds)
                {
                    if (!keyOfId.TryGetValue(id, out var key) || key != postback.Key)
                    {
                        problems.Add($"acknowledged postback {postback} named conversion {id}, which is {(key is null ? "not stored" : $"of key {key}")}");
                    }
                }
            }
        }

        // The log agrees: one 'accepted' entry per conversion, one 'changed' entry per history entry.
        CompareLog("accepted", acceptedLog, conversions.ToDictionary(c => c.Conversion.Id, _ => 1, StringComparer.Ordinal));
        CompareLog("changed", changedLog, conversions.Where(c => c.History.Count > 0).ToDictionary(c => c.Conversion.Id, c => c.History.Count, StringComparer.Ordinal));
        return problems;

        void CompareLog(string outcome, IReadOnlyList<string?> logged, Dictionary<string, int> expected)
        {
            var counts = logged.GroupBy(id => id ?? "(none)", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var id in counts.Keys.Union(expected.Keys).Where(id => counts.GetValueOrDefault(id) != expected.GetValueOrDefault(id)))
            {
                problems.Add($"the postback log has {counts.GetValueOrDefault(id)} '{outcome}' entries for conversion {id}, expected {expected.GetValueOrDefault(id)}");
            }
        }
    }

    // Status postbacks go to the event's URL, as a GET or a form POST (the bare URL with a status and no event flag is the status URL).
    private static Transport StatusTransport(Random random) => random.Next(4) == 0 ? Transport.FormPost : Transport.EventPath;
}
