using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Storage.Conformance;

// IngestStore: the outbox messages of a record, written with its conversion when it is stored, never for a duplicate.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A stored conversion's outbox messages are written as given, pending, without attempts.</summary>
    [Fact]
    public async Task Append_WithOutboxMessages_StoresEachMessageAsGiven()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var conversion = StoreTestData.Conversion();
        OutboxMessage[] messages =
        [
            ForwardingTestData.Message(conversion.Id, t.AddTicks(10), t.AddSeconds(5)) with { RetryFrom = t.AddMilliseconds(1) },
            ForwardingTestData.Message(conversion.Id, t) with { DestinationId = "google-ads" },
        ];
        var record = StoreTestData.Record(conversion, messages);

        var result = await AppendOneAsync(store, record);

        result.Should().Be(IngestResult.Written(conversion.Id));
        foreach (var message in messages)
        {
            var stored = await store.Outbox.GetAsync(message.Id, None);
            stored.Should().BeEquivalentTo(message);
            stored!.Status.Should().Be(OutboxMessageStatus.Pending);
            stored.CreatedAt.Should().Be(message.CreatedAt);
            stored.NextAttemptAt.Should().Be(message.NextAttemptAt);
            stored.RetryFrom.Should().Be(message.RetryFrom);
            (await store.Outbox.ListAttemptsAsync(message.Id, None)).Should().BeEmpty();
        }

        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Select(m => m.Id).Should().BeEquivalentTo(messages.Select(m => m.Id));
        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
        (await store.Log.GetAsync(record.LogEntry.Id, None))!.Outcome.Should().Be(PostbackOutcome.Accepted);
    }

    /// <summary>An unattributed conversion's messages are written too.</summary>
    [Fact]
    public async Task Append_UnattributedWithOutboxMessage_StoresTheMessage()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion(attribution: ConversionAttribution.Unattributed);
        var message = ForwardingTestData.Message(conversion.Id);

        var result = await AppendOneAsync(store, StoreTestData.Record(conversion, message));

        result.Should().Be(IngestResult.Written(conversion.Id));
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(message);
    }

    /// <summary>A duplicate's outbox messages are not written.</summary>
    [Fact]
    public async Task Append_DuplicateWithOutboxMessages_StoresNoneOfThem()
    {
        var store = await NewStorageAsync();
        var original = StoreTestData.Conversion();
        var originalMessage = ForwardingTestData.Message(original.Id);
        await StoreAsync(store, original, originalMessage);
        var retry = StoreTestData.Retry(original, original.Conversion.ReceivedAt.AddSeconds(3));
        OutboxMessage[] retryMessages = [ForwardingTestData.Message(retry.Id), ForwardingTestData.Message(retry.Id)];

        var result = await AppendOneAsync(store, StoreTestData.Record(retry, retryMessages));

        result.Should().Be(IngestResult.Duplicate(original.Id));
        foreach (var message in retryMessages)
        {
            (await store.Outbox.GetAsync(message.Id, None)).Should().BeNull();
        }

        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Select(m => m.Id).Should().Equal(originalMessage.Id);
        (await store.Outbox.ListAsync(new OutboxQuery { ConversionId = retry.Id }, None)).Should().BeEmpty();
    }

    /// <summary>A duplicate whose message id is used is still a duplicate, and the stored message is kept.</summary>
    [Fact]
    public async Task Append_DuplicateWhoseMessageIdIsInUse_ReturnsDuplicateAndKeepsTheStoredMessage()
    {
        var store = await NewStorageAsync();
        var original = StoreTestData.Conversion();
        var originalMessage = ForwardingTestData.Message(original.Id);
        await StoreAsync(store, original, originalMessage);
        var retry = StoreTestData.Retry(original);
        var clash = ForwardingTestData.Message(retry.Id, id: originalMessage.Id) with { DestinationId = "google-ads" };

        var result = await AppendOneAsync(store, StoreTestData.Record(retry, clash));

        result.Should().Be(IngestResult.Duplicate(original.Id));
        (await store.Outbox.GetAsync(originalMessage.Id, None)).Should().BeEquivalentTo(originalMessage);
    }

    /// <summary>A message of another conversion refuses the append with an <see cref="ArgumentException"/>; nothing is stored and the key stays free.</summary>
    [Fact]
    public async Task Append_MessageOfAnotherConversion_ThrowsArgumentExceptionAndStoresNothing()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion();
        var own = ForwardingTestData.Message(conversion.Id);
        var foreign = ForwardingTestData.Message("conv_" + StoreTestData.NewId());
        var record = StoreTestData.Record(conversion, own, foreign);

        await Calling(() => store.Ingest.AppendAsync([record], None)).Should().ThrowAsync<ArgumentException>();

        await ShouldHaveStoredNothingAsync(store, record);
    }

    /// <summary>A new message that is delivered or dead-lettered refuses the append with an <see cref="ArgumentException"/>; nothing is stored.</summary>
    [Fact]
    public async Task Append_MessageThatIsNotPending_ThrowsArgumentExceptionAndStoresNothing()
    {
        var store = await NewStorageAsync();
        foreach (var status in new[] { OutboxMessageStatus.Delivered, OutboxMessageStatus.DeadLettered })
        {
            var conversion = StoreTestData.Conversion();
            var pending = ForwardingTestData.Message(conversion.Id);
            var finished = ForwardingTestData.Message(conversion.Id) with { Status = status, CompletedAt = StoreTestData.Epoch };
            var record = StoreTestData.Record(conversion, pending, finished);

            await Calling(() => store.Ingest.AppendAsync([record], None))
                .Should().ThrowAsync<ArgumentException>("a new message cannot be {0}", status);

            await ShouldHaveStoredNothingAsync(store, record);
        }
    }

    /// <summary>Outbox messages on a record without a conversion refuse the append; messages are written only with a stored conversion.</summary>
    [Fact]
    public async Task Append_OutboxMessagesWithoutAConversion_ThrowArgumentExceptionAndStoreNothing()
    {
        var store = await NewStorageAsync();
        var entry = StoreTestData.LogEntry();
        var message = ForwardingTestData.Message("conv_" + StoreTestData.NewId());

        await Calling(() => store.Ingest.AppendAsync([StoreTestData.Record(entry) with { OutboxMessages = [message] }], None))
            .Should().ThrowAsync<ArgumentException>();

        (await store.Log.GetAsync(entry.Id, None)).Should().BeNull();
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeNull();
    }

    /// <summary>A record with a message whose id is used fails alone; nothing of it is stored and its key stays free.</summary>
    [Fact]
    public async Task Append_WithAnOutboxMessageIdInUse_FailsAloneAndStoresNothingOfIt()
    {
        var store = await NewStorageAsync();
        var first = StoreTestData.Conversion();
        var firstMessage = ForwardingTestData.Message(first.Id);
        await StoreAsync(store, first, firstMessage);
        var second = StoreTestData.Conversion();
        var fresh = ForwardingTestData.Message(second.Id);
        var clash = ForwardingTestData.Message(second.Id, id: firstMessage.Id) with { DestinationId = "google-ads" };
        var secondRecord = StoreTestData.Record(second, fresh, clash);

        var result = await AppendOneAsync(store, secondRecord);

        ShouldHaveFailedAlone(result);
        (await store.Ingest.GetConversionAsync(second.Id, None)).Should().BeNull();
        (await store.Log.GetAsync(secondRecord.LogEntry.Id, None)).Should().BeNull();
        (await store.Outbox.GetAsync(fresh.Id, None)).Should().BeNull();
        (await store.Outbox.GetAsync(firstMessage.Id, None)).Should().BeEquivalentTo(firstMessage);
        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Select(m => m.Id).Should().Equal(firstMessage.Id);
        var retry = StoreTestData.Retry(second);
        var retryMessage = ForwardingTestData.Message(retry.Id);
        (await AppendOneAsync(store, StoreTestData.Record(retry, retryMessage)))
            .Should().Be(IngestResult.Written(retry.Id), "the failed record did not claim the key");
        (await store.Outbox.GetAsync(retryMessage.Id, None)).Should().BeEquivalentTo(retryMessage);
    }

    /// <summary>A conversion without messages stores none.</summary>
    [Fact]
    public async Task Append_WithoutOutboxMessages_StoresNoMessages()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion();
        var other = StoreTestData.Conversion();

        (await AppendOneAsync(store, StoreTestData.Record(conversion))).Should().Be(IngestResult.Written(conversion.Id));
        (await AppendOneAsync(store, StoreTestData.Record(other) with { OutboxMessages = [] })).Should().Be(IngestResult.Written(other.Id));

        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
        (await store.Ingest.GetConversionAsync(other.Id, None)).Should().BeEquivalentTo(other);
        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Should().BeEmpty();
    }

    /// <summary>Of concurrent identical appends with messages, only the stored conversion's messages are written.</summary>
    [Fact]
    public async Task Append_ConcurrentIdenticalAppendsWithMessages_StoreOnlyTheStoredOnesMessages()
    {
        var store = await NewStorageAsync();
        var template = StoreTestData.Conversion();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, ConcurrentAppends).Select(_ => Task.Run(async () =>
        {
            var conversion = StoreTestData.Retry(template);
            OutboxMessage[] messages = [ForwardingTestData.Message(conversion.Id), ForwardingTestData.Message(conversion.Id)];
            var record = StoreTestData.Record(conversion, messages);
            await gate.Task;
            var result = await AppendOneAsync(store, record);
            return (conversion.Id, Messages: messages, Result: result);
        })).ToArray();

        gate.SetResult();
        var results = await Task.WhenAll(tasks).WaitAsync(ConcurrencyTimeout);

        var stored = results.Where(r => !r.Result.IsDuplicate).Should().ContainSingle().Subject;
        stored.Result.Should().Be(IngestResult.Written(stored.Id));
        results.Should().OnlyContain(r => r.Result.ConversionId == stored.Id);
        var messages = await store.Outbox.ListAsync(new OutboxQuery { Limit = 1000 }, None);
        messages.Select(m => m.Id).Should().BeEquivalentTo(stored.Messages.Select(m => m.Id));
        messages.Should().OnlyContain(m => m.ConversionId == stored.Id);
        foreach (var (_, duplicateMessages, _) in results.Where(r => r.Result.IsDuplicate))
        {
            (await store.Outbox.GetAsync(duplicateMessages[0].Id, None)).Should().BeNull();
            (await store.Outbox.GetAsync(duplicateMessages[1].Id, None)).Should().BeNull();
        }
    }

    /// <summary>After an append refused as a whole: nothing of the record is stored, and its key is still free.</summary>
    private static async Task ShouldHaveStoredNothingAsync(PostbackStorage store, IngestRecord record)
    {
        var conversion = record.Conversion!;
        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeNull();
        (await store.Log.GetAsync(record.LogEntry.Id, None)).Should().BeNull();
        foreach (var message in record.OutboxMessages)
        {
            (await store.Outbox.GetAsync(message.Id, None)).Should().BeNull();
        }

        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Should().BeEmpty();
        (await store.Log.ListAsync(new PostbackLogQuery { SetId = conversion.Conversion.SetId }, None)).Should().BeEmpty();
        var retry = StoreTestData.Retry(conversion);
        (await AppendOneAsync(store, StoreTestData.Record(retry)))
            .Should().Be(IngestResult.Written(retry.Id), "the refused append did not claim the key");
    }
}
