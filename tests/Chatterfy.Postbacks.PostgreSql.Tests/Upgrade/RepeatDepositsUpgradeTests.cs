using System.Globalization;
using System.Text;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Tests.Upgrade;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// A schema at the version before repeat deposits in the stats (numbered deposits stored, their daily roll-ups as that
/// version's store keeps them) gets the roll-ups' deposit-number buckets when the current store migrates it: the stats'
/// figures, repeat deposits included, then equal a brute-force count over the stored conversions, for whole and partial
/// days and with a campaign filter.
/// </summary>
public sealed class RepeatDepositsUpgradeTests
{
    // The version before the repeat-deposit buckets: rule filters, with deposit numbers since the one before.
    private const int PreviousVersion = 9;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = UpgradeFigures.T0;

    // Conversions as the previous version stores them: click X's deposits numbered 1 to 6 over three days (one a second
    // first deposit from set B that took 3), click Y's deposit before its first deposit (2, then 1), an unattributed
    // deposit and a registration (no number), and reporting amounts on some.
    private static readonly StoredConversion[] Conversions =
    [
        new("x-1", "set-a", "first-deposit", "click-x", 1, 10.10m, "USD", "credited", "spring", 1, 9.25m),
        new("x-2", "set-a", "deposit", "click-x", 5, 20.20m, "USD", "credited", "spring", 2, null),
        new("x-3", "set-b", "first-deposit", "click-x", 23, 30.30m, "EUR", "credited", "spring", 3, 32.5m),
        new("x-4", "set-a", "deposit", "click-x", 26, 40.40m, "USD", "credited", "spring", 4, 37m),
        new("x-5", "set-a", "deposit", "click-x", 30, 50.50m, "BRL", "credited", "autumn", 5, null),
        new("x-6", "set-a", "deposit", "click-x", 50, 60.60m, "USD", "credited", "spring", 6, 55.55m),
        new("y-1", "set-b", "deposit", "click-y", 2, 7.77m, "USD", "credited", "autumn", 2, null),
        new("y-2", "set-b", "first-deposit", "click-y", 28, 8.88m, "USD", "credited", "autumn", 1, null),
        new("z-1", "set-a", "deposit", "click-z", 27, 9.99m, "USD", "unattributed", null, null, null),
        new("z-0", "set-a", "registration", "click-z", 3, null, null, "credited", "spring", null, null),
    ];

    [PostgresFact]
    public async Task Migrate_SchemaOfThePreviousVersion_CountsItsRepeatDepositsByNumber_AsABruteForceCountDoes()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var quoted = PostgreSqlSchema.Quote(schema);
        var sql = new StringBuilder();
        sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE SCHEMA {quoted};");
        sql.AppendLine(PostgreSqlSchema.Render(PostgreSqlSchema.VersionTable, quoted));
        for (var version = 1; version <= PreviousVersion; version++)
        {
            sql.AppendLine(PostgreSqlSchema.Render(PostgreSqlSchema.Migrations[version - 1], quoted));
            sql.AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {quoted}.schema_version (version) VALUES ({version});");
        }

        foreach (var c in Conversions)
        {
            sql.AppendLine(CultureInfo.InvariantCulture, $"""
                INSERT INTO {quoted}.conversions (id, set_id, event_kind, event_name, click_id, amount, currency, attributes, received_at,
                                                  idempotency_key, attribution, campaign_id, reporting_amount, reporting_currency,
                                                  reporting_rate, reporting_rate_date, deposit_number)
                VALUES ('{c.Id}', '{c.SetId}', '{c.Event}', '{c.Event}', '{c.ClickId}', {Literal(c.Amount)}, {Literal(c.Currency)}, '{"{}"}',
                        timestamptz '2026-10-05T00:00:00Z' + interval '{c.Hours} hours', '{c.SetId}:{c.Event}:{c.ClickId}:t:{c.Id}',
                        '{c.Attribution}', {Literal(c.CampaignId)}, {Literal(c.ReportingAmount)}, {(c.ReportingAmount is null ? "NULL" : "'USD'")},
                        {(c.ReportingAmount is null ? "NULL" : "1.0921")}, {(c.ReportingAmount is null ? "NULL" : "date '2026-10-05'")},
                        {(c.Number is { } n ? n.ToString(CultureInfo.InvariantCulture) : "NULL")});
                """);
        }

        // The roll-up rows the previous version keeps for them: one per day, set, campaign, event kind, attribution,
        // currency and reporting currency, with the count and the exact sums.
        sql.AppendLine(CultureInfo.InvariantCulture, $"""
            INSERT INTO {quoted}.conversion_rollups (day, set_id, campaign_id, event_kind, attribution, currency, reporting_currency, count, amount, reporting_amount)
            SELECT (received_at AT TIME ZONE 'UTC')::date, set_id, campaign_id, event_kind, attribution, currency, reporting_currency,
                   count(*), COALESCE(sum(amount), 0), COALESCE(sum(reporting_amount), 0)
            FROM {quoted}.conversions
            GROUP BY 1, 2, 3, 4, 5, 6, 7;
            """);
        await using (var command = database.NewDataSource().CreateCommand(sql.ToString()))
        {
            await command.ExecuteNonQueryAsync();
        }

        var store = database.NewStore(schema);
        (await store.MigrateAsync()).Should().Be(PostgreSqlSchema.CurrentVersion - PreviousVersion);

        var stats = new PostbackStatsService(store.Storage.Sets, store.Storage.Log);
        foreach (var query in UpgradeFigures.Queries())
        {
            var figures = await stats.GetAsync(query, None);
            figures.Should().BeEquivalentTo(UpgradeFigures.BruteForce(Conversions, query), "the figures of {0}, repeat deposits included, equal a brute-force count", query);
            (await stats.GetDailyAsync(query, None))!.Aggregate(RepeatDepositCounts.None, (sum, day) => new RepeatDepositCounts(
                sum.Second + day.RepeatDeposits.Second, sum.Third + day.RepeatDeposits.Third, sum.FourthOrLater + day.RepeatDeposits.FourthOrLater))
                .Should().Be(figures!.RepeatDeposits, "the days of {0} add up to its repeat deposits", query);
        }

        (await stats.GetAsync(new PostbackStatsQuery(), None))!.RepeatDeposits.Should().Be(new RepeatDepositCounts(2, 1, 3));
    }

    private static string Literal(string? value) => value is null ? "NULL" : $"'{value}'";

    private static string Literal(decimal? value) => value is { } amount ? amount.ToString(CultureInfo.InvariantCulture) : "NULL";

}
