using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>The daily roll-ups (migration 4): what the writes keep in them, and what the figures read from them.</summary>
public sealed class ConversionRollupTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Day = new(2025, 3, 14, 0, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task Rollups_AfterRoundsDuplicatesARecordFailingAloneAndLateAttribution_EqualAGroupByOverTheConversions()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        var ingest = store.Storage.Ingest;
        var clickId = "c" + StoreTestData.NewId()[..11];

        // One round trip of three rounds (a windowed key repeated: later, earlier by a day, then a duplicate), an
        // unattributed EUR deposit, a registration without amount or currency, and a rejection.
        var later = StoreTestData.Conversion(setId: "set-a", receivedAt: Day.AddDays(1).AddHours(2), key: StoreTestData.WindowedKey(TimeSpan.FromHours(1)));
        var earlier = StoreTestData.Retry(later, Day.AddHours(2));
        var duplicate = StoreTestData.Retry(later, later.Conversion.ReceivedAt.AddMinutes(10));
        var waiting = Unattributed(StoreTestData.Conversion(setId: "set-a", clickId: clickId, receivedAt: Day.AddHours(5)), 7.25m, "EUR");
        var registration = StoreTestData.Conversion(setId: "set-b", receivedAt: Day.AddHours(23).AddMinutes(59));
        registration = registration with { Conversion = registration.Conversion with { Event = PostbackEvent.Registration, Amount = null, Currency = null } };
        var results = await ingest.AppendAsync(
            [IngestRecords.For(later), IngestRecords.For(earlier), IngestRecords.For(duplicate), IngestRecords.For(waiting), IngestRecords.For(registration), IngestRecords.Rejected(StoreTestData.LogEntry("set-a", Day.AddHours(3)))],
            None);
        results[2].Should().Be(IngestResult.Duplicate(later.Id));

        // Written again record by record: one record reuses a stored id and fails alone.
        var waitingToo = Unattributed(StoreTestData.Conversion(setId: "set-a", clickId: clickId, receivedAt: Day.AddDays(2)), 0.10m, "EUR");
        var reusedId = StoreTestData.Conversion(setId: "set-a", receivedAt: Day.AddHours(4)) with { Id = registration.Id };
        results = await ingest.AppendAsync([IngestRecords.For(waitingToo), IngestRecords.For(reusedId)], None);
        results[0].Should().Be(IngestResult.Written(waitingToo.Id), "an unattributed deposit takes no number");
        results[1].Failure.Should().NotBeNull();

        // The click arrives: both waiting conversions move to the click's campaign.
        var click = StoreTestData.Click(campaignId: "camp-9") with { Id = clickId };
        (await store.Storage.Clicks.AddAsync(click, StoreTestData.Credit(click), None)).Should().Be(2);

        var rollups = await RowsAsync(store, "SELECT day, set_id, campaign_id, event_kind, attribution, currency, count, amount FROM {s}.conversion_rollups WHERE count > 0");
        var grouped = await RowsAsync(
            store,
            """
            SELECT (received_at AT TIME ZONE 'UTC')::date, set_id, campaign_id, event_kind, attribution, currency, count(*), COALESCE(sum(amount), 0)
            FROM {s}.conversions GROUP BY 1, 2, 3, 4, 5, 6
            """);
        rollups.Should().HaveCount(5).And.BeEquivalentTo(grouped);
        rollups.Should().Contain(("2025-03-14", "set-a", "camp-9", "first-deposit", "credited", "EUR", 1L, 7.25m));
        rollups.Should().NotContain(r => r.Attribution == "unattributed", "every unattributed conversion was credited");
    }

    [PostgresFact]
    public async Task GetConversionTotals_WholeDaysFromTheRollupsAndPartialDaysFromTheConversions()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        var stored = StoreTestData.Conversion(setId: "set-a", receivedAt: Day.AddHours(12));
        await store.Storage.Ingest.AppendOneAsync(IngestRecords.For(stored));

        // A conversion written past the store: only a read of the conversions counts it.
        await using (var command = database.NewDataSource().CreateCommand(
            $$"""
            INSERT INTO "{{store.Schema}}".conversions (id, set_id, event_kind, event_name, click_id, amount, currency, attributes, received_at, idempotency_key, attribution, campaign_id, deposit_number)
            VALUES ('conv-past-the-store', 'set-a', 'first-deposit', 'first-deposit', 'c1', 1.25, 'USD', '{}', '{{Day.AddHours(10):O}}', 'k-past', 'credited', 'camp-1', 1)
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        async Task<(long Count, decimal Amount)> TotalAsync(DateTimeOffset? from, DateTimeOffset? to)
        {
            var total = (await store.Storage.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { From = from, To = to }, None)).Single();
            return (total.Count, total.Amount);
        }

        (await TotalAsync(Day, Day.AddDays(1))).Should().Be((1L, 12.50m), "a whole day is read from the roll-ups");
        (await TotalAsync(null, null)).Should().Be((1L, 12.50m), "an open range has whole days only");
        (await TotalAsync(Day.AddHours(1), Day.AddHours(23))).Should().Be((2L, 13.75m), "a partial day is read from the conversions");
        (await TotalAsync(Day.AddHours(11), Day.AddDays(2))).Should().Be((1L, 12.50m), "10:00 is before the range");
        (await TotalAsync(Day.AddHours(1), Day.AddDays(2))).Should().Be((2L, 13.75m));
        (await TotalAsync(Day.AddDays(-1), Day.AddHours(11))).Should().Be((1L, 1.25m), "the partial end day is read from the conversions");
    }

    private static ConversionRecord Unattributed(ConversionRecord conversion, decimal amount, string currency) => conversion with
    {
        Attribution = ConversionAttribution.Unattributed,
        CampaignId = null,
        Conversion = conversion.Conversion with { Amount = amount, Currency = currency },
    };

    private static async Task<List<(string Day, string SetId, string? CampaignId, string Kind, string Attribution, string? Currency, long Count, decimal Amount)>> RowsAsync(
        PostgreSqlPostbackStore store, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.RequiredConnectionString);
        await using var command = dataSource.CreateCommand(sql.Replace("{s}", $"\"{store.Schema}\"", StringComparison.Ordinal));
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string?, string, string, string?, long, decimal)>();
        while (await reader.ReadAsync())
        {
            rows.Add((
                reader.GetFieldValue<DateOnly>(0).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt64(6),
                reader.GetDecimal(7)));
        }

        return rows;
    }
}
