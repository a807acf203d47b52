using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.Storage;

/// <summary>
/// What the in-memory store adds to the store contract (which the conformance suite holds it to): synchronous completion,
/// copies, its compact encoding read back exactly, ids of either form, and its paging.
/// </summary>
public sealed class InMemoryPostbackStorageTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public void EveryOperation_CompletesSynchronously()
    {
        var store = InMemoryPostbackStorage.Create();
        var set = StoreData.Set();
        var click = StoreData.Click();
        var conversion = StoreData.Conversion(set.Id, click.Id);

        ShouldBeCompleted(store.Sets.AddAsync(set, None));
        ShouldBeCompleted(store.Sets.GetAsync(set.Id, None));
        ShouldBeCompleted(store.Sets.GetIncludingDeletedAsync(set.Id, None));
        ShouldBeCompleted(store.Sets.FindByTokenAsync(set.Token, StoreData.Epoch, None));
        ShouldBeCompleted(store.Sets.ListAsync(None));
        ShouldBeCompleted(store.Sets.UpdateAsync(set, None));
        ShouldBeCompleted(store.Sets.RotateTokenAsync(set.Id, "tok_" + StoreData.NewId(), null, None));
        ShouldBeCompleted(store.Clicks.AddAsync(click, new ConversionCredit { CampaignIds = [null] }, None));
        ShouldBeCompleted(store.Clicks.FindAsync(click.Id, None));
        ShouldBeCompleted(store.Ingest.AppendAsync([StoreData.Stored(conversion)], None));
        ShouldBeCompleted(store.Ingest.GetConversionAsync(conversion.Id, None));
        ShouldBeCompleted(store.Ingest.ListConversionsByClickAsync(click.Id, None));
        ShouldBeCompleted(store.Ingest.AppendAsync([StoreData.Rejected(StoreData.LogEntry(set.Id))], None));
        ShouldBeCompleted(store.Log.ListAsync(new PostbackLogQuery(), None));
        ShouldBeCompleted(store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None));
        ShouldBeCompleted(store.Log.CountClicksAsync(new ClickCountQuery(), None));
        ShouldBeCompleted(store.Log.GetDailyConversionCountsAsync(new ConversionTotalsQuery(), None));
        ShouldBeCompleted(store.Log.CountClicksByDayAsync(new ClickCountQuery(), None));
        ShouldBeCompleted(store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Rejected }, None));
        ShouldBeCompleted(store.Sets.DeleteAsync(set.Id, None));
    }

    [Fact]
    public async Task EveryOperation_WithACancelledToken_ThrowsAndChangesNothing()
    {
        var store = InMemoryPostbackStorage.Create();
        var set = StoreData.Set();
        await store.Sets.AddAsync(set, None);
        var conversion = StoreData.Conversion(set.Id);
        var cancelled = new CancellationToken(canceled: true);
        Func<ValueTask>[] operations =
        [
            () => store.Sets.AddAsync(StoreData.Set(), cancelled),
            async () => await store.Sets.GetAsync(set.Id, cancelled),
            async () => await store.Sets.FindByTokenAsync(set.Token, StoreData.Epoch, cancelled),
            async () => await store.Sets.ListAsync(cancelled),
            async () => await store.Sets.UpdateAsync(set with { Name = "Changed" }, cancelled),
            async () => await store.Sets.RotateTokenAsync(set.Id, "tok_" + StoreData.NewId(), null, cancelled),
            async () => await store.Sets.DeleteAsync(set.Id, cancelled),
            async () => await store.Clicks.AddAsync(StoreData.Click(), new ConversionCredit { CampaignIds = [null] }, cancelled),
            async () => await store.Clicks.FindAsync("c1", cancelled),
            async () => await store.Ingest.AppendAsync([StoreData.Stored(conversion)], cancelled),
            async () => await store.Ingest.GetConversionAsync(conversion.Id, cancelled),
            async () => await store.Ingest.ListConversionsByClickAsync(conversion.Conversion.ClickId, cancelled),
            async () => await store.Ingest.AppendAsync([StoreData.Rejected(StoreData.LogEntry())], cancelled),
            async () => await store.Log.ListAsync(new PostbackLogQuery(), cancelled),
        ];

        foreach (var operation in operations)
        {
            await FluentActions.Awaiting(async () => await operation()).Should().ThrowAsync<OperationCanceledException>();
        }

        var stored = await store.Sets.GetAsync(set.Id, None);
        stored.Should().NotBeNull();
        stored!.Name.Should().Be(set.Name);
        stored.Token.Should().Be(set.Token);
        (await store.Sets.ListAsync(None)).Should().ContainSingle();
        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeNull();
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().BeEmpty();
    }

    [Fact]
    public async Task AddSet_DisposingTheCallersSettingsDocument_DoesNotAffectTheStoredSet()
    {
        var store = InMemoryPostbackStorage.Create();
        PostbackSet set;
        using (var document = JsonDocument.Parse("""{"defaultCurrency":"USD"}"""))
        {
            set = StoreData.Set() with { Settings = document.RootElement };
            await store.Sets.AddAsync(set, None);
        }

        var stored = await store.Sets.GetAsync(set.Id, None);

        stored!.Settings!.Value.GetProperty("defaultCurrency").GetString().Should().Be("USD");
    }

    [Fact]
    public async Task StoredValues_AreCopies_SoLaterChangesByTheCallerDoNotReachTheStore()
    {
        var store = InMemoryPostbackStorage.Create();
        var fields = new Dictionary<string, string> { ["ad_name"] = "spring-1" };
        var click = StoreData.Click() with { Fields = fields };
        await store.Clicks.AddAsync(click, new ConversionCredit { CampaignIds = [null] }, None);
        var attributes = new Dictionary<string, string> { ["user_id"] = "1" };
        var template = StoreData.Conversion(clickId: click.Id);
        var conversion = template with { Conversion = template.Conversion with { Attributes = attributes } };
        var warnings = new List<string> { "macro_not_substituted" };
        var entry = StoreData.LogEntry() with { Warnings = warnings };
        await store.Ingest.AppendAsync([StoreData.Stored(conversion), StoreData.Rejected(entry)], None);

        fields["ad_name"] = "changed";
        attributes["user_id"] = "2";
        warnings.Add("added");

        (await store.Clicks.FindAsync(click.Id, None))!.Fields["ad_name"].Should().Be("spring-1");
        (await store.Ingest.GetConversionAsync(conversion.Id, None))!.Conversion.Attributes["user_id"].Should().Be("1");
        (await store.Log.ListAsync(new PostbackLogQuery { SetId = entry.SetId }, None)).Single().Warnings
            .Should().Equal("macro_not_substituted");
    }

    [Fact]
    public async Task GetConversion_EveryKindOfValue_ReadsBackExactlyAsWritten()
    {
        var store = InMemoryPostbackStorage.Create();
        PostbackEvent.TryParse("EmailConf", out var custom).Should().BeTrue();
        var template = StoreData.Conversion();
        var conversion = template with
        {
            Id = "conv-not-hex",
            Attribution = ConversionAttribution.Unattributed,
            CampaignId = null,
            Conversion = template.Conversion with
            {
                Event = custom,
                Amount = -1234.50000000m,
                Currency = "EUR",
                TransactionId = null,
                ClickId = "Ärger-\U0001F600",
                Attributes = new Dictionary<string, string> { ["lone"] = "a\uD800b", ["empty"] = "", ["ünï"] = "çödé" },
                RemoteAddress = IPAddress.Parse("fe80::1%3"),
                IdempotencyKey = new IdempotencyKey("key-with-window", TimeSpan.FromHours(24)),
            },
        };
        var plain = StoreData.Conversion() with { Conversion = StoreData.Conversion().Conversion with { Amount = null, Currency = null, RemoteAddress = null, Attributes = new Dictionary<string, string>() } };
        await store.Ingest.AppendAsync([StoreData.Stored(conversion), StoreData.Stored(plain)], None);

        var read = await store.Ingest.GetConversionAsync(conversion.Id, None);
        var readPlain = await store.Ingest.GetConversionAsync(plain.Id, None);

        read.Should().BeEquivalentTo(conversion);
        read!.Conversion.Amount!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("-1234.50000000", "the amount keeps its scale");
        read.Conversion.Event.Should().Be(custom);
        read.Conversion.RemoteAddress!.ScopeId.Should().Be(3);
        read.Conversion.Attributes["lone"].Should().Be("a\uD800b");
        readPlain.Should().BeEquivalentTo(plain with { DepositNumber = 1 }, "a credited first deposit of its click takes 1");
    }

    [Fact]
    public async Task GetLogEntry_EveryKindOfValue_ReadsBackExactlyAsWritten()
    {
        var store = InMemoryPostbackStorage.Create();
        var entry = StoreData.LogEntry() with
        {
            Id = "log-not-hex",
            Warnings = [],
            Code = null,
            Outcome = PostbackOutcome.Duplicate,
            ConversionId = "conv-1",
            Request = new PostbackRequest
            {
                Method = "POST",
                Path = "/api/postbacks/tok",
                QueryString = "",
                Body = "{\"amount\":\"12,50\",\"text\":\"日本\"}",
                ContentType = "application/json; charset=utf-8",
                RemoteAddress = IPAddress.Parse("2001:db8::7"),
            },
        };
        await store.Ingest.AppendAsync([StoreData.Rejected(entry)], None);

        (await store.Log.GetAsync(entry.Id, None)).Should().BeEquivalentTo(entry);
    }

    [Theory]
    [InlineData("0a", "0b")]
    [InlineData("018f9c3e4d5a7b6c8d9e0f1a2b3c4d5e", "018f9c3e4d5a7b6c8d9e0f1a2b3c4d5f")]
    [InlineData("018f9c3e4d5a7b6c8d9e0f1a2b3c4d5e", "018f9c3e4d5a7b6c8d9e0f1a2b3c4d5")]
    [InlineData("018F9C3E4D5A7B6C8D9E0F1A2B3C4D5E", "018f9c3e4d5a7b6c8d9e0f1a2b3c4d5e")]
    [InlineData("018f9c3e4d5a7b6c8d9e0f1a2b3c4d5e", "log_1")]
    [InlineData("ffffffffffffffffffffffffffffffff", "g")]
    public async Task ListLog_IdsOfAnyShape_InTheOrdinalOrderOfTheirText(string first, string second)
    {
        var store = InMemoryPostbackStorage.Create();
        await store.Ingest.AppendAsync([StoreData.Rejected(StoreData.LogEntry() with { Id = first }), StoreData.Rejected(StoreData.LogEntry() with { Id = second })], None);

        var newestFirst = await store.Log.ListAsync(new PostbackLogQuery(), None);

        var expected = new[] { first, second }.OrderByDescending(id => id, StringComparer.Ordinal);
        newestFirst.Select(e => e.Id).Should().Equal(expected);
        (await store.Log.GetAsync(first, None))!.Id.Should().Be(first);
        (await store.Log.GetAsync(second, None))!.Id.Should().Be(second);
    }

    [Fact]
    public async Task ListLog_ManyEntries_PagesThroughAllOfThemExactlyOnce()
    {
        var store = InMemoryPostbackStorage.Create();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 250; i++)
        {
            var entry = StoreData.LogEntry("set-a", StoreData.Epoch.AddSeconds(i % 7));
            await store.Ingest.AppendAsync([StoreData.Rejected(entry)], None);
            ids.Add(entry.Id);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        for (; pages < 10; pages++)
        {
            var page = await store.Log.ListAsync(new PostbackLogQuery { Limit = 40, BeforeId = cursor }, None);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(e => e.Id));
            cursor = page[^1].Id;
        }

        pages.Should().Be(7, "250 entries make six full pages and one of ten");
        seen.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(ids);
    }

    [Fact]
    public async Task ListLogAndPurge_ThousandsOfEntriesOutOfOrder_MatchTheEntriesSortedNewestFirst()
    {
        var store = InMemoryPostbackStorage.Create();
        var random = new Random(20261127);
        var entries = new List<PostbackLogEntry>();
        for (var i = 0; i < 3000; i++)
        {
            // Mostly in order, some a little late, a few replays far back, many sharing a second.
            var seconds = random.Next(10) switch
            {
                0 => random.Next(i + 1),
                1 or 2 => Math.Max(0, i - random.Next(20)),
                _ => i,
            };
            var entry = StoreData.LogEntry("set-a", StoreData.Epoch.AddSeconds(seconds / 3));
            entries.Add(entry);
            await store.Ingest.AppendAsync([StoreData.Rejected(entry)], None);
        }

        var expected = entries.OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.Id, StringComparer.Ordinal).Select(e => e.Id).ToList();
        (await PageThroughAsync(store, 97)).Should().Equal(expected);
        (await store.Log.GetAsync(expected[1234], None))!.Id.Should().Be(expected[1234]);

        var cutoff = StoreData.Epoch.AddSeconds(400);
        var purged = await store.Log.PurgeAsync(cutoff, None);

        var kept = entries.Where(e => e.ReceivedAt >= cutoff).ToList();
        purged.Should().Be(entries.Count - kept.Count);
        (await PageThroughAsync(store, 1000)).Should().Equal(expected.Where(id => kept.Any(e => e.Id == id)));
        (await store.Log.GetAsync(entries.First(e => e.ReceivedAt < cutoff).Id, None)).Should().BeNull();
    }

    [Fact]
    public async Task Append_KeysInAndOutOfRange_IsADuplicateOfTheEarliestStoredInRange()
    {
        var store = InMemoryPostbackStorage.Create();
        var key = new IdempotencyKey("key_" + StoreData.NewId(), TimeSpan.FromHours(1));
        var early = StoreData.Conversion(key: key, receivedAt: StoreData.Epoch);
        var later = StoreData.Conversion(key: key, receivedAt: StoreData.Epoch.AddMinutes(90));
        (await store.Ingest.AppendAsync(StoreData.Stored(later))).Should().Be((IngestResult.Written(later.Id) with { DepositNumber = 1 }));
        (await store.Ingest.AppendAsync(StoreData.Stored(early, new ReceivedRange(null, StoreData.Epoch.AddMinutes(30))))).Should().Be((IngestResult.Written(early.Id) with { DepositNumber = 1 }));
        var retry = StoreData.Conversion(key: key, receivedAt: StoreData.Epoch.AddMinutes(45));

        var result = await store.Ingest.AppendAsync(StoreData.Stored(retry, new ReceivedRange(StoreData.Epoch.AddMinutes(-15), StoreData.Epoch.AddMinutes(105))));

        result.Should().Be(IngestResult.Duplicate(early.Id), "both stored conversions are in range, and the earlier one is the original");
        (await store.Ingest.GetConversionAsync(retry.Id, None)).Should().BeNull();
        var logged = (await store.Log.ListAsync(new PostbackLogQuery { Outcome = PostbackOutcome.Duplicate }, None)).Single();
        logged.ConversionId.Should().Be(early.Id);
    }

    [Fact]
    public async Task Append_TwoRecordsWithOneKeyInOneBatch_StoresTheFirstAndTheSecondIsItsDuplicate()
    {
        var store = InMemoryPostbackStorage.Create();
        var first = StoreData.Conversion();
        var second = StoreData.Conversion(key: first.Conversion.IdempotencyKey);
        var message = new OutboxMessage
        {
            Id = StoreData.NewId(),
            ConversionId = second.Id,
            RuleId = "rule-1",
            DestinationId = "http-postback",
            CreatedAt = StoreData.Epoch,
            NextAttemptAt = StoreData.Epoch,
            RetryFrom = StoreData.Epoch,
        };

        var results = await store.Ingest.AppendAsync([StoreData.Stored(first), StoreData.Stored(second) with { OutboxMessages = [message] }], None);

        results.Should().Equal((IngestResult.Written(first.Id) with { DepositNumber = 1 }), IngestResult.Duplicate(first.Id));
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeNull("a duplicate writes none of its outbox messages");
    }

    [Fact]
    public async Task Append_RecordWithAUsedLogEntryId_FailsAloneAndTheRestOfTheBatchIsWritten()
    {
        var store = InMemoryPostbackStorage.Create();
        var used = StoreData.LogEntry();
        await store.Ingest.AppendAsync(StoreData.Rejected(used));
        var before = StoreData.Conversion();
        var clash = StoreData.Stored(StoreData.Conversion()) with { LogEntry = used with { ReceivedAt = StoreData.Epoch.AddDays(1) } };
        var after = StoreData.Conversion();

        var results = await store.Ingest.AppendAsync([StoreData.Stored(before), clash, StoreData.Stored(after)], None);

        results[0].Should().Be((IngestResult.Written(before.Id) with { DepositNumber = 1 }));
        results[1].Failure.Should().BeOfType<InvalidOperationException>();
        results[2].Should().Be((IngestResult.Written(after.Id) with { DepositNumber = 1 }));
        (await store.Ingest.GetConversionAsync(clash.Conversion!.Id, None)).Should().BeNull();
        (await store.Log.GetAsync(used.Id, None))!.ReceivedAt.Should().Be(used.ReceivedAt, "the stored entry is not replaced");
    }

    [Fact]
    public async Task AddClick_WithACredit_CreditsTheUnattributedConversionsOfTheListedCampaignsOnly()
    {
        var store = InMemoryPostbackStorage.Create();
        var click = StoreData.Click("spring");
        ConversionRecord Waiting(string? campaignId) => StoreData.Conversion(clickId: click.Id) with { Attribution = ConversionAttribution.Unattributed, CampaignId = campaignId };
        var unscoped = Waiting(null);
        var sameCampaign = Waiting("spring");
        var otherCampaign = Waiting("autumn");
        var otherClick = StoreData.Conversion() with { Attribution = ConversionAttribution.Unattributed, CampaignId = null };
        await store.Ingest.AppendAsync([StoreData.Stored(unscoped), StoreData.Stored(sameCampaign), StoreData.Stored(otherCampaign), StoreData.Stored(otherClick)], None);

        var credited = await store.Clicks.AddAsync(click, new ConversionCredit { CampaignIds = [null, "spring"], NewCampaignId = "spring" }, None);

        credited.Should().Be(2);
        var byId = (await store.Ingest.ListConversionsByClickAsync(click.Id, None)).ToDictionary(c => c.Id);
        byId[unscoped.Id].Should().Match<ConversionRecord>(c => c.Attribution == ConversionAttribution.Credited && c.CampaignId == "spring");
        byId[sameCampaign.Id].Attribution.Should().Be(ConversionAttribution.Credited);
        byId[otherCampaign.Id].Should().Match<ConversionRecord>(c => c.Attribution == ConversionAttribution.Unattributed && c.CampaignId == "autumn");
        (await store.Ingest.GetConversionAsync(otherClick.Id, None))!.Attribution.Should().Be(ConversionAttribution.Unattributed);
    }

    [Fact]
    public async Task GetConversionTotals_MixedConversions_GroupsByKindAttributionAndCurrencyInOrder()
    {
        var store = InMemoryPostbackStorage.Create();
        var set = StoreData.NewId();
        ConversionRecord Deposit(PostbackEvent kind, decimal? amount, string? currency, ConversionAttribution attribution = ConversionAttribution.Credited)
        {
            var template = StoreData.Conversion(set);
            return template with { Attribution = attribution, Conversion = template.Conversion with { Event = kind, Amount = amount, Currency = currency } };
        }

        await store.Ingest.AppendAsync(
            [
                StoreData.Stored(Deposit(PostbackEvent.Deposit, 10.5m, "USD")),
                StoreData.Stored(Deposit(PostbackEvent.Deposit, 0.25m, "USD")),
                StoreData.Stored(Deposit(PostbackEvent.Deposit, 3m, "EUR")),
                StoreData.Stored(Deposit(PostbackEvent.Registration, null, null)),
                StoreData.Stored(Deposit(PostbackEvent.FirstDeposit, 7m, "USD", ConversionAttribution.Unattributed)),
                StoreData.Stored(StoreData.Conversion()),
            ],
            None);

        var totals = await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { SetId = set }, None);

        totals.Should().Equal(
            new ConversionTotal(PostbackEventKind.Registration, ConversionAttribution.Credited, null, 1, 0m),
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Unattributed, "USD", 1, 7m),
            new ConversionTotal(PostbackEventKind.Deposit, ConversionAttribution.Credited, "EUR", 1, 3m) { DepositBucket = 2 },
            new ConversionTotal(PostbackEventKind.Deposit, ConversionAttribution.Credited, "USD", 2, 10.75m) { DepositBucket = 2 });
    }

    [Fact]
    public async Task CountLogEntries_BySetCampaign_CountsTheEntriesOfDeletedScopedSetsToo()
    {
        var store = InMemoryPostbackStorage.Create();
        var scoped = StoreData.Set("spring");
        var unscoped = StoreData.Set();
        await store.Sets.AddAsync(scoped, None);
        await store.Sets.AddAsync(unscoped, None);
        await store.Ingest.AppendAsync([StoreData.Rejected(StoreData.LogEntry(scoped.Id)), StoreData.Rejected(StoreData.LogEntry(unscoped.Id))], None);
        await store.Sets.DeleteAsync(scoped.Id, None);

        var count = await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Rejected, SetCampaignId = "spring" }, None);

        count.Should().Be(1);
        (await store.Sets.GetAsync(scoped.Id, None)).Should().BeNull();
        (await store.Sets.GetIncludingDeletedAsync(scoped.Id, None))!.CampaignId.Should().Be("spring");
    }

    private static async Task<List<string>> PageThroughAsync(PostbackStorage store, int limit)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = await store.Log.ListAsync(new PostbackLogQuery { Limit = limit, BeforeId = cursor }, None);
            ids.AddRange(page.Select(e => e.Id));
            if (page.Count < limit)
            {
                break;
            }

            cursor = page[^1].Id;
        }

        return ids;
    }

    private static void ShouldBeCompleted(ValueTask task) => task.IsCompletedSuccessfully.Should().BeTrue();

    private static void ShouldBeCompleted<T>(ValueTask<T> task) => task.IsCompletedSuccessfully.Should().BeTrue();
}
