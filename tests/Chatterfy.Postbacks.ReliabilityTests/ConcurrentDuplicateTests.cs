using System.Globalization;
using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.ReliabilityTests;

/// <summary>
/// Two receiver processes behind one "load balancer", sharing one PostgreSQL schema: the same postback sent 50 times at
/// once, split across both, is stored once and answered <c>accepted</c> once and <c>duplicate</c> 49 times - for keys
/// the unique index settles (registration, first deposit, deposit with a transaction id) and for windowed keys the
/// advisory lock settles (deposit and custom event without one).
/// </summary>
public sealed class ConcurrentDuplicateTests(ITestOutputHelper output)
{
    private const int Copies = 50;

    [PostgresFact]
    public async Task SamePostbackFiftyTimesAtOnceOnTwoInstances_IsStoredOnceWithFortyNineDuplicates()
    {
        using var scenario = new Scenario("concurrent-duplicates", output, TimeSpan.FromMinutes(2));
        var ct = scenario.Deadline;
        var connectionString = PostgresTestDatabase.RequiredConnectionString;
        var schema = PostgresTestDatabase.NewSchema();
        try
        {
            var environment = PostgresTestDatabase.HostEnvironment(connectionString, schema);

            // Both start at once, so both migrate the new schema at once (the migration lock settles that too).
            var starting = new[] { SampleHost.StartAsync("instance-a", environment, ct), SampleHost.StartAsync("instance-b", environment, ct) };
            try
            {
                await Task.WhenAll(starting);
            }
            catch
            {
                foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
                {
                    await started.Result.DisposeAsync();
                }

                throw;
            }

            await using var first = starting[0].Result;
            await using var second = starting[1].Result;

            using var api = new TrackerApi(first.BaseAddress);
            var set = await api.CreateSetAsync("Binomo", "binomo", ct);
            var click = await api.CreateClickAsync("duplicates", ct);
            var bursts = new (string Name, string PathAndQuery)[]
            {
                ("first-deposit", $"api/postbacks/{set.Token}/first-deposit?click_id={click}&amount=25.50&transaction_id=T-1"),
                ("registration", $"api/postbacks/{set.Token}/registration?click_id={click}"),
                ("deposit-with-tid", $"api/postbacks/{set.Token}/deposit?click_id={click}&amount=10.30&transaction_id=T-2"),
                ("deposit-without-tid", $"api/postbacks/{set.Token}/deposit?click_id={click}&amount=7.77"),
                ("custom-without-tid", $"api/postbacks/{set.Token}/emailconf?click_id={click}"),
            };

            using var clientA = HttpClients.Create(first.BaseAddress, TimeSpan.FromSeconds(15), Copies / 2);
            using var clientB = HttpClients.Create(second.BaseAddress, TimeSpan.FromSeconds(15), Copies / 2);
            var clients = new[] { clientA, clientB };
            await WarmUpAsync(clients, ct);

            var problems = new List<string>();
            var answers = 0;
            var duplicates = 0;
            foreach (var (name, pathAndQuery) in bursts)
            {
                var results = await BurstAsync(clients, pathAndQuery, ct);
                answers += results.Count(r => r.Status == HttpStatusCode.OK);
                duplicates += results.Count(r => r.Outcome == "duplicate");
                var accepted = results.Count(r => r.Outcome == "accepted");
                var duplicate = results.Count(r => r.Outcome == "duplicate");
                var ids = results.Select(r => r.ConversionId).Distinct(StringComparer.Ordinal).ToList();
                var byInstance = string.Join(", ", results.GroupBy(r => r.Instance).Select(g => $"{g.Key}: {g.Count(r => r.Outcome == "accepted")} accepted {g.Count(r => r.Outcome == "duplicate")} duplicate"));
                scenario.Log($"{name}: {accepted} accepted, {duplicate} duplicate, {ids.Count} conversion id(s) ({byInstance})");
                if (accepted != 1 || duplicate != Copies - 1 || ids.Count != 1)
                {
                    var other = results.Where(r => r.Outcome is not ("accepted" or "duplicate")).Select(r => $"{(int)r.Status} {r.Body}").Distinct().Take(5);
                    problems.Add($"{name}: {accepted} accepted, {duplicate} duplicate, conversion ids [{string.Join(", ", ids)}]; other answers: {string.Join(" | ", other)}");
                }
            }

            var conversions = await api.GetConversionsAsync(click, ct);
            foreach (var group in conversions.GroupBy(c => c.Event, StringComparer.Ordinal))
            {
                var expected = group.Key == "deposit" ? 2 : 1;
                if (group.Count() != expected)
                {
                    problems.Add($"{group.Count()} {group.Key} conversions stored, expected {expected}: {string.Join("; ", group)}");
                }
            }

            var stats = await api.GetStatsAsync(ct);
            var expectedStats = new TrackerStats(1, 1, 1, 2, 0, 0, new Dictionary<string, (decimal, decimal)>(StringComparer.Ordinal) { ["USD"] = (25.50m, 18.07m) });
            if (!stats.SameAs(expectedStats))
            {
                problems.Add($"stats differ:{Environment.NewLine}  expected {expectedStats}{Environment.NewLine}  actual   {stats}");
            }

            scenario.Summary(bursts.Length * Copies, answers, conversions.Count, duplicates, stats.Rejected, ("instances", 2), ("bursts", bursts.Length));
            Assert.True(
                problems.Count == 0,
                scenario.Failure($"{bursts.Length} bursts of {Copies} identical postbacks over two instances", [.. problems, first.Output(), second.Output()]));
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(connectionString, schema);
        }
    }

    // Opens every pooled connection before the bursts, so the copies leave together instead of queueing on connects.
    private static async Task WarmUpAsync(HttpClient[] clients, CancellationToken ct) =>
        await Task.WhenAll(Enumerable.Range(0, Copies).Select(async i =>
        {
            using var response = await clients[i % 2].GetAsync("health", ct);
            response.EnsureSuccessStatusCode();
        }));

    private static async Task<BurstAnswer[]> BurstAsync(HttpClient[] clients, string pathAndQuery, CancellationToken ct)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sends = Enumerable.Range(0, Copies).Select(async i =>
        {
            await go.Task;
            using var response = await clients[i % 2].GetAsync(pathAndQuery, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            string? outcome = null;
            string? conversionId = null;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var json = JsonDocument.Parse(body);
                outcome = json.RootElement.GetProperty("status").GetString();
                conversionId = json.RootElement.GetProperty("conversionId").GetString();
            }

            return new BurstAnswer(i % 2 == 0 ? "a" : "b", response.StatusCode, outcome, conversionId, body);
        }).ToArray();
        go.SetResult();
        return await Task.WhenAll(sends);
    }

    private sealed record BurstAnswer(string Instance, HttpStatusCode Status, string? Outcome, string? ConversionId, string Body)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Instance} {(int)Status} {Outcome} {ConversionId}");
    }
}
