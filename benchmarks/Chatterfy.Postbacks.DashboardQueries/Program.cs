// The dashboard's queries over 1,000,000 stored conversions: the stats page (totals and the daily series of a 30-day
// range) and the postback log's first screen (the 50 newest entries, unfiltered and with each single filter), on SQLite
// and PostgreSQL. Not a BenchmarkDotNet suite: the data takes minutes to seed, so it is seeded once per store through the
// store contract and kept between runs (reseeded when the store's schema version or this seed changes).
//
// Usage: dotnet run -c Release --project benchmarks/Chatterfy.Postbacks.DashboardQueries -- [sqlite|postgresql|both] [--reseed]
//   POSTBACKS_BENCH_DIR       the SQLite file's directory (default: $TMPDIR/chatterfy-dashboard-queries)
//   POSTBACKS_BENCH_POSTGRES  the PostgreSQL connection string (default: POSTBACKS_TEST_POSTGRES); schema dashboard_bench
using System.Globalization;
using Chatterfy.Postbacks.DashboardQueries;

var which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "both";
var reseed = args.Contains("--reseed");
var results = new List<(string Store, IReadOnlyList<Measurement> Rows)>();
if (which is "sqlite" or "both")
{
    var dir = Environment.GetEnvironmentVariable("POSTBACKS_BENCH_DIR") is { Length: > 0 } d ? d : Path.Combine(Path.GetTempPath(), "chatterfy-dashboard-queries");
    await using var target = await SqliteTarget.OpenAsync(dir, reseed);
    results.Add(("SQLite", await Queries.MeasureAsync(target.Storage)));
}

if (which is "postgresql" or "both")
{
    var connectionString = Environment.GetEnvironmentVariable("POSTBACKS_BENCH_POSTGRES") is { Length: > 0 } c ? c
        : Environment.GetEnvironmentVariable("POSTBACKS_TEST_POSTGRES") ?? throw new InvalidOperationException("Set POSTBACKS_BENCH_POSTGRES.");
    await using var target = await PostgreSqlTarget.OpenAsync(connectionString, reseed);
    results.Add(("PostgreSQL", await Queries.MeasureAsync(target.Storage)));
}

Console.WriteLine();
Console.WriteLine($"| Query | {string.Join(" | ", results.Select(r => r.Store + " median (p90)"))} | Target |");
Console.WriteLine($"|---|{string.Concat(results.Select(_ => "---:|"))}---|");
for (var i = 0; i < results[0].Rows.Count; i++)
{
    var row = results[0].Rows[i];
    var cells = results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Rows[i].Median:F1} ms ({r.Rows[i].P90:F1})"));
    Console.WriteLine($"| {row.Name} | {string.Join(" | ", cells)} | ≤ {row.TargetMs} ms |");
}
