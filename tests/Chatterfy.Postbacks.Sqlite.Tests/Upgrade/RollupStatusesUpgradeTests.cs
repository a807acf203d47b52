using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;
using Chatterfy.Postbacks.Tests.Upgrade;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database at the version before statuses in the roll-ups (conversions stored with statuses, their daily roll-ups
/// written as that version's store writes them: one row mixing a key's statuses) gets the roll-ups' status when the current
/// store opens it: the stats then count approved conversions only, give the others' counts by status and the chargebacks'
/// sums, as a brute-force count over the stored conversions does, for whole and partial days and with a campaign filter.
/// </summary>
public sealed class RollupStatusesUpgradeTests : IDisposable
{
    // The version before the roll-ups' status: conversion statuses (stored, changed, not in the roll-ups).
    private const int PreviousVersion = 13;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = UpgradeFigures.T0;

    // Conversions as the previous version stores them, of every status: approved ones, a pending first deposit, a deposit
    // charged back (and one with a reporting amount), a rejected registration, and an unattributed pending deposit, some
    // sharing a roll-up key with approved ones.
    private static readonly StoredConversion[] Conversions =
    [
        new("x-1", "set-a", "first-deposit", "click-x", 1, 10.10m, "USD", "credited", "spring", 1, 9.25m, "approved"),
        new("x-2", "set-a", "deposit", "click-x", 5, 20.20m, "USD", "credited", "spring", 2, null, "chargeback"),
        new("x-3", "set-b", "first-deposit", "click-x", 23, 30.30m, "EUR", "credited", "spring", 3, 32.5m, "approved"),
        new("x-4", "set-a", "deposit", "click-x", 26, 40.40m, "USD", "credited", "spring", 4, 37m, "chargeback"),
        new("x-5", "set-a", "deposit", "click-x", 30, 50.50m, "BRL", "credited", "autumn", 5, null, "approved"),
        new("x-6", "set-a", "deposit", "click-x", 26, 60.60m, "USD", "credited", "spring", 4, 55.55m, "approved"),
        new("y-1", "set-b", "deposit", "click-y", 2, 7.77m, "USD", "credited", "autumn", 2, null, "approved"),
        new("y-2", "set-b", "first-deposit", "click-y", 28, 8.88m, "USD", "credited", "autumn", 1, null, "pending"),
        new("z-1", "set-a", "deposit", "click-z", 27, 9.99m, "USD", "unattributed", null, null, null, "pending"),
        new("z-0", "set-a", "registration", "click-z", 3, null, null, "credited", "spring", null, null, "rejected"),
        new("z-2", "set-a", "registration", "click-w", 3, null, null, "credited", "spring", null, null, "approved"),
    ];

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfThePreviousVersion_CountsApprovedConversionsAndTheOthersByStatus_AsABruteForceCountDoes()
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
            figures.Should().BeEquivalentTo(UpgradeFigures.BruteForce(Conversions, query), "the figures of {0}, statuses included, equal a brute-force count", query);
            (await stats.GetDailyAsync(query, None))!.Aggregate(StatusCounts.None, (sum, day) => new StatusCounts(
                sum.Pending + day.Statuses.Pending, sum.Rejected + day.Statuses.Rejected, sum.Chargeback + day.Statuses.Chargeback))
                .Should().Be(figures!.Statuses, "the days of {0} add up to its statuses", query);
        }

        var all = (await stats.GetAsync(new PostbackStatsQuery(), None))!;
        all.Statuses.Should().Be(new StatusCounts(Pending: 1, Rejected: 1, Chargeback: 2), "the unattributed pending deposit counts as unattributed");
        all.Unattributed.Should().Be(1);
        all.Amounts.Single(a => a.Currency == "USD").Should().Be(new CurrencyAmounts("USD", 10.10m, 68.37m) { Chargebacks = 60.60m });
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
                                     reporting_amount, reporting_currency, reporting_rate, reporting_rate_date, deposit_number, status)
            VALUES ($id, $set_id, $event, $click_id, $amount, $currency, $id, '{}', $received_at, NULL,
                    $key, NULL, $attribution, $campaign_id, 0,
                    $reporting_amount, $reporting_currency, $reporting_rate, $reporting_rate_date, $deposit_number, $status)
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
        command.Parameters.AddWithValue("$status", c.Status);
        command.ExecuteNonQuery();
    }

    // The roll-up rows the previous version's writer keeps for those conversions: one per day, set, campaign, event,
    // attribution, currency, reporting currency and deposit-number bucket, whatever the status, with the count and the exact sums as text.
    private static void InsertRollups(SqliteConnection connection, SqliteTransaction transaction)
    {
        var rows = Conversions.GroupBy(c => (Day: SqliteValues.DayOf(SqliteValues.ToDb(c.ReceivedAt)), c.SetId, c.CampaignId, c.Event, c.Attribution, c.Currency, ReportingCurrency: c.ReportingAmount is null ? null : "USD", Bucket: c.Number is { } n ? Math.Min(n, 4) : (int?)null));
        foreach (var row in rows)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO conversion_rollups (day, set_id, campaign_id, event, attribution, currency, reporting_currency, deposit_bucket, count, amount, reporting_amount)
                VALUES ($day, $set_id, $campaign_id, $event, $attribution, $currency, $reporting_currency, $bucket, $count, $amount, $reporting_amount)
                """;
            command.Parameters.AddWithValue("$day", row.Key.Day);
            command.Parameters.AddWithValue("$set_id", row.Key.SetId);
            command.Parameters.AddWithValue("$campaign_id", (object?)row.Key.CampaignId ?? DBNull.Value);
            command.Parameters.AddWithValue("$event", row.Key.Event);
            command.Parameters.AddWithValue("$attribution", row.Key.Attribution);
            command.Parameters.AddWithValue("$currency", (object?)row.Key.Currency ?? DBNull.Value);
            command.Parameters.AddWithValue("$reporting_currency", (object?)row.Key.ReportingCurrency ?? DBNull.Value);
            command.Parameters.AddWithValue("$bucket", (object?)row.Key.Bucket ?? DBNull.Value);
            command.Parameters.AddWithValue("$count", (long)row.Count());
            command.Parameters.AddWithValue("$amount", SqliteValues.ToDb(row.Sum(c => c.Amount ?? 0m)));
            command.Parameters.AddWithValue("$reporting_amount", SqliteValues.ToDb(row.Sum(c => c.ReportingAmount ?? 0m)));
            command.ExecuteNonQuery();
        }
    }

}
