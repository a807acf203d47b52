using System.Diagnostics;
using System.Globalization;
using System.Net;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Reconciles a 10,000-row and a 100,000-row report against as many stored conversions on SQLite, 1 % missing on each
// side, each in a process of its own, beside a baseline process that only reads the 100,000-row CSV (README.md).
var dir = Path.Combine(Environment.GetEnvironmentVariable("POSTBACKS_BENCH_DIR") ?? Path.GetTempPath(), "chatterfy-reconciliation");
var database = Path.Combine(dir, "postbacks.db");
switch (args)
{
    case ["baseline", var csv]:
        await BaselineAsync(csv);
        return;
    case ["reconcile", var setId, var csv]:
        await ReconcileAsync(setId, csv);
        return;
}

if (Directory.Exists(dir))
{
    Directory.Delete(dir, recursive: true);
}

Directory.CreateDirectory(dir);
string[] sizes = ["10000", "100000"];
var sets = new Dictionary<string, string>();
await using (var provider = await StartAsync())
{
    var seeding = Stopwatch.StartNew();
    foreach (var (size, index) in sizes.Select((s, i) => (s, i)))
    {
        sets[size] = await SeedAsync(provider, index, int.Parse(size, CultureInfo.InvariantCulture), Path.Combine(dir, $"report-{size}.csv"));
    }

    Console.WriteLine($"Seeded 110,000 conversions (1 % held back) and the two reports in {seeding.Elapsed.TotalSeconds:N1} s");
}

// One process per measure, so each peak working set is that measure's own.
var baseline = Child("baseline", Path.Combine(dir, "report-100000.csv"));
var results = sizes.Select(size => (Size: size, Result: Child("reconcile", sets[size], Path.Combine(dir, $"report-{size}.csv")))).ToList();
Console.WriteLine();
Console.WriteLine("| Rows and stored conversions | Reconciliation time | Peak working set | Peak / baseline | Allocated | Collections (gen 0/1/2) | Matched / missing here / missing there / mismatches |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
Console.WriteLine($"| baseline: read the 100,000-row CSV only | {baseline["seconds"]} s | {baseline["peakMiB"]} MiB | 1.00 | {baseline["allocatedMB"]} MB | {baseline["collections"]} | – |");
foreach (var (size, result) in results)
{
    var ratio = double.Parse(result["peakMiB"], CultureInfo.InvariantCulture) / double.Parse(baseline["peakMiB"], CultureInfo.InvariantCulture);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {int.Parse(size, CultureInfo.InvariantCulture):N0} | {result["seconds"]} s | {result["peakMiB"]} MiB | {ratio:N2} | {result["allocatedMB"]} MB | {result["collections"]} | {result["counts"]} |"));
}

// Runs this program in a child process and reads the "key=value" lines it prints.
static Dictionary<string, string> Child(params string[] arguments)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
    start.ArgumentList.Add(typeof(Program).Assembly.Location);
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) != "dotnet")
    {
        start.ArgumentList.RemoveAt(0);
    }

    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd();
    if (!process.WaitForExit(TimeSpan.FromMinutes(10)) || process.ExitCode != 0)
    {
        throw new InvalidOperationException($"The {arguments[0]} process failed: {output}");
    }

    return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split('=', 2))
        .Where(parts => parts.Length == 2)
        .ToDictionary(parts => parts[0], parts => parts[1].Trim());
}

// What the measured part allocated (all threads) and how many collections of each generation it caused.
static Func<string> Allocations()
{
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    return () => string.Create(
        CultureInfo.InvariantCulture,
        $"allocatedMB={(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:N1}\ncollections={GC.CollectionCount(0) - collections[0]}/{GC.CollectionCount(1) - collections[1]}/{GC.CollectionCount(2) - collections[2]}");
}

static string PeakMiB()
{
    using var process = Process.GetCurrentProcess();
    process.Refresh();
    return (process.PeakWorkingSet64 / 1048576.0).ToString("N0", CultureInfo.InvariantCulture);
}

async Task<ServiceProvider> StartAsync()
{
    var services = new ServiceCollection();
    services.AddLogging();
    services.AddChatterfyPostbacks(o => o.PublicBaseUrl = "https://pb.example.com").UseSqlite(database);
    var provider = services.BuildServiceProvider();
    foreach (var hosted in provider.GetServices<IHostedService>())
    {
        await hosted.StartAsync(default);
    }

    return provider;
}

// The same start (the store open) as a reconciliation, then the CSV read with CsvHelper field by field, nothing kept.
async Task BaselineAsync(string csv)
{
    await using var provider = await StartAsync();
    var allocations = Allocations();
    var clock = Stopwatch.StartNew();
    long rows = 0;
    await using (var file = File.OpenRead(csv))
    {
        var reader = CsvReader.Create(file, new CsvReaderOptions { TrimWhitespace = true }, true);
        await using var disposing = reader.ConfigureAwait(false);
        await reader.ReadHeaderAsync(default);
        while (await reader.ReadAsync(default))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                _ = reader.GetString(i).Length;
            }

            rows++;
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds={clock.Elapsed.TotalSeconds:N2}"));
    Console.WriteLine($"rows={rows}");
    Console.WriteLine(allocations());
    Console.WriteLine($"peakMiB={PeakMiB()}");
}

async Task ReconcileAsync(string setId, string csv)
{
    await using var provider = await StartAsync();
    var reconciliation = provider.GetRequiredService<ReconciliationService>();
    var allocations = Allocations();
    var clock = Stopwatch.StartNew();
    ReconciliationReport report;
    await using (var file = File.OpenRead(csv))
    {
        report = (await reconciliation.ReconcileAsync(setId, file))!;
    }

    clock.Stop();
    Console.WriteLine(allocations());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds={clock.Elapsed.TotalSeconds:N2}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"counts={report.Matched:N0} / {report.MissingHereCount:N0} / {report.MissingThereCount:N0} / {report.MismatchCount:N0} (rows {report.Rows:N0}, invalid {report.InvalidCount:N0})"));
    Console.WriteLine($"peakMiB={PeakMiB()}");
}

// Writes a set's conversions (ids as the SDK mints them: 32 hex digits) and its network report.
static async Task<string> SeedAsync(ServiceProvider provider, int setIndex, int conversions, string csvPath)
{
    const int BatchSize = 1000;
    var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    var span = TimeSpan.FromDays(30);
    var set = await provider.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = $"Bench {conversions}", NetworkId = "1win" });
    var ingest = provider.GetRequiredService<IngestStore>();
    await using var csv = new StreamWriter(csvPath);
    await csv.WriteLineAsync("click_id,event,amount,currency,transaction_id,time");
    var batch = new List<IngestRecord>(BatchSize);
    for (var i = 0; i < conversions; i++)
    {
        var at = start + (span * ((i + 0.5) / conversions));
        var kind = (i % 10) switch { < 4 => PostbackEvent.Registration, < 7 => PostbackEvent.FirstDeposit, _ => PostbackEvent.Deposit };
        // Each registration and first deposit its own click; the repeat deposits on the click of their tenth's first deposit.
        var click = "k" + (kind == PostbackEvent.Deposit ? i - (i % 10) + 4 : i).ToString("x9", CultureInfo.InvariantCulture);
        decimal? amount = kind == PostbackEvent.Registration ? null : 5 + (i % 49_500) / 100m;
        var currency = amount is null ? null : (i % 3 == 0 ? "USD" : "BRL");
        var tid = i % 2 == 0 ? "tx" + i.ToString(CultureInfo.InvariantCulture) : null;
        var id = setIndex.ToString("x1", CultureInfo.InvariantCulture) + i.ToString("x31", CultureInfo.InvariantCulture);

        // 1 % missing here: every 100th conversion is in the report only; 1 % missing there: every 100th + 50 is stored only.
        if (i % 100 != 0)
        {
            batch.Add(new IngestRecord
            {
                LogEntry = new PostbackLogEntry
                {
                    Id = (setIndex + 8).ToString("x1", CultureInfo.InvariantCulture) + i.ToString("x31", CultureInfo.InvariantCulture),
                    ReceivedAt = at,
                    SetId = set.Id,
                    Outcome = PostbackOutcome.Accepted,
                    ConversionId = id,
                    Warnings = [],
                    Request = new PostbackRequest { Path = "/api/postbacks/bench/" + kind.Name, EventSegment = kind.Name, QueryString = "?clickid=" + click },
                },
                Conversion = new ConversionRecord
                {
                    Id = id,
                    Attribution = ConversionAttribution.Unattributed,
                    Conversion = new Conversion
                    {
                        SetId = set.Id,
                        Event = kind,
                        ClickId = click,
                        Amount = amount,
                        Currency = currency,
                        TransactionId = tid,
                        Attributes = new Dictionary<string, string>(),
                        ReceivedAt = at,
                        RemoteAddress = IPAddress.Parse("198.51.100.23"),
                        IdempotencyKey = new IdempotencyKey($"{set.Id}:{kind.Name}:{click}:{i}", null),
                    },
                },
                DuplicateRange = ReceivedRange.Always,
            });
        }

        if (i % 100 != 50)
        {
            // The network's time is a few seconds before the postback arrived.
            await csv.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{click},{kind.Name},{amount},{currency},{tid},{at.AddSeconds(-3):O}"));
        }

        if (batch.Count == BatchSize || (i == conversions - 1 && batch.Count > 0))
        {
            foreach (var result in await ingest.AppendAsync(batch, default))
            {
                if (result.Failure is { } failure)
                {
                    throw failure;
                }
            }

            batch.Clear();
        }
    }

    return set.Id;
}
