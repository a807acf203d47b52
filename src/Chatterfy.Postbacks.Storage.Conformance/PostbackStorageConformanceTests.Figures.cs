using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// PostbackLogStore: the figures the stats are made of. The store groups and counts; the core decides what they mean.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>An empty store has no conversion groups, no clicks and no log entries of any outcome.</summary>
    [Fact]
    public async Task GetConversionTotals_EmptyStore_ReturnsNoGroups_AndTheCountsAreZero()
    {
        var store = await NewStorageAsync();

        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().BeEmpty();
        (await store.Log.CountClicksAsync(new ClickCountQuery(), None)).Should().Be(0);
        foreach (var outcome in Enum.GetValues<PostbackOutcome>())
        {
            (await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = outcome }, None)).Should().Be(0);
        }
    }

    /// <summary>Conversions are grouped by kind, attribution and currency, ordered that way (no currency first), with exact decimal sums per group.</summary>
    [Fact]
    public async Task GetConversionTotals_GroupsByKindAttributionAndCurrency_InThatOrder_WithExactSums()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        PostbackEvent.TryParse("withdrawal", out var withdrawal).Should().BeTrue();
        PostbackEvent.TryParse("emailconf", out var emailConfirmed).Should().BeTrue();
        ConversionRecord[] conversions =
        [
            Make(set.Id, PostbackEvent.Deposit, 0.00000001m, "USD"),
            Make(set.Id, emailConfirmed, null, null),
            Make(set.Id, PostbackEvent.FirstDeposit, 7m, "EUR", ConversionAttribution.Unattributed),
            Make(set.Id, PostbackEvent.FirstDeposit, 0.1m, "USD"),
            Make(set.Id, PostbackEvent.Registration, null, null),
            Make(set.Id, withdrawal, 3m, "EUR"),
            Make(set.Id, PostbackEvent.FirstDeposit, 0.2m, "USD"),
            Make(set.Id, PostbackEvent.Deposit, 999999999999.99999998m, "USD"),
            Make(set.Id, PostbackEvent.FirstDeposit, 5m, "EUR"),
        ];
        foreach (var conversion in conversions)
        {
            await StoreAsync(store, conversion);
        }

        var totals = await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { SetId = set.Id }, None);

        totals.Should().Equal(
            new ConversionTotal(PostbackEventKind.Registration, ConversionAttribution.Credited, null, 1, 0m),
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "EUR", 1, 5m),
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 2, 0.3m),
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Unattributed, "EUR", 1, 7m),
            new ConversionTotal(PostbackEventKind.Deposit, ConversionAttribution.Credited, "USD", 2, 999999999999.99999999m),
            new ConversionTotal(PostbackEventKind.Custom, ConversionAttribution.Credited, null, 1, 0m),
            new ConversionTotal(PostbackEventKind.Custom, ConversionAttribution.Credited, "EUR", 1, 3m));
    }

    /// <summary>The totals filter by set, by campaign and by a receive-time range that includes its start and excludes its end.</summary>
    [Fact]
    public async Task GetConversionTotals_FiltersBySetCampaignAndHalfOpenReceiveRange()
    {
        var store = await NewStorageAsync();
        var a = StoreTestData.Set();
        var b = StoreTestData.Set();
        await store.Sets.AddAsync(a, None);
        await store.Sets.AddAsync(b, None);
        var t0 = StoreTestData.Epoch;
        await StoreAsync(store, Make(a.Id, PostbackEvent.FirstDeposit, 1m, "USD", at: t0, campaignId: "camp-1"));
        await StoreAsync(store, Make(a.Id, PostbackEvent.FirstDeposit, 2m, "USD", at: t0.AddHours(1), campaignId: "camp-2"));
        await StoreAsync(store, Make(b.Id, PostbackEvent.FirstDeposit, 4m, "USD", at: t0.AddHours(2), campaignId: "camp-1"));

        async Task<IReadOnlyList<ConversionTotal>> TotalsAsync(ConversionTotalsQuery query) => await store.Log.GetConversionTotalsAsync(query, None);
        static ConversionTotal FirstDeposits(long count, decimal amount) =>
            new(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", count, amount);

        (await TotalsAsync(new ConversionTotalsQuery())).Should().Equal(FirstDeposits(3, 7m));
        (await TotalsAsync(new ConversionTotalsQuery { SetId = a.Id })).Should().Equal(FirstDeposits(2, 3m));
        (await TotalsAsync(new ConversionTotalsQuery { CampaignId = "camp-1" })).Should().Equal(FirstDeposits(2, 5m));
        (await TotalsAsync(new ConversionTotalsQuery { SetId = a.Id, CampaignId = "camp-2" })).Should().Equal(FirstDeposits(1, 2m));
        (await TotalsAsync(new ConversionTotalsQuery { From = t0.AddHours(1), To = t0.AddHours(2) })).Should().Equal(FirstDeposits(1, 2m));
        (await TotalsAsync(new ConversionTotalsQuery { From = t0.AddHours(1) })).Should().Equal(FirstDeposits(2, 6m));
        (await TotalsAsync(new ConversionTotalsQuery { To = t0.AddHours(1) })).Should().Equal(FirstDeposits(1, 1m));
        (await TotalsAsync(new ConversionTotalsQuery { From = t0, To = t0 })).Should().BeEmpty();
        (await TotalsAsync(new ConversionTotalsQuery { SetId = "set_" + StoreTestData.NewId() })).Should().BeEmpty();
        (await TotalsAsync(new ConversionTotalsQuery { CampaignId = "CAMP-1" })).Should().BeEmpty("campaign ids are compared ordinally");
    }

    /// <summary>The totals count stored conversions only (not duplicates nor rejections), of deleted sets too.</summary>
    [Fact]
    public async Task GetConversionTotals_CountStoredConversionsOnly_OfDeletedSetsToo()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var stored = Make(set.Id, PostbackEvent.Registration, null, null);
        await StoreAsync(store, stored);
        (await AppendOneAsync(store, StoreTestData.Record(StoreTestData.Retry(stored)))).IsDuplicate.Should().BeTrue();
        await LogAsync(store, StoreTestData.LogEntry(set.Id));
        await store.Sets.DeleteAsync(set.Id, None);

        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { SetId = set.Id }, None)).Should().Equal(
            new ConversionTotal(PostbackEventKind.Registration, ConversionAttribution.Credited, null, 1, 0m));
    }

    /// <summary>Log entries are counted by outcome, set, the campaign scope of their set and a half-open receive-time range.</summary>
    [Fact]
    public async Task CountLogEntries_FiltersByOutcomeSetSetCampaignAndHalfOpenRange()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var scoped = StoreTestData.Set(campaignId: "camp-9");
        var other = StoreTestData.Set();
        await store.Sets.AddAsync(scoped, None);
        await store.Sets.AddAsync(other, None);
        await LogAsync(store, StoreTestData.LogEntry(scoped.Id, t));
        await LogAsync(store, StoreTestData.LogEntry(scoped.Id, t.AddSeconds(1)));
        await LogAsync(store, StoreTestData.LogEntry(other.Id, t));
        await LogAsync(store, StoreTestData.LogEntry("set_" + StoreTestData.NewId(), t));
        await StoreAsync(store, Make(scoped.Id, PostbackEvent.Registration, null, null, at: t));

        async Task<long> CountAsync(LogCountQuery query) => await store.Log.CountLogEntriesAsync(query, None);
        var rejected = new LogCountQuery { Outcome = PostbackOutcome.Rejected };

        (await CountAsync(rejected)).Should().Be(4);
        (await CountAsync(rejected with { SetId = scoped.Id })).Should().Be(2);
        (await CountAsync(rejected with { SetCampaignId = "camp-9" })).Should().Be(2, "only entries of sets scoped to the campaign count");
        (await CountAsync(rejected with { SetCampaignId = "camp-other" })).Should().Be(0);
        (await CountAsync(rejected with { SetId = other.Id, SetCampaignId = "camp-9" })).Should().Be(0);
        (await CountAsync(rejected with { From = t.AddSeconds(1) })).Should().Be(1);
        (await CountAsync(rejected with { To = t.AddSeconds(1) })).Should().Be(3, "the end is exclusive");
        (await CountAsync(rejected with { From = t, To = t })).Should().Be(0);
        (await CountAsync(new LogCountQuery { Outcome = PostbackOutcome.Accepted })).Should().Be(1);
        (await CountAsync(new LogCountQuery { Outcome = PostbackOutcome.Accepted, SetCampaignId = "camp-9" })).Should().Be(1);
        (await CountAsync(new LogCountQuery { Outcome = PostbackOutcome.Duplicate })).Should().Be(0);
    }

    /// <summary>The campaign scope of sets includes deleted sets.</summary>
    [Fact]
    public async Task CountLogEntries_SetCampaignScope_IncludesDeletedSets()
    {
        var store = await NewStorageAsync();
        var deleted = StoreTestData.Set(campaignId: "camp-9");
        await store.Sets.AddAsync(deleted, None);
        await LogAsync(store, StoreTestData.LogEntry(deleted.Id));
        await LogAsync(store, StoreTestData.LogEntry(deleted.Id));
        await store.Sets.DeleteAsync(deleted.Id, None);

        (await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Rejected, SetCampaignId = "camp-9" }, None)).Should().Be(2);
        (await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Rejected, SetId = deleted.Id }, None)).Should().Be(2);
    }

    /// <summary>Clicks are counted by campaign (case-sensitive) and a half-open creation-time range.</summary>
    [Fact]
    public async Task CountClicks_FiltersByCampaignAndHalfOpenCreationRange()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        await AddClickAsync(store, StoreTestData.Click(campaignId: "camp-1"));
        await AddClickAsync(store, StoreTestData.Click(campaignId: "camp-1", createdAt: t.AddDays(1)));
        await AddClickAsync(store, StoreTestData.Click(campaignId: "camp-2"));
        await AddClickAsync(store, StoreTestData.Click(campaignId: null));

        async Task<long> CountAsync(ClickCountQuery query) => await store.Log.CountClicksAsync(query, None);

        (await CountAsync(new ClickCountQuery())).Should().Be(4);
        (await CountAsync(new ClickCountQuery { CampaignId = "camp-1" })).Should().Be(2);
        (await CountAsync(new ClickCountQuery { CampaignId = "camp-1", To = t.AddDays(1) })).Should().Be(1, "the end is exclusive");
        (await CountAsync(new ClickCountQuery { CampaignId = "camp-1", From = t.AddDays(1) })).Should().Be(1);
        (await CountAsync(new ClickCountQuery { From = t, To = t })).Should().Be(0);
        (await CountAsync(new ClickCountQuery { CampaignId = "camp-3" })).Should().Be(0);
        (await CountAsync(new ClickCountQuery { CampaignId = "CAMP-1" })).Should().Be(0, "campaign ids are compared ordinally");
    }

    /// <summary>A stored conversion of <paramref name="setId"/> with the given event, amount and campaign.</summary>
    private static ConversionRecord Make(
        string setId,
        PostbackEvent conversionEvent,
        decimal? amount,
        string? currency,
        ConversionAttribution attribution = ConversionAttribution.Credited,
        DateTimeOffset? at = null,
        string? campaignId = "camp-1",
        string? clickId = null)
    {
        var record = StoreTestData.Conversion(setId: setId, clickId: clickId, receivedAt: at, attribution: attribution);
        return record with
        {
            CampaignId = campaignId,
            Conversion = record.Conversion with { Event = conversionEvent, Amount = amount, Currency = currency },
        };
    }
}
