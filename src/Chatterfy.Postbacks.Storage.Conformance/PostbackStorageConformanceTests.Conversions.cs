using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Reconciliation;

namespace Chatterfy.Postbacks.Storage.Conformance;

// IngestStore: the reporting amount stored with a conversion, the listing of conversions, and the recompute's primitives.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A conversion appended with a reporting amount is read back with it, exactly (amount, currency, rate and rate day).</summary>
    [Fact]
    public async Task Append_ConversionWithReportingAmount_IsReadBackWithIt()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion() with { ReportingAmount = new ReportingAmount(2.29m, "USD", 0.1832214765100671140939597315m, new DateOnly(2025, 3, 13)) };

        await StoreAsync(store, conversion);

        var read = await store.Ingest.GetConversionAsync(conversion.Id, None);
        read.Should().BeEquivalentTo(conversion);
        read!.ReportingAmount.Should().Be(conversion.ReportingAmount);
        (await store.Ingest.ListConversionsByClickAsync(conversion.Conversion.ClickId, None)).Single().ReportingAmount.Should().Be(conversion.ReportingAmount);
    }

    /// <summary>
    /// Conversions are listed newest first (receive time, then id, descending), filtered by set and by click, and paged with
    /// <see cref="ConversionListQuery.BeforeId"/> across tied receive times; an unknown cursor lists none.
    /// </summary>
    [Fact]
    public async Task ListConversions_NewestFirst_FiltersBySetAndClick_AndPagesAcrossTiedTimes()
    {
        var store = await NewStorageAsync();
        var all = new List<ConversionRecord>();
        for (var i = 0; i < 7; i++)
        {
            var conversion = StoreTestData.Conversion(
                setId: i % 2 == 0 ? "set_even" : "set_odd",
                clickId: i % 3 == 0 ? "clickthree" : null,
                receivedAt: StoreTestData.Epoch.AddMinutes(i / 2));
            await StoreAsync(store, conversion);
            all.Add(conversion);
        }

        var newestFirst = all.OrderByDescending(c => c.Conversion.ReceivedAt).ThenByDescending(c => c.Id, StringComparer.Ordinal).Select(c => c.Id).ToList();

        (await store.Ingest.ListConversionsAsync(new ConversionListQuery(), None)).Select(c => c.Id).Should().Equal(newestFirst);
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = "set_odd" }, None)).Select(c => c.Id)
            .Should().Equal(newestFirst.Where(id => all.Single(c => c.Id == id).Conversion.SetId == "set_odd"));
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { ClickId = "clickthree", SetId = "set_even" }, None)).Select(c => c.Id)
            .Should().Equal(newestFirst.Where(id => all.Single(c => c.Id == id) is { Conversion: { ClickId: "clickthree", SetId: "set_even" } }));

        var pages = new List<string>();
        string? before = null;
        for (var page = 0; page < 4; page++)
        {
            var items = await store.Ingest.ListConversionsAsync(new ConversionListQuery { Limit = 3, BeforeId = before }, None);
            pages.AddRange(items.Select(c => c.Id));
            if (items.Count < 3)
            {
                break;
            }

            before = items[^1].Id;
        }

        pages.Should().Equal(newestFirst, "the pages visit every conversion once, in order");
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { BeforeId = "conv_unknown" }, None)).Should().BeEmpty();
    }

    /// <summary>
    /// Reconciliation's look-up lists the set's conversions whose transaction id or click id is one of those named (ordinal:
    /// case counts), each once even when both name it, oldest first by receive time then id; another set's conversions with
    /// the same ids, and conversions without a transaction id, are not listed; no ids list none; more than
    /// <see cref="ConversionMatchQuery.MaxKeys"/> ids, or an empty one, are refused.
    /// </summary>
    [Fact]
    public async Task ListConversionsToMatch_ByTransactionOrClickIdsOfTheSet_ListsEachOnceOldestFirst()
    {
        var store = await NewStorageAsync();
        var setId = "set_" + StoreTestData.NewId();
        var otherSetId = "set_" + StoreTestData.NewId();
        static ConversionRecord Make(string set, string click, string? tid, int minutes)
        {
            var conversion = StoreTestData.Conversion(setId: set, clickId: click, receivedAt: StoreTestData.Epoch.AddMinutes(minutes));
            return conversion with { Conversion = conversion.Conversion with { TransactionId = tid } };
        }

        var byTid = Make(setId, "clickother", "T-1", 5);
        var byClickLater = Make(setId, "clickone", null, 4);
        var byBothTied1 = Make(setId, "clickone", "T-2", 1);
        var byBothTied2 = Make(setId, "clickone", "T-1", 1);
        var byClickEarliest = Make(setId, "clickone", "T-9", 0);
        var notNamed = Make(setId, "clicktwo", "T-3", 2);
        var otherCase = Make(setId, "ClickOne", "t-1", 3);
        var otherSet = Make(otherSetId, "clickone", "T-1", 0);
        foreach (var conversion in new[] { byTid, byClickLater, byBothTied1, byBothTied2, byClickEarliest, notNamed, otherCase, otherSet })
        {
            await StoreAsync(store, conversion);
        }

        var tied = new[] { byBothTied1, byBothTied2 }.OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => c.Id);

        (await store.Ingest.ListConversionsToMatchAsync(new ConversionMatchQuery { SetId = setId, TransactionIds = ["T-1", "T-2"], ClickIds = ["clickone"] }, None))
            .Select(c => c.ConversionId).Should().Equal([byClickEarliest.Id, .. tied, byClickLater.Id, byTid.Id]);
        var byT1 = await store.Ingest.ListConversionsToMatchAsync(new ConversionMatchQuery { SetId = setId, TransactionIds = ["T-1"] }, None);
        byT1.Should().Equal([Reconciled(byBothTied2), Reconciled(byTid)], "a listed conversion is read back with what matching needs");
        (await store.Ingest.ListConversionsToMatchAsync(new ConversionMatchQuery { SetId = setId, ClickIds = ["clickother", "clickthree"] }, None))
            .Select(c => c.ConversionId).Should().Equal(byTid.Id);
        (await store.Ingest.ListConversionsToMatchAsync(new ConversionMatchQuery { SetId = otherSetId, TransactionIds = ["T-2"], ClickIds = ["clicktwo"] }, None))
            .Should().BeEmpty();
        (await store.Ingest.ListConversionsToMatchAsync(new ConversionMatchQuery { SetId = setId }, None)).Should().BeEmpty();

        var tooMany = Enumerable.Range(0, ConversionMatchQuery.MaxKeys + 1).Select(i => "T-" + i).ToList();
        await Calling(() => store.Ingest.ListConversionsToMatchAsync(new ConversionMatchQuery { SetId = setId, TransactionIds = tooMany }, None))
            .Should().ThrowExactlyAsync<ArgumentException>().WithParameterName("query.TransactionIds");
        await Calling(() => store.Ingest.ListConversionsToMatchAsync(new ConversionMatchQuery { SetId = setId, ClickIds = ["clickone", ""] }, None))
            .Should().ThrowExactlyAsync<ArgumentException>().WithParameterName("query.ClickIds");
        await Calling(() => store.Ingest.ListConversionsToMatchAsync(new ConversionMatchQuery { SetId = "", ClickIds = ["clickone"] }, None))
            .Should().ThrowExactlyAsync<ArgumentException>().WithParameterName("query.SetId");
    }

    /// <summary>
    /// Reconciliation's pass over a range lists the set's conversions received from its start to its end (both inclusive),
    /// oldest first by receive time then id, a page at a time after the previous page's last; each is read with what
    /// matching needs (id, click id, event name, amount, currency, transaction id, receive time) and nothing else; another
    /// set's conversions are not listed, an empty range lists none, and a limit outside 1 to
    /// <see cref="ConversionListQuery.MaxLimit"/> is refused.
    /// </summary>
    [Fact]
    public async Task ListConversionsToReconcile_OfTheSetWithinTheRange_ListsThemSlimOldestFirstInPages()
    {
        var store = await NewStorageAsync();
        var setId = "set_" + StoreTestData.NewId();
        var otherSetId = "set_" + StoreTestData.NewId();
        static ConversionRecord Make(string set, int minutes, string? tid = null, Ingestion.PostbackEvent? kind = null)
        {
            var conversion = StoreTestData.Conversion(setId: set, receivedAt: StoreTestData.Epoch.AddMinutes(minutes));
            return conversion with
            {
                Conversion = kind is { } k
                    ? conversion.Conversion with { TransactionId = tid, Event = k, Amount = null, Currency = null }
                    : conversion.Conversion with { TransactionId = tid },
            };
        }

        var before = Make(setId, 0);
        var atStart = Make(setId, 1, "T-1");
        var tied1 = Make(setId, 2);
        var tied2 = Make(setId, 2, kind: Ingestion.PostbackEvent.Registration);
        var inside = Make(setId, 3, "T-2");
        var atEnd = Make(setId, 4);
        var after = Make(setId, 5);
        var otherSet = Make(otherSetId, 2);
        foreach (var conversion in new[] { before, atStart, tied1, tied2, inside, atEnd, after, otherSet })
        {
            await StoreAsync(store, conversion);
        }

        var start = StoreTestData.Epoch.AddMinutes(1);
        var end = StoreTestData.Epoch.AddMinutes(4);
        var tied = new[] { tied1, tied2 }.OrderBy(c => c.Id, StringComparer.Ordinal);
        ReconciledConversion[] expected = [.. new[] { atStart }.Concat(tied).Concat([inside, atEnd]).Select(Reconciled)];

        (await store.Ingest.ListConversionsToReconcileAsync(setId, start, end, null, 10, None)).Should().Equal(expected, "each is read with what matching needs");
        var pages = new List<ReconciledConversion>();
        ReconciledConversion? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var items = await store.Ingest.ListConversionsToReconcileAsync(setId, start, end, cursor, 2, None);
            items.Count.Should().BeLessThanOrEqualTo(2);
            pages.AddRange(items);
            if (items.Count < 2)
            {
                break;
            }

            cursor = items[^1];
        }

        pages.Should().Equal(expected, "the pages visit every conversion of the range once, in order, the tied ones by id");
        (await store.Ingest.ListConversionsToReconcileAsync(otherSetId, start, end, null, 10, None)).Select(c => c.ConversionId).Should().Equal(otherSet.Id);
        (await store.Ingest.ListConversionsToReconcileAsync(setId, end, start, null, 10, None)).Should().BeEmpty();
        await Calling(() => store.Ingest.ListConversionsToReconcileAsync(setId, start, end, null, ConversionListQuery.MaxLimit + 1, None))
            .Should().ThrowExactlyAsync<ArgumentOutOfRangeException>();
        await Calling(() => store.Ingest.ListConversionsToReconcileAsync("", start, end, null, 10, None))
            .Should().ThrowExactlyAsync<ArgumentException>();
    }

    private static ReconciledConversion Reconciled(ConversionRecord record)
    {
        var c = record.Conversion;
        return new(record.Id, c.ClickId, c.Event.Name, c.Amount, c.Currency, c.TransactionId, c.ReceivedAt);
    }

    /// <summary>
    /// The conversions to recompute are those with an amount and no reporting amount, by id, after the cursor; the limit
    /// bounds a page.
    /// </summary>
    [Fact]
    public async Task ListConversionsWithoutReportingAmount_ListsThoseWithAnAmountAndNone_ById_AfterTheCursor()
    {
        var store = await NewStorageAsync();
        var missing = new List<ConversionRecord>();
        for (var i = 0; i < 5; i++)
        {
            var conversion = StoreTestData.Conversion();
            await StoreAsync(store, conversion);
            missing.Add(conversion);
        }

        var registration = StoreTestData.Conversion();
        await StoreAsync(store, registration with { Conversion = registration.Conversion with { Event = Ingestion.PostbackEvent.Registration, Amount = null, Currency = null } });
        await StoreAsync(store, StoreTestData.Conversion() with { ReportingAmount = new ReportingAmount(13.65m, "USD", 1.0921m, new DateOnly(2025, 3, 14)) });
        var byId = missing.Select(c => c.Id).Order(StringComparer.Ordinal).ToList();

        (await store.Ingest.ListConversionsWithoutReportingAmountAsync(null, 10, None)).Select(c => c.Id).Should().Equal(byId);
        (await store.Ingest.ListConversionsWithoutReportingAmountAsync(null, 2, None)).Select(c => c.Id).Should().Equal(byId.Take(2));
        (await store.Ingest.ListConversionsWithoutReportingAmountAsync(byId[1], 10, None)).Select(c => c.Id).Should().Equal(byId.Skip(2));
    }

    /// <summary>
    /// Setting reporting amounts changes only the conversions without one, reports how many, and the changed ones are read
    /// back with theirs; a second call changes nothing.
    /// </summary>
    [Fact]
    public async Task SetReportingAmounts_SetsOnlyThoseWithoutOne_AndCountsThem()
    {
        var store = await NewStorageAsync();
        var without = StoreTestData.Conversion();
        var existing = new ReportingAmount(13.65m, "USD", 1.0921m, new DateOnly(2025, 3, 14));
        var with = StoreTestData.Conversion() with { ReportingAmount = existing };
        await StoreAsync(store, without);
        await StoreAsync(store, with);
        var amount = new ReportingAmount(68.41m, "BRL", 5.4726m, new DateOnly(2025, 3, 12));
        ReportingAmountUpdate[] updates = [new(without.Id, amount), new(with.Id, amount), new("conv_unknown", amount)];

        (await store.Ingest.SetReportingAmountsAsync(updates, None)).Should().Be(1);
        (await store.Ingest.SetReportingAmountsAsync(updates, None)).Should().Be(0);

        (await store.Ingest.GetConversionAsync(without.Id, None))!.ReportingAmount.Should().Be(amount);
        (await store.Ingest.GetConversionAsync(with.Id, None))!.ReportingAmount.Should().Be(existing);
        (await store.Ingest.ListConversionsWithoutReportingAmountAsync(null, 10, None)).Should().BeEmpty();
    }
}
