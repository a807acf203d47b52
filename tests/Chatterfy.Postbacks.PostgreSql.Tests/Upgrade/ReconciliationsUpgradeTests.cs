using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// A schema at the previous version (the shipped migrations before this one, with a set and its conversions written as
/// that version's store writes them) gets the reconciliation tables when the current store migrates it: the set and
/// conversions keep their values, the set has no layout (the generic one applies) and no kept report, and a report can
/// then be kept and read back.
/// </summary>
public sealed class ReconciliationsUpgradeTests
{
    // The version before the reconciliations (migration 10).
    private const int PreviousVersion = 9;
    private static readonly CancellationToken None = CancellationToken.None;

    [PostgresFact]
    public async Task Migrate_SchemaOfThePreviousVersion_KeepsItsSetsAndConversions_AndStartsWithoutLayoutsOrReports()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var quoted = PostgreSqlSchema.Quote(schema);
        var dataSource = database.NewDataSource();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await PostgresTestDatabase.CreateSchemaAtVersionAsync(connection, transaction, quoted, PreviousVersion);

            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO {quoted}.postback_sets (id, name, network_id, token, created_at, enabled) VALUES ('set-1', '1Win', '1win', 'tok-1', '2026-11-27T12:00:00Z', true);
                INSERT INTO {quoted}.postback_set_tokens (token, set_id) VALUES ('tok-1', 'set-1');
                INSERT INTO {quoted}.conversions (id, set_id, event_kind, event_name, click_id, amount, currency, transaction_id, attributes, received_at, idempotency_key, attribution, campaign_id, deposit_number)
                VALUES ('conv-1', 'set-1', 'first-deposit', 'first-deposit', 'click-1', 50.00, 'USD', 'T1', '{"{}"}', '2026-11-27T12:00:00Z', 'k1', 'credited', NULL, 1),
                       ('conv-2', 'set-1', 'registration', 'registration', 'click-1', NULL, NULL, NULL, '{"{}"}', '2026-11-27T11:59:59Z', 'k2', 'credited', NULL, NULL);
                """);
            await transaction.CommitAsync();
        }

        var store = database.NewStore(schema);
        (await store.MigrateAsync()).Should().Be(PostgreSqlSchema.CurrentVersion - PreviousVersion);

        (await PostgresTestDatabase.SchemaVersionsAsync(schema)).Should().Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion));
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

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}
