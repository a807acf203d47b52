using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database at the previous schema version (the shipped migrations before this one, with a set and its conversions
/// written as that version's store writes them) gets the reconciliation tables when the current store opens it: the set
/// and conversions keep their values, the set has no layout (the generic one applies) and no kept report, and a report
/// can then be kept and read back.
/// </summary>
public sealed class ReconciliationsUpgradeTests : IDisposable
{
    // The version before the reconciliations (migration 10).
    private const int PreviousVersion = 9;
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfThePreviousVersion_KeepsItsSetsAndConversions_AndStartsWithoutLayoutsOrReports()
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
                       ('conv-2', 'set-1', 'registration', 'click-1', NULL, NULL, NULL, '{"{}"}', {epoch - 10_000_000}, 'set-1:registration:click-1', 'credited', NULL, NULL);
                PRAGMA user_version = {PreviousVersion};
                """);
            transaction.Commit();
        }

        var store = _database.CreateStore(o => o.CreateIfMissing = false);
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
        var conversions = await store.Storage.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = "set-1" }, None);
        conversions.Select(c => (c.Id, c.Conversion.Event.Name, c.Conversion.Amount, c.Conversion.TransactionId, c.DepositNumber))
            .Should().Equal(("conv-1", "first-deposit", 50.00m, "T1", 1), ("conv-2", "registration", null, null, null));
        (await store.Storage.Sets.GetAsync("set-1", None))!.Token.Should().Be("tok-1");
        (await store.Storage.Reconciliations.GetLayoutAsync("set-1", None)).Should().BeNull("an existing set reads the generic layout");
        (await store.Storage.Reconciliations.ListAsync("set-1", ReconciliationStore.MaxListLimit, null, None)).Should().BeEmpty();

        var report = new ReconciliationReport
        {
            Id = "rec-1", SetId = "set-1", CreatedAt = DateTimeOffset.UnixEpoch, From = DateTimeOffset.UnixEpoch, To = DateTimeOffset.UnixEpoch,
            Rows = 0, Matched = 0, MissingHere = [], MissingThere = [], Mismatches = [], Invalid = [], Totals = [],
            MissingHereCount = 0, MissingThereCount = 0, MismatchCount = 0, InvalidCount = 0,
        };
        await store.Storage.Reconciliations.AddAsync(report, None);
        (await store.Storage.Reconciliations.GetAsync("set-1", "rec-1", None)).Should().BeEquivalentTo(report);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
