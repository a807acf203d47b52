namespace Chatterfy.Postbacks.Storage.Conformance;

// IngestStore: batches. Records are written in order, as if one after the other, with one result each; a record that
// fails alone (an id already used) changes nothing and leaves its neighbours written; concurrent batches that share keys
// store one conversion per key and never deadlock.
public abstract partial class PostbackStorageConformanceTests
{
    private const int ConcurrentBatches = 8;

    /// <summary>A batch of a rejection, new conversions, a duplicate and a conversion with a message is written whole, with one result per record in the batch's order.</summary>
    [Fact]
    public async Task Append_Batch_WritesEveryRecordAndReturnsOneResultPerRecordInOrder()
    {
        var store = await NewStorageAsync();
        var earlier = StoreTestData.Conversion();
        await StoreAsync(store, earlier);
        var rejection = StoreTestData.LogEntry();
        var credited = StoreTestData.Conversion();
        var unattributed = StoreTestData.Conversion(attribution: ConversionAttribution.Unattributed);
        var retryOfEarlier = StoreTestData.Retry(earlier, earlier.Conversion.ReceivedAt.AddMinutes(1));
        var forwarded = StoreTestData.Conversion();
        var message = ForwardingTestData.Message(forwarded.Id);
        IngestRecord[] batch =
        [
            StoreTestData.Record(rejection),
            StoreTestData.Record(credited),
            StoreTestData.Record(unattributed),
            StoreTestData.Record(retryOfEarlier),
            StoreTestData.Record(forwarded, message),
        ];

        var results = await AppendUnnumberedAsync(store, batch, None);

        results.Should().Equal(
            IngestResult.Written(null),
            IngestResult.Written(credited.Id),
            IngestResult.Written(unattributed.Id),
            IngestResult.Duplicate(earlier.Id),
            IngestResult.Written(forwarded.Id));
        (await store.Log.GetAsync(rejection.Id, None)).Should().BeEquivalentTo(rejection);
        (await store.Ingest.GetConversionAsync(credited.Id, None)).Should().BeEquivalentTo(credited);
        (await store.Ingest.GetConversionAsync(unattributed.Id, None)).Should().BeEquivalentTo(unattributed);
        (await store.Ingest.GetConversionAsync(retryOfEarlier.Id, None)).Should().BeNull();
        (await store.Ingest.GetConversionAsync(forwarded.Id, None)).Should().BeEquivalentTo(forwarded);
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(message);
        foreach (var record in batch.Skip(1).Where(r => r.Conversion != retryOfEarlier))
        {
            (await store.Log.GetAsync(record.LogEntry.Id, None)).Should().BeEquivalentTo(record.LogEntry with { DepositNumber = record.Conversion?.DepositNumber });
        }

        (await store.Log.GetAsync(batch[3].LogEntry.Id, None)).Should().BeEquivalentTo(
            batch[3].LogEntry with { Outcome = PostbackOutcome.Duplicate, ConversionId = earlier.Id });
    }

    /// <summary>A record whose key an earlier record of the same batch stored is a duplicate of that record's conversion; its messages are not written.</summary>
    [Fact]
    public async Task Append_DuplicateOfAnEarlierRecordInTheSameBatch_IsItsDuplicate()
    {
        var store = await NewStorageAsync();
        var first = StoreTestData.Conversion();
        var retry = StoreTestData.Retry(first);
        var laterRetry = StoreTestData.Retry(first, first.Conversion.ReceivedAt.AddSeconds(1));
        var retryMessage = ForwardingTestData.Message(retry.Id);
        IngestRecord[] batch = [StoreTestData.Record(first), StoreTestData.Record(retry, retryMessage), StoreTestData.Record(laterRetry)];

        var results = await AppendUnnumberedAsync(store, batch, None);

        results.Should().Equal(IngestResult.Written(first.Id), IngestResult.Duplicate(first.Id), IngestResult.Duplicate(first.Id));
        (await store.Ingest.ListConversionsByClickAsync(first.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(first.Id);
        (await store.Outbox.GetAsync(retryMessage.Id, None)).Should().BeNull("a duplicate's messages are not written");
        (await store.Log.GetAsync(batch[1].LogEntry.Id, None)).Should().BeEquivalentTo(
            batch[1].LogEntry with { Outcome = PostbackOutcome.Duplicate, ConversionId = first.Id });
        (await store.Log.GetAsync(batch[2].LogEntry.Id, None)).Should().BeEquivalentTo(
            batch[2].LogEntry with { Outcome = PostbackOutcome.Duplicate, ConversionId = first.Id });
    }

    /// <summary>Windowed keys in one batch meet the conversions stored by earlier records of the batch by their receive times: inside the window a duplicate, outside it a new series.</summary>
    [Fact]
    public async Task Append_WindowedKeysInOneBatch_MeetEarlierRecordsOfTheBatchByTheirReceiveTimes()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var first = StoreTestData.Conversion(receivedAt: t, key: StoreTestData.WindowedKey(TimeSpan.FromHours(24)));
        var inside = StoreTestData.Retry(first, t.AddHours(1));
        var nextSeries = StoreTestData.Retry(first, t.AddHours(30));
        var insideNext = StoreTestData.Retry(first, t.AddHours(31));

        var results = await AppendUnnumberedAsync(store, 
            [StoreTestData.Record(first), StoreTestData.Record(inside), StoreTestData.Record(nextSeries), StoreTestData.Record(insideNext)], None);

        results.Should().Equal(
            IngestResult.Written(first.Id),
            IngestResult.Duplicate(first.Id),
            IngestResult.Written(nextSeries.Id),
            IngestResult.Duplicate(nextSeries.Id));
    }

    /// <summary>A record whose log entry id is used fails alone with an <see cref="InvalidOperationException"/>: nothing of it is stored, its key stays free, and the records before and after it are written.</summary>
    [Fact]
    public async Task Append_RecordWhoseLogEntryIdIsInUse_FailsAlone_ItsNeighboursAreWritten()
    {
        var store = await NewStorageAsync();
        var existing = StoreTestData.LogEntry();
        await LogAsync(store, existing);
        var before = StoreTestData.Conversion();
        var failing = StoreTestData.Conversion();
        var failingMessage = ForwardingTestData.Message(failing.Id);
        var after = StoreTestData.Conversion();
        IngestRecord[] batch =
        [
            StoreTestData.Record(before),
            StoreTestData.Record(failing, failingMessage) with { LogEntry = StoreTestData.LogEntryFor(failing) with { Id = existing.Id } },
            StoreTestData.Record(after),
        ];

        var results = await AppendUnnumberedAsync(store, batch, None);

        results[0].Should().Be(IngestResult.Written(before.Id));
        ShouldHaveFailedAlone(results[1]);
        results[2].Should().Be(IngestResult.Written(after.Id));
        results.Should().HaveCount(3);
        (await store.Ingest.GetConversionAsync(before.Id, None)).Should().BeEquivalentTo(before);
        (await store.Ingest.GetConversionAsync(after.Id, None)).Should().BeEquivalentTo(after);
        (await store.Ingest.GetConversionAsync(failing.Id, None)).Should().BeNull();
        (await store.Outbox.GetAsync(failingMessage.Id, None)).Should().BeNull();
        (await store.Log.GetAsync(existing.Id, None)).Should().BeEquivalentTo(existing);
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Select(e => e.Id).Should().BeEquivalentTo(
            [existing.Id, batch[0].LogEntry.Id, batch[2].LogEntry.Id]);
        var retry = StoreTestData.Retry(failing);
        (await AppendOneAsync(store, StoreTestData.Record(retry))).Should().Be(IngestResult.Written(retry.Id), "the failed record did not claim the key");
    }

    /// <summary>A record whose conversion id is used fails alone: nothing of it is stored and its neighbours are written.</summary>
    [Fact]
    public async Task Append_RecordWhoseConversionIdIsInUse_FailsAlone_ItsNeighboursAreWritten()
    {
        var store = await NewStorageAsync();
        var existing = StoreTestData.Conversion();
        await StoreAsync(store, existing);
        var before = StoreTestData.LogEntry();
        var failing = StoreTestData.Conversion() with { Id = existing.Id };
        var after = StoreTestData.Conversion();
        IngestRecord[] batch = [StoreTestData.Record(before), StoreTestData.Record(failing), StoreTestData.Record(after)];

        var results = await AppendUnnumberedAsync(store, batch, None);

        results[0].Should().Be(IngestResult.Written(null));
        ShouldHaveFailedAlone(results[1]);
        results[2].Should().Be(IngestResult.Written(after.Id));
        (await store.Ingest.GetConversionAsync(existing.Id, None)).Should().BeEquivalentTo(existing);
        (await store.Ingest.ListConversionsByClickAsync(failing.Conversion.ClickId, None)).Should().BeEmpty();
        (await store.Log.GetAsync(batch[1].LogEntry.Id, None)).Should().BeNull();
        (await store.Log.GetAsync(before.Id, None)).Should().BeEquivalentTo(before);
        (await store.Ingest.GetConversionAsync(after.Id, None)).Should().BeEquivalentTo(after);
    }

    /// <summary>A record with an outbox message whose id is used fails alone, with none of its messages written, and its neighbours are written.</summary>
    [Fact]
    public async Task Append_RecordWhoseOutboxMessageIdIsInUse_FailsAlone_ItsNeighboursAreWritten()
    {
        var store = await NewStorageAsync();
        var existing = StoreTestData.Conversion();
        var existingMessage = ForwardingTestData.Message(existing.Id);
        await StoreAsync(store, existing, existingMessage);
        var before = StoreTestData.Conversion();
        var beforeMessage = ForwardingTestData.Message(before.Id);
        var failing = StoreTestData.Conversion();
        var fresh = ForwardingTestData.Message(failing.Id);
        var clash = ForwardingTestData.Message(failing.Id, id: existingMessage.Id) with { DestinationId = "google-ads" };
        var after = StoreTestData.Conversion();
        IngestRecord[] batch = [StoreTestData.Record(before, beforeMessage), StoreTestData.Record(failing, fresh, clash), StoreTestData.Record(after)];

        var results = await AppendUnnumberedAsync(store, batch, None);

        results[0].Should().Be(IngestResult.Written(before.Id));
        ShouldHaveFailedAlone(results[1]);
        results[2].Should().Be(IngestResult.Written(after.Id));
        (await store.Ingest.GetConversionAsync(failing.Id, None)).Should().BeNull();
        (await store.Log.GetAsync(batch[1].LogEntry.Id, None)).Should().BeNull();
        (await store.Outbox.GetAsync(fresh.Id, None)).Should().BeNull("a record's messages are written with it or not at all");
        (await store.Outbox.GetAsync(existingMessage.Id, None)).Should().BeEquivalentTo(existingMessage);
        (await store.Outbox.GetAsync(beforeMessage.Id, None)).Should().BeEquivalentTo(beforeMessage);
        (await store.Ingest.GetConversionAsync(after.Id, None)).Should().BeEquivalentTo(after);
    }

    /// <summary>Records that reuse a log entry, conversion or message id of an earlier record of the same batch fail alone, as if the batch were appended one record after the other.</summary>
    [Fact]
    public async Task Append_RecordsThatReuseAnIdOfAnEarlierRecordOfTheSameBatch_FailAlone()
    {
        var store = await NewStorageAsync();
        var first = StoreTestData.Conversion();
        var firstMessage = ForwardingTestData.Message(first.Id);
        var firstRecord = StoreTestData.Record(first, firstMessage);
        var sameLogId = StoreTestData.Conversion();
        var sameConversionId = StoreTestData.Conversion() with { Id = first.Id };
        var sameMessageId = StoreTestData.Conversion();
        var last = StoreTestData.Conversion();
        IngestRecord[] batch =
        [
            firstRecord,
            StoreTestData.Record(sameLogId) with { LogEntry = StoreTestData.LogEntryFor(sameLogId) with { Id = firstRecord.LogEntry.Id } },
            StoreTestData.Record(sameConversionId),
            StoreTestData.Record(sameMessageId, ForwardingTestData.Message(sameMessageId.Id, id: firstMessage.Id)),
            StoreTestData.Record(last),
        ];

        var results = await AppendUnnumberedAsync(store, batch, None);

        results.Should().HaveCount(5);
        results[0].Should().Be(IngestResult.Written(first.Id));
        ShouldHaveFailedAlone(results[1]);
        ShouldHaveFailedAlone(results[2]);
        ShouldHaveFailedAlone(results[3]);
        results[4].Should().Be(IngestResult.Written(last.Id));
        (await store.Ingest.GetConversionAsync(first.Id, None)).Should().BeEquivalentTo(first);
        (await store.Ingest.GetConversionAsync(sameLogId.Id, None)).Should().BeNull();
        (await store.Ingest.GetConversionAsync(sameMessageId.Id, None)).Should().BeNull();
        (await store.Log.GetAsync(firstRecord.LogEntry.Id, None)).Should().BeEquivalentTo(firstRecord.LogEntry with { DepositNumber = first.DepositNumber });
        (await store.Outbox.GetAsync(firstMessage.Id, None)).Should().BeEquivalentTo(firstMessage);
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().HaveCount(2);
    }

    /// <summary>A failed record stores nothing, so a later record of the batch with the same key is stored rather than counted as its duplicate.</summary>
    [Fact]
    public async Task Append_RecordAfterAFailedRecordWithTheSameKey_IsStored()
    {
        var store = await NewStorageAsync();
        var existing = StoreTestData.LogEntry();
        await LogAsync(store, existing);
        var failing = StoreTestData.Conversion();
        var retry = StoreTestData.Retry(failing);

        var results = await AppendUnnumberedAsync(store, 
        [
            StoreTestData.Record(failing) with { LogEntry = StoreTestData.LogEntryFor(failing) with { Id = existing.Id } },
            StoreTestData.Record(retry),
        ], None);

        ShouldHaveFailedAlone(results[0]);
        results[1].Should().Be(IngestResult.Written(retry.Id), "the failed record stored nothing, so it is not the retry's original");
        (await store.Ingest.ListConversionsByClickAsync(failing.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(retry.Id);
    }

    /// <summary>A batch larger than <see cref="IngestStore.PreferredBatchSize"/> is written whole, in order.</summary>
    [Fact]
    public async Task Append_BatchLargerThanThePreferredBatchSize_WritesEveryRecord()
    {
        var store = await NewStorageAsync();
        var count = Math.Clamp((store.Ingest.PreferredBatchSize * 2) + 1, 3, 2001);
        var clickId = "c" + StoreTestData.NewId()[..11];
        var conversions = Enumerable.Range(0, count)
            .Select(i => StoreTestData.Conversion(clickId: clickId, receivedAt: StoreTestData.Epoch.AddSeconds(i)))
            .ToArray();

        var results = await AppendUnnumberedAsync(store, [.. conversions.Select(c => StoreTestData.Record(c))], None);

        results.Should().Equal(conversions.Select(c => IngestResult.Written(c.Id)));
        (await store.Ingest.ListConversionsByClickAsync(clickId, None)).Select(c => c.Id).Should().Equal(conversions.Select(c => c.Id));
    }

    /// <summary><see cref="IngestStore.PreferredBatchSize"/> is at least 1.</summary>
    [Fact]
    public async Task PreferredBatchSize_IsAtLeastOne()
    {
        var store = await NewStorageAsync();

        store.Ingest.PreferredBatchSize.Should().BeGreaterThanOrEqualTo(1);
    }

    /// <summary>Concurrent batches that share two keys, in opposite orders, store exactly one conversion per key, all their other records, and never deadlock.</summary>
    [Fact]
    public async Task Append_ConcurrentBatchesSharingKeysInOppositeOrders_StoreOneConversionPerKey()
    {
        var store = await NewStorageAsync();
        var a = StoreTestData.Conversion();
        var b = StoreTestData.Conversion(key: StoreTestData.WindowedKey(TimeSpan.FromHours(24)));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, ConcurrentBatches).Select(i => Task.Run(async () =>
        {
            var retryOfA = StoreTestData.Retry(a);
            var retryOfB = StoreTestData.Retry(b);
            var own = StoreTestData.Conversion();
            IngestRecord[] batch = i % 2 == 0
                ? [StoreTestData.Record(retryOfA), StoreTestData.Record(own), StoreTestData.Record(retryOfB)]
                : [StoreTestData.Record(retryOfB), StoreTestData.Record(own), StoreTestData.Record(retryOfA)];
            await gate.Task;
            var results = await AppendUnnumberedAsync(store, batch, None);
            return (Batch: batch, Results: results);
        })).ToArray();

        gate.SetResult();
        var outcomes = await Task.WhenAll(tasks).WaitAsync(ConcurrencyTimeout);

        var all = outcomes.SelectMany(o => o.Batch.Zip(o.Results, (record, result) => (Record: record, Result: result))).ToList();
        all.Should().OnlyContain(x => x.Result.Failure == null);
        foreach (var key in new[] { a.Conversion.IdempotencyKey.Value, b.Conversion.IdempotencyKey.Value })
        {
            var ofKey = all.Where(x => x.Record.Conversion!.Conversion.IdempotencyKey.Value == key).ToList();
            var stored = ofKey.Where(x => !x.Result.IsDuplicate).Should().ContainSingle().Subject;
            stored.Result.Should().Be(IngestResult.Written(stored.Record.Conversion!.Id));
            ofKey.Should().OnlyContain(x => x.Result.ConversionId == stored.Record.Conversion!.Id);
        }

        var own = all.Where(x => x.Record.Conversion!.Conversion.IdempotencyKey.Value != a.Conversion.IdempotencyKey.Value
            && x.Record.Conversion.Conversion.IdempotencyKey.Value != b.Conversion.IdempotencyKey.Value).ToList();
        own.Should().HaveCount(ConcurrentBatches).And.OnlyContain(x => x.Result == IngestResult.Written(x.Record.Conversion!.Id));
        (await store.Log.ListAsync(new PostbackLogQuery { Limit = 100 }, None)).Should().HaveCount(ConcurrentBatches * 3);
    }
}
