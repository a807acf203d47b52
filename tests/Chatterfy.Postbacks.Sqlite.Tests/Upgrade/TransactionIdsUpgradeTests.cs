using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database at the previous schema version (the shipped migrations before this one, with conversions written as that
/// version's store writes them) gets the index by set and transaction id when the current store opens it: the conversions
/// keep their values, and reconciliation's look-up finds them by transaction id and by click id.
/// </summary>
public sealed class TransactionIdsUpgradeTests : IDisposable
{
    // The version before the index (migration 12).
    private const int PreviousVersion = 12;
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfThePreviousVersion_KeepsItsConversions_AndFindsThemByTransactionAndClickIds()
    {
        var epoch = SqliteValues.ToDb(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        using (var connection = _database.OpenRaw())
        {
            using var transaction = connection.BeginTransaction();
            TestDatabase.ApplyMigrations(connection, transaction, PreviousVersion);

            Execute(connection, transaction, $"""
                INSERT INTO postback_sets (id, name, network_id, token, created_at, enabled) VALUES ('set-1', '1Win', '1win', 'tok-1', {epoch}, 1);
                INSERT INTO postback_set_tokens (token, set_id) VALUES ('tok-1', 'set-1');
                INSERT INTO conversions (id, set_id, event, click_id, amount, currency, transaction_id, attributes, received_at, idempotency_key, attribution, campaign_id, deposit_number)
                VALUES ('conv-1', 'set-1', 'first-deposit', 'click-1', '50.00', 'USD', 'T1', '{"{}"}', {epoch}, 'set-1:first-deposit:click-1', 'credited', NULL, 1),
                       ('conv-2', 'set-1', 'registration', 'click-2', NULL, NULL, NULL, '{"{}"}', {epoch - 10_000_000}, 'set-1:registration:click-2', 'credited', NULL, NULL),
                       ('conv-3', 'set-1', 'deposit', 'click-3', '20.00', 'USD', 'T3', '{"{}"}', {epoch + 10_000_000}, 'set-1:deposit:click-3:T3', 'credited', NULL, 2);
                PRAGMA user_version = {PreviousVersion};
                """);
            transaction.Commit();
        }

        var store = _database.CreateStore(o => o.CreateIfMissing = false);
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
        _database.Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_conversions_set_id_transaction_id'").Should().Be(1L);
        var found = await store.Storage.Ingest.ListConversionsToMatchAsync(new ConversionMatchQuery { SetId = "set-1", TransactionIds = ["T1"], ClickIds = ["click-2"] }, None);
        found.Select(c => (c.ConversionId, c.Event, c.Amount, c.TransactionId))
            .Should().Equal(("conv-2", "registration", null, null), ("conv-1", "first-deposit", 50.00m, "T1"));
        (await store.Storage.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = "set-1" }, None)).Select(c => c.Id).Should().Equal("conv-3", "conv-1", "conv-2");
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
