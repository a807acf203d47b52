using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Speed;

/// <summary>
/// A focused measurement of the append (no HTTP, no core): many concurrent callers append unique credited first deposits,
/// each a record of its own, as the receiver's requests do. Printed: postbacks per second, this process's CPU time per
/// postback (the store and Npgsql; the server is another process), and round trips and server statements per postback
/// counted on the wire (<see cref="WireCounter"/>). Asserted: the round trips, which do not depend on the machine.
/// </summary>
public sealed class AppendSpeedTests(ITestOutputHelper output)
{
    private const int Callers = 64;
    private const int Warmup = 1_000;
    // APPEND_SPEED_POSTBACKS makes the run longer, e.g. to attach dotnet-trace to the test host.
    private static readonly int Postbacks = int.TryParse(Environment.GetEnvironmentVariable("APPEND_SPEED_POSTBACKS"), CultureInfo.InvariantCulture, out var count) ? count : 8_000;

    [PostgresTheory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    public async Task Append_ManyConcurrentCallers_MeasuredOnTheWire(bool gathered, int messagesPerPostback)
    {
        await using var database = new PostgresTestDatabase();
        await using var counter = new WireCounter(PostgresTestDatabase.RequiredConnectionString);
        await using var owner = new PostgreSqlDataSourceOwner(Options.Create(new PostgreSqlPostbackStoreOptions { ConnectionString = counter.ConnectionString }));
        var store = new PostgreSqlPostbackStore(owner.DataSource, new PostgreSqlPostbackStoreOptions { Schema = database.NewSchema() });
        await store.MigrateAsync();
        var ingest = store.Storage.Ingest;
        var gatherer = new Gatherer(ingest);
        var set = "set_" + StoreTestData.NewId();
        var records = Enumerable.Range(0, Warmup + Postbacks).Select(i =>
        {
            var conversion = StoreTestData.Conversion(setId: set, receivedAt: StoreTestData.Epoch.AddMilliseconds(i));
            var messages = Enumerable.Range(0, messagesPerPostback).Select(_ => new OutboxMessage
            {
                Id = "msg_" + StoreTestData.NewId(),
                ConversionId = conversion.Id,
                RuleId = "rule-1",
                DestinationId = "facebook-capi",
                CreatedAt = StoreTestData.Epoch,
                NextAttemptAt = StoreTestData.Epoch,
                RetryFrom = StoreTestData.Epoch,
            }).ToArray();
            return IngestRecords.For(conversion, messages);
        }).ToArray();

        async Task RunAsync(int from, int count)
        {
            var next = from - 1;
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < from + count)
                {
                    var result = gathered ? await gatherer.AppendAsync(records[i]) : await ingest.AppendOneAsync(records[i]);
                    result.Should().Be(IngestResult.Written(records[i].Conversion!.Id) with { DepositNumber = records[i].Conversion!.DepositNumber });
                }
            })));
        }

        await RunAsync(0, Warmup);
        var (roundTrips, statements, bytes) = counter.Read();
        var batches = gatherer.Batches;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await RunAsync(Warmup, Postbacks);
        clock.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var after = counter.Read();

        var perPostback = (after.RoundTrips - roundTrips) / (double)Postbacks;
        var mode = gathered ? "gathered into batches" : "one record per append";
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{mode}, {Callers} callers, {messagesPerPostback} outbox message(s) each: {Postbacks} postbacks in {clock.Elapsed.TotalSeconds:0.00} s = {Postbacks / clock.Elapsed.TotalSeconds:0} postbacks/s; CPU {cpuUsed.TotalMicroseconds / Postbacks:0.0} µs per postback; round trips {perPostback:0.000} per postback; statements {(after.Statements - statements) / (double)Postbacks:0.000} per postback; {(after.Bytes - bytes) / (double)Postbacks:0} bytes sent per postback");
        if (gathered)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"; {gatherer.Batches - batches} batches of {Postbacks / (double)(gatherer.Batches - batches):0.0} on average");
        }

        output.WriteLine(line);
        if (gathered)
        {
            perPostback.Should().BeLessThan(0.2, "a batch is one round trip, and the callers' records are gathered into batches");
        }
        else
        {
            perPostback.Should().BeApproximately(1, 0.01, "a batch of one record is one round trip too");
        }
    }

    /// <summary>
    /// Gathers concurrent appends into batches of at most <see cref="IngestStore.PreferredBatchSize"/>, one batch in flight:
    /// whoever finds no batch running commits for everyone waiting (what the core's group commit does, for this measurement).
    /// </summary>
    private sealed class Gatherer(IngestStore store)
    {
        private readonly ConcurrentQueue<(IngestRecord Record, TaskCompletionSource<IngestResult> Done)> _queue = new();
        private int _running;
        private int _batches;

        public int Batches => Volatile.Read(ref _batches);

        public Task<IngestResult> AppendAsync(IngestRecord record)
        {
            var done = new TaskCompletionSource<IngestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _queue.Enqueue((record, done));
            _ = CommitAsync();
            return done.Task;
        }

        private async Task CommitAsync()
        {
            while (!_queue.IsEmpty && Interlocked.CompareExchange(ref _running, 1, 0) == 0)
            {
                try
                {
                    var batch = new List<(IngestRecord Record, TaskCompletionSource<IngestResult> Done)>();
                    while (batch.Count < store.PreferredBatchSize && _queue.TryDequeue(out var item))
                    {
                        batch.Add(item);
                    }

                    if (batch.Count > 0)
                    {
                        Interlocked.Increment(ref _batches);
                        try
                        {
                            var results = await store.AppendAsync([.. batch.Select(b => b.Record)], CancellationToken.None);
                            for (var i = 0; i < batch.Count; i++)
                            {
                                batch[i].Done.SetResult(results[i]);
                            }
                        }
                        catch (Exception ex)
                        {
                            batch.ForEach(b => b.Done.SetException(ex));
                        }
                    }
                }
                finally
                {
                    Volatile.Write(ref _running, 0);
                }
            }
        }
    }
}
