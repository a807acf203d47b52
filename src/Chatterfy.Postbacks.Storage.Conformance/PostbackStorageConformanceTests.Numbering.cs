using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// Deposit numbers (DepositNumbering): per click id across sets, assigned by the store when a first deposit or deposit is
// first credited (on append, or when a late click credits it), never changed; on the conversion, its log entry and the
// append's result.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>The first deposit takes 1 and repeat deposits of the same click, from any set, take 2, 3, … in the order they are appended.</summary>
    [Fact]
    public async Task Append_FirstDepositThenRepeatsFromSeveralSets_AreNumberedOneTwoThree()
    {
        var store = await NewStorageAsync();
        var clickId = "c" + StoreTestData.NewId()[..11];
        var first = Numbered(PostbackEvent.FirstDeposit, clickId, "set-a", 0);
        var second = Numbered(PostbackEvent.Deposit, clickId, "set-b", 1);
        var third = Numbered(PostbackEvent.Deposit, clickId, "set-a", 2);

        var results = new List<IngestResult>();
        foreach (var conversion in new[] { first, second, third })
        {
            results.AddRange(await store.Ingest.AppendAsync([StoreTestData.Record(conversion)], None));
        }

        results.Select(r => r.DepositNumber).Should().Equal(1, 2, 3);
        (await store.Ingest.ListConversionsByClickAsync(clickId, None)).Select(c => c.DepositNumber).Should().Equal(1, 2, 3);
        var log = await store.Log.ListAsync(new PostbackLogQuery { Limit = 10 }, None);
        log.Select(e => (e.ConversionId, e.DepositNumber)).Should().BeEquivalentTo([(first.Id, (int?)1), (second.Id, 2), (third.Id, 3)]);
    }

    /// <summary>A repeat deposit credited before the click's first deposit takes 2, never 1; the first deposit then takes 1 and the next repeat 3.</summary>
    [Fact]
    public async Task Append_RepeatDepositBeforeTheFirstDeposit_TakesTwo_TheFirstDepositStillTakesOne()
    {
        var store = await NewStorageAsync();
        var clickId = "c" + StoreTestData.NewId()[..11];
        var early = Numbered(PostbackEvent.Deposit, clickId, "set-a", 0);
        var first = Numbered(PostbackEvent.FirstDeposit, clickId, "set-a", 1);
        var next = Numbered(PostbackEvent.Deposit, clickId, "set-a", 2);
        var secondFirst = Numbered(PostbackEvent.FirstDeposit, clickId, "set-b", 3);

        var numbers = new List<int?>();
        foreach (var conversion in new[] { early, first, next, secondFirst })
        {
            numbers.Add((await store.Ingest.AppendAsync([StoreTestData.Record(conversion)], None))[0].DepositNumber);
        }

        numbers.Should().Equal([2, 1, 3, 4], "a second first deposit (another set) follows with the repeats");
    }

    /// <summary>Registrations, custom events, unattributed deposits and duplicates get no number, and take none from the deposits that follow.</summary>
    [Fact]
    public async Task Append_DuplicatesUnattributedAndOtherEvents_GetNoNumber()
    {
        var store = await NewStorageAsync();
        var clickId = "c" + StoreTestData.NewId()[..11];
        PostbackEvent.TryParse("emailconf", out var custom).Should().BeTrue();
        var registration = Numbered(PostbackEvent.Registration, clickId, "set-a", 0);
        var other = Numbered(custom, clickId, "set-a", 1);
        var first = Numbered(PostbackEvent.FirstDeposit, clickId, "set-a", 2);
        var retry = StoreTestData.Retry(first);
        var unattributed = Numbered(PostbackEvent.Deposit, clickId, "set-b", 3) with { Attribution = ConversionAttribution.Unattributed, CampaignId = null };
        var repeat = Numbered(PostbackEvent.Deposit, clickId, "set-a", 4);

        var results = await store.Ingest.AppendAsync(
            [.. new[] { registration, other, first, retry, unattributed, repeat }.Select(c => StoreTestData.Record(c))], None);

        results.Select(r => r.DepositNumber).Should().Equal(null, null, 1, null, null, 2);
        results[3].IsDuplicate.Should().BeTrue();
        var log = await store.Log.ListAsync(new PostbackLogQuery { Limit = 10 }, None);
        log.Where(e => e.Outcome == PostbackOutcome.Duplicate).Should().ContainSingle().Which.DepositNumber.Should().BeNull();
        (await store.Ingest.GetConversionAsync(unattributed.Id, None))!.DepositNumber.Should().BeNull();
        (await store.Ingest.GetConversionAsync(repeat.Id, None))!.DepositNumber.Should().Be(2);
    }

    /// <summary>The store assigns the numbers: a number given with the conversion or its log entry is ignored.</summary>
    [Fact]
    public async Task Append_NumberGivenByTheCaller_IsIgnored()
    {
        var store = await NewStorageAsync();
        var conversion = Numbered(PostbackEvent.Deposit, "c" + StoreTestData.NewId()[..11], "set-a", 0) with { DepositNumber = 7 };
        var record = StoreTestData.Record(conversion) with { LogEntry = StoreTestData.LogEntryFor(conversion) with { DepositNumber = 9 } };

        var result = (await store.Ingest.AppendAsync([record], None))[0];

        result.DepositNumber.Should().Be(2);
        (await store.Ingest.GetConversionAsync(conversion.Id, None))!.DepositNumber.Should().Be(2);
        (await store.Log.GetAsync(record.LogEntry.Id, None))!.DepositNumber.Should().Be(2);
    }

    /// <summary>Deposits of one click in one batch are numbered in batch order, as if appended one by one.</summary>
    [Fact]
    public async Task Append_DepositsOfOneClickInOneBatch_AreNumberedInBatchOrder()
    {
        var store = await NewStorageAsync();
        var clickId = "c" + StoreTestData.NewId()[..11];
        var before = Numbered(PostbackEvent.Deposit, clickId, "set-a", 0);
        await store.Ingest.AppendAsync([StoreTestData.Record(before)], None);
        var batch = new[]
        {
            Numbered(PostbackEvent.Deposit, clickId, "set-a", 1),
            Numbered(PostbackEvent.FirstDeposit, clickId, "set-b", 2),
            Numbered(PostbackEvent.Deposit, clickId, "set-b", 3),
            Numbered(PostbackEvent.FirstDeposit, clickId, "set-c", 4),
        };

        var results = await store.Ingest.AppendAsync([.. batch.Select(c => StoreTestData.Record(c))], None);

        results.Select(r => r.DepositNumber).Should().Equal(3, 1, 4, 5);
    }

    /// <summary>A late click numbers the deposits it credits in receive-time-then-id order, after the numbers its id already holds; the log entries keep what they were answered with.</summary>
    [Fact]
    public async Task AddClick_NumbersTheDepositsItCredits_InReceiveOrder()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click(campaignId: "camp-1");
        var repeatFirst = Numbered(PostbackEvent.Deposit, click.Id, "set-a", 5) with { Attribution = ConversionAttribution.Unattributed, CampaignId = null };
        var firstDeposit = Numbered(PostbackEvent.FirstDeposit, click.Id, "set-a", 9) with { Attribution = ConversionAttribution.Unattributed, CampaignId = null };
        var repeatLater = Numbered(PostbackEvent.Deposit, click.Id, "set-b", 12) with { Attribution = ConversionAttribution.Unattributed, CampaignId = null };
        var otherCampaign = Numbered(PostbackEvent.Deposit, click.Id, "set-c", 1) with { Attribution = ConversionAttribution.Unattributed, CampaignId = "camp-2" };

        // Appended out of receive order: the credit follows the receive times, not the order of arrival.
        foreach (var conversion in new[] { repeatLater, firstDeposit, otherCampaign, repeatFirst })
        {
            (await store.Ingest.AppendAsync([StoreTestData.Record(conversion)], None))[0].DepositNumber.Should().BeNull();
        }

        (await store.Clicks.AddAsync(click, StoreTestData.Credit(click), None)).Should().Be(3);

        (await store.Ingest.GetConversionAsync(repeatFirst.Id, None))!.DepositNumber.Should().Be(2);
        (await store.Ingest.GetConversionAsync(firstDeposit.Id, None))!.DepositNumber.Should().Be(1);
        (await store.Ingest.GetConversionAsync(repeatLater.Id, None))!.DepositNumber.Should().Be(3);
        (await store.Ingest.GetConversionAsync(otherCampaign.Id, None))!.DepositNumber.Should().BeNull("it stays unattributed");
        (await store.Log.ListAsync(new PostbackLogQuery { Limit = 10 }, None)).Should().OnlyContain(e => e.DepositNumber == null);
        var next = Numbered(PostbackEvent.Deposit, click.Id, "set-a", 20);
        (await store.Ingest.AppendAsync([StoreTestData.Record(next)], None))[0].DepositNumber.Should().Be(4);
    }

    /// <summary>Concurrent deposits of one click, each appended alone, take the numbers 1..n once each: no gap, no repeat.</summary>
    [Fact]
    public async Task Append_ConcurrentDepositsOfOneClick_TakeOneToNWithoutGapsOrRepeats()
    {
        var store = await NewStorageAsync();
        var clickId = "c" + StoreTestData.NewId()[..11];
        var conversions = Enumerable.Range(0, ConcurrentAppends)
            .Select(i => Numbered(i == ConcurrentAppends / 2 ? PostbackEvent.FirstDeposit : PostbackEvent.Deposit, clickId, "set-" + (i % 3), i))
            .ToArray();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = conversions.Select(c => Task.Run(async () =>
        {
            await gate.Task;
            return (await store.Ingest.AppendAsync([StoreTestData.Record(c)], None))[0];
        })).ToArray();

        gate.SetResult();
        var results = await Task.WhenAll(tasks).WaitAsync(ConcurrencyTimeout);

        results.Should().OnlyContain(r => r.Failure == null && !r.IsDuplicate);
        results.Select(r => r.DepositNumber!.Value).Should().BeEquivalentTo(Enumerable.Range(1, ConcurrentAppends));
        (await store.Ingest.ListConversionsByClickAsync(clickId, None)).Select(c => c.DepositNumber!.Value).Should().BeEquivalentTo(Enumerable.Range(1, ConcurrentAppends));
    }

    // A credited conversion of the event on the click, received `seconds` after the epoch, with a transaction id of its own.
    private static ConversionRecord Numbered(PostbackEvent conversionEvent, string clickId, string setId, int seconds)
    {
        var template = StoreTestData.Conversion(setId: setId, clickId: clickId, receivedAt: StoreTestData.Epoch.AddSeconds(seconds));
        return template with { Conversion = template.Conversion with { Event = conversionEvent } };
    }
}
