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

    /// <summary>Conversions are grouped by kind, attribution, currency and deposit-number bucket, ordered that way (no currency first), with exact decimal sums per group.</summary>
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
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "EUR", 1, 5m) { DepositBucket = 1 },
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 2, 0.3m) { DepositBucket = 1 },
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Unattributed, "EUR", 1, 7m),
            new ConversionTotal(PostbackEventKind.Deposit, ConversionAttribution.Credited, "USD", 2, 999999999999.99999999m) { DepositBucket = 2 },
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
            new(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", count, amount) { DepositBucket = 1 };

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

    /// <summary>Conversions are counted per UTC day (a day starts at 00:00 UTC, whatever the offset they were given in), kind and attribution, in that order.</summary>
    [Fact]
    public async Task GetDailyConversionCounts_GroupsByUtcDayKindAndAttribution_DaysStartingAtMidnightUtc()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var day = new DateTimeOffset(2025, 3, 14, 0, 0, 0, TimeSpan.Zero);
        PostbackEvent.TryParse("emailconf", out var emailConfirmed).Should().BeTrue();
        ConversionRecord[] conversions =
        [
            Make(set.Id, PostbackEvent.FirstDeposit, 1m, "USD", at: day.AddSeconds(-1)),
            Make(set.Id, PostbackEvent.Registration, null, null, at: day),
            Make(set.Id, PostbackEvent.FirstDeposit, 2m, "EUR", at: day.AddHours(1).ToOffset(TimeSpan.FromHours(-5))),
            Make(set.Id, PostbackEvent.FirstDeposit, 3m, "USD", at: day.AddHours(23).ToOffset(TimeSpan.FromHours(3)), attribution: ConversionAttribution.Unattributed),
            Make(set.Id, PostbackEvent.FirstDeposit, 4m, "BRL", at: day.AddDays(1).AddSeconds(-1)),
            Make(set.Id, emailConfirmed, null, null, at: day.AddHours(2)),
            Make(set.Id, PostbackEvent.Registration, null, null, at: day.AddDays(1)),
            Make(set.Id, PostbackEvent.Deposit, 5m, "INR", at: day.AddDays(3).AddHours(12)),
        ];
        foreach (var conversion in conversions)
        {
            await StoreAsync(store, conversion);
        }

        var counts = await store.Log.GetDailyConversionCountsAsync(new ConversionTotalsQuery { SetId = set.Id }, None);

        counts.Should().Equal(
            new DailyConversionCount(new DateOnly(2025, 3, 13), PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, 1) { DepositBucket = 1 },
            new DailyConversionCount(new DateOnly(2025, 3, 14), PostbackEventKind.Registration, ConversionAttribution.Credited, 1),
            new DailyConversionCount(new DateOnly(2025, 3, 14), PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, 2) { DepositBucket = 1 },
            new DailyConversionCount(new DateOnly(2025, 3, 14), PostbackEventKind.FirstDeposit, ConversionAttribution.Unattributed, 1),
            new DailyConversionCount(new DateOnly(2025, 3, 14), PostbackEventKind.Custom, ConversionAttribution.Credited, 1),
            new DailyConversionCount(new DateOnly(2025, 3, 15), PostbackEventKind.Registration, ConversionAttribution.Credited, 1),
            new DailyConversionCount(new DateOnly(2025, 3, 17), PostbackEventKind.Deposit, ConversionAttribution.Credited, 1) { DepositBucket = 2 });
        (await store.Log.GetDailyConversionCountsAsync(new ConversionTotalsQuery(), None)).Should().Equal(counts);
        (await store.Log.GetDailyConversionCountsAsync(new ConversionTotalsQuery { SetId = "set_" + StoreTestData.NewId() }, None)).Should().BeEmpty();
    }

    /// <summary>
    /// A range that starts and ends within a day counts only that part of its first and last days; the set and campaign
    /// filters apply as they do to the totals, and the days add up to the totals.
    /// </summary>
    [Fact]
    public async Task GetDailyConversionCounts_RangeStartingAndEndingMidDay_CountsOnlyTheCoveredHours_AndAddsUpToTheTotals()
    {
        var store = await NewStorageAsync();
        var a = StoreTestData.Set();
        var b = StoreTestData.Set();
        await store.Sets.AddAsync(a, None);
        await store.Sets.AddAsync(b, None);
        var day = new DateTimeOffset(2025, 3, 14, 0, 0, 0, TimeSpan.Zero);
        for (var hour = 0; hour < 72; hour += 3)
        {
            await StoreAsync(store, Make(hour % 2 == 0 ? a.Id : b.Id, PostbackEvent.FirstDeposit, hour, "USD", at: day.AddHours(hour), campaignId: hour % 4 == 0 ? "camp-1" : "camp-2"));
        }

        ConversionTotalsQuery[] queries =
        [
            new() { From = day.AddHours(10), To = day.AddHours(50) },
            new() { From = day.AddHours(10), To = day.AddHours(50), SetId = a.Id },
            new() { From = day.AddHours(10), To = day.AddHours(50), CampaignId = "camp-2" },
            new() { From = day.AddHours(12), To = day.AddHours(12) },
            new(),
        ];
        foreach (var query in queries)
        {
            var days = await store.Log.GetDailyConversionCountsAsync(query, None);
            var totals = await store.Log.GetConversionTotalsAsync(query, None);

            days.Sum(d => d.Count).Should().Be(totals.Sum(t => t.Count), "the days of {0} add up to its total", query);
            days.Should().NotContain(d => d.Kind != PostbackEventKind.FirstDeposit || d.Attribution != ConversionAttribution.Credited);
        }

        (await store.Log.GetDailyConversionCountsAsync(queries[0], None)).Should().Equal(
            new DailyConversionCount(new DateOnly(2025, 3, 14), PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, 4) { DepositBucket = 1 },
            new DailyConversionCount(new DateOnly(2025, 3, 15), PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, 8) { DepositBucket = 1 },
            new DailyConversionCount(new DateOnly(2025, 3, 16), PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, 1) { DepositBucket = 1 });
        (await store.Log.GetDailyConversionCountsAsync(queries[3], None)).Should().BeEmpty();
    }

    /// <summary>A click added later credits its waiting conversion: the day's count moves from unattributed to credited, and to the click's campaign.</summary>
    [Fact]
    public async Task GetDailyConversionCounts_LateAttribution_MovesTheConversionFromUnattributedToCredited()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var click = StoreTestData.Click(createdAt: StoreTestData.Epoch.AddDays(2), campaignId: "camp-7");
        var waiting = Make(set.Id, PostbackEvent.Registration, null, null, ConversionAttribution.Unattributed, at: StoreTestData.Epoch, campaignId: null, clickId: click.Id);
        await StoreAsync(store, waiting);
        var day = DateOnly.FromDateTime(StoreTestData.Epoch.UtcDateTime);

        (await store.Log.GetDailyConversionCountsAsync(new ConversionTotalsQuery(), None)).Should().Equal(
            new DailyConversionCount(day, PostbackEventKind.Registration, ConversionAttribution.Unattributed, 1));

        (await store.Clicks.AddAsync(click, StoreTestData.Credit(click), None)).Should().Be(1);

        (await store.Log.GetDailyConversionCountsAsync(new ConversionTotalsQuery(), None)).Should().Equal(
            new DailyConversionCount(day, PostbackEventKind.Registration, ConversionAttribution.Credited, 1));
        (await store.Log.GetDailyConversionCountsAsync(new ConversionTotalsQuery { CampaignId = "camp-7" }, None)).Should().Equal(
            new DailyConversionCount(day, PostbackEventKind.Registration, ConversionAttribution.Credited, 1));
    }

    /// <summary>Clicks are counted per UTC day of their creation, by campaign and half-open range; the days add up to the count.</summary>
    [Fact]
    public async Task CountClicksByDay_GroupsByUtcDay_FiltersByCampaignAndHalfOpenRange()
    {
        var store = await NewStorageAsync();
        var day = new DateTimeOffset(2025, 3, 14, 0, 0, 0, TimeSpan.Zero);
        await AddClickAsync(store, StoreTestData.Click(createdAt: day.AddSeconds(-1), campaignId: "camp-1"));
        await AddClickAsync(store, StoreTestData.Click(createdAt: day, campaignId: "camp-1"));
        await AddClickAsync(store, StoreTestData.Click(createdAt: day.AddHours(20).ToOffset(TimeSpan.FromHours(5)), campaignId: "camp-2"));
        await AddClickAsync(store, StoreTestData.Click(createdAt: day.AddDays(2).AddHours(6), campaignId: null));

        async Task<IReadOnlyList<DailyClickCount>> DaysAsync(ClickCountQuery query) => await store.Log.CountClicksByDayAsync(query, None);

        (await DaysAsync(new ClickCountQuery())).Should().Equal(
            new DailyClickCount(new DateOnly(2025, 3, 13), 1),
            new DailyClickCount(new DateOnly(2025, 3, 14), 2),
            new DailyClickCount(new DateOnly(2025, 3, 16), 1));
        (await DaysAsync(new ClickCountQuery { CampaignId = "camp-1" })).Should().Equal(
            new DailyClickCount(new DateOnly(2025, 3, 13), 1),
            new DailyClickCount(new DateOnly(2025, 3, 14), 1));
        (await DaysAsync(new ClickCountQuery { From = day.AddHours(-12), To = day.AddHours(20) })).Should().Equal(
            new DailyClickCount(new DateOnly(2025, 3, 13), 1),
            new DailyClickCount(new DateOnly(2025, 3, 14), 1));
        (await DaysAsync(new ClickCountQuery { From = day, To = day })).Should().BeEmpty();
        foreach (var query in new ClickCountQuery[] { new(), new() { CampaignId = "camp-2" }, new() { From = day.AddHours(1) } })
        {
            (await DaysAsync(query)).Sum(d => d.Count).Should().Be(await store.Log.CountClicksAsync(query, None));
        }
    }

    /// <summary>
    /// The stats service's days (over this store) add up to its totals, for every filter: clicks, registrations, first
    /// deposits and deposits, with unattributed conversions, custom events and rejections left out of both.
    /// </summary>
    [Fact]
    public async Task StatsGetDaily_DaysAddUpToTheTotalsOfGet_ForEveryFilter()
    {
        var store = await NewStorageAsync();
        var scoped = StoreTestData.Set(campaignId: "camp-2");
        var shared = StoreTestData.Set();
        await store.Sets.AddAsync(scoped, None);
        await store.Sets.AddAsync(shared, None);
        var day = new DateTimeOffset(2025, 3, 14, 0, 0, 0, TimeSpan.Zero);
        PostbackEvent.TryParse("emailconf", out var emailConfirmed).Should().BeTrue();
        PostbackEvent[] events = [PostbackEvent.Registration, PostbackEvent.FirstDeposit, PostbackEvent.Deposit, emailConfirmed];
        for (var i = 0; i < 40; i++)
        {
            var at = day.AddHours(i * 2.5);
            var set = i % 3 == 0 ? scoped : shared;
            var attribution = i % 7 == 0 ? ConversionAttribution.Unattributed : ConversionAttribution.Credited;
            await StoreAsync(store, Make(set.Id, events[i % 4], 10m + i, "USD", attribution, at, attribution == ConversionAttribution.Credited ? (i % 2 == 0 ? "camp-1" : "camp-2") : null));
            await AddClickAsync(store, StoreTestData.Click(createdAt: at.AddMinutes(-30), campaignId: i % 2 == 0 ? "camp-1" : "camp-2"));
            if (i % 5 == 0)
            {
                await LogAsync(store, StoreTestData.LogEntry(set.Id, at));
            }
        }

        var stats = new PostbackStatsService(store.Sets, store.Log);
        PostbackStatsQuery[] queries =
        [
            new(),
            new() { From = day.AddHours(7), To = day.AddHours(61) },
            new() { SetId = scoped.Id },
            new() { SetId = shared.Id, From = day.AddHours(30) },
            new() { CampaignId = "camp-1", To = day.AddHours(50) },
        ];
        foreach (var query in queries)
        {
            var totals = await stats.GetAsync(query, None);
            var days = await stats.GetDailyAsync(query, None);

            days.Should().NotBeNull().And.BeInAscendingOrder(d => d.Day).And.OnlyHaveUniqueItems(d => d.Day);
            totals!.Clicks.Should().BePositive();
            days!.Sum(d => d.Clicks).Should().Be(totals.Clicks, "the days of {0} add up to its clicks", query);
            days.Sum(d => d.Registrations).Should().Be(totals.Registrations, "the days of {0} add up to its registrations", query);
            days.Sum(d => d.FirstDeposits).Should().Be(totals.FirstDeposits, "the days of {0} add up to its first deposits", query);
            days.Sum(d => d.Deposits).Should().Be(totals.Deposits, "the days of {0} add up to its deposits", query);
            days.Should().OnlyContain(d => d.Clicks + d.Registrations + d.FirstDeposits + d.Deposits > 0, "a day without anything is left out");
        }

        (await stats.GetDailyAsync(new PostbackStatsQuery { SetId = "set_" + StoreTestData.NewId() }, None)).Should().BeNull();
    }

    // The deposit number a conversion takes when it is alone on its click: 1 for a credited first deposit, 2 for a credited
    // deposit (1 is left to the first deposit), none otherwise.
    private static int? ExpectedAlone(ConversionAttribution attribution, PostbackEventKind kind) =>
        attribution == ConversionAttribution.Credited && DepositNumbering.IsNumbered(kind) ? DepositNumbering.Next(kind, null, false) : null;

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
            DepositNumber = ExpectedAlone(attribution, conversionEvent.Kind),
        };
    }
}
