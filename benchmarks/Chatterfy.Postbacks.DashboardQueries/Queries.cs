using System.Diagnostics;
using System.Globalization;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.DashboardQueries;

/// <summary>One query's timings: the median and 90th percentile of the timed runs, in milliseconds.</summary>
internal sealed record Measurement(string Name, double Median, double P90, int TargetMs);

/// <summary>The dashboard's queries, each run a few times to warm up and then <see cref="Runs"/> times timed.</summary>
internal static class Queries
{
    public const int WarmUps = 5;
    public const int Runs = 25;
    public const int StatsTargetMs = 300;
    public const int LogTargetMs = 100;

    public static async Task<IReadOnlyList<Measurement>> MeasureAsync(PostbackStorage storage)
    {
        var stats = new PostbackStatsService(storage.Sets, storage.Log);
        var log = new PostbackLogService(storage.Log);
        var range = new PostbackStatsQuery { From = Seed.Start, To = Seed.Start + Seed.Span };
        var day = Seed.Start.AddDays(15).AddHours(6);
        var rows = new List<Measurement>();
        foreach (var (name, query) in new[]
        {
            ("unfiltered", range),
            ("per set (scoped to camp-a)", range with { SetId = Seed.SetId(0) }),
            ("per campaign (camp-a)", range with { CampaignId = Seed.Campaigns[0] }),
        })
        {
            var totals = await stats.GetAsync(query);
            var days = await stats.GetDailyAsync(query);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  stats {name}: {totals!.Clicks} clicks, {totals.Registrations} registrations, {totals.FirstDeposits} first deposits, {totals.Deposits} deposits, {totals.Unattributed} unattributed, {totals.Rejected} rejected, {totals.Amounts.Count} currencies; {days!.Count} days"));
            rows.Add(await TimeAsync($"stats 30 days, {name}: GetAsync", StatsTargetMs, async () => await stats.GetAsync(query)));
            rows.Add(await TimeAsync($"stats 30 days, {name}: GetDailyAsync", StatsTargetMs, async () => await stats.GetDailyAsync(query)));
            rows.Add(await TimeAsync($"stats 30 days, {name}: both (the page)", StatsTargetMs, async () =>
            {
                await stats.GetAsync(query);
                await stats.GetDailyAsync(query);
            }));
        }

        foreach (var (name, query) in new[]
        {
            ("unfiltered", new PostbackLogQuery()),
            ("set", new PostbackLogQuery { SetId = Seed.SetId(1) }),
            ("outcome rejected", new PostbackLogQuery { Outcome = PostbackOutcome.Rejected }),
            ("outcome duplicate", new PostbackLogQuery { Outcome = PostbackOutcome.Duplicate }),
            ("code macro_not_substituted", new PostbackLogQuery { Code = PostbackRejectionCodes.MacroNotSubstituted }),
            ("code event_unknown", new PostbackLogQuery { Code = PostbackRejectionCodes.EventUnknown }),
            ("from/to (one day, mid-range)", new PostbackLogQuery { From = day, To = day.AddDays(1) }),
        })
        {
            var page = await log.ListAsync(query);
            Console.WriteLine($"  log {name}: {page.Count} entries");
            rows.Add(await TimeAsync($"log first screen (50), {name}", LogTargetMs, async () => await log.ListAsync(query)));
        }

        return rows;
    }

    private static async Task<Measurement> TimeAsync(string name, int targetMs, Func<Task> run)
    {
        for (var i = 0; i < WarmUps; i++)
        {
            await run();
        }

        var times = new double[Runs];
        for (var i = 0; i < Runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await run();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        var measurement = new Measurement(name, times[Runs / 2], times[(int)Math.Ceiling(Runs * 0.9) - 1], targetMs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: median {measurement.Median:F1} ms, p90 {measurement.P90:F1} ms, min {times[0]:F1} ms"));
        return measurement;
    }
}
