using System.Net;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// IngestStore: one record at a time. The append stores a conversion unless one with the same key is stored in the
// record's duplicate range; the log entry is written as given, or, for a duplicate, with the duplicate outcome and the
// stored conversion's id. The reads of stored conversions.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A credited conversion is stored and its log entry written as given.</summary>
    [Fact]
    public async Task Append_Credited_StoresItAndWritesItsLogEntry()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion(attribution: ConversionAttribution.Credited);
        var record = StoreTestData.Record(conversion);

        var result = await AppendOneAsync(store, record);

        result.Should().Be(IngestResult.Written(conversion.Id));
        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
        var logged = (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().ContainSingle().Subject;
        logged.Should().BeEquivalentTo(record.LogEntry with { DepositNumber = 1 }, "the store writes the number it gave the conversion");
        logged.Outcome.Should().Be(PostbackOutcome.Accepted);
        logged.ConversionId.Should().Be(conversion.Id);
    }

    /// <summary>An unattributed conversion is stored, without a campaign, and its log entry written as given.</summary>
    [Fact]
    public async Task Append_Unattributed_StoresItAndWritesItsLogEntry()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion(attribution: ConversionAttribution.Unattributed);

        var result = await AppendOneAsync(store, StoreTestData.Record(conversion));

        result.Should().Be(IngestResult.Written(conversion.Id));
        var stored = await store.Ingest.GetConversionAsync(conversion.Id, None);
        stored.Should().BeEquivalentTo(conversion);
        stored!.Attribution.Should().Be(ConversionAttribution.Unattributed);
        stored.CampaignId.Should().BeNull();
        var logged = (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().ContainSingle().Subject;
        logged.Outcome.Should().Be(PostbackOutcome.Unattributed);
        logged.ConversionId.Should().Be(conversion.Id);
    }

    /// <summary>A stored conversion's log entry is written exactly as given, even with an outcome the store would not have chosen: the core decides outcomes.</summary>
    [Fact]
    public async Task Append_StoredConversion_WritesItsLogEntryAsGiven_TheCoreDecidesTheOutcome()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion();
        var entry = StoreTestData.LogEntryFor(conversion) with { Warnings = ["amount_comma_decimal", "macro_not_substituted"] };
        var other = StoreTestData.Conversion(attribution: ConversionAttribution.Credited);
        var otherEntry = StoreTestData.LogEntryFor(other) with { Outcome = PostbackOutcome.Unattributed, Code = "note" };

        var results = await AppendUnnumberedAsync(store, 
        [
            StoreTestData.Record(conversion) with { LogEntry = entry },
            StoreTestData.Record(other) with { LogEntry = otherEntry },
        ], None);

        results.Should().Equal(IngestResult.Written(conversion.Id), IngestResult.Written(other.Id));
        (await store.Log.GetAsync(entry.Id, None)).Should().BeEquivalentTo(entry with { DepositNumber = 1 });
        (await store.Log.GetAsync(otherEntry.Id, None)).Should().BeEquivalentTo(otherEntry with { DepositNumber = 1 }, "the store writes the outcome it is given, not one of its own");
    }

    /// <summary>A conversion with the permanent key of a stored one is its duplicate and is not stored, whatever its other values.</summary>
    [Fact]
    public async Task Append_SamePermanentKey_IsDuplicateOfTheOriginalAndIsNotStored()
    {
        var store = await NewStorageAsync();
        var original = StoreTestData.Conversion();
        await StoreAsync(store, original);
        var retry = StoreTestData.Retry(original) with
        {
            Conversion = original.Conversion with { TransactionId = "tx_" + StoreTestData.NewId(), Amount = 99m },
        };

        var result = await AppendOneAsync(store, StoreTestData.Record(retry));

        result.Should().Be(IngestResult.Duplicate(original.Id));
        (await store.Ingest.GetConversionAsync(retry.Id, None)).Should().BeNull();
        (await store.Ingest.GetConversionAsync(original.Id, None)).Should().BeEquivalentTo(original);
        (await store.Ingest.ListConversionsByClickAsync(original.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(original.Id);
    }

    /// <summary>A permanent key de-duplicates years later.</summary>
    [Fact]
    public async Task Append_SamePermanentKeyYearsLater_IsStillDuplicate()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var original = StoreTestData.Conversion(receivedAt: time.GetUtcNow());
        await StoreAsync(store, original);
        time.Advance(TimeSpan.FromDays(3 * 365));
        var late = StoreTestData.Retry(original, time.GetUtcNow());

        var result = await AppendOneAsync(store, StoreTestData.Record(late));

        result.Should().Be(IngestResult.Duplicate(original.Id));
    }

    /// <summary>A duplicate's log entry is written with <see cref="IngestRecord.DuplicateOutcome"/> and the stored conversion's id, the rest as given.</summary>
    [Fact]
    public async Task Append_Duplicate_WritesItsLogEntryWithTheDuplicateOutcomeAndTheStoredConversionsId()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var original = StoreTestData.Conversion(receivedAt: time.GetUtcNow());
        await StoreAsync(store, original);
        time.Advance(TimeSpan.FromMinutes(5));
        var retry = StoreTestData.Retry(original, time.GetUtcNow());
        var retryRecord = StoreTestData.Record(retry);
        retryRecord.LogEntry.Outcome.Should().Be(PostbackOutcome.Accepted, "the core writes the outcome the record has if it is stored");

        await AppendOneAsync(store, retryRecord);

        var log = await store.Log.ListAsync(new PostbackLogQuery(), None);
        log.Should().HaveCount(2);
        log[0].Should().BeEquivalentTo(retryRecord.LogEntry with { Outcome = PostbackOutcome.Duplicate, ConversionId = original.Id });
        log[1].Outcome.Should().Be(PostbackOutcome.Accepted);
        log[1].ConversionId.Should().Be(original.Id);
    }

    /// <summary>A duplicate's log entry takes the record's <see cref="IngestRecord.DuplicateOutcome"/>, whatever it is.</summary>
    [Fact]
    public async Task Append_Duplicate_WritesTheRecordsDuplicateOutcome_WhateverItIs()
    {
        var store = await NewStorageAsync();
        var original = StoreTestData.Conversion();
        await StoreAsync(store, original);
        var retry = StoreTestData.Retry(original);
        var record = StoreTestData.Record(retry) with { DuplicateOutcome = PostbackOutcome.Unattributed };

        (await AppendOneAsync(store, record)).Should().Be(IngestResult.Duplicate(original.Id));

        (await store.Log.GetAsync(record.LogEntry.Id, None)).Should().BeEquivalentTo(
            record.LogEntry with { Outcome = PostbackOutcome.Unattributed, ConversionId = original.Id },
            "the core decides the outcome of a duplicate; the store writes it");
    }

    /// <summary>Two conversions of one click with different keys are both stored.</summary>
    [Fact]
    public async Task Append_DifferentKeysForTheSameClick_AreBothStored()
    {
        var store = await NewStorageAsync();
        var first = StoreTestData.Conversion();
        var second = StoreTestData.Retry(first) with
        {
            Conversion = first.Conversion with { IdempotencyKey = StoreTestData.PermanentKey() },
        };

        var a = await AppendOneAsync(store, StoreTestData.Record(first));
        var b = await AppendOneAsync(store, StoreTestData.Record(second));

        a.Should().Be(IngestResult.Written(first.Id));
        b.Should().Be(IngestResult.Written(second.Id));
        (await store.Ingest.ListConversionsByClickAsync(first.Conversion.ClickId, None)).Should().HaveCount(2);
    }

    /// <summary>Keys that differ only in case are different keys.</summary>
    [Fact]
    public async Task Append_KeysThatDifferOnlyInCase_AreDifferentKeys()
    {
        var store = await NewStorageAsync();
        var first = StoreTestData.Conversion();
        var upper = StoreTestData.Retry(first) with
        {
            Conversion = first.Conversion with { IdempotencyKey = first.Conversion.IdempotencyKey with { Value = first.Conversion.IdempotencyKey.Value.ToUpperInvariant() } },
        };
        await StoreAsync(store, first);

        (await AppendOneAsync(store, StoreTestData.Record(upper))).Should().Be(IngestResult.Written(upper.Id), "key values are compared ordinally");
    }

    /// <summary>A key is matched on its value alone, across sets.</summary>
    [Fact]
    public async Task Append_SameKeyFromAnotherSet_IsADuplicate()
    {
        var store = await NewStorageAsync();
        var original = StoreTestData.Conversion(setId: "set_" + StoreTestData.NewId());
        await StoreAsync(store, original);
        var fromAnotherSet = StoreTestData.Retry(original) with
        {
            Conversion = original.Conversion with { SetId = "set_" + StoreTestData.NewId() },
        };

        (await AppendOneAsync(store, StoreTestData.Record(fromAnotherSet))).Should().Be(
            IngestResult.Duplicate(original.Id), "a key is matched on its value alone, across all sets");
    }

    /// <summary>A windowed key inside the window of a stored conversion is its duplicate.</summary>
    [Fact]
    public async Task Append_WindowedKeyInsideTheWindow_IsDuplicate()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var window = TimeSpan.FromHours(24);
        var first = StoreTestData.Conversion(receivedAt: time.GetUtcNow(), key: StoreTestData.WindowedKey(window));
        await StoreAsync(store, first);

        var atOnce = StoreTestData.Retry(first, time.GetUtcNow());
        (await AppendOneAsync(store, StoreTestData.Record(atOnce))).Should().Be(IngestResult.Duplicate(first.Id));
        time.Advance(window - TimeSpan.FromSeconds(1));
        var late = StoreTestData.Retry(first, time.GetUtcNow());
        (await AppendOneAsync(store, StoreTestData.Record(late))).Should().Be(IngestResult.Duplicate(first.Id));

        (await store.Ingest.ListConversionsByClickAsync(first.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(first.Id);
    }

    /// <summary>A windowed key exactly one window after a stored conversion starts a new series: it is stored.</summary>
    [Fact]
    public async Task Append_WindowedKeyAtTheWindowEnd_StartsANewSeries()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var window = TimeSpan.FromHours(24);
        var first = StoreTestData.Conversion(receivedAt: time.GetUtcNow(), key: StoreTestData.WindowedKey(window));
        await StoreAsync(store, first);
        time.Advance(window);
        var second = StoreTestData.Retry(first, time.GetUtcNow());
        var secondRecord = StoreTestData.Record(second);

        var result = await AppendOneAsync(store, secondRecord);

        result.Should().Be(IngestResult.Written(second.Id));
        (await store.Ingest.GetConversionAsync(second.Id, None)).Should().BeEquivalentTo(second with { DepositNumber = 2 }, "a second first deposit of the click follows the first");
        (await store.Ingest.ListConversionsByClickAsync(first.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(first.Id, second.Id);
        var logged = (await store.Log.ListAsync(new PostbackLogQuery { Limit = 1 }, None)).Should().ContainSingle().Subject;
        logged.Id.Should().Be(secondRecord.LogEntry.Id);
        logged.Outcome.Should().Be(PostbackOutcome.Accepted);
        logged.ConversionId.Should().Be(second.Id);
    }

    /// <summary>A duplicate inside the second series' window only is a duplicate of the second series.</summary>
    [Fact]
    public async Task Append_DuplicateOfTheSecondSeries_ReturnsTheSecondSeriesId()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var window = TimeSpan.FromHours(24);
        var first = StoreTestData.Conversion(receivedAt: time.GetUtcNow(), key: StoreTestData.WindowedKey(window));
        await StoreAsync(store, first);
        time.Advance(TimeSpan.FromHours(30));
        var second = StoreTestData.Retry(first, time.GetUtcNow());
        await StoreAsync(store, second);
        time.Advance(TimeSpan.FromHours(1));
        var retry = StoreTestData.Retry(first, time.GetUtcNow());

        var result = await AppendOneAsync(store, StoreTestData.Record(retry));

        result.Should().Be(IngestResult.Duplicate(second.Id));
        var logged = (await store.Log.ListAsync(new PostbackLogQuery { Limit = 1 }, None)).Should().ContainSingle().Subject;
        logged.Outcome.Should().Be(PostbackOutcome.Duplicate);
        logged.ConversionId.Should().Be(second.Id);
    }

    /// <summary>A window is measured from the stored conversion, not from its last duplicate (duplicates are not stored).</summary>
    [Fact]
    public async Task Append_WindowIsMeasuredFromTheFirstOccurrence_NotFromTheLastDuplicate()
    {
        var store = await NewStorageAsync();
        var time = Clock;
        var window = TimeSpan.FromHours(24);
        var first = StoreTestData.Conversion(receivedAt: time.GetUtcNow(), key: StoreTestData.WindowedKey(window));
        await StoreAsync(store, first);
        time.Advance(TimeSpan.FromHours(20));
        var retry = StoreTestData.Retry(first, time.GetUtcNow());
        (await AppendOneAsync(store, StoreTestData.Record(retry))).IsDuplicate.Should().BeTrue();
        time.Advance(TimeSpan.FromHours(10));
        var next = StoreTestData.Retry(first, time.GetUtcNow());

        var result = await AppendOneAsync(store, StoreTestData.Record(next));

        result.Should().Be(IngestResult.Written(next.Id), "30 h after the first occurrence is outside its 24 h window");
    }

    /// <summary>A replay received before a stored conversion, within the window, is its duplicate; exactly one window before is not.</summary>
    [Fact]
    public async Task Append_WindowedKeyReceivedBeforeAStoredOneWithinTheWindow_IsItsDuplicate()
    {
        var store = await NewStorageAsync();
        var window = TimeSpan.FromHours(24);
        var later = StoreTestData.Conversion(receivedAt: StoreTestData.Epoch.AddHours(2), key: StoreTestData.WindowedKey(window));
        await StoreAsync(store, later);

        // A replay keeps its original, earlier receive time: it must still meet the retry accepted after it.
        var replayed = StoreTestData.Retry(later, StoreTestData.Epoch);
        var result = await AppendOneAsync(store, StoreTestData.Record(replayed));

        result.Should().Be(IngestResult.Duplicate(later.Id), "the window reaches both ways");
        var tooEarly = StoreTestData.Retry(later, StoreTestData.Epoch.AddHours(2) - window);
        (await AppendOneAsync(store, StoreTestData.Record(tooEarly)))
            .Should().Be(IngestResult.Written(tooEarly.Id), "exactly one window before is outside it");
    }

    /// <summary>A <see cref="ReceivedRange"/> with a missing bound is open on that side; <see cref="ReceivedRange.Always"/> holds every time.</summary>
    [Fact]
    public async Task Append_DuplicateRangeWithOpenBounds_ReachesAnyReceiveTime()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var original = StoreTestData.Conversion(receivedAt: t, key: StoreTestData.WindowedKey(TimeSpan.FromHours(1)));
        await StoreAsync(store, original);
        ReceivedRange[] ranges =
        [
            ReceivedRange.Always,
            new(t.AddTicks(-10), null),
            new(null, t.AddTicks(10)),
            new(t.AddYears(-10), t.AddYears(10)),
        ];

        foreach (var range in ranges)
        {
            var retry = StoreTestData.Retry(original, t.AddYears(5));
            (await AppendOneAsync(store, StoreTestData.Record(retry) with { DuplicateRange = range }))
                .Should().Be(IngestResult.Duplicate(original.Id), "{0} holds the stored receive time", range);
        }

        (await store.Ingest.ListConversionsByClickAsync(original.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(original.Id);
    }

    /// <summary>Both ends of <see cref="IngestRecord.DuplicateRange"/> are exclusive, and the range alone decides, not the record's own receive time.</summary>
    [Fact]
    public async Task Append_DuplicateRange_BothEndsAreExclusive_AndTheRecordsOwnReceiveTimeDoesNotMatter()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var original = StoreTestData.Conversion(receivedAt: t, key: StoreTestData.WindowedKey(TimeSpan.FromHours(1)));
        await StoreAsync(store, original);

        // The range alone decides: each of these is received at t itself, and none of their ranges holds t.
        var afterIt = StoreTestData.Retry(original, t);
        var beforeIt = StoreTestData.Retry(original, t);
        var empty = StoreTestData.Retry(original, t);
        (await AppendOneAsync(store, StoreTestData.Record(afterIt) with { DuplicateRange = new(t, null) })).Should().Be(IngestResult.Written(afterIt.Id));
        (await AppendOneAsync(store, StoreTestData.Record(beforeIt) with { DuplicateRange = new(null, t) })).Should().Be(IngestResult.Written(beforeIt.Id));
        (await AppendOneAsync(store, StoreTestData.Record(empty) with { DuplicateRange = new(t, t) })).Should().Be(IngestResult.Written(empty.Id));

        var justInside = StoreTestData.Retry(original, t.AddDays(1));
        (await AppendOneAsync(store, StoreTestData.Record(justInside) with { DuplicateRange = new(t.AddTicks(-10), t.AddTicks(10)) }))
            .IsDuplicate.Should().BeTrue();
    }

    /// <summary>When the range holds several stored conversions with the key, the record is a duplicate of the earliest by receive time, then id (ordinal).</summary>
    [Fact]
    public async Task Append_RangeHoldingSeveralStoredConversions_IsADuplicateOfTheEarliest_ByReceiveTimeThenId()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var template = StoreTestData.Conversion(key: StoreTestData.WindowedKey(TimeSpan.FromHours(24)));
        ConversionRecord At(DateTimeOffset receivedAt, string idPrefix) =>
            StoreTestData.Retry(template, receivedAt) with { Id = idPrefix + StoreTestData.NewId() };

        // Three conversions with one key, each stored with a range that holds none of the others.
        var secondById = At(t, "conv_z_");
        var earliest = At(t, "conv_a_");
        var latest = At(t.AddHours(2), "conv_m_");
        (await AppendOneAsync(store, StoreTestData.Record(secondById))).Should().Be(IngestResult.Written(secondById.Id));
        (await AppendOneAsync(store, StoreTestData.Record(latest) with { DuplicateRange = new(t.AddHours(1), null) })).Should().Be(IngestResult.Written(latest.Id));
        (await AppendOneAsync(store, StoreTestData.Record(earliest) with { DuplicateRange = new(null, t) })).Should().Be(IngestResult.Written(earliest.Id));

        (await AppendOneAsync(store, StoreTestData.Record(At(t.AddHours(3), "conv_r_"))))
            .Should().Be(IngestResult.Duplicate(earliest.Id), "of two stored at the same time, the smaller id (ordinal) is the earliest");
        (await AppendOneAsync(store, StoreTestData.Record(At(t.AddHours(3), "conv_r_")) with { DuplicateRange = new(t.AddTicks(-10), null) }))
            .Should().Be(IngestResult.Duplicate(earliest.Id));
        (await AppendOneAsync(store, StoreTestData.Record(At(t.AddHours(3), "conv_r_")) with { DuplicateRange = new(t, null) }))
            .Should().Be(IngestResult.Duplicate(latest.Id), "the two at t are outside this range");
    }

    /// <summary>Of 32 concurrent appends with one permanent key, exactly one is stored and the others are its duplicates.</summary>
    [Fact]
    public async Task Append_ThirtyTwoConcurrentIdenticalAppends_StoreExactlyOne()
    {
        await ConcurrentIdenticalAppendsStoreExactlyOneAsync(StoreTestData.PermanentKey());
    }

    /// <summary>Of 32 concurrent appends with one windowed key, exactly one is stored and the others are its duplicates.</summary>
    [Fact]
    public async Task Append_ThirtyTwoConcurrentIdenticalWindowedAppends_StoreExactlyOne()
    {
        await ConcurrentIdenticalAppendsStoreExactlyOneAsync(StoreTestData.WindowedKey(TimeSpan.FromHours(24)));
    }

    /// <summary>A stored conversion keeps every value: a custom event, a negative amount, attributes, receive time, IPv6 address and a windowed key.</summary>
    [Fact]
    public async Task Append_KeepsEveryValue()
    {
        var store = await NewStorageAsync();
        PostbackEvent.TryParse("withdrawal", out var withdrawal).Should().BeTrue();
        var template = StoreTestData.Conversion(attribution: ConversionAttribution.Credited);
        var conversion = template with
        {
            CampaignId = "camp-42",
            DepositNumber = null,
            Conversion = template.Conversion with
            {
                Event = withdrawal,
                Amount = -25.75m,
                Currency = "EUR",
                TransactionId = "TX-Ab_9." + StoreTestData.NewId(),
                Attributes = new Dictionary<string, string>
                {
                    ["user_id"] = "987654",
                    ["city"] = "São Paulo",
                    ["empty"] = "",
                },
                ReceivedAt = StoreTestData.Epoch.AddDays(-2),
                RemoteAddress = IPAddress.Parse("2001:db8::1"),
                IdempotencyKey = StoreTestData.WindowedKey(TimeSpan.FromHours(6)),
            },
        };

        await StoreAsync(store, conversion);

        var stored = await store.Ingest.GetConversionAsync(conversion.Id, None);
        stored.Should().BeEquivalentTo(conversion);
        stored!.Conversion.Event.Should().Be(withdrawal);
        stored.Conversion.Event.Kind.Should().Be(PostbackEventKind.Custom);
        stored.Conversion.Amount.Should().Be(-25.75m);
        stored.Conversion.ReceivedAt.Should().Be(StoreTestData.Epoch.AddDays(-2));
        stored.Conversion.IdempotencyKey.Should().Be(conversion.Conversion.IdempotencyKey);
        (await store.Ingest.ListConversionsByClickAsync(conversion.Conversion.ClickId, None)).Should().ContainSingle()
            .Which.Should().BeEquivalentTo(conversion);
    }

    /// <summary>A registration without amount, currency, transaction id, address or attributes keeps the missing values.</summary>
    [Fact]
    public async Task Append_RegistrationWithoutAmount_KeepsTheMissingValues()
    {
        var store = await NewStorageAsync();
        var template = StoreTestData.Conversion(attribution: ConversionAttribution.Unattributed);
        var conversion = template with
        {
            Conversion = template.Conversion with
            {
                Event = PostbackEvent.Registration,
                Amount = null,
                Currency = null,
                TransactionId = null,
                RemoteAddress = null,
                Attributes = new Dictionary<string, string>(),
            },
        };

        await StoreAsync(store, conversion);

        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
    }

    /// <summary>Conversions of every event kind and attribution read back as stored (the stored words round-trip).</summary>
    [Fact]
    public async Task Append_EveryEventKindAndAttribution_ReadsBack()
    {
        var store = await NewStorageAsync();
        PostbackEvent.TryParse("emailconf", out var custom).Should().BeTrue();
        var clickId = "c" + StoreTestData.NewId()[..11];
        var stored = new List<ConversionRecord>();
        var at = StoreTestData.Epoch;
        foreach (var conversionEvent in new[] { PostbackEvent.Registration, PostbackEvent.FirstDeposit, PostbackEvent.Deposit, custom })
        {
            foreach (var attribution in new[] { ConversionAttribution.Credited, ConversionAttribution.Unattributed })
            {
                var template = StoreTestData.Conversion(clickId: clickId, receivedAt: at, attribution: attribution);
                var conversion = template with
                {
                    Conversion = template.Conversion with { Event = conversionEvent },

                    // The click's credited first deposit takes 1, its credited deposit 2; nothing else is numbered.
                    DepositNumber = attribution != ConversionAttribution.Credited ? null
                        : conversionEvent.Kind == PostbackEventKind.FirstDeposit ? 1 : conversionEvent.Kind == PostbackEventKind.Deposit ? 2 : null,
                };
                await StoreAsync(store, conversion);
                stored.Add(conversion);
                at = at.AddSeconds(1);
            }
        }

        var listed = await store.Ingest.ListConversionsByClickAsync(clickId, None);
        listed.Select(c => c.Id).Should().Equal(stored.Select(c => c.Id));
        listed.Should().BeEquivalentTo(stored);
        foreach (var conversion in stored)
        {
            (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
        }
    }

    /// <summary>Amounts of up to 12 integer and 8 decimal digits are stored exactly.</summary>
    [Fact]
    public async Task Append_DecimalAmounts_AreStoredExactly()
    {
        var store = await NewStorageAsync();
        decimal[] amounts = [0.00000001m, 999999999999.99999999m, -999999999999.99999999m, 0m, 12.5m, 1234567.89m, 0.1m];
        var clickId = "c" + StoreTestData.NewId()[..11];
        var time = Clock;
        var ids = new List<string>();
        foreach (var amount in amounts)
        {
            var template = StoreTestData.Conversion(clickId: clickId, receivedAt: time.GetUtcNow());
            var conversion = template with { Conversion = template.Conversion with { Amount = amount } };
            await StoreAsync(store, conversion);
            ids.Add(conversion.Id);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        for (var i = 0; i < amounts.Length; i++)
        {
            (await store.Ingest.GetConversionAsync(ids[i], None))!.Conversion.Amount.Should().Be(amounts[i]);
        }

        (await store.Ingest.ListConversionsByClickAsync(clickId, None)).Select(c => c.Conversion.Amount).Should().Equal(amounts.Cast<decimal?>());
    }

    /// <summary>A conversion whose id is used fails alone with an <see cref="InvalidOperationException"/>; nothing of it is stored and its key stays free.</summary>
    [Fact]
    public async Task Append_WithAConversionIdInUse_FailsAloneAndStoresNothingOfIt()
    {
        var store = await NewStorageAsync();
        var first = StoreTestData.Conversion();
        await StoreAsync(store, first);
        var clash = StoreTestData.Conversion() with { Id = first.Id };
        var clashRecord = StoreTestData.Record(clash);

        var result = await AppendOneAsync(store, clashRecord);

        ShouldHaveFailedAlone(result);
        (await store.Ingest.GetConversionAsync(first.Id, None)).Should().BeEquivalentTo(first);
        (await store.Ingest.ListConversionsByClickAsync(clash.Conversion.ClickId, None)).Should().BeEmpty();
        (await store.Log.GetAsync(clashRecord.LogEntry.Id, None)).Should().BeNull();
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().ContainSingle();
        var retry = StoreTestData.Retry(clash);
        (await AppendOneAsync(store, StoreTestData.Record(retry))).Should().Be(IngestResult.Written(retry.Id), "the failed record did not claim the key");
    }

    /// <summary>A record whose log entry id is used fails alone; its conversion is not stored and its key stays free.</summary>
    [Fact]
    public async Task Append_WithALogEntryIdInUse_FailsAloneAndStoresNothingOfIt()
    {
        var store = await NewStorageAsync();
        var rejected = StoreTestData.LogEntry();
        await LogAsync(store, rejected);
        var conversion = StoreTestData.Conversion();
        var record = StoreTestData.Record(conversion) with { LogEntry = StoreTestData.LogEntryFor(conversion) with { Id = rejected.Id } };

        var result = await AppendOneAsync(store, record);

        ShouldHaveFailedAlone(result);
        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeNull();
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().ContainSingle().Which.Should().BeEquivalentTo(rejected);
        var retry = StoreTestData.Retry(conversion);
        (await AppendOneAsync(store, StoreTestData.Record(retry))).Should().Be(IngestResult.Written(retry.Id), "the failed record did not claim the key");
    }

    /// <summary>A duplicate whose log entry id is used fails alone (its log entry cannot be written).</summary>
    [Fact]
    public async Task Append_DuplicateWithALogEntryIdInUse_FailsAlone()
    {
        var store = await NewStorageAsync();
        var original = StoreTestData.Conversion();
        await StoreAsync(store, original);
        var rejected = StoreTestData.LogEntry();
        await LogAsync(store, rejected);
        var retry = StoreTestData.Retry(original);
        var record = StoreTestData.Record(retry) with { LogEntry = StoreTestData.LogEntryFor(retry) with { Id = rejected.Id } };

        var result = await AppendOneAsync(store, record);

        ShouldHaveFailedAlone(result);
        (await store.Log.GetAsync(rejected.Id, None)).Should().BeEquivalentTo(rejected);
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().HaveCount(2);
    }

    /// <summary>An unknown conversion id, or one that differs only in case, finds nothing.</summary>
    [Fact]
    public async Task GetConversion_UnknownId_ReturnsNull()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion();
        await StoreAsync(store, conversion);

        (await store.Ingest.GetConversionAsync("conv_" + StoreTestData.NewId(), None)).Should().BeNull();
        (await store.Ingest.GetConversionAsync(conversion.Id.ToUpperInvariant(), None)).Should().BeNull();
    }

    /// <summary>A click's conversions of every set are listed oldest first, then by id; other click ids (also by case) and duplicates are not.</summary>
    [Fact]
    public async Task ListConversionsByClick_ReturnsThatClicksConversionsOfEverySetOldestFirst()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var clickId = "c" + StoreTestData.NewId()[..11];
        var setA = "set_" + StoreTestData.NewId();
        var setB = "set_" + StoreTestData.NewId();
        ConversionRecord[] conversions =
        [
            StoreTestData.Conversion(setA, clickId, t.AddHours(2)),
            StoreTestData.Conversion(setB, clickId, t, attribution: ConversionAttribution.Unattributed),
            StoreTestData.Conversion(setA, clickId, t.AddHours(1)),
            StoreTestData.Conversion(setB, clickId, t.AddHours(1)),
        ];
        foreach (var conversion in conversions)
        {
            await StoreAsync(store, conversion);
        }

        var other = StoreTestData.Conversion(setA, clickId.ToUpperInvariant(), t);
        await StoreAsync(store, other);
        var duplicate = StoreTestData.Retry(conversions[0], t.AddHours(3));
        (await AppendOneAsync(store, StoreTestData.Record(duplicate))).IsDuplicate.Should().BeTrue();

        var listed = await store.Ingest.ListConversionsByClickAsync(clickId, None);

        var expected = conversions
            .OrderBy(c => c.Conversion.ReceivedAt)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Select(c => c.Id);
        listed.Select(c => c.Id).Should().Equal(expected);
        listed[0].Should().BeEquivalentTo(conversions[1]);
    }

    /// <summary>An unknown click has no conversions.</summary>
    [Fact]
    public async Task ListConversionsByClick_UnknownClick_ReturnsEmpty()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion();
        await StoreAsync(store, conversion);

        (await store.Ingest.ListConversionsByClickAsync("c" + StoreTestData.NewId()[..11], None)).Should().BeEmpty();
    }

    /// <summary>A fresh store is healthy.</summary>
    [Fact]
    public async Task CheckHealth_OfAFreshStore_Completes()
    {
        var store = await NewStorageAsync();

        await Calling(() => store.Ingest.CheckHealthAsync(None)).Should().NotThrowAsync();
    }

    // ------------------------------------------------------------- helpers

    private static void ShouldHaveFailedAlone(IngestResult result)
    {
        result.Failure.Should().BeAssignableTo<InvalidOperationException>("a record whose id is already used fails alone with an InvalidOperationException");
        result.ConversionId.Should().BeNull();
        result.IsDuplicate.Should().BeFalse();
    }

    private async Task ConcurrentIdenticalAppendsStoreExactlyOneAsync(IdempotencyKey key)
    {
        var store = await NewStorageAsync();
        var template = StoreTestData.Conversion(key: key);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, ConcurrentAppends).Select(_ => Task.Run(async () =>
        {
            var conversion = StoreTestData.Retry(template);
            var record = StoreTestData.Record(conversion);
            await gate.Task;
            var result = await AppendOneAsync(store, record);
            return (conversion.Id, Result: result);
        })).ToArray();

        gate.SetResult();
        var results = await Task.WhenAll(tasks).WaitAsync(ConcurrencyTimeout);

        var stored = results.Where(r => !r.Result.IsDuplicate).Should().ContainSingle().Subject;
        stored.Result.Should().Be(IngestResult.Written(stored.Id));
        results.Should().OnlyContain(r => r.Result.ConversionId == stored.Id && r.Result.Failure == null);
        (await store.Ingest.ListConversionsByClickAsync(template.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(stored.Id);
        foreach (var (id, _) in results.Where(r => r.Result.IsDuplicate))
        {
            (await store.Ingest.GetConversionAsync(id, None)).Should().BeNull();
        }

        var log = await store.Log.ListAsync(new PostbackLogQuery { SetId = template.Conversion.SetId, Limit = 100 }, None);
        log.Should().HaveCount(ConcurrentAppends);
        log.Should().OnlyContain(e => e.ConversionId == stored.Id);
        log.Count(e => e.Outcome == PostbackOutcome.Accepted).Should().Be(1);
        log.Count(e => e.Outcome == PostbackOutcome.Duplicate).Should().Be(ConcurrentAppends - 1);
    }
}
