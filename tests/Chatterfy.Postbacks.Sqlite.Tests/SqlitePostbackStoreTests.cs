using System.Collections.Concurrent;
using Chatterfy.Postbacks.Storage.Conformance;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Chatterfy.Postbacks.Sqlite.Tests;

public sealed class SqlitePostbackStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Bounds waits on the writer; a passing test never comes near it.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    // ---------------------------------------------------------- durability

    [Fact]
    public async Task Reopen_AfterDispose_FindsEverythingWithExactValues()
    {
        var store = _database.CreateStore();
        var set = StoreTestData.Set(campaignId: "camp-1");
        var click = StoreTestData.Click(campaignId: "camp-1");
        await store.Sets.AddAsync(set, None);
        await store.Clicks.AddAsync(click, new ConversionCredit { CampaignIds = [null, click.CampaignId], NewCampaignId = click.CampaignId }, None);
        decimal[] amounts = [999999999999.99999999m, 0.00000001m, 12.50m, -0.1m];
        var conversions = new List<ConversionRecord>();
        foreach (var amount in amounts)
        {
            var template = StoreTestData.Conversion(set.Id, click.Id, StoreTestData.Epoch.AddSeconds(conversions.Count));
            // First deposits of one click (each its own key): a second one follows the first with the next number.
            var conversion = template with { Conversion = template.Conversion with { Amount = amount }, DepositNumber = conversions.Count + 1 };
            await store.AppendAsync(conversion);
            conversions.Add(conversion);
        }

        var rejected = StoreTestData.LogEntry(set.Id);
        await store.AppendAsync(Ingest.Record(rejected));
        await store.DisposeAsync();

        var reopened = _database.CreateStore();

        (await reopened.Sets.GetAsync(set.Id, None)).Should().BeEquivalentTo(set, o => o.Excluding(s => s.Settings));
        (await reopened.Clicks.FindAsync(click.Id, None)).Should().BeEquivalentTo(click);
        var listed = await reopened.Ingest.ListConversionsByClickAsync(click.Id, None);
        listed.Should().BeEquivalentTo(conversions, o => o.WithStrictOrdering());
        listed.Select(c => c.Conversion.Amount).Should().Equal(amounts.Cast<decimal?>());
        listed[2].Conversion.Amount!.Value.Scale.Should().Be(2, "12.50 keeps its scale");
        (await reopened.Log.GetAsync(rejected.Id, None)).Should().BeEquivalentTo(rejected);
        (await reopened.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None))
            .Should().Equal(conversions.Select(c => new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 1, c.Conversion.Amount!.Value) { DepositBucket = c.DepositNumber }));
    }

    [Fact]
    public async Task Times_WithSubMillisecondTicks_RoundTripExactly()
    {
        var store = _database.CreateStore();
        var receivedAt = new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero).AddTicks(1234567);
        var conversion = StoreTestData.Conversion(receivedAt: receivedAt.ToOffset(TimeSpan.FromHours(3)));

        await store.AppendAsync(conversion);

        var stored = await store.Ingest.GetConversionAsync(conversion.Id, None);
        stored!.Conversion.ReceivedAt.UtcTicks.Should().Be(receivedAt.UtcTicks);
        stored.Conversion.ReceivedAt.Offset.Should().Be(TimeSpan.Zero, "times are kept in UTC");
    }

    [Fact]
    public async Task Initialize_UsesWriteAheadLogging()
    {
        var store = _database.CreateStore();

        await store.InitializeAsync();

        _database.Scalar("PRAGMA journal_mode").Should().Be("wal");
    }

    // -------------------------------------------------------- group commit

    [Fact]
    public async Task TwoHundredConcurrentAppends_AllCommit_InFewerTransactionsThanWrites()
    {
        var store = _database.CreateStore(o => o.BusyTimeout = Bound);
        await store.InitializeAsync();
        var transactionsBefore = store.CommittedTransactions;
        var writesBefore = store.CommittedWrites;
        var firstTaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allQueued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BatchStarting = _ => firstTaken.TrySetResult();
        store.WriteQueued = waiting =>
        {
            if (waiting == 199)
            {
                allQueued.TrySetResult();
            }
        };
        var conversions = Enumerable.Range(0, 200).Select(_ => StoreTestData.Conversion()).ToArray();
        Task<IngestResult>[] appends;

        using (_database.LockForWriting())
        {
            // The first append runs the writer, which waits for the lock; the others queue up behind it meanwhile.
            var first = Task.Run(() => store.AppendAsync(conversions[0]));
            await firstTaken.Task.WaitAsync(Bound);
            appends = [first, .. conversions.Skip(1).Select(c => Task.Run(() => store.AppendAsync(c)))];
            await allQueued.Task.WaitAsync(Bound);
            appends.Should().OnlyContain(a => !a.IsCompleted, "nothing commits while another connection holds the write lock");
        }

        var results = await Task.WhenAll(appends).WaitAsync(Bound);

        results.Should().OnlyContain(r => !r.IsDuplicate && r.Failure == null);
        foreach (var conversion in conversions)
        {
            (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().NotBeNull();
        }

        (store.CommittedWrites - writesBefore).Should().Be(200);
        (store.CommittedTransactions - transactionsBefore).Should().BeLessThanOrEqualTo(2, "the writes queued behind the lock share one transaction");
    }

    [Fact]
    public async Task Append_WriterIdle_CommitsOnTheCallersThreadBeforeReturning()
    {
        var store = _database.CreateStore();
        await store.InitializeAsync();
        var transactionsBefore = store.CommittedTransactions;
        var conversion = StoreTestData.Conversion();

        var append = store.Ingest.AppendAsync([Ingest.Record(conversion)], None);

        append.IsCompleted.Should().BeTrue("an idle writer runs on the caller's thread: no hand-off to another thread per write");
        (await append).Should().Equal((IngestResult.Written(conversion.Id) with { DepositNumber = conversion.DepositNumber }));
        (store.CommittedTransactions - transactionsBefore).Should().Be(1);
    }

    [Fact]
    public async Task Append_MoreRecordsThanTheBatchSize_CommitsInOneTransaction()
    {
        var store = _database.CreateStore(o => o.MaxBatchSize = 2);
        await store.InitializeAsync();
        var transactionsBefore = store.CommittedTransactions;
        var conversions = Enumerable.Range(0, 5).Select(_ => StoreTestData.Conversion()).ToArray();

        var results = await store.Ingest.AppendAsync([.. conversions.Select(c => Ingest.Record(c))], None);

        results.Should().Equal(conversions.Select(c => (IngestResult.Written(c.Id) with { DepositNumber = c.DepositNumber })));
        (store.CommittedTransactions - transactionsBefore).Should().Be(1, "a call's records commit together or not at all");
    }

    [Fact]
    public async Task OneBadWriteInABatch_FailsAlone_WhileItsNeighboursCommit()
    {
        var store = _database.CreateStore(o => o.BusyTimeout = Bound);
        var existing = StoreTestData.Conversion();
        await store.AppendAsync(existing);
        var batches = new ConcurrentQueue<int>();
        var firstTaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BatchStarting = size =>
        {
            batches.Enqueue(size);
            firstTaken.TrySetResult();
        };
        var transactionsBefore = store.CommittedTransactions;
        var good1 = StoreTestData.Conversion();
        var bad = StoreTestData.Conversion() with { Id = existing.Id };
        var badEntry = StoreTestData.LogEntryFor(bad);
        var good2 = StoreTestData.Conversion();
        Task<IngestResult> first, a, b, c;

        using (_database.LockForWriting())
        {
            var warmUp = StoreTestData.Conversion();
            first = Task.Run(() => store.AppendAsync(warmUp));
            await firstTaken.Task.WaitAsync(Bound);

            // The writer holds the first write and waits for the lock; these three queue up behind it, to be taken together.
            a = store.AppendAsync(good1);
            b = store.AppendAsync(bad, badEntry);
            c = store.AppendAsync(good2);
        }

        await first.WaitAsync(Bound);
        (await a.WaitAsync(Bound)).Should().Be((IngestResult.Written(good1.Id) with { DepositNumber = good1.DepositNumber }));
        (await b.WaitAsync(Bound)).Failure.Should().BeOfType<InvalidOperationException>();
        (await c.WaitAsync(Bound)).Should().Be((IngestResult.Written(good2.Id) with { DepositNumber = good2.DepositNumber }));

        batches.Should().Equal(1, 3);
        (store.CommittedTransactions - transactionsBefore).Should().Be(2);
        (await store.Ingest.GetConversionAsync(good1.Id, None)).Should().NotBeNull();
        (await store.Ingest.GetConversionAsync(good2.Id, None)).Should().NotBeNull();
        (await store.Ingest.GetConversionAsync(existing.Id, None)).Should().BeEquivalentTo(existing);
        (await store.Log.GetAsync(badEntry.Id, None)).Should().BeNull("the bad write's log entry was rolled back with it");
        (await store.Ingest.ListConversionsByClickAsync(bad.Conversion.ClickId, None)).Should().BeEmpty();
    }

    [Fact]
    public async Task CallerCancelsAfterTheWriteWasQueued_TheWriteStillCommits()
    {
        var store = _database.CreateStore(o => o.BusyTimeout = Bound);
        await store.InitializeAsync();
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BatchStarting = _ => taken.TrySetResult();
        var conversion = StoreTestData.Conversion();
        var entry = StoreTestData.LogEntryFor(conversion);
        using var cancellation = new CancellationTokenSource();
        Task ahead;

        using (_database.LockForWriting())
        {
            // A write ahead of it runs the writer, which waits for the lock: this one is queued behind it.
            ahead = Task.Run(() => store.AppendAsync(Ingest.Record(StoreTestData.LogEntry())));
            await taken.Task.WaitAsync(Bound);
            var append = store.AppendAsync(Ingest.Record(conversion, entry), cancellation.Token);
            await cancellation.CancelAsync();

            await FluentActions.Awaiting(() => append.WaitAsync(Bound)).Should().ThrowAsync<OperationCanceledException>();
        }

        // Writes commit in queue order: once a later write is answered, the cancelled one is committed too.
        await ahead.WaitAsync(Bound);
        var later = StoreTestData.LogEntry();
        await store.AppendAsync(Ingest.Record(later)).WaitAsync(Bound);
        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
        (await store.Log.GetAsync(entry.Id, None))!.Outcome.Should().Be(PostbackOutcome.Accepted);
    }

    [Fact]
    public async Task CancelledBeforeQueueing_ThrowsAndWritesNothing()
    {
        var store = _database.CreateStore();
        var conversion = StoreTestData.Conversion();

        await FluentActions.Awaiting(() => store.AppendAsync(Ingest.Record(conversion), new CancellationToken(true)))
            .Should().ThrowAsync<OperationCanceledException>();

        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeNull();
    }

    [Fact]
    public async Task FullQueue_AnswersUnavailableAtOnce_AndTheQueuedWritesCommitLater()
    {
        var store = _database.CreateStore(o =>
        {
            o.WriteQueueCapacity = 1;
            o.BusyTimeout = Bound;
        });
        await store.InitializeAsync();
        var taken = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BatchStarting = size => taken.TrySetResult(size);
        var (c1, c2, c3) = (StoreTestData.Conversion(), StoreTestData.Conversion(), StoreTestData.Conversion());
        Task<IngestResult> first, second;

        using (_database.LockForWriting())
        {
            first = Task.Run(() => store.AppendAsync(c1));
            (await taken.Task.WaitAsync(Bound)).Should().Be(1, "the writer took the first write and waits for the lock");
            second = store.AppendAsync(c2);

            var third = store.Ingest.AppendAsync([Ingest.Record(c3)], None);

            third.IsCompleted.Should().BeTrue("a full queue answers at once, it never waits");
            var refused = await FluentActions.Awaiting(() => third.AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>();
            refused.Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(1));
            first.IsCompleted.Should().BeFalse();
            second.IsCompleted.Should().BeFalse();
        }

        (await first.WaitAsync(Bound)).IsDuplicate.Should().BeFalse();
        (await second.WaitAsync(Bound)).IsDuplicate.Should().BeFalse();
        (await store.Ingest.GetConversionAsync(c3.Id, None)).Should().BeNull();
    }

    [Fact]
    public async Task DatabaseLockedLongerThanTheBusyTimeout_WriteFailsAsUnavailable_AndALaterWriteSucceeds()
    {
        // BusyTimeout zero still waits about a second (Microsoft.Data.Sqlite retries in whole seconds): a real, bounded wait.
        var store = _database.CreateStore(o => o.BusyTimeout = TimeSpan.Zero);
        await store.InitializeAsync();
        var blocked = StoreTestData.Conversion();

        using (_database.LockForWriting())
        {
            await FluentActions.Awaiting(() => store.AppendAsync(blocked).WaitAsync(Bound))
                .Should().ThrowAsync<PostbackStoreUnavailableException>();
        }

        var next = StoreTestData.Conversion();
        (await store.AppendAsync(next)).IsDuplicate.Should().BeFalse();
        (await store.Ingest.GetConversionAsync(blocked.Id, None)).Should().BeNull();
        (await store.Ingest.GetConversionAsync(next.Id, None)).Should().NotBeNull();
    }

    // ---------------------------------------------------------- lifecycle

    [Fact]
    public async Task DisposeAsync_CommitsTheQueuedWrites_ThenRefusesNewOnes()
    {
        var store = _database.CreateStore(o => o.BusyTimeout = Bound);
        await store.InitializeAsync();
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BatchStarting = _ => taken.TrySetResult();
        var queued = StoreTestData.Conversion();
        Task<IngestResult> append;
        Task disposal;

        using (_database.LockForWriting())
        {
            append = Task.Run(() => store.AppendAsync(queued));
            await taken.Task.WaitAsync(Bound);
            disposal = store.DisposeAsync().AsTask();
            disposal.IsCompleted.Should().BeFalse("disposal waits for the queued write");
        }

        await disposal.WaitAsync(Bound);
        (await append).IsDuplicate.Should().BeFalse();
        var late = StoreTestData.Conversion();
        await FluentActions.Awaiting(() => store.AppendAsync(late))
            .Should().ThrowAsync<PostbackStoreUnavailableException>();
        (await _database.CreateStore().Ingest.GetConversionAsync(queued.Id, None)).Should().NotBeNull();
    }

    [Fact]
    public async Task Dispose_Synchronously_ClosesTheStore()
    {
        var store = _database.CreateStore();
        var conversion = StoreTestData.Conversion();
        await store.AppendAsync(conversion);

        store.Dispose();
        store.Dispose();

        (await _database.CreateStore().Ingest.GetConversionAsync(conversion.Id, None)).Should().NotBeNull();
    }

    [Fact]
    public async Task ConcurrentFirstCalls_MigrateOnce()
    {
        var logger = new FakeLogger<SqlitePostbackStore>();
        var store = _database.CreateStore(logger: logger);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.InitializeAsync())));
        await store.Sets.ListAsync(None);

        logger.Collector.GetSnapshot().Count(r => r.Id.Id == 4001).Should().Be(SqliteSchema.LatestVersion, "each migration is applied once");
    }

    [Fact]
    public async Task FreshFile_GetsTheLatestSchemaVersion_AndReopeningDoesNotMigrateAgain()
    {
        var firstLogger = new FakeLogger<SqlitePostbackStore>();
        var first = _database.CreateStore(logger: firstLogger);
        await first.InitializeAsync();
        await first.DisposeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
        var applied = firstLogger.Collector.GetSnapshot().Where(r => r.Id.Id == 4001).ToList();
        applied.Should().HaveCount(SqliteSchema.LatestVersion).And.OnlyContain(r => r.Level == LogLevel.Information);
        _database.Scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").Should().Be(14L);

        var secondLogger = new FakeLogger<SqlitePostbackStore>();
        var second = _database.CreateStore(logger: secondLogger);
        await second.InitializeAsync();

        secondLogger.Collector.GetSnapshot().Should().NotContain(r => r.Id.Id == 4001);
        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
    }

    [Fact]
    public async Task DatabaseOfANewerSchema_FailsToOpen()
    {
        await _database.CreateStore().InitializeAsync();
        using (var connection = _database.OpenRaw())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        var store = _database.CreateStore();

        await FluentActions.Awaiting(() => store.InitializeAsync()).Should().ThrowAsync<InvalidOperationException>().WithMessage("*schema version 99*");
    }

    [Fact]
    public async Task MissingDirectory_FailsAsUnavailable_ForInitializeAndHealth()
    {
        var store = _database.CreateStore(dataSource: Path.Combine(_database.DirectoryPath, "missing", "postbacks.db"));

        await FluentActions.Awaiting(() => store.InitializeAsync()).Should().ThrowAsync<PostbackStoreUnavailableException>();
        await FluentActions.Awaiting(() => store.Ingest.CheckHealthAsync(None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>();
    }

    [Fact]
    public async Task CheckHealth_OpenStore_Succeeds()
    {
        var store = _database.CreateStore();

        await store.Ingest.CheckHealthAsync(None);
    }

    [Fact]
    public async Task BatchCommits_AreLoggedAtDebug()
    {
        var logger = new FakeLogger<SqlitePostbackStore>();
        var store = _database.CreateStore(logger: logger);

        await store.AppendAsync(Ingest.Record(StoreTestData.LogEntry()));
        await store.DisposeAsync(); // the writer logs after answering; disposal waits for it

        var committed = logger.Collector.GetSnapshot().Where(r => r.Id.Id == 4004).Should().ContainSingle().Subject;
        committed.Level.Should().Be(LogLevel.Debug);
        committed.StructuredState!.Should().Contain(s => s.Key == "Count" && s.Value == "1");
    }

    [Fact]
    public async Task PurgeLog_MoreEntriesThanOneChunk_DeletesThemAll()
    {
        var store = _database.CreateStore();
        var entries = Enumerable.Range(0, 2500).Select(i => StoreTestData.LogEntry(receivedAt: StoreTestData.Epoch.AddSeconds(i))).ToList();
        await Task.WhenAll(entries.Select(e => store.AppendAsync(Ingest.Record(e))));

        var purged = await store.Log.PurgeAsync(StoreTestData.Epoch.AddSeconds(2400), None);

        purged.Should().Be(2400);
        (await store.Log.ListAsync(new PostbackLogQuery { Limit = 1000 }, None)).Should().HaveCount(100);
    }

    [Fact]
    public async Task WindowedKey_WithAHugeWindow_DoesNotOverflow()
    {
        var store = _database.CreateStore();
        var first = StoreTestData.Conversion(key: StoreTestData.WindowedKey(TimeSpan.MaxValue));
        await store.AppendAsync(first);
        var retry = StoreTestData.Retry(first, DateTimeOffset.MaxValue);

        (await store.AppendAsync(retry)).Should().Be(IngestResult.Duplicate(first.Id));
    }

    [Fact]
    public async Task CustomEvent_RoundTripsItsKindAndName()
    {
        var store = _database.CreateStore();
        PostbackEvent.TryParse("EmailConf", out var custom).Should().BeTrue();
        var template = StoreTestData.Conversion();
        var conversion = template with { Conversion = template.Conversion with { Event = custom } };

        await store.AppendAsync(conversion);

        var stored = (await store.Ingest.GetConversionAsync(conversion.Id, None))!.Conversion.Event;
        stored.Kind.Should().Be(PostbackEventKind.Custom);
        stored.Name.Should().Be("emailconf");
    }
}
