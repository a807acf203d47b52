using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;
using Chatterfy.Postbacks.Tests.Upgrade;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database at the version before repeat deposits in the stats (numbered deposits stored, their daily roll-ups written as
/// that version's store writes them) gets the roll-ups' deposit-number buckets when the current store opens it: the stats'
/// figures, repeat deposits included, then equal a brute-force count over the stored conversions, for whole and partial
/// days and with a campaign filter.
/// </summary>
public sealed class RepeatDepositsUpgradeTests : IDisposable
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

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfThePreviousVersion_CountsItsRepeatDepositsByNumber_AsABruteForceCountDoes()
    {
        using (var connection = _database.OpenRaw())
        {
            using var transaction = connection.BeginTransaction();
            TestDatabase.ApplyMigrations(connection, transaction, PreviousVersion);

            foreach (var conversion in Conversions)
            {
                Insert(connection, transaction, conversion);
            }

            InsertRollups(connection, transaction);
            Execute(connection, transaction, $"PRAGMA user_version = {PreviousVersion}");
            transaction.Commit();
        }

        var store = _database.CreateStore(o => o.CreateIfMissing = false);
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
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

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // A conversion row as the previous version's SqliteIngestStore writes it.
    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, StoredConversion c)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO conversions (id, set_id, event, click_id, amount, currency, transaction_id, attributes, received_at, remote_address,
                                     idempotency_key, idempotency_window, attribution, campaign_id, attribution_window_passed,
                                     reporting_amount, reporting_currency, reporting_rate, reporting_rate_date, deposit_number)
            VALUES ($id, $set_id, $event, $click_id, $amount, $currency, $id, '{}', $received_at, NULL,
                    $key, NULL, $attribution, $campaign_id, 0,
                    $reporting_amount, $reporting_currency, $reporting_rate, $reporting_rate_date, $deposit_number)
            """;
        command.Parameters.AddWithValue("$id", c.Id);
        command.Parameters.AddWithValue("$set_id", c.SetId);
        command.Parameters.AddWithValue("$event", c.Event);
        command.Parameters.AddWithValue("$click_id", c.ClickId);
        command.Parameters.AddWithValue("$amount", c.Amount is { } amount ? SqliteValues.ToDb(amount) : DBNull.Value);
        command.Parameters.AddWithValue("$currency", (object?)c.Currency ?? DBNull.Value);
        command.Parameters.AddWithValue("$received_at", SqliteValues.ToDb(c.ReceivedAt));
        command.Parameters.AddWithValue("$key", $"{c.SetId}:{c.Event}:{c.ClickId}:t:{c.Id}");
        command.Parameters.AddWithValue("$attribution", c.Attribution);
        command.Parameters.AddWithValue("$campaign_id", (object?)c.CampaignId ?? DBNull.Value);
        command.Parameters.AddWithValue("$reporting_amount", c.ReportingAmount is { } reporting ? SqliteValues.ToDb(reporting) : DBNull.Value);
        command.Parameters.AddWithValue("$reporting_currency", c.ReportingAmount is null ? DBNull.Value : "USD");
        command.Parameters.AddWithValue("$reporting_rate", c.ReportingAmount is null ? DBNull.Value : "1.0921");
        command.Parameters.AddWithValue("$reporting_rate_date", c.ReportingAmount is null ? DBNull.Value : SqliteValues.ToDb(DateOnly.FromDateTime(T0.UtcDateTime)));
        command.Parameters.AddWithValue("$deposit_number", (object?)c.Number ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    // The roll-up rows the previous version's writer keeps for those conversions: one per day, set, campaign, event,
    // attribution, currency and reporting currency, with the count and the exact sums as text.
    private static void InsertRollups(SqliteConnection connection, SqliteTransaction transaction)
    {
        var rows = Conversions.GroupBy(c => (Day: SqliteValues.DayOf(SqliteValues.ToDb(c.ReceivedAt)), c.SetId, c.CampaignId, c.Event, c.Attribution, c.Currency, ReportingCurrency: c.ReportingAmount is null ? null : "USD"));
        foreach (var row in rows)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO conversion_rollups (day, set_id, campaign_id, event, attribution, currency, reporting_currency, count, amount, reporting_amount)
                VALUES ($day, $set_id, $campaign_id, $event, $attribution, $currency, $reporting_currency, $count, $amount, $reporting_amount)
                """;
            command.Parameters.AddWithValue("$day", row.Key.Day);
            command.Parameters.AddWithValue("$set_id", row.Key.SetId);
            command.Parameters.AddWithValue("$campaign_id", (object?)row.Key.CampaignId ?? DBNull.Value);
            command.Parameters.AddWithValue("$event", row.Key.Event);
            command.Parameters.AddWithValue("$attribution", row.Key.Attribution);
            command.Parameters.AddWithValue("$currency", (object?)row.Key.Currency ?? DBNull.Value);
            command.Parameters.AddWithValue("$reporting_currency", (object?)row.Key.ReportingCurrency ?? DBNull.Value);
            command.Parameters.AddWithValue("$count", (long)row.Count());
            command.Parameters.AddWithValue("$amount", SqliteValues.ToDb(row.Sum(c => c.Amount ?? 0m)));
            command.Parameters.AddWithValue("$reporting_amount", SqliteValues.ToDb(row.Sum(c => c.ReportingAmount ?? 0m)));
            command.ExecuteNonQuery();
        }
    }

}
