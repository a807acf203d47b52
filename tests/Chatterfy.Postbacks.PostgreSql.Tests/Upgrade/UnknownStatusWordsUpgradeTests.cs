using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// A schema at the previous version (the shipped migrations before this one, with conversions written as that version's
/// store writes them) gets the index of unknown status words when the current store migrates it: the conversions keep
/// their values, the status remap's read lists the set's unknown words, and it reads them through the index.
/// </summary>
public sealed class UnknownStatusWordsUpgradeTests
{
    // The version before the index (migration 16): the rule status filters.
    private const int PreviousVersion = 15;
    private static readonly CancellationToken None = CancellationToken.None;

    [PostgresFact]
    public async Task Migrate_SchemaOfThePreviousVersion_KeepsItsConversions_AndListsTheUnknownWordsThroughTheIndex()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var quoted = PostgreSqlSchema.Quote(schema);
        var dataSource = database.NewDataSource();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await PostgresTestDatabase.CreateSchemaAtVersionAsync(connection, transaction, quoted, PreviousVersion);

            // conv-1 and conv-3 unknown words of set-1, conv-2 a known one, conv-4 no status, conv-5 an unknown word of set-2.
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO {quoted}.postback_sets (id, name, network_id, token, created_at, enabled) VALUES ('set-1', '1Win', '1win', 'tok-1', '2026-11-27T12:00:00Z', true);
                INSERT INTO {quoted}.postback_set_tokens (token, set_id) VALUES ('tok-1', 'set-1');
                INSERT INTO {quoted}.conversions (id, set_id, event_kind, event_name, click_id, amount, currency, transaction_id, attributes, received_at, idempotency_key, attribution, campaign_id, deposit_number, status, status_word, status_word_unknown)
                VALUES ('conv-1', 'set-1', 'first-deposit', 'first-deposit', 'click-1', 50.00, 'USD', 'T1', '{"{}"}', '2026-11-27T12:00:00Z', 'k1', 'credited', NULL, 1, 'pending', 'Won', true),
                       ('conv-2', 'set-1', 'deposit', 'deposit', 'click-1', 20.00, 'USD', 'T2', '{"{}"}', '2026-11-27T12:00:01Z', 'k2', 'credited', NULL, 2, 'pending', 'hold', false),
                       ('conv-3', 'set-1', 'deposit', 'deposit', 'click-1', 30.00, 'USD', 'T3', '{"{}"}', '2026-11-27T12:00:02Z', 'k3', 'credited', NULL, 3, 'pending', 'Gesperrt', true),
                       ('conv-4', 'set-1', 'registration', 'registration', 'click-2', NULL, NULL, NULL, '{"{}"}', '2026-11-27T12:00:03Z', 'k4', 'credited', NULL, NULL, 'approved', NULL, false),
                       ('conv-5', 'set-2', 'registration', 'registration', 'click-3', NULL, NULL, NULL, '{"{}"}', '2026-11-27T12:00:04Z', 'k5', 'credited', NULL, NULL, 'pending', 'Won', true);
                """);
            await transaction.CommitAsync();
        }

        var store = database.NewStore(schema);
        (await store.MigrateAsync()).Should().Be(PostgreSqlSchema.CurrentVersion - PreviousVersion);

        (await PostgresTestDatabase.SchemaVersionsAsync(schema)).Should().Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion));
        var unknown = await store.Storage.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = "set-1", StatusWordUnknown = true }, None);
        unknown.Select(c => (c.Id, c.Status, c.StatusWord, c.StatusWordUnknown)).Should().Equal(
            ("conv-3", ConversionStatus.Pending, "Gesperrt", true), ("conv-1", ConversionStatus.Pending, "Won", true));
        (await store.Storage.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = "set-1", StatusWordUnknown = true, BeforeId = "conv-3" }, None))
            .Select(c => c.Id).Should().Equal("conv-1");
        (await store.Storage.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = "set-1" }, None)).Select(c => c.Id).Should().Equal("conv-4", "conv-3", "conv-2", "conv-1");
        await using (var index = dataSource.CreateCommand($"SELECT count(*) FROM pg_indexes WHERE schemaname = '{schema}' AND indexname = 'conversions_set_unknown_word'"))
        {
            (await index.ExecuteScalarAsync()).Should().Be(1L);
        }

        // The remap's read of a page after a cursor, as PostgreSqlIngestStore writes it, walks the index backwards (newest
        // first, no sort). Sequential scans are off so that a handful of rows does not make the planner read the table instead.
        var plan = await ExplainAsync(dataSource, $"""
            SELECT c.* FROM {quoted}.conversions c
            WHERE (c.received_at, c.id) < (SELECT b.received_at, b.id FROM {quoted}.conversions b WHERE b.id = 'conv-3') AND c.set_id = 'set-1' AND c.status_word_unknown
            ORDER BY c.received_at DESC, c.id DESC LIMIT 1000
            """);
        plan.Should().Contain(line => line.Contains("Index Scan Backward using conversions_set_unknown_word on conversions c", StringComparison.Ordinal))
            .And.NotContain(line => line.Contains("Sort", StringComparison.Ordinal));
    }

    private static async Task<List<string>> ExplainAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, "SET LOCAL enable_seqscan = off");
        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}
