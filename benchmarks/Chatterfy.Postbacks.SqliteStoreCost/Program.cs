// The SQLite store alone, without HTTP or the core: process CPU time, bytes written and write system calls per postback
// while it appends credited deposits like benchmarks/ingest.sh sends (1000 clicks cycled, a fresh transaction id each,
// the log entry of a GET postback). Linux only (/proc/self/io). Not a BenchmarkDotNet suite: one long steady run.
//
// Usage: dotnet run -c Release --project benchmarks/Chatterfy.Postbacks.SqliteStoreCost -- [batched|concurrent] [batch size or callers] [dir] [warm-up] [measured]
//   batched N:     one AppendAsync call of N records at a time, as the core's group commit makes them (default, N = 64)
//   concurrent N:  N callers each appending one record at a time; the store's writer groups them
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Sqlite;
using Chatterfy.Postbacks.Storage;

var mode = args.Length > 0 ? args[0] : "batched";
var size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
var dir = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "chatterfy-storecost");
var warmup = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20_000;
var measured = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 50_000;
Directory.CreateDirectory(dir);
var path = Path.Combine(dir, "cost.db");
foreach (var file in new[] { path, path + "-wal", path + "-shm" })
{
    File.Delete(file);
}

var setId = Guid.CreateVersion7().ToString("N");
var latencies = new List<double>();
var clicks = Enumerable.Range(0, 1000).Select(_ => "c" + Guid.NewGuid().ToString("N")[..11]).ToArray();
var counter = 0;

await using var store = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = path });
await store.InitializeAsync();

// The records are made before each phase, so that only the store's work is measured.
await Run(Make(warmup));
var records = Make(measured);
var io0 = Io();
using var process = Process.GetCurrentProcess();
var (user0, sys0) = (process.UserProcessorTime, process.PrivilegedProcessorTime);
var stopwatch = Stopwatch.StartNew();
var calls = await Run(records);
stopwatch.Stop();
process.Refresh();
var io1 = Io();
var user = (process.UserProcessorTime - user0).TotalMicroseconds / measured;
var sys = (process.PrivilegedProcessorTime - sys0).TotalMicroseconds / measured;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{mode} {size}: {measured} postbacks in {calls} calls, {measured / stopwatch.Elapsed.TotalSeconds:F0}/s; CPU µs/postback {user + sys:F1} (user {user:F1}, sys {sys:F1}); " +
    $"bytes written/postback {(double)(io1["wchar"] - io0["wchar"]) / measured:F0}, write calls/postback {(double)(io1["syscw"] - io0["syscw"]) / measured:F2}, " +
    $"bytes read/postback {(double)(io1["rchar"] - io0["rchar"]) / measured:F0}; database {new FileInfo(path).Length / 1024} KiB"));
if (latencies.Count > 0)
{
    latencies.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  AppendAsync call: p50 {latencies[latencies.Count / 2]:F2} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:F2} ms, max {latencies[^1]:F2} ms"));
}

async Task<int> Run(IngestRecord[][] batches)
{
    if (mode == "concurrent")
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, size).Select(_ => Task.Run(async () =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < batches.Length;)
            {
                await store.Ingest.AppendAsync(batches[i], CancellationToken.None);
            }
        })));
        return batches.Length;
    }

    latencies.Clear();
    foreach (var batch in batches)
    {
        var started = Stopwatch.GetTimestamp();
        await store.Ingest.AppendAsync(batch, CancellationToken.None);
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    return batches.Length;
}

// Batches of the mode's size, or single records for concurrent callers.
IngestRecord[][] Make(int total)
{
    var perCall = mode == "concurrent" ? 1 : size;
    var batches = new IngestRecord[(total + perCall - 1) / perCall][];
    for (var b = 0; b < batches.Length; b++)
    {
        batches[b] = new IngestRecord[Math.Min(perCall, total - (b * perCall))];
        for (var i = 0; i < batches[b].Length; i++)
        {
            batches[b][i] = Next();
        }
    }

    return batches;
}

IngestRecord Next()
{
    var n = Interlocked.Increment(ref counter);
    var click = clicks[n % clicks.Length];
    var tid = "run1-1-" + n.ToString(CultureInfo.InvariantCulture);
    var now = DateTimeOffset.UtcNow;
    var conversion = new ConversionRecord
    {
        Id = Guid.CreateVersion7(now).ToString("N"),
        Attribution = ConversionAttribution.Credited,
        CampaignId = "camp-1",
        Conversion = new Conversion
        {
            SetId = setId,
            Event = PostbackEvent.Deposit,
            ClickId = click,
            Amount = 25.50m,
            Currency = "USD",
            TransactionId = tid,
            Attributes = new Dictionary<string, string> { ["user_id"] = n.ToString(CultureInfo.InvariantCulture), ["country"] = "BR" },
            ReceivedAt = now,
            RemoteAddress = IPAddress.Loopback,
            IdempotencyKey = new IdempotencyKey(setId + ":deposit:" + click + ":t:" + tid, null),
        },
    };
    return new IngestRecord
    {
        Conversion = conversion,
        LogEntry = new PostbackLogEntry
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            ReceivedAt = now,
            SetId = setId,
            Outcome = PostbackOutcome.Accepted,
            ConversionId = conversion.Id,
            Request = new PostbackRequest
            {
                Method = "GET",
                Path = "/api/postbacks/tok_0123456789abcdef01234567/deposit",
                EventSegment = "deposit",
                QueryString = "?clickid=" + click + "&fields.user_id=" + n.ToString(CultureInfo.InvariantCulture) + "&fields.country=BR&amount=25.50&tid=" + tid,
                RemoteAddress = IPAddress.Loopback,
            },
        },
    };
}

static Dictionary<string, long> Io() => File.ReadAllLines("/proc/self/io")
    .Select(line => line.Split(':', 2))
    .ToDictionary(parts => parts[0], parts => long.Parse(parts[1].Trim(), CultureInfo.InvariantCulture));
