using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// The arguments every role checks before the store sees them (StoreRole's template methods): every store refuses the
// same input with the same exception, and nothing of a refused call is stored.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>Every member of <see cref="PostbackSetStore"/> refuses a <see langword="null"/> set and a <see langword="null"/> or empty id or token, naming the parameter.</summary>
    [Fact]
    public async Task SetStoreMembers_InvalidArguments_ThrowArgumentExceptions()
    {
        var store = await NewStorageAsync();
        var sets = store.Sets;

        await Calling(() => sets.AddAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("postbackSet");
        await Calling(() => sets.UpdateAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("postbackSet");
        await ShouldRefuseIdAsync(id => sets.GetAsync(id, None), "setId");
        await ShouldRefuseIdAsync(id => sets.GetIncludingDeletedAsync(id, None), "setId");
        await ShouldRefuseIdAsync(id => sets.IsIdUsedAsync(id, None), "setId");
        await ShouldRefuseIdAsync(id => sets.FindByTokenAsync(id, StoreTestData.Epoch, None), "token");
        await ShouldRefuseIdAsync(id => sets.RotateTokenAsync(id, "tok_" + StoreTestData.NewId(), null, None), "setId");
        await ShouldRefuseIdAsync(id => sets.RotateTokenAsync("set_" + StoreTestData.NewId(), id, null, None), "newToken");
        await ShouldRefuseIdAsync(id => sets.DeleteAsync(id, None), "setId");

        (await sets.ListAsync(None)).Should().BeEmpty();
    }

    /// <summary>Every member of <see cref="CampaignStore"/> refuses a <see langword="null"/> campaign and a <see langword="null"/> or empty id.</summary>
    [Fact]
    public async Task CampaignStoreMembers_InvalidArguments_ThrowArgumentExceptions()
    {
        var store = await NewStorageAsync();
        var campaigns = store.Campaigns;

        await Calling(() => campaigns.AddAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("campaign");
        await Calling(() => campaigns.UpdateAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("campaign");
        await ShouldRefuseIdAsync(id => campaigns.GetAsync(id, None), "campaignId");
        await ShouldRefuseIdAsync(id => campaigns.DeleteAsync(id, None), "campaignId");

        (await campaigns.ListAsync(None)).Should().BeEmpty();
    }

    /// <summary><see cref="ClickStore"/> refuses a missing click, credit or campaign list and an empty id, and stores nothing of the refused click.</summary>
    [Fact]
    public async Task ClickStoreMembers_InvalidArguments_ThrowArgumentExceptionsAndStoreNothing()
    {
        var store = await NewStorageAsync();
        var clicks = store.Clicks;
        var click = StoreTestData.Click();

        await Calling(() => clicks.AddAsync(null!, StoreTestData.NoCredit(), None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("click");
        await Calling(() => clicks.AddAsync(click, null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("credit");
        await Calling(() => clicks.AddAsync(click, new ConversionCredit { CampaignIds = null! }, None))
            .Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("credit");
        await Calling(() => clicks.AddAsync(click with { Id = "" }, StoreTestData.NoCredit(), None))
            .Should().ThrowExactlyAsync<ArgumentException>().WithParameterName("click");
        await Calling(() => clicks.AddAsync(click with { Id = null! }, StoreTestData.NoCredit(), None))
            .Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("click");
        await ShouldRefuseIdAsync(id => clicks.FindAsync(id, None), "clickId");
        await ShouldRefuseIdAsync(id => clicks.ForgetPersonalDataAsync(id, None), "clickId");

        (await clicks.FindAsync(click.Id, None)).Should().BeNull();
        (await store.Log.CountClicksAsync(new ClickCountQuery(), None)).Should().Be(0);
    }

    /// <summary>A batch with one invalid record (none, no log entry, a conversion without id or key, a message that is null, of another conversion, not pending or without a conversion) is refused whole: no record of it is written and no key is claimed.</summary>
    [Fact]
    public async Task Append_InvalidBatch_ThrowsArgumentException_AndWritesNoRecordOfIt()
    {
        var store = await NewStorageAsync();
        var valid = StoreTestData.Conversion();
        var validRecord = StoreTestData.Record(valid);
        var conversion = StoreTestData.Conversion();
        var record = StoreTestData.Record(conversion);
        var rejection = StoreTestData.Record(StoreTestData.LogEntry());
        IngestRecord[] invalidRecords =
        [
            null!,
            record with { LogEntry = null! },
            record with { OutboxMessages = null! },
            record with { Conversion = conversion with { Id = "" } },
            record with { Conversion = conversion with { Id = null! } },
            record with { Conversion = conversion with { Conversion = null! } },
            record with { Conversion = conversion with { Conversion = conversion.Conversion with { IdempotencyKey = new IdempotencyKey("", null) } } },
            record with { Conversion = conversion with { Conversion = conversion.Conversion with { IdempotencyKey = default } } },
            record with { OutboxMessages = [null!] },
            record with { OutboxMessages = [ForwardingTestData.Message("conv_" + StoreTestData.NewId())] },
            record with { OutboxMessages = [ForwardingTestData.Message(conversion.Id) with { Status = OutboxMessageStatus.Delivered }] },
            rejection with { OutboxMessages = [ForwardingTestData.Message(conversion.Id)] },
        ];

        await Calling(() => store.Ingest.AppendAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("records");
        await Calling(() => store.Ingest.AppendAsync([], None)).Should().ThrowExactlyAsync<ArgumentException>().WithParameterName("records");
        for (var i = 0; i < invalidRecords.Length; i++)
        {
            await Calling(() => store.Ingest.AppendAsync([validRecord, invalidRecords[i]], None))
                .Should().ThrowAsync<ArgumentException>("invalid record {0} refuses the whole batch", i);
        }

        (await store.Ingest.GetConversionAsync(valid.Id, None)).Should().BeNull();
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().BeEmpty();
        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Should().BeEmpty();
        (await AppendOneAsync(store, validRecord)).Should().Be(IngestResult.Written(valid.Id), "the refused batches claimed nothing");
    }

    /// <summary>The reads of <see cref="IngestStore"/> refuse a <see langword="null"/> or empty conversion or click id.</summary>
    [Fact]
    public async Task IngestStoreReads_InvalidArguments_ThrowArgumentExceptions()
    {
        var store = await NewStorageAsync();

        await ShouldRefuseIdAsync(id => store.Ingest.GetConversionAsync(id, None), "conversionId");
        await ShouldRefuseIdAsync(id => store.Ingest.ListConversionsByClickAsync(id, None), "clickId");
    }

    /// <summary>
    /// The conversion listing and the reporting-amount members refuse a <see langword="null"/> query, a limit out of range
    /// and invalid updates, and change nothing.
    /// </summary>
    [Fact]
    public async Task IngestStoreConversionMembers_InvalidArguments_ThrowArgumentExceptionsAndChangeNothing()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion();
        await StoreAsync(store, conversion);
        var amount = new Currencies.ReportingAmount(13.65m, "USD", 1.0921m, new DateOnly(2025, 3, 14));

        await Calling(() => store.Ingest.ListConversionsAsync(null!, None)).Should().ThrowAsync<ArgumentNullException>();
        await Calling(() => store.Ingest.ListConversionsAsync(new ConversionListQuery { Limit = 0 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await Calling(() => store.Ingest.ListConversionsAsync(new ConversionListQuery { Limit = ConversionListQuery.MaxLimit + 1 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await Calling(() => store.Ingest.ListConversionsWithoutReportingAmountAsync(null, 0, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await Calling(() => store.Ingest.SetReportingAmountsAsync(null!, None)).Should().ThrowAsync<ArgumentNullException>();
        await Calling(() => store.Ingest.SetReportingAmountsAsync([new(conversion.Id, amount), new(conversion.Id, amount)], None)).Should().ThrowAsync<ArgumentException>();
        await Calling(() => store.Ingest.SetReportingAmountsAsync([new(conversion.Id, amount), new("", amount)], None)).Should().ThrowAsync<ArgumentException>();
        await Calling(() => store.Ingest.SetReportingAmountsAsync([new(conversion.Id, null!)], None)).Should().ThrowAsync<ArgumentException>();

        (await store.Ingest.GetConversionAsync(conversion.Id, None))!.ReportingAmount.Should().BeNull("a refused call changes nothing");
        (await store.Ingest.SetReportingAmountsAsync([], None)).Should().Be(0);
    }

    /// <summary>Every member of <see cref="PostbackLogStore"/> refuses a <see langword="null"/> or empty id and a <see langword="null"/> query.</summary>
    [Fact]
    public async Task PostbackLogStoreMembers_InvalidArguments_ThrowArgumentExceptions()
    {
        var store = await NewStorageAsync();
        var log = store.Log;

        await ShouldRefuseIdAsync(id => log.GetAsync(id, None), "logEntryId");
        await Calling(() => log.ListAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("query");
        await Calling(() => log.GetConversionTotalsAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("query");
        await Calling(() => log.CountClicksAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("query");
        await Calling(() => log.CountLogEntriesAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("query");
    }

    /// <summary>Every member of <see cref="OutboxStore"/> refuses a missing request, lease id, rule list, completion, attempt, query or message id, and changes nothing; no completion at all applies none.</summary>
    [Fact]
    public async Task OutboxStoreMembers_InvalidArguments_ThrowArgumentExceptionsAndChangeNothing()
    {
        var store = await NewStorageAsync();
        var outbox = store.Outbox;
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];

        await Calling(() => outbox.LeaseAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("request");
        await Calling(() => outbox.LeaseAsync(ForwardingTestData.Lease(t) with { LeaseId = "" }, None)).Should().ThrowExactlyAsync<ArgumentException>().WithParameterName("request");
        await Calling(() => outbox.LeaseAsync(ForwardingTestData.Lease(t) with { LeaseId = null! }, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("request");
        await Calling(() => outbox.LeaseAsync(ForwardingTestData.Lease(t) with { ExcludedRuleIds = null! }, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("request");
        await Calling(() => outbox.CompleteAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("completions");
        await Calling(() => outbox.CompleteAsync([null!], None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("completions");
        await Calling(() => outbox.CompleteAsync(
            [new OutboxCompletion { LeaseId = "lease_x", Attempt = null!, Status = OutboxMessageStatus.Delivered, CompletedAt = t }], None))
            .Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("completions");
        (await outbox.CompleteAsync([], None)).Should().Be(0);
        await ShouldRefuseIdAsync(id => outbox.GetAsync(id, None), "messageId");
        await ShouldRefuseIdAsync(id => outbox.ListAttemptsAsync(id, None), "messageId");
        await ShouldRefuseIdAsync(id => outbox.RescheduleAsync(id, t, None), "messageId");
        await Calling(() => outbox.ListAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("query");

        (await outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(message);
        (await outbox.ListAttemptsAsync(message.Id, None)).Should().BeEmpty();
    }

    /// <summary>Every member of <see cref="ForwardingRuleStore"/> refuses a missing rule or id and settings that are not a JSON object, and changes nothing.</summary>
    [Fact]
    public async Task ForwardingRuleStoreMembers_InvalidArguments_ThrowArgumentExceptionsAndChangeNothing()
    {
        var store = await NewStorageAsync();
        var rules = store.ForwardingRules;
        var rule = ForwardingTestData.SetRule();
        await rules.AddAsync(rule, None);

        await Calling(() => rules.AddAsync(null!, None)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName("rule");
        await Calling(() => rules.AddAsync(ForwardingTestData.SetRule() with { Id = "" }, None)).Should().ThrowExactlyAsync<ArgumentException>().WithParameterName("rule");
        await ShouldRefuseIdAsync(id => rules.GetAsync(id, None), "ruleId");
        await ShouldRefuseIdAsync(id => rules.DeleteAsync(id, None), "ruleId");
        await ShouldRefuseIdAsync(id => rules.UpdateSettingsAsync(id, StoreTestData.Json("{}"), None), "ruleId");
        foreach (var settings in new[] { StoreTestData.Json("[]"), StoreTestData.Json("\"text\""), StoreTestData.Json("null"), default })
        {
            await Calling(() => rules.UpdateSettingsAsync(rule.Id, settings, None))
                .Should().ThrowExactlyAsync<ArgumentException>("settings of kind {0} are not a JSON object", settings.ValueKind).WithParameterName("settings");
        }

        ShouldMatch(await rules.GetAsync(rule.Id, None), rule);
        (await rules.ListAsync(None)).Should().ContainSingle();
    }

    /// <summary>A <see langword="null"/> id throws <see cref="ArgumentNullException"/>, an empty one <see cref="ArgumentException"/>, both naming the parameter.</summary>
    private static async Task ShouldRefuseIdAsync<T>(Func<string, ValueTask<T>> call, string parameterName)
    {
        await Calling(() => call(null!)).Should().ThrowExactlyAsync<ArgumentNullException>().WithParameterName(parameterName);
        await Calling(() => call("")).Should().ThrowExactlyAsync<ArgumentException>().WithParameterName(parameterName);
    }
}
