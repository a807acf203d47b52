using System.Net;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// PostbackLogStore: the postback log (entries written by the ingest append; read, listed newest first, purged).
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A log entry appended alone is listed with all its values, the request included.</summary>
    [Fact]
    public async Task Append_LogEntryAlone_ThenListLog_ReturnsAllValues()
    {
        var store = await NewStorageAsync();
        var entry = StoreTestData.LogEntry() with
        {
            Code = "amount_invalid",
            Warnings = ["macro_not_substituted", "currency_defaulted"],
            Request = new PostbackRequest
            {
                Method = "POST",
                Path = "/api/postbacks/tok/deposit",
                EventSegment = "deposit",
                QueryString = "?a=1&b=%7Bsub1%7D",
                Body = """{"click_id":"67wgwWkaR0","amount":"12,50 USD"}""",
                ContentType = "application/json",
                RemoteAddress = IPAddress.Parse("2001:db8::42"),
            },
        };

        await LogAsync(store, entry);

        var listed = await store.Log.ListAsync(new PostbackLogQuery(), None);
        listed.Should().ContainSingle().Which.Should().BeEquivalentTo(entry);
        listed[0].ReceivedAt.Should().Be(entry.ReceivedAt);
    }

    /// <summary>A log entry without code, warnings or request details round-trips.</summary>
    [Fact]
    public async Task Append_LogEntryAloneWithoutOptionalValues_RoundTrips()
    {
        var store = await NewStorageAsync();
        var entry = StoreTestData.LogEntry() with { Code = null, Warnings = [], Request = new PostbackRequest() };

        await LogAsync(store, entry);

        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().ContainSingle().Which.Should().BeEquivalentTo(entry);
    }

    /// <summary>A log entry whose id is used fails alone, and the stored entry is kept.</summary>
    [Fact]
    public async Task Append_LogEntryAloneWithIdInUse_FailsAlone()
    {
        var store = await NewStorageAsync();
        var entry = StoreTestData.LogEntry();
        await LogAsync(store, entry);

        ShouldHaveFailedAlone(await AppendOneAsync(store, StoreTestData.Record(StoreTestData.LogEntry() with { Id = entry.Id })));

        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().ContainSingle().Which.Should().BeEquivalentTo(entry);
    }

    /// <summary>An empty store lists no log entries.</summary>
    [Fact]
    public async Task ListLog_EmptyStore_ReturnsEmpty()
    {
        var store = await NewStorageAsync();

        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().BeEmpty();
    }

    /// <summary>Log entries are listed newest first, ties broken by id descending.</summary>
    [Fact]
    public async Task ListLog_ReturnsNewestFirst_TiesBrokenByIdDescending()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        PostbackLogEntry[] entries =
        [
            StoreTestData.LogEntry(receivedAt: t),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(2)),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(1)),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(2)),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(-1)),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(1)),
        ];
        foreach (var entry in entries)
        {
            await LogAsync(store, entry);
        }

        var listed = await store.Log.ListAsync(new PostbackLogQuery(), None);

        listed.Select(e => e.Id).Should().Equal(NewestFirst(entries));
    }

    /// <summary>The log listing returns at most the limit.</summary>
    [Fact]
    public async Task ListLog_AppliesTheLimit()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var entries = new List<PostbackLogEntry>();
        for (var i = 0; i < 5; i++)
        {
            var entry = StoreTestData.LogEntry(receivedAt: time.GetUtcNow());
            await LogAsync(store, entry);
            entries.Add(entry);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var listed = await store.Log.ListAsync(new PostbackLogQuery { Limit = 2 }, None);

        listed.Select(e => e.Id).Should().Equal(entries[4].Id, entries[3].Id);
        (await store.Log.ListAsync(new PostbackLogQuery { Limit = 1000 }, None)).Should().HaveCount(5);
    }

    /// <summary>Paging with <see cref="PostbackLogQuery.BeforeId"/> visits every entry once, across tied receive times.</summary>
    [Fact]
    public async Task ListLog_BeforeId_PagesThroughSevenEntriesWithTiedTimesInThreePages()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var entries = new List<PostbackLogEntry>
        {
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(1)),
            StoreTestData.LogEntry(receivedAt: t.AddSeconds(-1)),
        };
        for (var i = 0; i < 5; i++)
        {
            entries.Add(StoreTestData.LogEntry(receivedAt: t));
        }

        foreach (var entry in entries)
        {
            await LogAsync(store, entry);
        }

        var expected = NewestFirst(entries);
        var page1 = await store.Log.ListAsync(new PostbackLogQuery { Limit = 3 }, None);
        var page2 = await store.Log.ListAsync(new PostbackLogQuery { Limit = 3, BeforeId = page1[^1].Id }, None);
        var page3 = await store.Log.ListAsync(new PostbackLogQuery { Limit = 3, BeforeId = page2[^1].Id }, None);
        var page4 = await store.Log.ListAsync(new PostbackLogQuery { Limit = 3, BeforeId = page3[^1].Id }, None);

        page1.Select(e => e.Id).Should().Equal(expected[..3]);
        page2.Select(e => e.Id).Should().Equal(expected[3..6]);
        page3.Select(e => e.Id).Should().Equal(expected[6..]);
        page4.Should().BeEmpty();
    }

    /// <summary>A cursor naming no entry lists nothing.</summary>
    [Fact]
    public async Task ListLog_BeforeAnUnknownId_ReturnsEmpty()
    {
        var store = await NewStorageAsync();
        await LogAsync(store, StoreTestData.LogEntry());

        (await store.Log.ListAsync(new PostbackLogQuery { BeforeId = "log_" + StoreTestData.NewId() }, None)).Should().BeEmpty();
    }

    /// <summary>The log listing filters by set.</summary>
    [Fact]
    public async Task ListLog_FiltersBySet()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var setA = "set_" + StoreTestData.NewId();
        var setB = "set_" + StoreTestData.NewId();
        var inA = new List<PostbackLogEntry>();
        for (var i = 0; i < 4; i++)
        {
            var entry = StoreTestData.LogEntry(i % 2 == 0 ? setA : setB, time.GetUtcNow());
            await LogAsync(store, entry);
            if (entry.SetId == setA)
            {
                inA.Add(entry);
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        var conversion = StoreTestData.Conversion(setA, receivedAt: time.GetUtcNow());
        var conversionRecord = StoreTestData.Record(conversion);
        (await AppendOneAsync(store, conversionRecord)).Should().Be(IngestResult.Written(conversion.Id));
        inA.Add(conversionRecord.LogEntry);

        var listed = await store.Log.ListAsync(new PostbackLogQuery { SetId = setA }, None);

        listed.Select(e => e.Id).Should().Equal(NewestFirst(inA));
        (await store.Log.ListAsync(new PostbackLogQuery { SetId = "set_" + StoreTestData.NewId() }, None)).Should().BeEmpty();
    }

    /// <summary>The log listing filters by outcome.</summary>
    [Fact]
    public async Task ListLog_FiltersByOutcome()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var rejected = StoreTestData.LogEntry(receivedAt: time.GetUtcNow());
        await LogAsync(store, rejected);
        time.Advance(TimeSpan.FromSeconds(1));
        var credited = StoreTestData.Conversion(receivedAt: time.GetUtcNow());
        await StoreAsync(store, credited);
        time.Advance(TimeSpan.FromSeconds(1));
        var unattributed = StoreTestData.Conversion(receivedAt: time.GetUtcNow(), attribution: ConversionAttribution.Unattributed);
        await StoreAsync(store, unattributed);
        time.Advance(TimeSpan.FromSeconds(1));
        var duplicate = StoreTestData.Retry(credited, time.GetUtcNow());
        (await AppendOneAsync(store, StoreTestData.Record(duplicate))).IsDuplicate.Should().BeTrue();

        async Task<IReadOnlyList<PostbackLogEntry>> ListAsync(PostbackOutcome outcome) =>
            await store.Log.ListAsync(new PostbackLogQuery { Outcome = outcome }, None);

        (await ListAsync(PostbackOutcome.Rejected)).Should().ContainSingle().Which.Id.Should().Be(rejected.Id);
        (await ListAsync(PostbackOutcome.Accepted)).Should().ContainSingle().Which.ConversionId.Should().Be(credited.Id);
        (await ListAsync(PostbackOutcome.Unattributed)).Should().ContainSingle().Which.ConversionId.Should().Be(unattributed.Id);
        (await ListAsync(PostbackOutcome.Duplicate)).Should().ContainSingle().Which.ConversionId.Should().Be(credited.Id);
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().HaveCount(4);
    }

    /// <summary>Filters and the cursor combine; a cursor that does not match the filters still marks its place in the full order.</summary>
    [Fact]
    public async Task ListLog_FiltersAndCursorCombine()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var set = "set_" + StoreTestData.NewId();
        var entries = new List<PostbackLogEntry>();
        for (var i = 0; i < 9; i++)
        {
            var entry = StoreTestData.LogEntry(
                i % 3 == 0 ? "set_" + StoreTestData.NewId() : set,
                t.AddSeconds(i / 2),
                i % 4 == 0 ? PostbackOutcome.Accepted : PostbackOutcome.Rejected);
            await LogAsync(store, entry);
            entries.Add(entry);
        }

        var all = NewestFirst(entries);
        var matching = NewestFirst(entries.Where(e => e.SetId == set && e.Outcome == PostbackOutcome.Rejected));
        var query = new PostbackLogQuery { SetId = set, Outcome = PostbackOutcome.Rejected, Limit = 2 };

        var page1 = await store.Log.ListAsync(query, None);
        var page2 = await store.Log.ListAsync(query with { BeforeId = page1[^1].Id }, None);
        var page3 = await store.Log.ListAsync(query with { BeforeId = page2[^1].Id }, None);

        page1.Concat(page2).Concat(page3).Select(e => e.Id).Should().Equal(matching);

        // A cursor that does not match the filters still marks a position in the full order.
        var cursor = all[2];
        var afterCursor = all.Skip(3).Where(id => matching.Contains(id)).Take(2);
        (await store.Log.ListAsync(query with { BeforeId = cursor }, None)).Select(e => e.Id).Should().Equal(afterCursor);
    }

    /// <summary>The log listing filters by rejection code, exactly (case-sensitive); entries without a code never match.</summary>
    [Fact]
    public async Task ListLog_FiltersByCode()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var missing = StoreTestData.LogEntry(receivedAt: t);
        var macro = StoreTestData.LogEntry(receivedAt: t.AddSeconds(1)) with { Code = "macro_not_substituted" };
        var missingAgain = StoreTestData.LogEntry(receivedAt: t.AddSeconds(2));
        var accepted = StoreTestData.Conversion(receivedAt: t.AddSeconds(3));
        foreach (var entry in new[] { missing, macro, missingAgain })
        {
            await LogAsync(store, entry);
        }

        await StoreAsync(store, accepted);

        async Task<string[]> ListAsync(string code) =>
            [.. (await store.Log.ListAsync(new PostbackLogQuery { Code = code }, None)).Select(e => e.Id)];

        (await ListAsync("click_id_missing")).Should().Equal(missingAgain.Id, missing.Id);
        (await ListAsync("macro_not_substituted")).Should().Equal(macro.Id);
        (await ListAsync("CLICK_ID_MISSING")).Should().BeEmpty("codes are compared ordinally");
        (await ListAsync("click_id")).Should().BeEmpty("the code matches exactly, not as a prefix");
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().HaveCount(4);
    }

    /// <summary>The log listing filters by a receive-time range that includes its start and excludes its end.</summary>
    [Fact]
    public async Task ListLog_FiltersByHalfOpenReceiveRange()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var entries = new List<PostbackLogEntry>();
        for (var i = 0; i < 5; i++)
        {
            var entry = StoreTestData.LogEntry(receivedAt: t.AddHours(i));
            await LogAsync(store, entry);
            entries.Add(entry);
        }

        async Task<string[]> ListAsync(DateTimeOffset? from, DateTimeOffset? to) =>
            [.. (await store.Log.ListAsync(new PostbackLogQuery { From = from, To = to }, None)).Select(e => e.Id)];

        (await ListAsync(t.AddHours(1), t.AddHours(3))).Should().Equal(entries[2].Id, entries[1].Id);
        (await ListAsync(t.AddHours(3), null)).Should().Equal(entries[4].Id, entries[3].Id);
        (await ListAsync(null, t.AddHours(1))).Should().Equal(entries[0].Id);
        (await ListAsync(t.AddHours(2), t.AddHours(2))).Should().BeEmpty("an empty range lists nothing");
        (await ListAsync(t.AddHours(1).AddMilliseconds(1), t.AddHours(2).AddMilliseconds(1))).Should().Equal(entries[2].Id);
        (await ListAsync(t.AddHours(1), t.AddHours(3)))
            .Should().Equal(await ListAsync(t.AddHours(1).ToOffset(TimeSpan.FromHours(4)), t.AddHours(3).ToOffset(TimeSpan.FromHours(-5))), "instants compare whatever their offset");
    }

    /// <summary>Each new filter combines with the cursor: paging visits every matching entry once, across tied receive times.</summary>
    [Fact]
    public async Task ListLog_CodeAndRangeFiltersCombineWithTheCursor()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var set = "set_" + StoreTestData.NewId();
        var entries = new List<PostbackLogEntry>();
        for (var i = 0; i < 24; i++)
        {
            var entry = StoreTestData.LogEntry(i % 5 == 0 ? "set_" + StoreTestData.NewId() : set, t.AddMinutes(i / 3)) with
            {
                Code = i % 2 == 0 ? "macro_not_substituted" : "click_id_missing",
            };
            await LogAsync(store, entry);
            entries.Add(entry);
        }

        PostbackLogQuery[] queries =
        [
            new() { Code = "macro_not_substituted" },
            new() { From = t.AddMinutes(1), To = t.AddMinutes(6) },
            new() { From = t.AddMinutes(2) },
            new() { To = t.AddMinutes(5) },
            new() { SetId = set, Outcome = PostbackOutcome.Rejected, Code = "click_id_missing", From = t.AddMinutes(1), To = t.AddMinutes(7) },
        ];
        foreach (var query in queries)
        {
            var matching = NewestFirst(entries.Where(e =>
                (query.SetId is null || e.SetId == query.SetId)
                && (query.Code is null || e.Code == query.Code)
                && (query.From is null || e.ReceivedAt >= query.From)
                && (query.To is null || e.ReceivedAt < query.To)));
            matching.Should().HaveCountGreaterThan(3, "each query pages at least twice");

            var listed = new List<string>();
            string? cursor = null;
            for (var page = 0; page < entries.Count; page++)
            {
                var items = await store.Log.ListAsync(query with { Limit = 3, BeforeId = cursor }, None);
                listed.AddRange(items.Select(e => e.Id));
                if (items.Count < 3)
                {
                    break;
                }

                cursor = items[^1].Id;
            }

            listed.Should().Equal(matching, "query {0} pages through its entries", query);
        }

        // A cursor outside the range still marks its place in the full order.
        var all = NewestFirst(entries);
        var outside = entries.Last(e => e.ReceivedAt >= t.AddMinutes(6)).Id;
        var ranged = new PostbackLogQuery { From = t.AddMinutes(1), To = t.AddMinutes(6), BeforeId = outside, Limit = 2 };
        var expected = all.SkipWhile(id => id != outside).Skip(1)
            .Where(id => entries.Single(e => e.Id == id).ReceivedAt >= t.AddMinutes(1) && entries.Single(e => e.Id == id).ReceivedAt < t.AddMinutes(6))
            .Take(2);
        (await store.Log.ListAsync(ranged, None)).Select(e => e.Id).Should().Equal(expected);
    }

    /// <summary>An empty code filter or a range that ends before it starts throws.</summary>
    [Fact]
    public async Task ListLog_EmptyCodeOrReversedRange_Throws()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;

        await Calling(() => store.Log.ListAsync(new PostbackLogQuery { Code = "" }, None)).Should().ThrowAsync<ArgumentException>();
        await Calling(() => store.Log.ListAsync(new PostbackLogQuery { From = t, To = t.AddSeconds(-1) }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    /// <summary>A limit outside 1 to <see cref="PostbackLogQuery.MaxLimit"/> throws.</summary>
    [Fact]
    public async Task ListLog_LimitOutOfRange_Throws()
    {
        var store = await NewStorageAsync();

        await Calling(() => store.Log.ListAsync(new PostbackLogQuery { Limit = 0 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await Calling(() => store.Log.ListAsync(new PostbackLogQuery { Limit = 1001 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    /// <summary>Log entries of every outcome read back, list and count by it (the stored words round-trip).</summary>
    [Fact]
    public async Task Append_LogEntriesOfEveryOutcome_ReadBackAndFilter()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var credited = StoreTestData.Conversion(receivedAt: t);
        var unattributed = StoreTestData.Conversion(receivedAt: t.AddSeconds(1), attribution: ConversionAttribution.Unattributed);
        IngestRecord[] records =
        [
            StoreTestData.Record(StoreTestData.LogEntry(receivedAt: t.AddSeconds(2))),
            StoreTestData.Record(credited),
            StoreTestData.Record(unattributed),
            StoreTestData.Record(StoreTestData.Retry(credited, t.AddSeconds(3))),
        ];
        await store.Ingest.AppendAsync(records, None);
        var change = StatusChange(credited, Ingestion.ConversionStatus.Approved, Ingestion.ConversionStatus.Chargeback, "refund", t.AddSeconds(4));
        (await store.Ingest.ChangeStatusAsync(change, None)).Should().BeTrue();
        var expected = new Dictionary<PostbackOutcome, PostbackLogEntry>
        {
            [PostbackOutcome.Changed] = change.LogEntry,
            [PostbackOutcome.Rejected] = records[0].LogEntry,
            [PostbackOutcome.Accepted] = records[1].LogEntry with { DepositNumber = records[1].Conversion!.DepositNumber },
            [PostbackOutcome.Unattributed] = records[2].LogEntry,
            [PostbackOutcome.Duplicate] = records[3].LogEntry with { Outcome = PostbackOutcome.Duplicate, ConversionId = credited.Id },
        };

        expected.Keys.Should().BeEquivalentTo(Enum.GetValues<PostbackOutcome>());
        foreach (var (outcome, entry) in expected)
        {
            (await store.Log.GetAsync(entry.Id, None)).Should().BeEquivalentTo(entry);
            (await store.Log.ListAsync(new PostbackLogQuery { Outcome = outcome }, None)).Should().ContainSingle()
                .Which.Should().BeEquivalentTo(entry);
            (await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = outcome }, None)).Should().Be(1);
        }
    }

    /// <summary>A log entry is read by id; an unknown or differently cased id finds nothing.</summary>
    [Fact]
    public async Task GetLogEntry_StoredEntry_ReturnsItAndUnknownIdReturnsNull()
    {
        var store = await NewStorageAsync();
        var entry = StoreTestData.LogEntry();
        await LogAsync(store, entry);

        var found = await store.Log.GetAsync(entry.Id, None);

        found.Should().BeEquivalentTo(entry);
        found!.Request.QueryString.Should().Be(entry.Request.QueryString);
        found.Code.Should().Be(entry.Code);
        (await store.Log.GetAsync("log_unknown", None)).Should().BeNull();
        (await store.Log.GetAsync(entry.Id.ToUpperInvariant(), None)).Should().BeNull();
    }

    /// <summary>Purging deletes the entries received before the cut-off and keeps the one received at it.</summary>
    [Fact]
    public async Task PurgeLog_DeletesEntriesReceivedBeforeTheCutOffOnly()
    {
        var store = await NewStorageAsync();
        var old = StoreTestData.LogEntry(receivedAt: StoreTestData.Epoch);
        var atCutOff = StoreTestData.LogEntry(receivedAt: StoreTestData.Epoch.AddDays(30));
        var recent = StoreTestData.LogEntry(receivedAt: StoreTestData.Epoch.AddDays(31));
        await LogAsync(store, old);
        await LogAsync(store, atCutOff);
        await LogAsync(store, recent);

        var purged = await store.Log.PurgeAsync(StoreTestData.Epoch.AddDays(30), None);

        purged.Should().Be(1);
        (await store.Log.GetAsync(old.Id, None)).Should().BeNull();
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Select(e => e.Id).Should().Equal(recent.Id, atCutOff.Id);
    }

    /// <summary>Purging the log keeps the conversions, which still de-duplicate.</summary>
    [Fact]
    public async Task PurgeLog_KeepsTheConversionsOfPurgedEntries()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion(receivedAt: StoreTestData.Epoch);
        await StoreAsync(store, conversion);

        (await store.Log.PurgeAsync(StoreTestData.Epoch.AddDays(1), None)).Should().Be(1);

        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
        (await AppendOneAsync(store, StoreTestData.Record(StoreTestData.Retry(conversion)))).Should().Be(
            IngestResult.Duplicate(conversion.Id), "purging the log forgets no conversion");
    }
}
