using System.Diagnostics;
using System.Globalization;
using System.Net;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Reconciles a 100,000-row report against 100,000 stored conversions on SQLite, 1 % missing on each side (README.md).
const int Conversions = 100_000;
const int BatchSize = 1000;
var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
var span = TimeSpan.FromDays(30);
var dir = Path.Combine(Environment.GetEnvironmentVariable("POSTBACKS_BENCH_DIR") ?? Path.GetTempPath(), "chatterfy-reconciliation");
if (Directory.Exists(dir))
{
    Directory.Delete(dir, recursive: true);
}

Directory.CreateDirectory(dir);
var services = new ServiceCollection();
services.AddLogging();
services.AddChatterfyPostbacks(o => o.PublicBaseUrl = "https://pb.example.com").UseSqlite(Path.Combine(dir, "postbacks.db"));
await using var provider = services.BuildServiceProvider();
foreach (var hosted in provider.GetServices<IHostedService>())
{
    await hosted.StartAsync(default);
}

var set = await provider.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "Bench", NetworkId = "1win" });
var ingest = provider.GetRequiredService<IngestStore>();
var seeding = Stopwatch.StartNew();
var csvPath = Path.Combine(dir, "report.csv");
await using (var csv = new StreamWriter(csvPath))
{
    await csv.WriteLineAsync("click_id,event,amount,currency,transaction_id,time");
    var batch = new List<IngestRecord>(BatchSize);
    for (var i = 0; i < Conversions; i++)
    {
        var at = start + (span * ((i + 0.5) / Conversions));
        var kind = (i % 10) switch { < 4 => PostbackEvent.Registration, < 7 => PostbackEvent.FirstDeposit, _ => PostbackEvent.Deposit };
        // Each registration and first deposit its own click; the repeat deposits on the click of their tenth's first deposit.
        var click = "k" + (kind == PostbackEvent.Deposit ? i - (i % 10) + 4 : i).ToString("x9", CultureInfo.InvariantCulture);
        decimal? amount = kind == PostbackEvent.Registration ? null : 5 + (i % 49_500) / 100m;
        var currency = amount is null ? null : (i % 3 == 0 ? "USD" : "BRL");
        var tid = i % 2 == 0 ? "tx" + i.ToString(CultureInfo.InvariantCulture) : null;
        var id = "v" + i.ToString("x31", CultureInfo.InvariantCulture);

        // 1 % missing here: every 100th conversion is in the report only; 1 % missing there: every 100th + 50 is stored only.
        if (i % 100 != 0)
        {
            batch.Add(new IngestRecord
            {
                LogEntry = new PostbackLogEntry
                {
                    Id = "l" + i.ToString("x31", CultureInfo.InvariantCulture),
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

        if (batch.Count == BatchSize || (i == Conversions - 1 && batch.Count > 0))
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
}

Console.WriteLine($"Seeded {Conversions:N0} conversions (1 % held back) and the report ({new FileInfo(csvPath).Length / 1024:N0} KiB) in {seeding.Elapsed.TotalSeconds:N1} s");
GC.Collect();
using var process = Process.GetCurrentProcess();
process.Refresh();
var before = process.WorkingSet64;
var peak = before;
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
    while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
    {
        process.Refresh();
        peak = Math.Max(peak, process.WorkingSet64);
    }
});

var reconciliation = provider.GetRequiredService<ReconciliationService>();
var clock = Stopwatch.StartNew();
ReconciliationReport report;
await using (var file = File.OpenRead(csvPath))
{
    report = (await reconciliation.ReconcileAsync(set.Id, file))!;
}

clock.Stop();
await sampling.CancelAsync();
try
{
    await sampler;
}
catch (OperationCanceledException)
{
}

Console.WriteLine($"Reconciled {report.Rows:N0} rows: matched {report.Matched:N0}, missing here {report.MissingHere.Count:N0}, missing there {report.MissingThere.Count:N0}, mismatches {report.Mismatches.Count:N0}, invalid {report.Invalid.Count:N0}");
Console.WriteLine($"Time: {clock.Elapsed.TotalSeconds:N2} s; working set before {before / 1048576.0:N0} MiB, peak during {peak / 1048576.0:N0} MiB (+{(peak - before) / 1048576.0:N0} MiB)");
