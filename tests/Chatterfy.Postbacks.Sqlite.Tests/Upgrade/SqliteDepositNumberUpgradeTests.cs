using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database at schema version 4 (as the code before deposit numbers wrote it) gets its credited deposits numbered per
/// click when the current store opens it: in (received at, id) order, the earliest first deposit 1, the others from 2.
/// </summary>
public sealed class SqliteDepositNumberUpgradeTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfSchemaVersion4_NumbersItsCreditedDepositsPerClick_InReceiveOrder()
    {
        using (var connection = _database.OpenRaw())
        {
            using var transaction = connection.BeginTransaction();
            foreach (var migration in SqliteSchema.Migrations.Take(3))
            {
                Execute(connection, transaction, migration.Sql);
            }

            // Click X: a repeat deposit before its first deposit, a second first deposit from set B, two deposits received
            // at the same time (ordered by id), an unattributed deposit and a registration. Click Y: one deposit.
            Insert(connection, transaction, "x-1", "set-a", "deposit", "click-x", 1, "credited");
            Insert(connection, transaction, "x-2", "set-a", "first-deposit", "click-x", 2, "credited");
            Insert(connection, transaction, "x-3", "set-b", "first-deposit", "click-x", 3, "credited");
            Insert(connection, transaction, "x-4", "set-b", "deposit", "click-x", 4, "credited");
            Insert(connection, transaction, "x-5", "set-a", "deposit", "click-x", 5, "unattributed");
            Insert(connection, transaction, "x-0", "set-a", "registration", "click-x", 0, "credited");
            Insert(connection, transaction, "x-7b", "set-a", "deposit", "click-x", 6, "credited");
            Insert(connection, transaction, "x-7a", "set-a", "deposit", "click-x", 6, "credited");
            Insert(connection, transaction, "y-1", "set-a", "deposit", "click-y", 1, "credited");
            var v4 = SqliteSchema.Migrations[3];
            Execute(connection, transaction, v4.Sql);
            v4.Fill?.Invoke(connection, transaction);
            Execute(connection, transaction, "PRAGMA user_version = 4");
            transaction.Commit();
        }

        var store = _database.CreateStore(o => o.CreateIfMissing = false);
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
        var x = await store.Ingest.ListConversionsByClickAsync("click-x", None);
        x.ToDictionary(c => c.Id, c => c.DepositNumber).Should().BeEquivalentTo(new Dictionary<string, int?>
        {
            ["x-0"] = null,
            ["x-1"] = 2,
            ["x-2"] = 1,
            ["x-3"] = 3,
            ["x-4"] = 4,
            ["x-5"] = null,
            ["x-7a"] = 5,
            ["x-7b"] = 6,
        });
        (await store.Ingest.ListConversionsByClickAsync("click-y", None)).Single().DepositNumber.Should().Be(2);
        x.Single(c => c.Id == "x-4").Conversion.Amount.Should().Be(10.50m, "the upgrade changes nothing else");
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // A conversion row as schema 4 holds it (no deposit number).
    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, string id, string setId, string eventName, string clickId, int hours, string attribution)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO conversions (id, set_id, event, click_id, amount, currency, transaction_id, attributes, received_at, remote_address, idempotency_key, idempotency_window, attribution, campaign_id)
            VALUES ($id, $set_id, $event, $click_id, '10.50', 'USD', $id, '{}', $received_at, NULL, $key, NULL, $attribution, 'spring')
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$set_id", setId);
        command.Parameters.AddWithValue("$event", eventName);
        command.Parameters.AddWithValue("$click_id", clickId);
        command.Parameters.AddWithValue("$received_at", SqliteValues.ToDb(T0.AddHours(hours)));
        command.Parameters.AddWithValue("$key", $"{setId}:{eventName}:{clickId}:t:{id}");
        command.Parameters.AddWithValue("$attribution", attribution);
        command.ExecuteNonQuery();
    }
}
