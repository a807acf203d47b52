using System.Globalization;
using System.Text;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace Chatterfy.Postbacks.Tests.Reconciliation;

public sealed class ReconciliationServiceTests
{
    [Fact]
    public async Task ReconcileAsync_RepeatDepositsWithoutTid_MatchOnClickAmountAndCurrencyOnlyWithinTheDeduplicationWindow()
    {
        using var services = new TestServices(o => o.DeduplicationWindow = TimeSpan.FromHours(1));
        var (set, token) = await NewSetAsync(services);
        await Ingest(services, token, "deposit", "?clickid=abc123XYZ0&amount=20&currency=USD");
        await Ingest(services, token, "deposit", "?clickid=abc123XYZ0&amount=20&currency=USD&tid=second");

        var report = await Reconcile(services, set, """
            click_id,event,amount,currency,time
            abc123XYZ0,deposit,20,USD,2026-11-27T11:30:00Z
            abc123XYZ0,deposit,20,USD,2026-11-27T14:00:00Z
            """);

        report.Matched.Should().Be(1, "the second row is more than the window away from the other stored deposit");
        report.MissingHere.Select(r => r.Line).Should().Equal(3);
    }

    [Fact]
    public async Task ReconcileAsync_TransactionIdWinsOverTheClick_AndAFirstDepositMatchesOnItsClickWhateverItsTime()
    {
        using var services = new TestServices();
        var (set, token) = await NewSetAsync(services);
        await Ingest(services, token, "first-deposit", "?clickid=abc123XYZ0&amount=50&currency=USD&tid=T1");
        await Ingest(services, token, "first-deposit", "?clickid=other0XYZ0&amount=10&currency=EUR");

        var report = await Reconcile(services, set, """
            click_id,event,amount,currency,transaction_id,time
            renamed000,ftd,50,USD,T1,2026-11-01T00:00:00Z
            other0XYZ0,first_deposit,11,EUR,,2026-11-01T00:00:00Z
            """);

        report.Matched.Should().Be(1);
        report.Mismatches.Should().ContainSingle().Which.Row.Amount.Should().Be(11m);
        report.MissingHere.Should().BeEmpty();
    }

    [Fact]
    public async Task ReconcileAsync_UnknownSet_ReturnsNull()
    {
        using var services = new TestServices();

        var report = await services.Get<ReconciliationService>().ReconcileAsync("no-such-set", new MemoryStream("click_id,event,time\n"u8.ToArray()));

        report.Should().BeNull();
    }

    [Fact]
    public async Task ReconcileAsync_MoreMissingRowsThanTheBound_KeepsTheFirstOnesListedAndCountsThemAll()
    {
        using var services = new TestServices();
        var (set, _) = await NewSetAsync(services);
        var csv = new StringBuilder("click_id,event,time\n");
        for (var i = 0; i < ReconciliationService.MaxListedRows + 5; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"c{i},registration,2026-11-27T11:00:00Z\n");
        }

        var report = await Reconcile(services, set, csv.ToString());
        var kept = await services.Get<ReconciliationService>().GetAsync(set, report.Id);

        report.MissingHereCount.Should().Be(ReconciliationService.MaxListedRows + 5);
        report.MissingHere.Should().HaveCount(ReconciliationService.MaxListedRows);
        report.MissingHere[^1].ClickId.Should().Be($"c{ReconciliationService.MaxListedRows - 1}");
        kept.Should().BeEquivalentTo(report, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task ReconcileAsync_RowsInDifferentBatchesClaimOneConversion_TheFirstInTheFileTakesIt()
    {
        using var services = new TestServices();
        var (set, token) = await NewSetAsync(services);
        await Ingest(services, token, "registration", "?clickid=abc123XYZ0");
        var csv = new StringBuilder("click_id,event,time\nabc123XYZ0,registration,2026-11-27T11:00:00Z\n");
        for (var i = 0; i < ReconciliationMatcher.BatchSize; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"c{i},registration,2026-11-27T11:00:00Z\n");
        }

        csv.Append("abc123XYZ0,registration,2026-11-27T11:30:00Z\n");

        var report = await Reconcile(services, set, csv.ToString());

        report.Matched.Should().Be(1);
        report.MissingHereCount.Should().Be(ReconciliationMatcher.BatchSize + 1);
        report.MissingHere[^1].Line.Should().Be(ReconciliationMatcher.BatchSize + 3, "the row in the next batch finds the registration taken by the first row");
        report.MissingThereCount.Should().Be(0);
    }

    [Fact]
    public async Task ReconcileAsync_MoreMissingThereThanTheBound_ListsTheOldestAndCountsThemAll()
    {
        using var services = new TestServices();
        var (set, _) = await NewSetAsync(services);
        var stored = new List<ConversionRecord>();
        for (var i = 0; i < ReconciliationService.MaxListedRows + 5; i++)
        {
            stored.Add(StoreTestData.Conversion(setId: set, receivedAt: TestServices.Start.AddSeconds(-i)));
        }

        foreach (var chunk in stored.Chunk(1000))
        {
            await services.Store.Ingest.AppendAsync([.. chunk.Select(c => StoreTestData.Record(c))], CancellationToken.None);
        }

        var report = (await services.Get<ReconciliationService>().ReconcileAsync(
            set, new MemoryStream("click_id,event,time\n"u8.ToArray()), from: TestServices.Start.AddDays(-1), to: TestServices.Start))!;

        report.MissingThereCount.Should().Be(ReconciliationService.MaxListedRows + 5);
        report.MissingThere.Select(c => c.ConversionId).Should().Equal(
            stored.OrderBy(c => c.Conversion.ReceivedAt).Take(ReconciliationService.MaxListedRows).Select(c => c.Id), "the oldest are listed, oldest first");
        report.Totals.Should().Equal(new ReconciliationTotal("USD", 0m, 12.50m * (ReconciliationService.MaxListedRows + 5)));
    }

    private static async Task<(string SetId, string Token)> NewSetAsync(TestServices services)
    {
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        return (set.Id, set.Token);
    }

    private static async Task Ingest(TestServices services, string token, string segment, string query)
    {
        var result = await services.Ingestor.IngestAsync(token, new PostbackRequest { EventSegment = segment, QueryString = query });
        result.Outcome.Should().BeOneOf(PostbackOutcome.Accepted, PostbackOutcome.Unattributed);
    }

    private static async Task<ReconciliationReport> Reconcile(TestServices services, string setId, string csv) =>
        (await services.Get<ReconciliationService>().ReconcileAsync(setId, new MemoryStream(Encoding.UTF8.GetBytes(csv))))!;
}
