using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.ConformanceTests;

// Stats, log lookup, retention, personal data and re-crediting: the members the receiver and tracker API rely on.
public abstract partial class PostbackStoreConformanceTests
{
    [Fact]
    public async Task GetLogEntry_StoredEntry_ReturnsItAndUnknownIdReturnsNull()
    {
        var store = await CreateStoreAsync();
        var entry = StoreTestData.LogEntry();
        await store.AppendLogAsync(entry, None);

        var found = await store.GetLogEntryAsync(entry.Id, None);

        found.Should().NotBeNull();
        found!.Request.QueryString.Should().Be(entry.Request.QueryString);
        found.Code.Should().Be(entry.Code);
        (await store.GetLogEntryAsync("log_unknown", None)).Should().BeNull();
    }

    [Fact]
    public async Task GetStats_EmptyStore_IsAllZero()
    {
        var store = await CreateStoreAsync();

        var stats = await store.GetStatsAsync(new PostbackStatsQuery(), None);

        stats.Should().BeEquivalentTo(new PostbackStats());
    }

    [Fact]
    public async Task GetStats_CountsCreditedConversionsByKindAndSumsPerCurrencyExactly()
    {
        var store = await CreateStoreAsync();
        var set = StoreTestData.Set();
        await store.AddSetAsync(set, None);
        await AppendAsync(store, Make(set.Id, PostbackEvent.Registration, null, null));
        await AppendAsync(store, Make(set.Id, PostbackEvent.FirstDeposit, 0.1m, "USD"));
        await AppendAsync(store, Make(set.Id, PostbackEvent.FirstDeposit, 0.2m, "USD"));
        await AppendAsync(store, Make(set.Id, PostbackEvent.Deposit, 999999999999.99999999m, "USD"));
        await AppendAsync(store, Make(set.Id, PostbackEvent.Deposit, 0.00000001m, "USD"));
        await AppendAsync(store, Make(set.Id, PostbackEvent.FirstDeposit, 5m, "EUR"));
        await AppendAsync(store, Make(set.Id, PostbackEvent.FirstDeposit, 7m, "EUR", ConversionAttribution.Unattributed));

        var stats = await store.GetStatsAsync(new PostbackStatsQuery { SetId = set.Id }, None);

        stats.Registrations.Should().Be(1);
        stats.FirstDeposits.Should().Be(3);
        stats.Deposits.Should().Be(2);
        stats.Unattributed.Should().Be(1);
        stats.Amounts.Should().Equal(
            new CurrencyAmounts("EUR", 5m, 0m),
            new CurrencyAmounts("USD", 0.3m, 1000000000000.00000000m));
    }

    [Fact]
    public async Task GetStats_FiltersBySetCampaignAndHalfOpenTimeRange()
    {
        var store = await CreateStoreAsync();
        var a = StoreTestData.Set();
        var b = StoreTestData.Set();
        await store.AddSetAsync(a, None);
        await store.AddSetAsync(b, None);
        var t0 = StoreTestData.Epoch;
        await AppendAsync(store, Make(a.Id, PostbackEvent.FirstDeposit, 1m, "USD", at: t0, campaignId: "camp-1"));
        await AppendAsync(store, Make(a.Id, PostbackEvent.FirstDeposit, 2m, "USD", at: t0.AddHours(1), campaignId: "camp-2"));
        await AppendAsync(store, Make(b.Id, PostbackEvent.FirstDeposit, 4m, "USD", at: t0.AddHours(2), campaignId: "camp-1"));

        (await store.GetStatsAsync(new PostbackStatsQuery { SetId = a.Id }, None)).FirstDeposits.Should().Be(2);
        (await store.GetStatsAsync(new PostbackStatsQuery { CampaignId = "camp-1" }, None)).Amounts.Should().Equal(new CurrencyAmounts("USD", 5m, 0m));
        (await store.GetStatsAsync(new PostbackStatsQuery { SetId = a.Id, CampaignId = "camp-2" }, None)).FirstDeposits.Should().Be(1);
        (await store.GetStatsAsync(new PostbackStatsQuery { From = t0.AddHours(1), To = t0.AddHours(2) }, None)).Amounts
            .Should().Equal(new CurrencyAmounts("USD", 2m, 0m));
        (await store.GetStatsAsync(new PostbackStatsQuery { From = t0, To = t0 }, None)).FirstDeposits.Should().Be(0);
    }

    [Fact]
    public async Task GetStats_CountsRejectedLogEntriesNotOtherOutcomes()
    {
        var store = await CreateStoreAsync();
        var scoped = StoreTestData.Set(campaignId: "camp-9");
        var other = StoreTestData.Set();
        await store.AddSetAsync(scoped, None);
        await store.AddSetAsync(other, None);
        await store.AppendLogAsync(StoreTestData.LogEntry(scoped.Id), None);
        await store.AppendLogAsync(StoreTestData.LogEntry(scoped.Id), None);
        await store.AppendLogAsync(StoreTestData.LogEntry(other.Id), None);
        await AppendAsync(store, Make(scoped.Id, PostbackEvent.Registration, null, null));

        (await store.GetStatsAsync(new PostbackStatsQuery(), None)).Rejected.Should().Be(3);
        (await store.GetStatsAsync(new PostbackStatsQuery { SetId = scoped.Id }, None)).Rejected.Should().Be(2);
        (await store.GetStatsAsync(new PostbackStatsQuery { CampaignId = "camp-9" }, None)).Rejected.Should().Be(2);
        (await store.GetStatsAsync(new PostbackStatsQuery { From = StoreTestData.Epoch.AddSeconds(1) }, None)).Rejected.Should().Be(0);
    }

    [Fact]
    public async Task GetStats_CountsClicksOfTheCampaignOrOfTheScopedSetsCampaign()
    {
        var store = await CreateStoreAsync();
        var scoped = StoreTestData.Set(campaignId: "camp-1");
        var unscoped = StoreTestData.Set();
        await store.AddSetAsync(scoped, None);
        await store.AddSetAsync(unscoped, None);
        await store.AddClickAsync(StoreTestData.Click(campaignId: "camp-1"), None);
        await store.AddClickAsync(StoreTestData.Click(campaignId: "camp-1", createdAt: StoreTestData.Epoch.AddDays(1)), None);
        await store.AddClickAsync(StoreTestData.Click(campaignId: "camp-2"), None);
        await store.AddClickAsync(StoreTestData.Click(campaignId: null), None);

        (await store.GetStatsAsync(new PostbackStatsQuery(), None)).Clicks.Should().Be(4);
        (await store.GetStatsAsync(new PostbackStatsQuery { CampaignId = "camp-1" }, None)).Clicks.Should().Be(2);
        (await store.GetStatsAsync(new PostbackStatsQuery { SetId = scoped.Id }, None)).Clicks.Should().Be(2);
        (await store.GetStatsAsync(new PostbackStatsQuery { SetId = unscoped.Id }, None)).Clicks.Should().Be(4);
        (await store.GetStatsAsync(new PostbackStatsQuery { CampaignId = "camp-1", To = StoreTestData.Epoch.AddDays(1) }, None)).Clicks.Should().Be(1);
    }

    [Fact]
    public async Task AddClick_CreditsUnattributedConversionsThatWereWaitingForIt()
    {
        var store = await CreateStoreAsync();
        var click = StoreTestData.Click(campaignId: "camp-1");
        var waiting = Make("set-unscoped", PostbackEvent.FirstDeposit, 10m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: null);
        var sameCampaign = Make("set-scoped", PostbackEvent.Deposit, 3m, "USD", ConversionAttribution.Unattributed, clickId: click.Id, campaignId: "camp-1");
        var otherCampaign = Make("set-other", PostbackEvent.Registration, null, null, ConversionAttribution.Unattributed, clickId: click.Id, campaignId: "camp-2");
        await AppendAsync(store, waiting);
        await AppendAsync(store, sameCampaign);
        await AppendAsync(store, otherCampaign);
        (await store.GetStatsAsync(new PostbackStatsQuery(), None)).Unattributed.Should().Be(3);

        await store.AddClickAsync(click, None);

        (await store.GetConversionAsync(waiting.Id, None))!.Attribution.Should().Be(ConversionAttribution.Credited);
        (await store.GetConversionAsync(waiting.Id, None))!.CampaignId.Should().Be("camp-1");
        (await store.GetConversionAsync(sameCampaign.Id, None))!.Attribution.Should().Be(ConversionAttribution.Credited);
        (await store.GetConversionAsync(otherCampaign.Id, None))!.Attribution.Should().Be(ConversionAttribution.Unattributed);
        var stats = await store.GetStatsAsync(new PostbackStatsQuery(), None);
        stats.Unattributed.Should().Be(1);
        stats.FirstDeposits.Should().Be(1);
        stats.Amounts.Should().Equal(new CurrencyAmounts("USD", 10m, 3m));
    }

    [Fact]
    public async Task PurgeLog_DeletesEntriesReceivedBeforeTheCutOffOnly()
    {
        var store = await CreateStoreAsync();
        var old = StoreTestData.LogEntry(receivedAt: StoreTestData.Epoch);
        var atCutOff = StoreTestData.LogEntry(receivedAt: StoreTestData.Epoch.AddDays(30));
        var recent = StoreTestData.LogEntry(receivedAt: StoreTestData.Epoch.AddDays(31));
        await store.AppendLogAsync(old, None);
        await store.AppendLogAsync(atCutOff, None);
        await store.AppendLogAsync(recent, None);

        var purged = await store.PurgeLogAsync(StoreTestData.Epoch.AddDays(30), None);

        purged.Should().Be(1);
        (await store.GetLogEntryAsync(old.Id, None)).Should().BeNull();
        (await store.ListLogAsync(new PostbackLogQuery(), None)).Select(e => e.Id).Should().Equal(recent.Id, atCutOff.Id);
    }

    [Fact]
    public async Task ForgetClickPersonalData_ErasesIpAndUserAgentOnly()
    {
        var store = await CreateStoreAsync();
        var click = StoreTestData.Click();
        await store.AddClickAsync(click, None);

        (await store.ForgetClickPersonalDataAsync(click.Id, None)).Should().BeTrue();

        var stored = await store.FindClickAsync(click.Id, None);
        stored!.IpAddress.Should().BeNull();
        stored.UserAgent.Should().BeNull();
        stored.Fbclid.Should().Be(click.Fbclid);
        stored.Fields.Should().BeEquivalentTo(click.Fields);
        (await store.ForgetClickPersonalDataAsync("unknown-click", None)).Should().BeFalse();
    }

    private static async Task AppendAsync(PostbackStore store, ConversionRecord record)
    {
        var result = await store.AppendConversionAsync(record, StoreTestData.LogEntryFor(record), None);
        result.IsDuplicate.Should().BeFalse();
    }

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
