using Chatterfy.Postbacks.Storage;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// A schema at the previous version (the shipped migrations before this one, with conversions written as that version's
/// store writes them) gets the index by set and transaction id when the current store migrates it: the conversions keep
/// their values, and reconciliation's look-up finds them by transaction id and by click id.
/// </summary>
public sealed class TransactionIdsUpgradeTests
{
    // The version before the index (migration 12).
    private const int PreviousVersion = 12;
    private static readonly CancellationToken None = CancellationToken.None;

    [PostgresFact]
    public async Task Migrate_SchemaOfThePreviousVersion_KeepsItsConversions_AndFindsThemByTransactionAndClickIds()
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
                       ('conv-2', 'set-1', 'registration', 'registration', 'click-2', NULL, NULL, NULL, '{"{}"}', '2026-11-27T11:59:59Z', 'k2', 'credited', NULL, NULL),
                       ('conv-3', 'set-1', 'deposit', 'deposit', 'click-3', 20.00, 'USD', 'T3', '{"{}"}', '2026-11-27T12:00:01Z', 'k3', 'credited', NULL, 2);
                """);
            await transaction.CommitAsync();
        }

        var store = database.NewStore(schema);
        (await store.MigrateAsync()).Should().Be(PostgreSqlSchema.CurrentVersion - PreviousVersion);

        (await PostgresTestDatabase.SchemaVersionsAsync(schema)).Should().Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion));
        var found = await store.Storage.Ingest.ListConversionsToMatchAsync(new ConversionMatchQuery { SetId = "set-1", TransactionIds = ["T1"], ClickIds = ["click-2"] }, None);
        found.Select(c => (c.ConversionId, c.Event, c.Amount, c.TransactionId))
            .Should().Equal(("conv-2", "registration", null, null), ("conv-1", "first-deposit", 50.00m, "T1"));
        (await store.Storage.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = "set-1" }, None)).Select(c => c.Id).Should().Equal("conv-3", "conv-1", "conv-2");
        await using var index = dataSource.CreateCommand($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'conversions_set_transaction_id'");
        (await index.ExecuteScalarAsync()).Should().Be(1L);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}
