using Chatterfy.Postbacks.Reconciliation;

namespace Chatterfy.Postbacks.Storage.Conformance;

// ReconciliationStore: each set's report layout, and the kept reports.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A set has no layout until one is set; setting again replaces it; another set's layout is its own.</summary>
    [Fact]
    public async Task SetReconciliationLayout_ThenGet_ReturnsTheLastOneSetForThatSetOnly()
    {
        var store = await NewStorageAsync();
        var setId = StoreTestData.NewId();
        var otherSetId = StoreTestData.NewId();

        (await store.Reconciliations.GetLayoutAsync(setId, None)).Should().BeNull();
        await store.Reconciliations.SetLayoutAsync(setId, new ReconciliationLayout { ClickId = "sub1", Event = "goal" }, None);
        var replaced = new ReconciliationLayout { ClickId = "Sub ID", Event = "Action", Amount = "Payout", Currency = "Cur", TransactionId = "Deal", Time = "Date" };
        await store.Reconciliations.SetLayoutAsync(setId, replaced, None);
        await store.Reconciliations.SetLayoutAsync(otherSetId, ReconciliationLayout.Generic, None);

        (await store.Reconciliations.GetLayoutAsync(setId, None)).Should().Be(replaced);
        (await store.Reconciliations.GetLayoutAsync(otherSetId, None)).Should().Be(ReconciliationLayout.Generic);
    }

    /// <summary>
    /// A kept report comes back whole (rows, conversions, mismatches, invalid rows, totals and counts), only under its own
    /// set; the list gives the set's summaries newest first by id, paged with the last id of a page.
    /// </summary>
    [Fact]
    public async Task AddReconciliation_ThenGetAndList_ReturnsTheReportWholeAndTheSummariesNewestFirst()
    {
        var store = await NewStorageAsync();
        var setId = StoreTestData.NewId();
        var otherSetId = StoreTestData.NewId();
        var reports = new List<ReconciliationReport>();
        for (var i = 0; i < 5; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            var report = Report(i % 4 == 3 ? otherSetId : setId, StoreTestData.NewId(), i);
            await store.Reconciliations.AddAsync(report, None);
            reports.Add(report);
        }

        var first = reports[0];
        var got = await store.Reconciliations.GetAsync(setId, first.Id, None);
        got.Should().BeEquivalentTo(first, o => o.WithStrictOrdering());
        (await store.Reconciliations.GetAsync(otherSetId, first.Id, None)).Should().BeNull("a report is found under its own set only");
        (await store.Reconciliations.GetAsync(setId, StoreTestData.NewId(), None)).Should().BeNull();

        var mine = reports.Where(r => r.SetId == setId).Select(r => r.Id).OrderDescending(StringComparer.Ordinal).ToList();
        var page1 = await store.Reconciliations.ListAsync(setId, 2, null, None);
        var page2 = await store.Reconciliations.ListAsync(setId, 2, page1[^1].Id, None);
        page1.Concat(page2).Select(s => s.Id).Should().Equal(mine);
        page1[0].Should().BeEquivalentTo(ReconciliationSummary.Of(reports.Single(r => r.Id == mine[0])), o => o.WithStrictOrdering());
        (await store.Reconciliations.ListAsync(StoreTestData.NewId(), ReconciliationStore.MaxListLimit, null, None)).Should().BeEmpty();
    }

    /// <summary>A report id is used once.</summary>
    [Fact]
    public async Task AddReconciliation_IdInUse_Throws()
    {
        var store = await NewStorageAsync();
        var report = Report(StoreTestData.NewId(), StoreTestData.NewId(), 1);
        await store.Reconciliations.AddAsync(report, None);

        var again = async () => await store.Reconciliations.AddAsync(report with { Rows = 99 }, None);

        await again.Should().ThrowAsync<InvalidOperationException>();
        (await store.Reconciliations.GetAsync(report.SetId, report.Id, None))!.Rows.Should().Be(report.Rows);
    }

    private ReconciliationReport Report(string setId, string id, int seed)
    {
        var time = StoreTestData.Epoch.AddHours(seed);
        var row = new ReconciliationRow { Line = 2 + seed, ClickId = "click-" + seed, Event = "deposit", Amount = 12.50m + seed, Currency = "USD", TransactionId = "T" + seed, Time = time };
        var conversion = new ReconciledConversion(StoreTestData.NewId(), "click-x", "first-deposit", 10.10m, "EUR", null, time.AddMinutes(3));
        return new ReconciliationReport
        {
            Id = id,
            SetId = setId,
            CreatedAt = Clock.GetUtcNow(),
            From = time.AddDays(-1),
            To = time,
            Rows = 10 + seed,
            Matched = 5,
            MissingHere = [row, row with { Line = 40, Amount = null, Currency = null, TransactionId = null, Event = "registration" }],
            MissingThere = [conversion],
            Mismatches = [new ReconciliationMismatch(row with { Line = 7, Amount = 11m }, conversion with { Amount = 12m })],
            Invalid = [new ReconciliationRowError(9, "The time 'x' is not an ISO 8601 time.")],
            Totals = [new ReconciliationTotal("EUR", 0m, 10.10m), new ReconciliationTotal("USD", 12.50m + seed, 0.000m)],
            MissingHereCount = 2,
            MissingThereCount = 1,
            MismatchCount = 1,
            InvalidCount = 3,
        };
    }
}
