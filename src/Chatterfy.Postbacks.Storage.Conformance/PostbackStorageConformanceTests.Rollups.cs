using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// PostbackLogStore: the figures stay exact however a store computes them (a store may keep daily roll-ups and read whole
// UTC days from them, and only the partial days at the ends of a range from its conversions). Each test compares the
// store's figures with a brute-force count over the conversions the store reported as stored.
public abstract partial class PostbackStorageConformanceTests
{
    private static readonly DateTimeOffset FiguresDay = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// After batches holding duplicates, records that fail alone (a used conversion id, a used log entry id) and
    /// rejections, and after late attribution that credits (and numbers) conversions of two different days, the totals
    /// and the daily counts of whole-day, partial-day and mixed ranges, with and without filters, and the stats' repeat
    /// deposits by number, equal a brute-force count over the stored conversions. Deposits share a few clicks, so their
    /// numbers reach every bucket (2, 3, 4+). Some conversions are stored pending (some of them credited late); then
    /// status changes (pending → approved, pending → rejected, approved → chargeback, rejected → approved) move them
    /// between statuses, and the figures, the stats' statuses and their per-currency sums with chargebacks still equal a
    /// brute-force count.
    /// </summary>
    [Fact]
    public async Task Figures_AfterBatchesWithDuplicatesFailuresLateAttributionAndStatusChanges_EqualABruteForceCount_ForWholePartialAndMixedRanges()
    {
        var store = await NewStorageAsync();
        var a = StoreTestData.Set();
        var b = StoreTestData.Set(campaignId: "camp-2");
        await store.Sets.AddAsync(a, None);
        await store.Sets.AddAsync(b, None);
        var stored = new Dictionary<string, ConversionRecord>(StringComparer.Ordinal);
        var late = StoreTestData.Click(createdAt: FiguresDay.AddDays(5), campaignId: "camp-7");

        for (var batchNumber = 0; batchNumber < 3; batchNumber++)
        {
            var batch = new List<IngestRecord>();
            for (var i = 0; i < 16; i++)
            {
                var n = (batchNumber * 16) + i;
                var waiting = n % 9 == 4;
                var conversion = FiguresConversion(n % 3 == 0 ? b.Id : a.Id, n, waiting ? late.Id : null);
                batch.Add(StoreTestData.Record(conversion));
            }

            // A retry of a stored conversion and of one earlier in the batch: duplicates, stored once.
            if (stored.Count > 0)
            {
                batch.Add(StoreTestData.Record(StoreTestData.Retry(stored.Values.First(), FiguresDay.AddDays(2).AddHours(5))));
            }

            batch.Add(StoreTestData.Record(StoreTestData.Retry(batch[3].Conversion!)));

            // Records that fail alone after their conversion was written (a used log entry id) or at it (a used conversion id).
            var usedLogId = batch[0].LogEntry.Id;
            var failingLate = FiguresConversion(a.Id, 100 + batchNumber, null);
            batch.Add(StoreTestData.Record(failingLate) with { LogEntry = StoreTestData.LogEntryFor(failingLate) with { Id = usedLogId } });
            batch.Add(StoreTestData.Record(FiguresConversion(b.Id, 200 + batchNumber, null) with { Id = batch[1].Conversion!.Id }));
            batch.Add(StoreTestData.Record(StoreTestData.LogEntry(a.Id, FiguresDay.AddHours(7))));

            var results = await store.Ingest.AppendAsync(batch, None);

            results.Should().HaveCount(batch.Count);
            foreach (var (record, result) in batch.Zip(results))
            {
                if (record.Conversion is { } conversion && result with { DepositNumber = null } == IngestResult.Written(conversion.Id))
                {
                    stored.Add(conversion.Id, conversion with { DepositNumber = result.DepositNumber });
                }
            }

            results.Count(r => r.Failure is not null).Should().Be(2, "the two records with a used id fail alone");
            results.Count(r => r.IsDuplicate).Should().Be(stored.Count > 16 ? 2 : 1);
        }

        stored.Should().HaveCount(48);
        await NumbersShouldBeStoredAsync(store, stored.Values);
        stored.Values.Select(c => DepositNumbering.StatsBucket(c.DepositNumber)).Should().Contain([2, 3, DepositNumbering.GroupedFrom], "the figures cover every repeat bucket");
        await FiguresShouldMatchAsync(store, stored.Values);

        // The late click credits its waiting conversions, received on different days, to its campaign.
        var credited = await store.Clicks.AddAsync(late, StoreTestData.Credit(late), None);
        var waitingIds = stored.Values.Where(c => c.Conversion.ClickId == late.Id).Select(c => c.Id).ToList();
        waitingIds.Select(id => stored[id].Conversion.ReceivedAt.UtcDateTime.Date).Distinct().Should().HaveCountGreaterThan(1, "the credited conversions cross days");
        credited.Should().Be(waitingIds.Count);

        // The late click's deposits are numbered in receive-time-then-id order (DepositNumbering), counted here by brute force.
        (int? Highest, bool FirstTaken) held = (null, false);
        foreach (var id in waitingIds.OrderBy(id => stored[id].Conversion.ReceivedAt).ThenBy(id => id, StringComparer.Ordinal))
        {
            var kind = stored[id].Conversion.Event.Kind;
            int? number = null;
            if (DepositNumbering.IsNumbered(kind))
            {
                number = DepositNumbering.Next(kind, held.Highest, held.FirstTaken);
                held = (Math.Max(held.Highest ?? 0, number.Value), held.FirstTaken || number == DepositNumbering.First);
            }

            stored[id] = stored[id] with { Attribution = ConversionAttribution.Credited, CampaignId = late.CampaignId, DepositNumber = number };
        }

        held.Highest.Should().BeGreaterThanOrEqualTo(3, "the late credit numbers repeat deposits");
        stored.Values.Should().Contain(c => c.Conversion.ClickId == late.Id && c.Status == ConversionStatus.Pending, "a late credit moves a pending conversion");
        await NumbersShouldBeStoredAsync(store, stored.Values);
        await FiguresShouldMatchAsync(store, stored.Values);

        // Status changes: every other pending conversion is approved, the rest rejected; every third approved deposit is
        // charged back; then one rejected conversion is approved again. A stale change (from a status left) changes nothing.
        var changeAt = FiguresDay.AddDays(6);
        var changes = new List<(string Id, ConversionStatus From, ConversionStatus To)>();
        var pendingIds = stored.Values.Where(c => c.Status == ConversionStatus.Pending).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        changes.AddRange(pendingIds.Select((id, i) => (id, ConversionStatus.Pending, i % 2 == 0 ? ConversionStatus.Approved : ConversionStatus.Rejected)));
        changes.AddRange(stored.Values
            .Where(c => c.Status == ConversionStatus.Approved && c.Conversion.Event.Kind is PostbackEventKind.FirstDeposit or PostbackEventKind.Deposit)
            .Select(c => c.Id).Order(StringComparer.Ordinal).Where((_, i) => i % 3 == 0)
            .Select(id => (id, ConversionStatus.Approved, ConversionStatus.Chargeback)));
        foreach (var (id, from, to) in changes)
        {
            (await store.Ingest.ChangeStatusAsync(StatusChange(stored[id], from, to, StoredWords.Of(to), changeAt), None)).Should().BeTrue();
            stored[id] = stored[id] with { Status = to };
        }

        var reapproved = changes.First(c => c.To == ConversionStatus.Rejected).Id;
        (await store.Ingest.ChangeStatusAsync(StatusChange(stored[reapproved], ConversionStatus.Rejected, ConversionStatus.Approved, "approved", changeAt.AddHours(1)), None)).Should().BeTrue();
        stored[reapproved] = stored[reapproved] with { Status = ConversionStatus.Approved };
        (await store.Ingest.ChangeStatusAsync(StatusChange(stored[reapproved], ConversionStatus.Pending, ConversionStatus.Rejected, "rejected", changeAt.AddHours(2)), None)).Should().BeFalse();
        stored.Values.Select(c => c.Status).Distinct().Should().Contain([ConversionStatus.Approved, ConversionStatus.Rejected, ConversionStatus.Chargeback]);
        await FiguresShouldMatchAsync(store, stored.Values);

        // The reporting amounts missing so far are set (those that have one keep it): the figures follow them.
        var missing = stored.Values.Where(c => c.Conversion.Amount is not null && c.ReportingAmount is null).ToList();
        missing.Should().NotBeEmpty();
        var hadOne = stored.Values.First(c => c.ReportingAmount is not null);
        var updates = missing.Select(c => new ReportingAmountUpdate(c.Id, ReportingAmountOf(c.Conversion.Amount!.Value, "BRL", c.Conversion.ReceivedAt))).ToList();
        updates.Add(new ReportingAmountUpdate(hadOne.Id, ReportingAmountOf(1m, "BRL", hadOne.Conversion.ReceivedAt)));
        updates.Add(new ReportingAmountUpdate("conv_unknown", ReportingAmountOf(1m, "BRL", FiguresDay)));

        var set = await store.Ingest.SetReportingAmountsAsync(updates, None);

        set.Should().Be(missing.Count, "only conversions without a reporting amount get one");
        foreach (var (conversion, update) in missing.Zip(updates))
        {
            stored[conversion.Id] = conversion with { ReportingAmount = update.Amount };
        }

        (await store.Ingest.GetConversionAsync(hadOne.Id, None))!.ReportingAmount.Should().Be(hadOne.ReportingAmount);
        await FiguresShouldMatchAsync(store, stored.Values);
    }

    /// <summary>Batches appended concurrently, sharing retries, leave figures equal to a brute-force count over what was stored.</summary>
    [Fact]
    public async Task Figures_AfterConcurrentAppends_EqualABruteForceCount()
    {
        var store = await NewStorageAsync();
        var set = StoreTestData.Set();
        await store.Sets.AddAsync(set, None);
        var shared = FiguresConversion(set.Id, 7, null);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, ConcurrentBatches).Select(t => Task.Run(async () =>
        {
            await gate.Task;
            var written = new List<ConversionRecord>();
            for (var round = 0; round < 4; round++)
            {
                IngestRecord[] batch =
                [
                    .. Enumerable.Range(0, 6).Select(i => StoreTestData.Record(FiguresConversion(set.Id, (t * 31) + (round * 7) + i, null))),
                    StoreTestData.Record(StoreTestData.Retry(shared)),
                ];
                var results = await store.Ingest.AppendAsync(batch, None);
                written.AddRange(batch.Zip(results)
                    .Where(x => x.Second with { DepositNumber = null } == IngestResult.Written(x.First.Conversion!.Id))
                    .Select(x => x.First.Conversion! with { DepositNumber = x.Second.DepositNumber }));
            }

            return written;
        })).ToArray();

        gate.SetResult();
        var stored = (await Task.WhenAll(tasks).WaitAsync(ConcurrencyTimeout)).SelectMany(w => w).ToList();

        stored.Should().HaveCount((ConcurrentBatches * 4 * 6) + 1, "every own conversion and one of the shared retries");
        await NumbersShouldBeStoredAsync(store, stored);
        await FiguresShouldMatchAsync(store, stored);
    }

    /// <summary>
    /// Conversion <paramref name="n"/> of the figures tests: spread over four days at uneven hours (some just before or at
    /// midnight), of every kind, with amounts that a double would not sum exactly, some without a currency, some
    /// unattributed; on one of four clicks shared by both sets, so deposits take numbers 1 to 4 and more.
    /// </summary>
    private static ConversionRecord FiguresConversion(string setId, int n, string? waitingForClickId)
    {
        PostbackEvent[] events = [PostbackEvent.Registration, PostbackEvent.FirstDeposit, PostbackEvent.Deposit, PostbackEvent.Deposit, PostbackEvent.FirstDeposit];
        string?[] currencies = ["USD", "EUR", "BRL", "INR", "USD"];
        var at = FiguresDay.AddMinutes((n * 137) % (4 * 24 * 60)).AddTicks(n % 5 == 0 ? -1 : 0);
        var kind = events[n % events.Length];
        var amount = kind == PostbackEvent.Registration ? (decimal?)null : 0.1m + (n * 1.01m) + 0.00000001m;
        var currency = amount is null ? null : currencies[n % currencies.Length];
        if (waitingForClickId is not null)
        {
            return Make(setId, kind, amount, currency, ConversionAttribution.Unattributed, at, campaignId: null, clickId: waitingForClickId) with { Status = FiguresStatus(n) };
        }

        var attribution = n % 7 == 3 ? ConversionAttribution.Unattributed : ConversionAttribution.Credited;
        var campaign = attribution == ConversionAttribution.Unattributed ? null : n % 2 == 0 ? "camp-1" : "camp-2";
        var clickId = "cfigures" + (n % 4).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Make(setId, kind, amount, currency, attribution, at, campaign, clickId) with { ReportingAmount = FiguresReportingAmount(n, amount, at), Status = FiguresStatus(n) };
    }

    // Some conversions arrive pending (a network's hold); the others approved.
    private static ConversionStatus FiguresStatus(int n) => n % 5 == 2 ? ConversionStatus.Pending : ConversionStatus.Approved;

    // Some amounts are converted (into USD, a few into EUR, as after a change of the reporting currency), some are not.
    private static Currencies.ReportingAmount? FiguresReportingAmount(int n, decimal? amount, DateTimeOffset at) =>
        amount is { } value && n % 4 != 1 ? ReportingAmountOf(value, n % 11 == 0 ? "EUR" : "USD", at) : null;

    private static Currencies.ReportingAmount ReportingAmountOf(decimal amount, string currency, DateTimeOffset at) =>
        new(decimal.Round(amount * 1.0921m, 2, MidpointRounding.ToEven), currency, 1.0921m, DateOnly.FromDateTime(at.UtcDateTime).AddDays(-1));

    /// <summary>The store's totals and daily counts for whole-day, partial-day, mixed and open ranges, with each filter, equal a brute-force count.</summary>
    private static async Task FiguresShouldMatchAsync(PostbackStorage store, IEnumerable<ConversionRecord> storedConversions)
    {
        var stored = storedConversions.ToList();
        var d = FiguresDay;
        (DateTimeOffset? From, DateTimeOffset? To)[] ranges =
        [
            (null, null),
            (d, d.AddDays(4)),
            (d.AddDays(1), d.AddDays(2)),
            (d.AddDays(1).AddHours(3), d.AddDays(1).AddHours(9)),
            (d.AddDays(1).AddHours(20), d.AddDays(2).AddHours(2)),
            (d.AddHours(5), d.AddDays(3).AddHours(7)),
            (d.AddHours(5).ToOffset(TimeSpan.FromHours(-7)), d.AddDays(2).ToOffset(TimeSpan.FromHours(9))),
            (d.AddDays(1).AddTicks(-1), d.AddDays(3).AddTicks(1)),
            (d.AddDays(1).AddHours(12), null),
            (null, d.AddDays(2).AddHours(1)),
            (d.AddDays(2), null),
            (null, d.AddDays(1)),
            (d.AddDays(2), d.AddDays(2)),
        ];
        var sets = stored.Select(c => c.Conversion.SetId).Distinct().Order(StringComparer.Ordinal).ToList();
        var stats = new PostbackStatsService(store.Sets, store.Log);
        var filters = new List<(string? SetId, string? CampaignId)> { (null, null), (null, "camp-1"), (null, "camp-7"), (null, "camp-none") };
        filters.AddRange(sets.Select(s => ((string?)s, (string?)null)));
        filters.Add((sets[0], "camp-2"));

        foreach (var (from, to) in ranges)
        {
            foreach (var (setId, campaignId) in filters)
            {
                var query = new ConversionTotalsQuery { From = from, To = to, SetId = setId, CampaignId = campaignId };
                var matching = stored.Where(c =>
                    (from is null || c.Conversion.ReceivedAt >= from) && (to is null || c.Conversion.ReceivedAt < to)
                    && (setId is null || c.Conversion.SetId == setId) && (campaignId is null || c.CampaignId == campaignId)).ToList();

                var expectedTotals = matching
                    .GroupBy(c => (c.Conversion.Event.Kind, c.Attribution, c.Conversion.Currency, ReportingCurrency: c.ReportingAmount?.Currency, Bucket: BruteForceBucket(c), c.Status))
                    .OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Attribution).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
                    .ThenBy(g => g.Key.ReportingCurrency, StringComparer.Ordinal).ThenBy(g => g.Key.Bucket).ThenBy(g => g.Key.Status)
                    .Select(g => new ConversionTotal(g.Key.Kind, g.Key.Attribution, g.Key.Currency, g.Count(), g.Sum(c => c.Conversion.Amount ?? 0m))
                    {
                        ReportingCurrency = g.Key.ReportingCurrency,
                        ReportingAmount = g.Sum(c => c.ReportingAmount?.Amount ?? 0m),
                        DepositBucket = g.Key.Bucket,
                        Status = g.Key.Status,
                    })
                    .ToList();
                var expectedDays = matching
                    .GroupBy(c => (Day: DateOnly.FromDateTime(c.Conversion.ReceivedAt.UtcDateTime), c.Conversion.Event.Kind, c.Attribution, Bucket: BruteForceBucket(c), c.Status))
                    .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Kind).ThenBy(g => g.Key.Attribution).ThenBy(g => g.Key.Bucket).ThenBy(g => g.Key.Status)
                    .Select(g => new DailyConversionCount(g.Key.Day, g.Key.Kind, g.Key.Attribution, g.Count()) { DepositBucket = g.Key.Bucket, Status = g.Key.Status })
                    .ToList();

                (await store.Log.GetConversionTotalsAsync(query, None)).Should().Equal(expectedTotals, "the totals of {0}", query);
                (await store.Log.GetDailyConversionCountsAsync(query, None)).Should().Equal(expectedDays, "the daily counts of {0}", query);

                // The stats' repeat deposits: credited conversions numbered 2, 3 and 4 or more, in all and per day.
                var statsQuery = new PostbackStatsQuery { From = from, To = to, SetId = setId, CampaignId = campaignId };
                var figures = (await stats.GetAsync(statsQuery, None))!;
                figures.RepeatDeposits.Should().Be(BruteForceRepeats(matching), "the repeat deposits of {0}", query);
                figures.Statuses.Should().Be(BruteForceStatuses(matching), "the statuses of {0}", query);
                figures.Amounts.Should().Equal(BruteForceAmounts(matching), "the amounts of {0}", query);
                var days = (await stats.GetDailyAsync(statsQuery, None))!;
                days.Where(d => d.Statuses != StatusCounts.None).Select(d => (d.Day, d.Statuses)).Should().Equal(
                    matching.GroupBy(c => DateOnly.FromDateTime(c.Conversion.ReceivedAt.UtcDateTime)).OrderBy(g => g.Key)
                        .Select(g => (Day: g.Key, Statuses: BruteForceStatuses(g))).Where(d => d.Statuses != StatusCounts.None),
                    "the daily statuses of {0}",
                    query);
                days.Where(d => d.RepeatDeposits != RepeatDepositCounts.None).Select(d => (d.Day, d.RepeatDeposits)).Should().Equal(
                    matching.GroupBy(c => DateOnly.FromDateTime(c.Conversion.ReceivedAt.UtcDateTime)).OrderBy(g => g.Key)
                        .Select(g => (Day: g.Key, Repeats: BruteForceRepeats(g))).Where(d => d.Repeats != RepeatDepositCounts.None),
                    "the daily repeat deposits of {0}",
                    query);
            }
        }
    }

    // A stored conversion's deposit-number bucket, from its number alone.
    private static int? BruteForceBucket(ConversionRecord conversion) =>
        conversion.DepositNumber is { } number ? Math.Min(number, 4) : null;

    // The credited conversions of some stored ones that are not approved, counted one by one by status.
    private static StatusCounts BruteForceStatuses(IEnumerable<ConversionRecord> conversions)
    {
        var credited = conversions.Where(c => c.Attribution == ConversionAttribution.Credited).ToList();
        return new StatusCounts(
            credited.Count(c => c.Status == ConversionStatus.Pending),
            credited.Count(c => c.Status == ConversionStatus.Rejected),
            credited.Count(c => c.Status == ConversionStatus.Chargeback));
    }

    // The per-currency sums of some stored conversions, added one by one: credited, approved first deposits and deposits,
    // and credited deposits of either kind charged back; a currency is listed when it has a credited deposit of any status.
    private static List<CurrencyAmounts> BruteForceAmounts(IEnumerable<ConversionRecord> conversions) =>
    [
        .. conversions
            .Where(c => c.Attribution == ConversionAttribution.Credited && c.Conversion.Currency is not null
                && c.Conversion.Event.Kind is PostbackEventKind.FirstDeposit or PostbackEventKind.Deposit)
            .GroupBy(c => c.Conversion.Currency!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyAmounts(
                g.Key,
                g.Where(c => c.Status == ConversionStatus.Approved && c.Conversion.Event.Kind == PostbackEventKind.FirstDeposit).Sum(c => c.Conversion.Amount ?? 0m),
                g.Where(c => c.Status == ConversionStatus.Approved && c.Conversion.Event.Kind == PostbackEventKind.Deposit).Sum(c => c.Conversion.Amount ?? 0m))
            {
                Chargebacks = g.Where(c => c.Status == ConversionStatus.Chargeback).Sum(c => c.Conversion.Amount ?? 0m),
            }),
    ];

    // The repeat deposits of some stored conversions, counted one by one: credited, approved ones numbered 2, 3, and 4 or more.
    private static RepeatDepositCounts BruteForceRepeats(IEnumerable<ConversionRecord> conversions)
    {
        var credited = conversions.Where(c => c.Attribution == ConversionAttribution.Credited && c.Status == ConversionStatus.Approved).ToList();
        return new RepeatDepositCounts(
            credited.Count(c => c.DepositNumber == 2),
            credited.Count(c => c.DepositNumber == 3),
            credited.Count(c => c.DepositNumber >= 4));
    }

    /// <summary>Each conversion's deposit number as the store keeps it equals the one the test holds (from the append's answer, or counted).</summary>
    private static async Task NumbersShouldBeStoredAsync(PostbackStorage store, IEnumerable<ConversionRecord> storedConversions)
    {
        foreach (var conversion in storedConversions)
        {
            (await store.Ingest.GetConversionAsync(conversion.Id, None))!.DepositNumber.Should().Be(conversion.DepositNumber, "the number of {0}", conversion.Id);
        }
    }
}
