using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostgreSql.Tests.Speed;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>What the PostgreSQL store's batched append adds to the shared suite: round trips, rounds of a key, isolation, lock order.</summary>
public sealed class PostgreSqlBatchAppendTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [PostgresFact]
    public async Task Append_FullBatch_IsOneRoundTripOfTwoStatements()
    {
        await using var database = new PostgresTestDatabase();
        await using var counter = new WireCounter(PostgresTestDatabase.RequiredConnectionString);
        await using var owner = new PostgreSqlDataSourceOwner(Options.Create(new PostgreSqlPostbackStoreOptions { ConnectionString = counter.ConnectionString }));
        var store = new PostgreSqlPostbackStore(owner.DataSource, new PostgreSqlPostbackStoreOptions { Schema = database.NewSchema() });
        await store.MigrateAsync();
        var ingest = store.Storage.Ingest;
        await ingest.AppendOneAsync(IngestRecords.For(StoreTestData.Conversion()));
        var records = Enumerable.Range(0, ingest.PreferredBatchSize).Select(i =>
        {
            if (i % 10 == 9)
            {
                return IngestRecords.Rejected(StoreTestData.LogEntry());
            }

            var conversion = StoreTestData.Conversion(key: i % 3 == 0 ? StoreTestData.WindowedKey(TimeSpan.FromHours(24)) : null);
            return IngestRecords.For(conversion, Messages(i % 2, conversion.Id));
        }).ToArray();
        var before = counter.Read();

        var results = await ingest.AppendAsync(records, None);

        var after = counter.Read();
        results.Should().OnlyContain(r => r.Failure == null && !r.IsDuplicate);
        ingest.PreferredBatchSize.Should().Be(256);
        (after.RoundTrips - before.RoundTrips).Should().Be(1, "the locks, the append and the commit travel together");
        (after.Statements - before.Statements).Should().Be(2, "one statement locks the keys, one appends the batch");
        (await store.Storage.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Rejected }, None)).Should().Be(25);
    }

    [PostgresFact]
    public async Task Append_RecordsOfOneKeyInOneBatch_AreSettledInBatchOrderAsIfAppendedOneByOne()
    {
        await using var database = new PostgresTestDatabase();
        var store = (await database.NewMigratedStoreAsync()).Storage;
        var window = TimeSpan.FromMinutes(5);
        var key = StoreTestData.WindowedKey(window);
        var t = StoreTestData.Epoch;
        var first = StoreTestData.Conversion(receivedAt: t, key: key);
        var retry = StoreTestData.Retry(first, t.AddMinutes(3));
        var later = StoreTestData.Retry(first, t.AddMinutes(10));
        var laterRetry = StoreTestData.Retry(first, t.AddMinutes(12));
        var earlierThanAll = StoreTestData.Retry(first, t.AddMinutes(-4));
        var other = StoreTestData.Conversion();

        var results = await store.Ingest.AppendAsync(
            [IngestRecords.For(first), IngestRecords.For(retry), IngestRecords.For(other), IngestRecords.For(later), IngestRecords.For(laterRetry), IngestRecords.For(earlierThanAll)],
            None);

        results.Should().Equal(
            IngestResult.Written(first.Id) with { DepositNumber = 1 },
            IngestResult.Duplicate(first.Id),
            IngestResult.Written(other.Id) with { DepositNumber = 1 },
            IngestResult.Written(later.Id) with { DepositNumber = 2 },
            IngestResult.Duplicate(later.Id),
            IngestResult.Duplicate(first.Id));
        (await store.Ingest.ListConversionsByClickAsync(first.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(first.Id, later.Id);
        var log = await store.Log.ListAsync(new PostbackLogQuery { SetId = first.Conversion.SetId, Limit = 10 }, None);
        log.Select(e => (e.Outcome, e.ConversionId)).Should().BeEquivalentTo(
        [
            (PostbackOutcome.Accepted, first.Id),
            (PostbackOutcome.Duplicate, first.Id),
            (PostbackOutcome.Accepted, later.Id),
            (PostbackOutcome.Duplicate, later.Id),
            (PostbackOutcome.Duplicate, first.Id),
        ]);
    }

    [PostgresFact]
    public async Task Append_DuplicateOfAStoredConversion_FindsTheEarliestInItsRangeByReceiveTimeThenId()
    {
        await using var database = new PostgresTestDatabase();
        var store = (await database.NewMigratedStoreAsync()).Storage;
        var key = StoreTestData.WindowedKey(TimeSpan.FromMinutes(5));
        var t = StoreTestData.Epoch;
        var a = StoreTestData.Conversion(receivedAt: t, key: key) with { Id = "conv_b" + StoreTestData.NewId() };
        var b = StoreTestData.Retry(a, t.AddMinutes(6)) with { Id = "conv_a" + StoreTestData.NewId() };
        var c = StoreTestData.Retry(a, t.AddMinutes(6)) with { Id = "conv_0" + StoreTestData.NewId() };
        (await store.Ingest.AppendAsync([IngestRecords.For(a), IngestRecords.For(b)], None)).Should().OnlyContain(r => !r.IsDuplicate);

        // c's range (t+1m, t+11m) holds b only; a range holding both finds a, received first.
        (await store.Ingest.AppendOneAsync(IngestRecords.For(c))).Should().Be(IngestResult.Duplicate(b.Id));
        var wide = IngestRecords.For(StoreTestData.Retry(a, t.AddMinutes(3))) with { DuplicateRange = new(t.AddMinutes(-10), t.AddMinutes(10)) };
        (await store.Ingest.AppendOneAsync(wide)).Should().Be(IngestResult.Duplicate(a.Id));
        var custom = IngestRecords.For(StoreTestData.Retry(a, t.AddMinutes(3))) with { DuplicateRange = new(t, null), DuplicateOutcome = PostbackOutcome.Rejected };
        (await store.Ingest.AppendOneAsync(custom)).Should().Be(IngestResult.Duplicate(b.Id), "the range is open: a, received exactly at its start, is outside");
        (await store.Log.GetAsync(custom.LogEntry.Id, None))!.Outcome.Should().Be(PostbackOutcome.Rejected, "a duplicate is logged with the record's duplicate outcome");
    }

    [PostgresFact]
    public async Task Append_BatchWithAConversionIdAlreadyUsed_FailsThatRecordAloneAndWritesTheOthers()
    {
        await using var database = new PostgresTestDatabase();
        var store = (await database.NewMigratedStoreAsync()).Storage;
        var stored = StoreTestData.Conversion();
        await store.Ingest.AppendOneAsync(IngestRecords.For(stored));
        var before = StoreTestData.Conversion();
        var clash = StoreTestData.Conversion() with { Id = stored.Id };
        var clashEntry = StoreTestData.LogEntryFor(clash);
        var clashMessage = Messages(1, clash.Id)[0];
        var rejected = StoreTestData.LogEntry();
        var after = StoreTestData.Conversion();
        var afterRetry = StoreTestData.Retry(after);

        var results = await store.Ingest.AppendAsync(
            [IngestRecords.For(before), IngestRecords.For(clash, clashEntry, clashMessage), IngestRecords.Rejected(rejected), IngestRecords.For(after), IngestRecords.For(afterRetry)],
            None);

        results[0].Should().Be((IngestResult.Written(before.Id) with { DepositNumber = before.DepositNumber }));
        results[1].Failure.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("A conversion with that id exists.");
        results[1].ConversionId.Should().BeNull();
        results[2].Should().Be(IngestResult.Written(null));
        results[3].Should().Be((IngestResult.Written(after.Id) with { DepositNumber = after.DepositNumber }));
        results[4].Should().Be(IngestResult.Duplicate(after.Id));
        (await store.Log.GetAsync(clashEntry.Id, None)).Should().BeNull();
        (await store.Outbox.GetAsync(clashMessage.Id, None)).Should().BeNull();
        (await store.Ingest.GetConversionAsync(stored.Id, None))!.Conversion.IdempotencyKey.Should().Be(stored.Conversion.IdempotencyKey);
        (await store.Log.GetAsync(rejected.Id, None)).Should().NotBeNull();
        (await store.Ingest.GetConversionAsync(before.Id, None)).Should().NotBeNull();
    }

    [PostgresFact]
    public async Task Append_TwoRecordsWithOneLogEntryId_FailsTheSecond()
    {
        await using var database = new PostgresTestDatabase();
        var store = (await database.NewMigratedStoreAsync()).Storage;
        var first = StoreTestData.Conversion();
        var second = StoreTestData.Conversion();
        var entry = StoreTestData.LogEntryFor(first);

        var results = await store.Ingest.AppendAsync([IngestRecords.For(first, entry), IngestRecords.For(second, entry with { SetId = second.Conversion.SetId })], None);

        results[0].Should().Be((IngestResult.Written(first.Id) with { DepositNumber = first.DepositNumber }));
        results[1].Failure.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("A postback log entry with that id exists.");
        (await store.Ingest.GetConversionAsync(second.Id, None)).Should().BeNull();
    }

    [PostgresFact]
    public async Task Append_RecordFailingInALaterRound_FailsAloneAndTheRoundsBeforeAndAfterAreWritten()
    {
        await using var database = new PostgresTestDatabase();
        var store = (await database.NewMigratedStoreAsync()).Storage;
        var usedEntry = StoreTestData.LogEntry();
        await store.Ingest.AppendOneAsync(IngestRecords.Rejected(usedEntry));
        var first = StoreTestData.Conversion();
        var retry = StoreTestData.Retry(first);
        var thirdTime = StoreTestData.Retry(first);

        // The retry is in the second round (the second record of its key); its log entry's id is taken.
        var results = await store.Ingest.AppendAsync(
            [IngestRecords.For(first), IngestRecords.For(retry, usedEntry with { SetId = first.Conversion.SetId }), IngestRecords.For(thirdTime)],
            None);

        results[0].Should().Be((IngestResult.Written(first.Id) with { DepositNumber = first.DepositNumber }));
        results[1].Failure.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("A postback log entry with that id exists.");
        results[2].Should().Be(IngestResult.Duplicate(first.Id));
        (await store.Log.GetAsync(usedEntry.Id, None))!.Outcome.Should().Be(PostbackOutcome.Rejected, "the stored entry is untouched");
        (await store.Log.ListAsync(new PostbackLogQuery { SetId = first.Conversion.SetId }, None)).Select(e => e.Outcome)
            .Should().BeEquivalentTo([PostbackOutcome.Accepted, PostbackOutcome.Duplicate]);
    }

    [PostgresFact]
    public async Task Append_TwoInstancesAppendingOverlappingKeysInEveryOrder_NeverDeadlockAndStoreEachKeyOnce()
    {
        const int Keys = 60;
        const int Loops = 6;
        const int BatchesPerLoop = 8;
        const int BatchSize = 40;
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var first = database.NewStore(schema);
        var second = database.NewStore(schema);
        await first.MigrateAsync();
        var templates = Enumerable.Range(0, Keys)
            .Select(i => StoreTestData.Conversion(key: i % 2 == 0 ? StoreTestData.WindowedKey(TimeSpan.FromHours(1)) : null))
            .ToArray();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loops = Enumerable.Range(0, Loops * 2).Select(loop => Task.Run(async () =>
        {
            var random = new Random(loop);
            var store = (loop % 2 == 0 ? first : second).Storage.Ingest;
            var results = new List<(string Key, IngestResult Result)>();
            await gate.Task;
            for (var b = 0; b < BatchesPerLoop; b++)
            {
                var batch = random.GetItems(templates, BatchSize).Select(t => StoreTestData.Retry(t)).ToArray();
                var appended = await store.AppendAsync([.. batch.Select(c => IngestRecords.For(c))], None);
                results.AddRange(batch.Select((c, i) => (c.Conversion.IdempotencyKey.Value, appended[i])));
            }

            return results;
        })).ToArray();

        gate.SetResult();
        var all = (await Task.WhenAll(loops)).SelectMany(r => r).ToList();

        all.Should().HaveCount(Loops * 2 * BatchesPerLoop * BatchSize).And.OnlyContain(r => r.Result.Failure == null);
        foreach (var key in all.GroupBy(r => r.Key))
        {
            key.Count(r => !r.Result.IsDuplicate).Should().Be(1, "key {0} is stored once", key.Key);
            key.Select(r => r.Result.ConversionId).Distinct().Should().ContainSingle();
        }

        var stored = 0;
        foreach (var template in templates)
        {
            stored += (await second.Storage.Ingest.ListConversionsByClickAsync(template.Conversion.ClickId, None)).Count;
        }

        stored.Should().Be(all.Select(r => r.Key).Distinct().Count());
    }

    [PostgresFact]
    public async Task Schema_ChecksAllowTheStoredWordsAndNoOthers()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.RequiredConnectionString);

        async Task<string[]> WordsOf(string constraint)
        {
            await using var command = dataSource.CreateCommand(
                "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1 AND c.conname = $2");
            command.Parameters.Add(new NpgsqlParameter { Value = store.Schema });
            command.Parameters.Add(new NpgsqlParameter { Value = constraint });
            var definition = (string)(await command.ExecuteScalarAsync())!;
            return [.. System.Text.RegularExpressions.Regex.Matches(definition, "'([^']*)'").Select(m => m.Groups[1].Value)];
        }

        (await WordsOf("conversions_event_kind_check")).Should().BeEquivalentTo(Enum.GetValues<PostbackEventKind>().Select(StoredWords.Of));
        (await WordsOf("conversions_attribution_check")).Should().BeEquivalentTo(Enum.GetValues<ConversionAttribution>().Select(StoredWords.Of));
        (await WordsOf("postback_log_outcome_check")).Should().BeEquivalentTo(Enum.GetValues<PostbackOutcome>().Select(StoredWords.Of));
        (await WordsOf("outbox_messages_status_check")).Should().BeEquivalentTo(Enum.GetValues<OutboxMessageStatus>().Select(StoredWords.Of));
        (await WordsOf("outbox_attempts_status_check")).Should().BeEquivalentTo(Enum.GetValues<DeliveryStatus>().Select(StoredWords.Of));
    }

    private static OutboxMessage[] Messages(int count, string conversionId) =>
    [
        .. Enumerable.Range(0, count).Select(_ => new OutboxMessage
        {
            Id = "msg_" + StoreTestData.NewId(),
            ConversionId = conversionId,
            RuleId = "rule-1",
            DestinationId = "facebook-capi",
            CreatedAt = StoreTestData.Epoch,
            NextAttemptAt = StoreTestData.Epoch,
            RetryFrom = StoreTestData.Epoch,
        }),
    ];
}
