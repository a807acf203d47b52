using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Tests.Storage;

namespace Chatterfy.Postbacks.Tests.Ingestion;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task AppendAsync_StorePrefersOneRecord_CommitsOnTheCallersThreadWithoutWaiting()
    {
        var commit = new GroupCommit(InMemoryPostbackStorage.Create().Ingest);
        var conversion = StoreData.Conversion();

        var appending = commit.AppendAsync(StoreData.Stored(conversion));

        appending.IsCompletedSuccessfully.Should().BeTrue("the in-memory store completes synchronously and nothing queues in front of it");
        (await appending).Should().Be((IngestResult.Written(conversion.Id) with { DepositNumber = 1 }));
    }

    [Fact]
    public async Task AppendAsync_StorePrefersOneRecord_ConcurrentCallsReachTheStoreEachAtOnce()
    {
        var store = new RecordingIngestStore(InMemoryPostbackStorage.Create().Ingest, preferredBatchSize: 1);
        var commit = new GroupCommit(store);
        var hold = store.HoldNextCall();

        var first = commit.AppendAsync(StoreData.Stored(StoreData.Conversion()));
        var second = commit.AppendAsync(StoreData.Stored(StoreData.Conversion()));

        second.IsCompletedSuccessfully.Should().BeTrue("it did not wait behind the first, whose commit is still running");
        first.IsCompleted.Should().BeFalse();
        store.Batches.Should().Equal(1, 1);
        hold.SetResult();
        (await first).Failure.Should().BeNull();
    }

    [Fact]
    public async Task AppendAsync_CallsArrivingWhileACommitRuns_AreCommittedInOrderInBatchesOfAtMostThePreferredSize()
    {
        var store = new RecordingIngestStore(InMemoryPostbackStorage.Create().Ingest, preferredBatchSize: 4);
        var commit = new GroupCommit(store);
        var conversions = Enumerable.Range(0, 7).Select(_ => StoreData.Conversion()).ToList();
        var hold = store.HoldNextCall();
        var first = commit.AppendAsync(StoreData.Stored(conversions[0]));

        var waiting = conversions.Skip(1).Select(c => commit.AppendAsync(StoreData.Stored(c)).AsTask()).ToList();
        store.Batches.Should().Equal([1], "the others wait for the commit in progress");
        hold.SetResult();
        var results = await Task.WhenAll(waiting.Prepend(first.AsTask()));

        store.Batches.Should().Equal(1, 4, 2);
        results.Should().Equal(conversions.Select(c => (IngestResult.Written(c.Id) with { DepositNumber = 1 })));
    }

    [Fact]
    public async Task AppendAsync_WhileTheNextBatchCommits_TheCallerWhoseBatchIsDoneReturns()
    {
        var store = new RecordingIngestStore(InMemoryPostbackStorage.Create().Ingest, preferredBatchSize: 8);
        var commit = new GroupCommit(store);
        var firstHold = store.HoldNextCall();
        var first = commit.AppendAsync(StoreData.Stored(StoreData.Conversion()));
        var secondHold = store.HoldNextCall();
        var second = commit.AppendAsync(StoreData.Stored(StoreData.Conversion())).AsTask();
        var third = commit.AppendAsync(StoreData.Stored(StoreData.Conversion())).AsTask();

        firstHold.SetResult();
        var firstResult = await first;
        var secondBatchRunning = !second.IsCompleted && !third.IsCompleted;
        secondHold.SetResult();
        await Task.WhenAll(second, third);

        firstResult.Failure.Should().BeNull();
        secondBatchRunning.Should().BeTrue("the first caller's batch was done, so it did not stay to commit the next one");
        store.Batches.Should().Equal(1, 2);
    }

    [Fact]
    public async Task AppendAsync_BatchWithAnInvalidRecord_FailsThatRecordAloneAndWritesTheOthers()
    {
        var store = new RecordingIngestStore(InMemoryPostbackStorage.Create().Ingest, preferredBatchSize: 8);
        var commit = new GroupCommit(store);
        var hold = store.HoldNextCall();
        var first = commit.AppendAsync(StoreData.Stored(StoreData.Conversion()));
        var good = StoreData.Conversion();
        var invalid = StoreData.Stored(StoreData.Conversion()) with { OutboxMessages = [Message(conversionId: "another-conversion")] };
        var goodTask = commit.AppendAsync(StoreData.Stored(good)).AsTask();
        var invalidTask = commit.AppendAsync(invalid).AsTask();

        hold.SetResult();
        await first;

        (await goodTask).Should().Be((IngestResult.Written(good.Id) with { DepositNumber = 1 }));
        await FluentActions.Awaiting(() => invalidTask).Should().ThrowAsync<ArgumentException>();
        (await store.GetConversionAsync(invalid.Conversion!.Id, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task AppendAsync_StoreUnavailableForABatch_FailsEveryRecordOfItAndTheNextBatchCommits()
    {
        var store = new RecordingIngestStore(InMemoryPostbackStorage.Create().Ingest, preferredBatchSize: 8);
        var commit = new GroupCommit(store);
        var down = StoreData.Conversion();
        store.Fail = records => records.Any(r => r.Conversion?.Id == down.Id) ? new PostbackStoreUnavailableException("down") : null;
        var hold = store.HoldNextCall();
        var first = commit.AppendAsync(StoreData.Stored(StoreData.Conversion()));
        var lost = new[] { commit.AppendAsync(StoreData.Stored(down)).AsTask(), commit.AppendAsync(StoreData.Stored(StoreData.Conversion())).AsTask() };
        hold.SetResult();
        await first;

        foreach (var task in lost)
        {
            await FluentActions.Awaiting(() => task).Should().ThrowAsync<PostbackStoreUnavailableException>();
        }

        var later = StoreData.Conversion();
        (await commit.AppendAsync(StoreData.Stored(later))).Should().Be((IngestResult.Written(later.Id) with { DepositNumber = 1 }));
        store.Batches.Should().Equal(1, 2, 1);
    }

    private static OutboxMessage Message(string conversionId) => new()
    {
        Id = StoreData.NewId(),
        ConversionId = conversionId,
        RuleId = "rule-1",
        DestinationId = "http-postback",
        CreatedAt = StoreData.Epoch,
        NextAttemptAt = StoreData.Epoch,
        RetryFrom = StoreData.Epoch,
    };
}
