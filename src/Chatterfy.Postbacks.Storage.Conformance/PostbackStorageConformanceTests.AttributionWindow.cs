using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// Attribution windows: sets and campaigns keep theirs, a conversion keeps whether it came after its window, and late
// attribution never credits one that did (ConversionCredit).
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A set's attribution window is stored, found by id and by token, listed, and replaced or removed by an update.</summary>
    [Fact]
    public async Task AddSet_WithAttributionWindow_KeepsItThroughGetFindListAndUpdate()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set() with { AttributionWindowSeconds = 30L * 24 * 60 * 60 };
        var without = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        await store.Sets.AddAsync(without, None);

        ShouldMatch(await store.Sets.GetAsync(set.Id, None), set);
        ShouldMatch(await store.Sets.FindByTokenAsync(set.Token, StoreTestData.Epoch, None), set);
        (await store.Sets.GetAsync(without.Id, None))!.AttributionWindowSeconds.Should().BeNull();
        (await store.Sets.ListAsync(None)).Select(s => s.AttributionWindowSeconds).Should().BeEquivalentTo(new long?[] { set.AttributionWindowSeconds, null });

        ShouldMatch(await store.Sets.UpdateAsync(set with { AttributionWindowSeconds = 3600 }, None), set with { AttributionWindowSeconds = 3600 });
        ShouldMatch(await store.Sets.GetAsync(set.Id, None), set with { AttributionWindowSeconds = 3600 });
        ShouldMatch(await store.Sets.UpdateAsync(set with { AttributionWindowSeconds = null }, None), set with { AttributionWindowSeconds = null });
        (await store.Sets.GetAsync(set.Id, None))!.AttributionWindowSeconds.Should().BeNull();
    }

    /// <summary>A campaign's attribution window is stored, read, listed, and replaced by an update (also by none).</summary>
    [Fact]
    public async Task AddCampaign_WithAttributionWindow_KeepsItAndUpdateReplacesIt()
    {
        var store = await NewStorageAsync();
        var campaign = ForwardingTestData.Campaign() with { AttributionWindowSeconds = 7L * 24 * 60 * 60 };
        await store.Campaigns.AddAsync(campaign, None);

        (await store.Campaigns.GetAsync(campaign.Id, None)).Should().BeEquivalentTo(campaign);
        (await store.Campaigns.ListAsync(None)).Should().ContainSingle().Which.AttributionWindowSeconds.Should().Be(campaign.AttributionWindowSeconds);

        (await store.Campaigns.UpdateAsync(campaign with { AttributionWindowSeconds = 60 }, None)).Should().BeEquivalentTo(campaign with { AttributionWindowSeconds = 60 });
        (await store.Campaigns.UpdateAsync(campaign with { AttributionWindowSeconds = null }, None))!.AttributionWindowSeconds.Should().BeNull();
        (await store.Campaigns.GetAsync(campaign.Id, None))!.AttributionWindowSeconds.Should().BeNull();
    }

    /// <summary>A conversion that came after its window is stored unattributed, read back with the fact, and counted as unattributed.</summary>
    [Fact]
    public async Task Append_ConversionAfterItsWindow_IsReadBackWithTheFact()
    {
        var store = await NewStorageAsync();
        var late = AfterItsWindow(StoreTestData.Conversion());
        var inTime = StoreTestData.Conversion(clickId: late.Conversion.ClickId);

        await StoreAsync(store, late);
        await StoreAsync(store, inTime);

        (await store.Ingest.GetConversionAsync(late.Id, None)).Should().BeEquivalentTo(late);
        (await store.Ingest.GetConversionAsync(inTime.Id, None))!.AttributionWindowPassed.Should().BeFalse();
        (await store.Ingest.ListConversionsByClickAsync(late.Conversion.ClickId, None)).Should().ContainSingle(c => c.AttributionWindowPassed).Which.Id.Should().Be(late.Id);
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().BeEquivalentTo(
        [
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 1, 12.50m) { DepositBucket = 1 },
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Unattributed, "USD", 1, 12.50m),
        ]);
    }

    /// <summary>A new click never credits a conversion of its id that came after its window; the others it credits as before.</summary>
    [Fact]
    public async Task AddClick_NeverCreditsAConversionThatCameAfterItsWindow()
    {
        var store = await NewStorageAsync();
        var click = StoreTestData.Click(campaignId: "camp-1");
        var late = AfterItsWindow(StoreTestData.Conversion(clickId: click.Id));
        var waiting = StoreTestData.Conversion(clickId: click.Id, attribution: ConversionAttribution.Unattributed);
        await StoreAsync(store, late);
        await StoreAsync(store, waiting);

        var credited = await store.Clicks.AddAsync(click, StoreTestData.Credit(click), None);

        credited.Should().Be(1);
        (await store.Ingest.GetConversionAsync(late.Id, None)).Should().BeEquivalentTo(late, "a conversion that came after its window stays unattributed for good");
        (await store.Ingest.GetConversionAsync(waiting.Id, None))!.Attribution.Should().Be(ConversionAttribution.Credited);
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().BeEquivalentTo(
        [
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 1, 12.50m) { DepositBucket = 1 },
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Unattributed, "USD", 1, 12.50m),
        ]);
    }

    /// <summary>
    /// Concurrent retries of a conversion that came after its window (as the core decides them: each unattributed, with the
    /// fact): exactly one is stored, with the fact, and it is counted once; a click added meanwhile credits none of them.
    /// </summary>
    [Fact]
    public async Task Append_ConcurrentRetriesOfAConversionAfterItsWindow_StoreOneAndCountItOnce()
    {
        var store = await NewStorageAsync();
        var template = AfterItsWindow(StoreTestData.Conversion(key: StoreTestData.WindowedKey(TimeSpan.FromHours(24))));
        var click = StoreTestData.Click(campaignId: null) with { Id = template.Conversion.ClickId };
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var appends = Enumerable.Range(0, ConcurrentAppends).Select(_ => Task.Run(async () =>
        {
            var conversion = StoreTestData.Retry(template);
            await gate.Task;
            var result = await AppendOneAsync(store, StoreTestData.Record(conversion));
            return (conversion.Id, Result: result);
        })).ToArray();
        var adding = Task.Run(async () =>
        {
            await gate.Task;
            return await store.Clicks.AddAsync(click, StoreTestData.Credit(click), None);
        });

        gate.SetResult();
        var results = await Task.WhenAll(appends).WaitAsync(ConcurrencyTimeout);
        (await adding.WaitAsync(ConcurrencyTimeout)).Should().Be(0, "no conversion that came after its window is credited");

        var stored = results.Where(r => !r.Result.IsDuplicate).Should().ContainSingle().Subject;
        results.Should().OnlyContain(r => r.Result.ConversionId == stored.Id && r.Result.Failure == null);
        var conversions = await store.Ingest.ListConversionsByClickAsync(template.Conversion.ClickId, None);
        conversions.Should().ContainSingle().Which.Should().Match<ConversionRecord>(c =>
            c.Id == stored.Id && c.AttributionWindowPassed && c.Attribution == ConversionAttribution.Unattributed);
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().Equal(
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Unattributed, "USD", 1, 12.50m));
        var log = await store.Log.ListAsync(new PostbackLogQuery { SetId = template.Conversion.SetId, Limit = 100 }, None);
        log.Count(e => e.Outcome == PostbackOutcome.Unattributed).Should().Be(1);
        log.Count(e => e.Outcome == PostbackOutcome.Duplicate).Should().Be(ConcurrentAppends - 1);
    }

    // What the core stores for a conversion that came after its click's window: unattributed, with the set's campaign
    // scope (none here), and the fact.
    private static ConversionRecord AfterItsWindow(ConversionRecord conversion) => conversion with
    {
        Attribution = ConversionAttribution.Unattributed,
        CampaignId = null,
        AttributionWindowPassed = true,
        DepositNumber = null,
    };
}
